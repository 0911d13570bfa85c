// The limits of docs/limits.md where the model and the debugger enforce them: one-line LimitErrors
// (never a stack, never "internal error"), and scenario objects refused with their JSON path.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../src/model/scenario/parse';
import { validateScenarioAll } from '../../src/model/scenario/validate';
import { runScenario } from '../../src/model/run';
import { LimitError, LIMITS } from '../../src/model/scenario/limits';
import { Runtime } from '../../src/debugger/runtime';

const TEXT = [
  'link add eth0',
  'addr add 192.0.2.1/24 dev eth0',
  'neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent',
  'at 0ms send udp to 192.0.2.2:9000 size 10 count 1000 every 1ms',
].join('\n');

test('the event cap stops a run with a one-line LimitError that says where the clock was', () => {
  const s = parseScenario(TEXT);
  assert.throws(() => runScenario(s, { maxEvents: 100 }), (e: unknown) => {
    assert.ok(e instanceof LimitError);
    assert.doesNotMatch(e.message, /\n/);
    assert.match(e.message, /^the run handled 100 events by 99\.000 ms of virtual time and has not ended/);
    return true;
  });
});

test('the debugger meets the same cap on continue, and stays where it was', () => {
  const rt = new Runtime(parseScenario(TEXT), { maxEvents: 50 });
  const first = rt.start(true);
  assert.ok(first.stop);
  assert.throws(() => rt.continue(), LimitError);
  assert.equal(rt.current, first.stop, 'the stop is unchanged');
});

test('a scenario object past a limit is refused with the JSON path of the first item past it', () => {
  const peers = Array.from({ length: LIMITS.peers + 1 }, (_, i) => ({ address: `10.${i >> 8}.${i & 0xff}.2`, lladdr: `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}` }));
  const r = validateScenarioAll({ links: [{ name: 'eth0' }], addrs: [{ address: '10.255.255.1', prefix: 8, dev: 'eth0' }], peers });
  assert.equal(r.scenario, undefined);
  assert.deepEqual(r.errors.map((e) => e.problem), [`peers[${LIMITS.peers}]: more than 1,024 peers (the most a scenario may have)`]);
});
