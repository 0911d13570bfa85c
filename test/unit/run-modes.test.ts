// Counts mode (for very long runs) keeps totals instead of records and recycles packet buffers.
// It must not change what the model does: the same frames, byte for byte, the same counters,
// neighbours and sockets, and totals that agree with the records a full run keeps.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/model/scenario/parse';
import type { Scenario } from '../../src/model/scenario/types';
import { runScenario, totalCalls } from '../../src/model/run';
import { PcapWriter } from '../../src/model/wire/pcap';
import { RICH, BASE } from '../helpers/scenarios';

const SCENARIOS = path.join(__dirname, '..', '..', '..', 'test', 'scenarios');

function pcapOf(s: Scenario, record: 'all' | 'counts'): { bytes: Buffer; result: ReturnType<typeof runScenario> } {
  const chunks: Uint8Array[] = [];
  const w = new PcapWriter((c) => chunks.push(c), 4096);
  const result = runScenario(s, { record, frameSinks: [(t, _d, _dir, f) => w.write(t, f)] });
  w.flush();
  return { bytes: Buffer.concat(chunks), result };
}

const cases: [string, Scenario][] = [
  ...fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.kpath')).sort().map((f) => [f, parseScenario(fs.readFileSync(path.join(SCENARIOS, f), 'utf8'), f)] as [string, Scenario]),
  ['rich', parseScenario(RICH, 'rich')],
  ['mixed sizes', parseScenario([BASE, 'at 0ms send udp to 192.0.2.2:9000 size 3000 count 50 socket a', 'at 1ms send udp to 192.0.2.2:9000 size 100 count 50 every 10us socket a', 'at 2ms send udp to 192.0.2.2:9000 size 1473 count 20 every 0ms', ''].join('\n'), 'mixed')],
];

for (const [name, s] of cases) {
  test(`${name}: counts mode gives the same frames and state as a full run`, () => {
    const all = pcapOf(s, 'all');
    const counts = pcapOf(s, 'counts');
    assert.ok(all.bytes.equals(counts.bytes), 'the pcaps are byte for byte the same');
    assert.deepEqual(counts.result.counters, all.result.counters);
    assert.deepEqual(counts.result.neighbours, all.result.neighbours);
    assert.deepEqual(counts.result.sockets, all.result.sockets);
    assert.deepEqual(counts.result.drops, all.result.drops.slice(0, 1000));
    assert.deepEqual(counts.result.icmp, all.result.icmp.slice(0, 1000));
    const t = counts.result.totals!;
    assert.equal(t.calls, all.result.sends.length);
    assert.equal(t.calls, totalCalls(s));
    assert.equal(t.frames, all.result.frames.length);
    assert.equal(t.drops, all.result.drops.length);
    assert.equal(counts.result.sends.length, 0);
    assert.equal(counts.result.frames.length, 0);
    // Per line, the results the records show.
    for (const l of t.lines) {
      const mine = all.result.sends.filter((x) => x.line === l.line);
      const byResult: Record<string, number> = {};
      for (const x of mine) byResult[x.result] = (byResult[x.result] ?? 0) + 1;
      assert.equal(l.calls, mine.length, `line ${l.line}`);
      assert.deepEqual(l.results, byResult, `line ${l.line}`);
    }
    assert.equal(all.result.totals, undefined, 'a full run has no totals');
  });
}

test('a frame sink that keeps a view of a recycled buffer sees it reused, so sinks copy (as the pcap writer does)', () => {
  const s = parseScenario([BASE, 'neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent', 'at 0ms send udp to 192.0.2.2:9000 size 100 count 3 socket s1', ''].join('\n'), 'views');
  const views: Uint8Array[] = [];
  const copies: Uint8Array[] = [];
  runScenario(s, { record: 'counts', frameSinks: [(_t, _d, _dir, f) => { views.push(f); copies.push(f.slice()); }] });
  assert.equal(copies.length, 3);
  // The IP IDs differ from frame to frame, so each copy is distinct; the first view now shows the
  // last frame, written into the same buffer.
  assert.notDeepEqual(copies[0], copies[2]);
  assert.deepEqual(views[0], copies[2]);
});
