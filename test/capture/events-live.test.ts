// A live capture with the kernel's events (as root, with network namespaces and tracefs): the
// capture records the host namespace's tracepoints, the model's events agree with them, and the
// capture's trace instance and namespaces are gone afterwards. Skipped, saying why, elsewhere.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseScenario } from '../../src/model/scenario/parse';
import { runScenario } from '../../src/model/run';
import { captureEnd, captureScenario, preflight, preflightMessage } from '../../src/capture/live';
import { tracefsRoot } from '../../src/capture/tracefs';
import { compare } from '../../src/capture/compare';
import { sideFromCapture, sideFromRun } from '../../src/capture/sides';
import { readCapture } from '../../src/capture/capture-doc';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FILE = 'test/scenarios/s13-a-udp-arp.kpath';
const scenario = parseScenario(fs.readFileSync(path.join(ROOT, FILE), 'utf8'), FILE);

function skipWhy(): string | false {
  if (process.env.KPATH_LIVE === '0') return 'KPATH_LIVE=0';
  const pre = preflight(scenario);
  if (pre.problems.length || pre.missing.length) return `live capture not possible here: ${preflightMessage(pre).replace(/\n/g, '; ')}`;
  try {
    tracefsRoot();
  } catch (e) {
    return `tracefs is not available: ${(e as Error).message}`;
  }
  const probe = `kpath-${process.pid}-probe`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.status !== 0) return `cannot create a network namespace (${(r.stderr || '').trim()})`;
  spawnSync('ip', ['netns', 'del', probe]);
  return false;
}

describe('a live capture with the kernel events', { skip: skipWhy() }, () => {
  it('records the host namespace\'s tracepoints, which the model\'s events match', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kpath-events-${process.pid}-`));
    try {
      await captureScenario(scenario, dir, { end: captureEnd(scenario), scenarioPath: FILE, keepTrace: true });
      const stored = readCapture(dir);
      const ev = stored.doc.events;
      assert.ok(ev, `no events recorded: ${stored.doc.notes.join('; ')}`);
      assert.equal(stored.doc.eventInfo!.lost, 0);
      assert.deepEqual(stored.doc.eventInfo!.missing, []);
      assert.ok(fs.statSync(path.join(dir, 'trace.txt')).size > 0);
      // Devices by the scenario's names; the peer's resolution of the host is set aside.
      assert.ok(ev.every((e) => e.dev === undefined || e.dev === 'veth0' || e.dev === 'lo'));
      const upd = ev.find((e) => e.event === 'neigh_update' && e.dev === 'veth0');
      assert.ok(upd, 'a neigh_update for the peer');
      assert.equal(upd.state, 'INCOMPLETE');
      assert.equal(upd.new, 'REACHABLE');
      const tx = stored.doc.frames.filter((f) => f.dev === 'veth0' && f.dir === 'tx').map((f) => f.len);
      assert.deepEqual(ev.filter((e) => e.event === 'net_dev_xmit' && e.dev === 'veth0').map((e) => e.len), tx);

      const c = compare(sideFromRun(runScenario(scenario, { events: true })), sideFromCapture(stored));
      assert.equal(c.eventsCompared, true);
      assert.deepEqual(c.differences.filter((d) => d.kind === 'event').map((d) => `${d.where}: ${d.field}: model ${d.model}; kernel ${d.kernel}`), []);

      // Nothing left behind: the trace instance and the namespaces of this process.
      const mine = (n: string): boolean => n.startsWith(`kpath-${process.pid}-`);
      assert.deepEqual(fs.readdirSync(path.join(tracefsRoot(), 'instances')).filter(mine), []);
      const ns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(' ')[0]);
      assert.deepEqual(ns.filter(mine), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
