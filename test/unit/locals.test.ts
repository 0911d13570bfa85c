// The locals a model listing declares are there to evaluate: for every modeled function, at every
// step point that comes after the line where a declared local gets its value, the expression
// `name` evaluates (the debugger's environment, as watch, hover, conditions and logpoints use it),
// in every scenario of the suite, in both profiles. The few the model cannot have are listed
// below with the reason; the test fails when one of them starts to evaluate (drop it from the
// list) or another stops.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/cli';
import { declaredLocals, DeclaredLocal } from '../helpers/listing-locals';
import { parseScenario } from '../../src/model/scenario/parse';
import type { Scenario, KernelProfile } from '../../src/model/scenario/types';
import { createKernel, runKernel } from '../../src/model/run';
import { Recorder } from '../../src/debugger/recorder';
import { History } from '../../src/debugger/history';
import { stopEnv } from '../../src/debugger/env';
import { evaluate, formatValue } from '../../src/debugger/expr';
import { stepLine } from '../../src/model/listing';
import { MODELED_FUNCTIONS } from '../../src/model/kernel/functions';

const PROFILES: KernelProfile[] = ['6.18', '4.9'];
const SCENARIOS = [
  path.join(REPO_ROOT, 'media', 'scenarios', 'default.kpath'),
  ...fs.readdirSync(path.join(REPO_ROOT, 'test', 'scenarios')).filter((f) => f.endsWith('.kpath')).sort().map((f) => path.join(REPO_ROOT, 'test', 'scenarios', f)),
];

/** fn:local -> why the model cannot give it at the step points after its assignment (none today). */
const CANNOT: Record<string, string> = {};

/** A UFO datagram (4.9) on a device whose GSO skb must be segmented, and a TCP SYN: the paths the suite's scenarios do not take. */
const EXTRA = `
link add eth0 type ethernet mtu 1500 offload on
link add eth1 mtu 1000 offload on
addr add 192.0.2.1/24 dev eth0
addr add 198.51.100.1/24 dev eth1
peer 192.0.2.2 lladdr 02:00:00:00:00:02
peer 198.51.100.2 lladdr 02:00:00:00:00:03
at 0ms send udp to 192.0.2.2:9000 size 4000
at 1ms send tcp syn to 192.0.2.2:80
at 2ms send udp to 198.51.100.2:9000 size 3000 df dont
`;

interface Visit {
  fn: string;
  step: string;
  missing: string[];
}

/** Runs a scenario with the debugger's recorder and checks the declared locals at every step point. */
function visits(s: Scenario, out: Map<string, Visit[]>, seen: Set<string>): void {
  const profile = s.kernel;
  const locals = new Map<string, DeclaredLocal[]>();
  const lineOf = new Map<string, number | undefined>();
  const k = createKernel(s, { record: 'counts' });
  const rec = new Recorder(k, 0, (info, r) => {
    if (info.kind === 'exception') return false;
    const fn = info.fn;
    seen.add(fn);
    if (info.kind === 'enter') return false;
    let decl = locals.get(fn);
    if (!decl) locals.set(fn, (decl = declaredLocals(profile, fn)));
    if (!decl.length) return false;
    const key = `${fn}:${info.label}`;
    if (!lineOf.has(key)) lineOf.set(key, stepLine(profile, fn, info.label)?.line);
    const line = lineOf.get(key);
    assert.ok(line, `${fn} (${profile}): no listing line for step ${info.label}`);
    const stop = r.snapshot(info.kind, info.step);
    const env = stopEnv(stop, 0);
    const missing: string[] = [];
    for (const l of decl) {
      if (l.assigned === undefined || l.assigned >= line!) continue;
      try {
        const v = evaluate(l.name, env);
        formatValue(v);
      } catch {
        missing.push(l.name);
      }
    }
    const list = out.get(key) ?? [];
    list.push({ fn, step: info.label, missing });
    out.set(key, list);
    return false;
  }, {}, new Map(), new History(), [], [], [], s);
  k.w = rec;
  runKernel(k, s.run);
}

test('every local a listing declares evaluates at the step points after its assignment, in every scenario and profile', () => {
  const missing = new Map<string, Set<string>>();
  const checked = new Set<string>();
  const seen = new Set<string>();
  for (const profile of PROFILES) {
    const out = new Map<string, Visit[]>();
    for (const file of [...SCENARIOS, '<extra>']) {
      const s = file === '<extra>' ? parseScenario(EXTRA, '<extra>') : parseScenario(fs.readFileSync(file, 'utf8'), file);
      s.kernel = profile;
      visits(s, out, seen);
    }
    for (const list of out.values()) {
      for (const v of list) {
        for (const l of declaredLocals(profile, v.fn)) checked.add(`${v.fn}:${l.name}`);
        for (const name of v.missing) {
          const key = `${v.fn}:${name}`;
          const set = missing.get(key) ?? new Set<string>();
          set.add(`${v.step} (${profile})`);
          missing.set(key, set);
        }
      }
    }
  }
  const unexpected = [...missing].filter(([key]) => !CANNOT[key]).map(([key, at]) => `${key} at ${[...at].join(', ')}`);
  assert.deepEqual(unexpected, [], 'declared locals that do not evaluate');
  const stale = Object.keys(CANNOT).filter((key) => !missing.has(key));
  assert.deepEqual(stale, [], 'listed as impossible, but they evaluate now: drop them from CANNOT');
  // Every function with declared locals ran somewhere (or says why not).
  for (const m of MODELED_FUNCTIONS) {
    const any = PROFILES.some((p) => m.profiles.includes(p) && declaredLocals(p, m.name).length);
    if (any) assert.ok(seen.has(m.name), `${m.name} declares locals but no scenario runs it`);
  }
  assert.ok(checked.size > 60, `only ${checked.size} locals checked`);
});

test('the declared locals are read from the listings: ip_finish_output2 and __neigh_event_send', () => {
  const names = (p: KernelProfile, fn: string) => declaredLocals(p, fn).map((l) => l.name);
  assert.deepEqual(names('4.9', 'ip_finish_output2'), ['rt', 'dev', 'hh_len', 'neigh', 'nexthop']);
  assert.deepEqual(names('6.18', '__neigh_event_send'), ['state', 'new_state', 'immediate_probe', 'rc']);
  const nexthop = declaredLocals('6.18', 'ip_finish_output2').find((l) => l.name === 'nexthop')!;
  assert.equal(nexthop.assigned, stepLine('6.18', 'ip_finish_output2', 'nexthop')!.line);
  const dev = declaredLocals('6.18', 'ip_finish_output2').find((l) => l.name === 'dev')!;
  assert.equal(dev.assigned, dev.declared);
});
