// Copies of a kernel between two events: the debugger's checkpoints. Between events no model code
// is on the JavaScript stack, so the kernel is plain data (objects, arrays, maps, sets, byte
// arrays) plus pending events, which are a function and its arguments (see timers.ts). A deep
// copy of that graph, with identities kept, runs on exactly as the original would.
//
// What is not copied: functions (module-level code, shared), the scenario and whatever else is
// marked shared (never changed by a run), and what belongs to the one run that watches the kernel
// (its watcher, frame sinks, segment hook, progress callback and recycled buffers).

import { Kernel } from './kernel';

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
 * no frame sinks, no segment hook and no progress callback: the run that resumes it attaches its own.
 */
export function copyKernel(k: Kernel, shared: Shared): KernelCopy {
  // Detach what belongs to the run, copy, then put it back on the original.
  const w = k.w;
  const sinks = k.frameSinks;
  const segment = k.segment;
  const progress = k.progress;
  const pool = k.detachPool();
  k.w = null;
  k.frameSinks = [];
  k.segment = null;
  k.progress = null;
  try {
    const c = new Copier(shared);
    const kernel = c.copy(k) as Kernel;
    return { kernel, objects: c.objects, bytes: c.bytes };
  } finally {
    k.w = w;
    k.frameSinks = sinks;
    k.segment = segment;
    k.progress = progress;
    k.attachPool(pool);
  }
}

class Copier {
  objects = 0;
  bytes = 0;
  readonly seen = new Map<object, unknown>();

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
    return copierFor(v)(v, this);
  }
}

/** Copies one object of a known class and set of fields. */
type ObjectCopier = (src: object, c: Copier) => object;

interface Shape {
  keys: string[];
  copy: ObjectCopier;
}

// One copier per class (prototype) and list of own fields, made once: an object of the model has
// the same fields in the same order as every other of its class, and a function that names them
// reads and writes each at machine speed where a loop over Object.keys would look each one up.
const shapes = new WeakMap<object, Shape[]>();
const NO_PROTO = {};

function copierFor(v: object): ObjectCopier {
  const proto = Object.getPrototypeOf(v) as object | null;
  const keys = Object.keys(v);
  const slot = proto ?? NO_PROTO;
  let list = shapes.get(slot);
  if (list === undefined) {
    list = [];
    shapes.set(slot, list);
  }
  for (const sh of list) if (sameKeys(sh.keys, keys)) return sh.copy;
  const copy = makeCopier(proto, keys);
  list.push({ keys, copy });
  return copy;
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function makeCopier(proto: object | null, keys: string[]): ObjectCopier {
  const body = keys.map((key) => {
    const k = JSON.stringify(key);
    return `v = s[${k}]; o[${k}] = typeof v === 'object' && v !== null ? c.copy(v) : v;`;
  });
  const src = `return function copy(s, c) { const o = Object.create(proto); c.seen.set(s, o); let v; ${body.join(' ')} return o; };`;
  return new Function('proto', src)(proto) as ObjectCopier;
}
