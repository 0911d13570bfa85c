// Copies of a kernel between two events: the debugger's checkpoints. Between events no model code
// is on the JavaScript stack, so the kernel is plain data (objects, arrays, maps, sets, byte
// arrays) plus pending events, which are a function and its arguments (see timers.ts). A deep
// copy of that graph, with identities kept, runs on exactly as the original would.
//
// What is not copied: functions (module-level code, shared), the scenario and whatever else is
// marked shared (never changed by a run), and what belongs to the one run that watches the kernel
// (its watcher, frame sinks, segment hook, progress and call callbacks, and recycled buffers).

import { Kernel } from '../model/kernel/kernel';

/** Objects a copy refers to instead of copying (the scenario and what is worked out from it). */
export class Shared {
  private readonly set = new WeakSet<object>();

  /** Marks `root` and everything reachable from it as shared. */
  add(root: unknown): void {
    const stack: unknown[] = [root];
    while (stack.length) {
      const v = stack.pop();
      if (typeof v !== 'object' || v === null || this.set.has(v)) continue;
      this.set.add(v);
      if (ArrayBuffer.isView(v)) continue;
      if (v instanceof Map) {
        for (const [a, b] of v) stack.push(a, b);
      } else if (v instanceof Set) {
        for (const a of v) stack.push(a);
      } else {
        for (const key of Object.keys(v)) stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }

  has(v: object): boolean {
    return this.set.has(v);
  }
}

/** A copy of a kernel, and how many objects it took (its weight, for spacing checkpoints). */
export interface KernelCopy {
  kernel: Kernel;
  objects: number;
  /** Bytes of packet data copied. */
  bytes: number;
}

/**
 * A deep copy of `k`, which must be between events (not inside a call). The copy has no watcher,
 * no frame sinks, no segment hook and no progress or call callback: the run that resumes it attaches its own.
 */
export function copyKernel(k: Kernel, shared: Shared): KernelCopy {
  // Detach what belongs to the run, copy, then put it back on the original.
  const w = k.w;
  const sinks = k.frameSinks;
  const segment = k.segment;
  const progress = k.progress;
  const onCall = k.onCall;
  const pool = k.pool;
  k.pool = new Map();
  k.w = null;
  k.frameSinks = [];
  k.segment = null;
  k.progress = null;
  k.onCall = null;
  try {
    const c = new Copier(shared);
    const kernel = c.copy(k) as Kernel;
    return { kernel, objects: c.objects, bytes: c.bytes };
  } finally {
    k.w = w;
    k.frameSinks = sinks;
    k.segment = segment;
    k.progress = progress;
    k.onCall = onCall;
    k.pool = pool;
  }
}

class Copier {
  objects = 0;
  bytes = 0;
  private readonly seen = new Map<object, unknown>();

  constructor(private readonly shared: Shared) {}

  copy(v: unknown): unknown {
    if (typeof v !== 'object' || v === null) return v;
    if (this.shared.has(v)) return v;
    const done = this.seen.get(v);
    if (done !== undefined) return done;
    this.objects++;
    if (ArrayBuffer.isView(v)) {
      // Each byte array is copied on its own (the model never shares packet memory between two
      // live arrays: a packet kept across events owns its bytes).
      const b = (v as Uint8Array).slice();
      this.bytes += b.byteLength;
      this.seen.set(v, b);
      return b;
    }
    if (Array.isArray(v)) {
      const a: unknown[] = new Array(v.length);
      this.seen.set(v, a);
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        a[i] = typeof x === 'object' && x !== null ? this.copy(x) : x;
      }
      return a;
    }
    if (v instanceof Map) {
      const m = new Map();
      this.seen.set(v, m);
      for (const [key, x] of v) m.set(this.copy(key), this.copy(x));
      return m;
    }
    if (v instanceof Set) {
      const s = new Set();
      this.seen.set(v, s);
      for (const x of v) s.add(this.copy(x));
      return s;
    }
    // A class instance keeps its class: the copy gets the same prototype and the same fields in
    // the same order, so V8 gives it the same shape as the original.
    const o = Object.create(Object.getPrototypeOf(v)) as Record<string, unknown>;
    this.seen.set(v, o);
    const src = v as Record<string, unknown>;
    // for-in walks V8's cached list of the shape's keys, where Object.keys would allocate an
    // array per object. The model's classes have no enumerable properties on their prototypes.
    for (const key in src) {
      const x = src[key];
      o[key] = typeof x === 'object' && x !== null ? this.copy(x) : x;
    }
    return o;
  }
}

const OBJECT = 0;
const ARRAY = 1;
const MAP = 2;
const SET = 3;
const BYTES = 4;

/** One object of a planned copy: what to make, and its fields (a value, or another object's number). */
interface PlanNode {
  kind: number;
  proto: object | null;
  /** Field names of an OBJECT, in order. */
  keys: string[] | null;
  /** Field values, array elements, or map keys and values alternately, or set items. */
  vals: unknown[];
  /** For each of vals: -1 (the value itself) or the number of the object to put there. */
  refs: Int32Array;
  /** The bytes of a BYTES node. */
  bytes: Uint8Array | null;
}

/**
 * How to copy one kernel that never changes again (a checkpoint): every object it holds, in the
 * order Copier meets them, each with its fields as values or numbers of other objects. The
 * debugger copies the checkpoint a step starts from at every step; with a plan, a copy needs no
 * identity map (hashing every object, growing the map's table) and makes no garbage but the copy.
 */
export class CopyPlan {
  private readonly nodes: PlanNode[] = [];

  constructor(k: Kernel, shared: Shared) {
    const index = new Map<object, number>();
    const visit = (v: object): number => {
      const known = index.get(v);
      if (known !== undefined) return known;
      const i = this.nodes.length;
      index.set(v, i);
      const node: PlanNode = { kind: OBJECT, proto: null, keys: null, vals: [], refs: new Int32Array(0), bytes: null };
      this.nodes.push(node);
      const items: unknown[] = [];
      if (ArrayBuffer.isView(v)) {
        node.kind = BYTES;
        node.bytes = v as Uint8Array;
        return i;
      }
      if (Array.isArray(v)) {
        node.kind = ARRAY;
        for (let j = 0; j < v.length; j++) items.push(v[j]);
      } else if (v instanceof Map) {
        node.kind = MAP;
        for (const [a, b] of v) items.push(a, b);
      } else if (v instanceof Set) {
        node.kind = SET;
        for (const a of v) items.push(a);
      } else {
        node.proto = Object.getPrototypeOf(v) as object | null;
        node.keys = [];
        for (const key in v) {
          node.keys.push(key);
          items.push((v as Record<string, unknown>)[key]);
        }
      }
      node.vals = items;
      node.refs = new Int32Array(items.length).fill(-1);
      for (let j = 0; j < items.length; j++) {
        const x = items[j];
        if (typeof x === 'object' && x !== null && !shared.has(x)) node.refs[j] = visit(x);
      }
      return i;
    };
    // The kernel of a checkpoint has no watcher, sinks, hooks or pool of its own (copyKernel left
    // them out), so all of it is copied.
    visit(k);
  }

  /** A fresh copy of the planned kernel. */
  copy(): Kernel {
    const nodes = this.nodes;
    const n = nodes.length;
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = nodes[i];
      switch (p.kind) {
        case OBJECT:
          out[i] = Object.create(p.proto);
          break;
        case ARRAY:
          out[i] = new Array(p.vals.length);
          break;
        case MAP:
          out[i] = new Map();
          break;
        case SET:
          out[i] = new Set();
          break;
        default:
          out[i] = p.bytes!.slice();
      }
    }
    for (let i = 0; i < n; i++) {
      const p = nodes[i];
      const vals = p.vals;
      const refs = p.refs;
      const o = out[i];
      switch (p.kind) {
        case OBJECT: {
          // The same fields in the same order: V8 gives the copy the original's shape.
          const keys = p.keys!;
          const t = o as Record<string, unknown>;
          for (let j = 0; j < keys.length; j++) t[keys[j]] = refs[j] < 0 ? vals[j] : out[refs[j]];
          break;
        }
        case ARRAY: {
          const a = o as unknown[];
          for (let j = 0; j < vals.length; j++) a[j] = refs[j] < 0 ? vals[j] : out[refs[j]];
          break;
        }
        case MAP: {
          const m = o as Map<unknown, unknown>;
          for (let j = 0; j < vals.length; j += 2) m.set(refs[j] < 0 ? vals[j] : out[refs[j]], refs[j + 1] < 0 ? vals[j + 1] : out[refs[j + 1]]);
          break;
        }
        case SET: {
          const s = o as Set<unknown>;
          for (let j = 0; j < vals.length; j++) s.add(refs[j] < 0 ? vals[j] : out[refs[j]]);
          break;
        }
      }
    }
    return out[0] as Kernel;
  }
}
