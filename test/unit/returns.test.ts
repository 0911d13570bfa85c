// What the debugger shows as a function's return (its `leave` value: the Variables view, "step
// out", the trace) must be what the function returns to its caller. Every scenario of
// test/scenarios and media/scenarios runs, in each kernel profile it allows, on the model bundled
// with a probe around every function of src/model/kernel (test/helpers/returns-probe.ts); each
// real return is compared with the value its frame's leave reported. A few scenarios written here
// reach what the scenario files do not. Every modeled function must be seen returning in each of
// its profiles, save the few listed below with the reason.

import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { KernelProfile } from '../../src/model/scenario/types';
import { ROOT, instrumentedModel, bundleWithProbe, probePlugin, instrument, type InstrumentedModel, type Probe } from '../helpers/returns-probe';
import { ReturnWatcher, type Problem } from '../helpers/returns-watcher';
import { parseScenario } from '../../src/model/scenario/parse';
import { createKernel, runKernel } from '../../src/model/run';
import type { Watcher } from '../../src/model/kernel/watch';
import { netif_receive_skb } from '../../src/model/kernel/ip_input';
import { EPERM } from '../../src/model/kernel/errno';
import { ETH_P_ARP } from '../../src/model/wire/ethernet';
import { emitArp } from '../../src/model/wire/arp';
import { ARP_LEN, ETH_HLEN, EthHdr, ArpHdr } from '../../src/model/wire/headers';
import { parseIpv4, parseMac, formatMac } from '../../src/model/wire/addr';
import { nudName } from '../../src/model/net/neigh';

const PROFILES: readonly KernelProfile[] = ['6.18', '4.9'];

/**
 * Modeled functions no scenario returns from, each with the reason (profile '*' for both). The
 * test fails when one of them does get covered, so the list only shrinks.
 */
const NOT_REACHED: readonly { fn: string; profile: KernelProfile | '*'; why: string }[] = [

];

/** A run: a scenario in one profile, and what the test adds to it before it runs. */
interface RunCase {
  name: string;
  file: string;
  text: string;
  profile: KernelProfile;
  prepare?: (model: InstrumentedModel, k: Kernel) => void;
}

type Kernel = ReturnType<InstrumentedModel['createKernel']>;

/** A scenario the test writes itself, for what no scenario file reaches. */
interface Extra {
  name: string;
  text: string;
  prepare?: RunCase['prepare'];
}

/** What unsolicitedArpReply needs of the model (the instrumented bundle, or the compiled model). */
type ArpParts = Pick<InstrumentedModel, 'netif_receive_skb'>;

/** Puts an ARP reply from 192.0.2.2 (is-at 02:00:00:00:00:22) on veth0's link at 10 ms. */
function unsolicitedArpReply(model: ArpParts, k: Kernel): void {
  const dev = k.net.devices.find((d) => d.name === 'veth0')!;
  // The frame is data: built with the wire layer, which the probe does not instrument.
  const frame = new Uint8Array(ETH_HLEN + ARP_LEN);
  const sha = parseMac('02:00:00:00:00:22')!;
  const eth = new EthHdr(frame, 0);
  eth.h_dest = dev.dev_addr;
  eth.h_source = sha;
  eth.h_proto = ETH_P_ARP;
  emitArp(new ArpHdr(frame, ETH_HLEN), { op: 2, sha, spa: parseIpv4('192.0.2.2')!, tha: dev.dev_addr, tpa: parseIpv4('192.0.2.1')! });
  k.later(10_000_000, 'unsolicited ARP reply from 192.0.2.2', model.netif_receive_skb, [k, dev, frame]);
}

const PERMANENT_NEIGH = [
  'link add veth0 mtu 1500 address 02:00:00:00:00:01',
  'addr add 192.0.2.1/24 dev veth0',
  'neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent',
  'at 0ms send udp to 192.0.2.2:9000 size 100',
  'run 100ms',
  '',
].join('\n');

const EXTRAS: readonly Extra[] = [
  {
    // A physical NIC with checksum offload: pfifo_fast (__dev_xmit_skb) and the driver finishing
    // the CHECKSUM_PARTIAL transport checksum (skb_checksum_help); a datagram larger than the MTU.
    name: 'ethernet with offload',
    text: [
      'link add eth0 type ethernet mtu 1500 address 02:00:00:00:00:01 offload on',
      'addr add 192.0.2.1/24 dev eth0',
      'peer 192.0.2.2 lladdr 02:00:00:00:00:02',
      'at 0ms send udp to 192.0.2.2:9000 size 100',
      'at 1ms send udp to 192.0.2.2:9000 size 3000',
      '',
    ].join('\n'),
  },
  {
    // A veth with offload: on 4.9 a datagram larger than the MTU leaves as one UFO skb
    // (ip_finish_output_gso); 6.x has no UFO and fragments it.
    name: 'veth with offload',
    text: [
      'link add veth0 mtu 1500 address 02:00:00:00:00:01 offload on',
      'addr add 192.0.2.1/24 dev veth0',
      'peer 192.0.2.2 lladdr 02:00:00:00:00:02',
      'at 0ms send udp to 192.0.2.2:9000 size 3000',
      '',
    ].join('\n'),
  },
  {
    // An ARP reply nobody asked for, from a neighbour whose entry is PERMANENT: arp_process hands it
    // to neigh_update without NEIGH_UPDATE_F_ADMIN, which refuses it. Peers only answer requests,
    // so the test puts the frame on the link itself.
    name: 'unsolicited ARP reply to a permanent entry',
    text: PERMANENT_NEIGH,
    prepare: unsolicitedArpReply,
  },
];

/**
 * Each scenario file in each profile it allows (a scenario with a `kernel` line runs in that
 * profile only), then the extra scenarios in both.
 */
function cases(): RunCase[] {
  const out: RunCase[] = [];
  const add = (name: string, file: string, text: string, prepare?: RunCase['prepare']) => {
    const fixed = /^\s*kernel\s+(\S+)/m.exec(text)?.[1];
    for (const profile of PROFILES) {
      if (fixed === undefined || fixed === profile) out.push({ name, file, text, profile, prepare });
    }
  };
  for (const dir of ['test/scenarios', 'media/scenarios']) {
    for (const f of readdirSync(path.join(ROOT, dir)).filter((x) => x.endsWith('.kpath')).sort()) {
      const file = path.join(ROOT, dir, f);
      add(`${dir}/${f}`, file, readFileSync(file, 'utf8'));
    }
  }
  for (const x of EXTRAS) add(`extra: ${x.name}`, `${x.name}.kpath`, x.text, x.prepare);
  return out;
}

interface Outcome {
  problems: Problem[];
  error?: unknown;
}

/**
 * Runs one case on the instrumented model; `checked` gathers, per profile, the functions seen
 * returning, and `entered` every frame name entered.
 */
function runCase(model: InstrumentedModel, c: RunCase, checked: Map<KernelProfile, Set<string>>, entered: Set<string>): Outcome {
  const w = new ReturnWatcher();
  model.probe.around = w.around;
  try {
    const s = { ...model.parseScenario(c.text, c.file), kernel: c.profile };
    const k = model.createKernel(s, { watcher: w });
    c.prepare?.(model, k);
    model.runKernel(k, s.run);
    w.finish();
  } catch (error) {
    return { problems: w.report(), error };
  } finally {
    const seen = checked.get(c.profile) ?? new Set<string>();
    for (const fn of w.checked.keys()) seen.add(fn);
    checked.set(c.profile, seen);
    for (const fn of w.entered) entered.add(fn);
  }
  return { problems: w.report() };
}

function message(c: RunCase, problems: Problem[]): string {
  return problems
    .map((p) => `${p.fn} in ${c.name} (kernel ${c.profile}): ${p.text}${p.count > 1 ? ` [${p.count} times]` : ''}, first in "${p.first}"`)
    .join('\n');
}

describe('the return value each modeled function traces is the value it returns', () => {
  const all = cases();
  const outcomes = new Map<RunCase, Outcome>();
  const checked = new Map<KernelProfile, Set<string>>();
  const entered = new Set<string>();
  let model: InstrumentedModel;

  before(async () => {
    model = await instrumentedModel();
    for (const c of all) outcomes.set(c, runCase(model, c, checked, entered));
  });

  it('finds scenarios in both directories', () => {
    assert.ok(all.some((c) => c.name.startsWith('test/scenarios/')));
    assert.ok(all.some((c) => c.name.startsWith('media/scenarios/')));
  });

  for (const c of all) {
    it(`${c.name} (kernel ${c.profile})`, () => {
      const o = outcomes.get(c)!;
      if (o.error) throw o.error;
      assert.equal(o.problems.length, 0, `traced and real return values differ:\n${message(c, o.problems)}`);
    });
  }

  it('every modeled function is seen returning in each of its profiles (or is listed as not reached, with the reason)', () => {
    const missing: string[] = [];
    const stale: string[] = [];
    for (const f of model.MODELED_FUNCTIONS) {
      for (const profile of f.profiles) {
        const seen = checked.get(profile)?.has(f.name) ?? false;
        const allowed = NOT_REACHED.some((x) => x.fn === f.name && (x.profile === '*' || x.profile === profile));
        if (!seen && !allowed) missing.push(`${f.name} (kernel ${profile})`);
        if (seen && allowed) stale.push(`${f.name} (kernel ${profile})`);
      }
    }
    assert.deepEqual(missing, [], `modeled functions no scenario was seen returning from:\n${missing.join('\n')}`);
    assert.deepEqual(stale, [], `listed as not reached, but covered now (remove them from NOT_REACHED):\n${stale.join('\n')}`);
    for (const x of NOT_REACHED) assert.ok(model.MODELED_FUNCTIONS.some((f) => f.name === x.fn), `NOT_REACHED names ${x.fn}, which is not modeled`);
  });

  it('every frame the model enters is a modeled function', () => {
    const names = new Set(model.MODELED_FUNCTIONS.map((f) => f.name));
    const unknown = [...entered].filter((n) => !names.has(n));
    assert.deepEqual(unknown, []);
  });
});

describe('the return-value probe', () => {
  /** A stand-in for a model file: one honest function, one that traces a value it does not return, one that never leaves. */
  const FAKE = [
    "type W = { enter(fn: string, skb: null, args: object): void; leave(ret: unknown): void };",
    "export function lies(k: { w: W }): number { k.w.enter('lies', null, {}); k.w.leave(-22); return 0; }",
    "export function honest(k: { w: W }): number { k.w.enter('honest', null, {}); const r = lies(k); k.w.leave(r); return r; }",
    "export function forgets(k: { w: W }): number { k.w.enter('forgets', null, {}); return 1; }",
    "function helper(k: { w: W }, name: string): number { k.w.enter(name, null, {}); k.w.leave(7); return 7; }",
    "export function run(k: { w: W }): void { honest(k); forgets(k); helper(k, 'shared'); }",
    '',
  ].join('\n');

  it('reports a traced value that differs from the returned one, and a frame never left', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kpath-returns-'));
    try {
      writeFileSync(path.join(dir, 'fake.ts'), FAKE);
      const filter = new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\\\/]fake\\.ts$`);
      const mod = await bundleWithProbe<{ run: (k: unknown) => void; probe: Probe }>(
        "export { run } from './fake'; export { probe } from 'kpath-returns-probe';", dir, probePlugin(filter));
      const w = new ReturnWatcher();
      mod.probe.around = w.around;
      mod.run({ w });
      const texts = w.report().map((p) => p.text);
      assert.ok(texts.includes('lies traced -22 but returned 0'), texts.join('\n'));
      assert.ok(texts.includes('forgets (in forgets) returned 1 without leaving its frame'), texts.join('\n'));
      assert.equal(texts.length, 2, texts.join('\n'));
      // A body shared under several frame names (as finishOutputBody is) is checked under the frame's name.
      assert.deepEqual([...w.checked.keys()].sort(), ['honest', 'shared']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a frame entered where no function declaration returns it', () => {
    const src = "export const arrow = (k: { w: { enter(n: string): void } }) => { k.w.enter('arrow'); };\n";
    assert.throws(() => instrument('arrow.ts', src), /arrow\.ts:1: a frame is entered outside a top-level function declaration/);
  });
});

describe('neigh_update on a PERMANENT entry, from an ARP reply', () => {
  for (const profile of PROFILES) {
    it(`${profile}: returns -EPERM, says why, and leaves the entry as it was`, () => {
      const s = { ...parseScenario(PERMANENT_NEIGH, 'permanent.kpath'), kernel: profile };
      const seen: { fn: string; notes: string[]; ret?: unknown }[] = [];
      const stack: (typeof seen)[number][] = [];
      const watcher: Watcher = {
        enter(fn) {
          const f = { fn, notes: [] };
          seen.push(f);
          stack.push(f);
        },
        at() {},
        note(text) {
          stack[stack.length - 1].notes.push(text);
        },
        leave(ret) {
          stack.pop()!.ret = ret;
        },
        exception() {},
        context() {},
      };
      const k = createKernel(s, { watcher });
      unsolicitedArpReply({ netif_receive_skb }, k);
      runKernel(k, s.run);
      const updates = seen.filter((f) => f.fn === 'neigh_update');
      assert.equal(updates.length, 1);
      assert.equal(updates[0].ret, -EPERM);
      assert.match(updates[0].notes.join('; '), /^-EPERM: not an admin update of a PERMANENT entry/);
      const n = [...k.net.arp_tbl.entries.values()].find((x) => x.key === parseIpv4('192.0.2.2'))!;
      assert.equal(nudName(n.nud_state), 'PERMANENT');
      assert.equal(formatMac(n.ha), '02:00:00:00:00:02');
    });
  }
});
