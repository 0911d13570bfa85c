// Scopes and variables of a stop: the frame's arguments and locals, the sk_buff, the device, the
// route, the neighbour table, netfilter, counters, sysctls and the wire. Objects come from the
// model's inspect views, so the Variables view and expressions name fields alike. Knobs
// (dev->mtu, a neighbour's nud_state, neighbour sysctls) can be set.

import * as l10n from '@vscode/l10n';
import { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Stop, Runtime } from '../debugger/runtime';
import type { Value, ObjectValue } from '../debugger/expr';
import { formatValue } from '../debugger/expr';
import { wrap, skbView, devView, rtView, neighView, View, ListView } from '../debugger/inspect';
import { SkBuff } from '../model/net/skbuff';
import { NetDevice } from '../model/net/device';
import { Neighbour, NUD_BY_NAME, nudName } from '../model/net/neigh';
import type { NeighParms } from '../model/net/neigh';
import { findSysctl } from '../model/scenario/sysctl';
import { formatIpv4 } from '../model/wire/addr';
import { formatHex } from '../model/wire/bytes';
import { decodeFrame, summarize } from '../model/wire/decode';
import { msToJiffies } from '../model/core/clock';

type Entry = { kind: 'object'; value: ObjectValue; path: string } | { kind: 'vars'; list: () => DebugProtocol.Variable[] };

export interface ScopeInfo {
  name: string;
  ref: number;
  expensive: boolean;
}

export class Variables {
  private handles = new Handles<Entry>();
  /** Memory reference -> the skb, for readMemory of packet bytes. */
  private readonly packets = new Map<string, SkBuff>();
  /** One reference per skb object: a fragment can carry its datagram's packet id. */
  private refs = new WeakMap<SkBuff, string>();
  private nextRef = 1;

  reset(): void {
    this.handles.reset();
    this.packets.clear();
    this.refs = new WeakMap();
  }

  scopes(stop: Stop, index: number): ScopeInfo[] {
    const k = stop.kernel;
    const frame = stop.frames[index];
    const out: ScopeInfo[] = [];
    const add = (name: string, e: Entry, expensive = false) => out.push({ name, ref: this.handles.create(e), expensive });
    add(l10n.t('Locals'), {
      kind: 'vars',
      list: () => {
        const vars: DebugProtocol.Variable[] = [];
        if (index === 0 && stop.returned) vars.push(this.variable(l10n.t('{0}() returned', stop.returned.fn), wrap(stop.returned.value, k)));
        if (frame) {
          if (frame.returned) vars.push(this.variable(l10n.t('return value'), wrap(frame.ret, k)));
          // One entry per name: a local shadows an argument of the same name, as in expressions.
          const names = new Map<string, unknown>(Object.entries(frame.args));
          for (const [name, v] of Object.entries(frame.locals)) names.set(name, v);
          for (const [name, v] of names) {
            const value = name === 'skb' && frame.skb && !(name in frame.locals) ? skbView(frame.skb, k) : wrap(v, k);
            vars.push(this.variable(name, value, name));
          }
          if (frame.decisions.length) vars.push(this.variable('decisions', frame.decisions.join('; ')));
        }
        return vars;
      },
    });
    if (stop.exception) {
      const ex = stop.exception;
      add(l10n.t('Exception'), { kind: 'vars', list: () => [this.variable('kind', ex.kind), ...Object.entries(ex.detail).map(([name, v]) => this.variable(name, wrap(v, k), name))] });
    }
    const skb = frame?.skb ?? stop.frames.find((f) => f.skb)?.skb ?? null;
    if (skb) add('sk_buff', { kind: 'object', value: skbView(skb, k), path: 'skb' });
    const dev = skb?.dev ?? skb?.dst?.dev ?? null;
    if (dev) add(l10n.t('Device'), { kind: 'object', value: devView(dev), path: 'skb->dev' });
    if (skb?.dst) add(l10n.t('Route'), { kind: 'object', value: rtView(skb.dst), path: 'skb->dst' });
    add(l10n.t('Neighbours'), { kind: 'object', value: new ListView('arp_tbl', () => [...k.net.arp_tbl.entries.values()].map((n) => neighView(n, k))), path: '' });
    add(l10n.t('Devices'), { kind: 'object', value: new ListView('devices', () => k.net.devices.map(devView)), path: '' }, true);
    add('Netfilter', {
      kind: 'vars',
      list: () => [...k.net.nf.output, ...k.net.nf.chains].flatMap((c) => c.rules.map((r) => this.variable(l10n.t('{0} (priority {1})', c.table, c.priority), l10n.t('{0}  [packets {1}, bytes {2}]', r.rule.text, r.packets, r.bytes)))),
    }, true);
    add(l10n.t('Counters'), {
      kind: 'vars',
      list: () => {
        const c = k.net.counters;
        const groups: [string, Record<string, number>][] = [['Ip', c.Ip], ['Icmp', c.Icmp], ['Udp', c.Udp], ['Tcp', c.Tcp], ['ArpCache', { ...k.net.arp_tbl.stats }]];
        return groups.map(([name, obj]) => this.variable(name, new View('counters', () => Object.entries(obj).filter(([, v]) => v).map(([n, v]) => `${n}=${v}`).join(' ') || l10n.t('all 0'), Object.keys(obj).map((key) => [key, () => obj[key]]))));
      },
    }, true);
    add('Sysctl', {
      kind: 'vars',
      list: () => k.net.devices.map((d) => {
        const p = k.net.parms.get(d)!;
        return this.variable(`net.ipv4.neigh.${d.name}`, new View('neigh_parms', () => `retrans_time_ms=${(p.retrans_time * 4)} ucast=${p.ucast_probes} mcast=${p.mcast_probes}`, [
          ['mcast_solicit', () => p.mcast_probes], ['ucast_solicit', () => p.ucast_probes], ['app_solicit', () => p.app_probes],
          ['mcast_resolicit', () => p.mcast_reprobes], ['retrans_time_ms', () => p.retrans_time * 4],
          ['base_reachable_time_ms', () => p.base_reachable_time * 4], ['delay_first_probe_time', () => p.delay_probe_time / 250],
          ['unres_qlen_bytes', () => p.queue_len_bytes], ['reachable_time_ms', () => p.reachable_time * 4],
        ], { sysctlDev: d.name }));
      }),
    }, true);
    add(l10n.t('Wire'), {
      kind: 'vars',
      list: () => stop.wire.slice(0, stop.frameCount).map((f, i) => {
        const s = summarize(decodeFrame(f.bytes));
        return this.variable(`${i + 1}`, `${(f.time / 1e6).toFixed(6)} ms ${f.dev} ${f.dir} ${s.src} > ${s.dst} ${s.protocol} ${f.bytes.length} ${s.info}`);
      }),
    }, true);
    return out;
  }

  children(ref: number): DebugProtocol.Variable[] | undefined {
    const e = this.handles.get(ref);
    if (!e) return undefined;
    if (e.kind === 'vars') return e.list();
    const o = e.value;
    return o.fields().map((f) => this.variable(f, o.get(f) ?? null, e.path ? `${e.path}${o instanceof ListView ? `[${f}]` : `->${f}`}` : undefined));
  }

  /** A reference for an object value (0 for plain values). */
  reference(v: Value): number {
    return v && typeof v === 'object' ? this.handles.create({ kind: 'object', value: v, path: '' }) : 0;
  }

  /** A memory reference for a packet view, so readMemory can show its bytes. */
  memoryReference(v: Value): string | undefined {
    if (v instanceof View && v.target instanceof SkBuff && v.typeName === 'struct sk_buff *') {
      let ref = this.refs.get(v.target);
      if (!ref) {
        ref = `skb#${v.target.id}.${this.nextRef++}`;
        this.refs.set(v.target, ref);
      }
      this.packets.set(ref, v.target);
      return ref;
    }
    return undefined;
  }

  /** Bytes behind a memory reference: the packet from data to tail. */
  memory(ref: string): Uint8Array | undefined {
    const skb = this.packets.get(ref);
    return skb ? skb.buf.subarray(skb.data, skb.tail) : undefined;
  }

  variable(name: string, v: Value, evaluateName?: string): DebugProtocol.Variable {
    const ref = this.reference(v);
    const out: DebugProtocol.Variable = { name, value: formatValue(v), variablesReference: ref };
    if (evaluateName) out.evaluateName = evaluateName;
    if (v && typeof v === 'object') {
      out.type = v.typeName;
      const mem = this.memoryReference(v);
      if (mem) out.memoryReference = mem;
      if (v instanceof ListView) out.indexedVariables = v.length;
    }
    return out;
  }

  /**
   * setVariable for the knobs a learner turns: dev->mtu, a neighbour's nud_state, neighbour
   * sysctls. The change is made through the runtime so that it survives re-execution.
   */
  setVariable(rt: Runtime, ref: number, name: string, value: string): string {
    if (typeof name !== 'string' || typeof value !== 'string') throw new Error(l10n.t('setVariable needs a name and a value (strings)'));
    const e = this.handles.get(ref);
    if (!e || e.kind !== 'object' || !(e.value instanceof View)) throw new Error(l10n.t('{0} cannot be set here', name));
    const target = e.value.target;
    if (target instanceof NetDevice && name === 'mtu') {
      const mtu = integerOf(value);
      const max = target.type === 'loopback' ? 65536 : 65535;
      if (mtu === undefined || mtu < 68 || mtu > max) throw new Error(l10n.t('{0} must be an integer {1}..{2}, not "{3}"', 'mtu', 68, max, value));
      const devName = target.name;
      rt.intervene((s) => {
        const d = s.kernel.net.dev(devName);
        if (d) d.mtu = mtu;
      });
      return String(mtu);
    }
    if (target instanceof Neighbour && name === 'nud_state') {
      const key = value.replace(/^"|"$/g, '').toUpperCase().replace(/^NUD_/, '');
      // Own keys only: a name such as "constructor" is no state.
      const state = Object.hasOwn(NUD_BY_NAME, key) ? NUD_BY_NAME[key] : undefined;
      if (typeof state !== 'number') throw new Error(l10n.t('{0} must be one of {1}, not "{2}"', 'nud_state', Object.keys(NUD_BY_NAME).join(', '), value));
      const dev = target.dev.name;
      const nkey = target.key;
      rt.intervene((s) => {
        const d = s.kernel.net.dev(dev);
        const n = d ? s.kernel.net.arp_tbl.get(d, nkey) : undefined;
        if (n) n.nud_state = state;
      });
      return nudName(state);
    }
    const sys = target as { sysctlDev?: string } | undefined;
    if (sys && typeof sys === 'object' && typeof sys.sysctlDev === 'string') {
      const set = SETTABLE_SYSCTLS.get(name);
      if (!set) throw new Error(l10n.t('{0} cannot be set (settable: {1})', name, [...SETTABLE_SYSCTLS.keys()].join(', ')));
      const dev = sys.sysctlDev;
      // The range the scenario language allows for the same sysctl.
      const spec = findSysctl(`net.ipv4.neigh.${dev}.${name}`)?.spec;
      const n = integerOf(value);
      if (n === undefined || !spec || n < spec.min || n > spec.max) {
        throw new Error(spec ? l10n.t('{0} must be an integer {1}..{2}, not "{3}"', name, spec.min, spec.max, value) : l10n.t('{0} cannot be set (settable: {1})', name, [...SETTABLE_SYSCTLS.keys()].join(', ')));
      }
      rt.intervene((s) => {
        const d = s.kernel.net.dev(dev);
        const p = d ? s.kernel.net.parms.get(d) : undefined;
        if (p) set(p, n);
      });
      return String(n);
    }
    throw new Error(l10n.t('{0} is not a knob that can be set (settable: {1})', name, l10n.t('dev->mtu, a neighbour\'s nud_state, net.ipv4.neigh.* sysctls')));
  }
}

/** The neighbour sysctls setVariable changes, by the name the Sysctl scope shows. */
const SETTABLE_SYSCTLS = new Map<string, (p: NeighParms, n: number) => void>([
  ['mcast_solicit', (p, n) => (p.mcast_probes = n)],
  ['ucast_solicit', (p, n) => (p.ucast_probes = n)],
  ['app_solicit', (p, n) => (p.app_probes = n)],
  ['mcast_resolicit', (p, n) => (p.mcast_reprobes = n)],
  ['retrans_time_ms', (p, n) => (p.retrans_time = msToJiffies(n))],
  ['base_reachable_time_ms', (p, n) => (p.base_reachable_time = msToJiffies(n))],
  ['delay_first_probe_time', (p, n) => (p.delay_probe_time = n * 250)],
  ['unres_qlen_bytes', (p, n) => (p.queue_len_bytes = n)],
]);

/** A whole number written in decimal or 0x hex, or undefined for anything else ("12abc", "1e3", ""). */
function integerOf(text: string): number | undefined {
  const t = text.trim();
  if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

export { formatIpv4, formatHex };
