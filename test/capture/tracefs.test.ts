// tracefs.ts without a kernel: which trace instances are a capture's and stale, and their removal.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { staleInstances, closeTrace, TRACEPOINTS } from '../../src/capture/tracefs';

describe('trace instances', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-tracefs-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const inst = path.join(root, 'instances');
  for (const n of ['kpath-100-0', 'kpath-200-3', 'kpath-100-0-h', 'other', 'kpath-x-1', 'kpath-300-1']) fs.mkdirSync(path.join(inst, n), { recursive: true });

  it("only a capture's instances (kpath-<pid>-<seq>) that the owner check calls stale", () => {
    const asked: string[] = [];
    const got = staleInstances(root, (name) => (asked.push(name), name !== 'kpath-200-3'));
    assert.deepEqual(asked.sort(), ['kpath-100-0', 'kpath-200-3', 'kpath-300-1']);
    assert.deepEqual(got.map((d) => path.basename(d)).sort(), ['kpath-100-0', 'kpath-300-1']);
  });

  it('no instances folder: nothing', () => {
    assert.deepEqual(staleInstances(path.join(root, 'none'), () => true), []);
  });

  it('closeTrace removes the instance and never throws, even when it is gone already', () => {
    const dir = path.join(inst, 'kpath-300-1');
    closeTrace({ dir, enabled: [], missing: [] });
    assert.equal(fs.existsSync(dir), false);
    closeTrace({ dir, enabled: [], missing: [] });
  });

  it('records the tracepoints the issue names, qdisc ones included', () => {
    for (const tp of ['neigh/neigh_create', 'neigh/neigh_update', 'neigh/neigh_timer_handler', 'skb/kfree_skb', 'net/net_dev_queue', 'net/net_dev_xmit', 'qdisc/qdisc_enqueue']) {
      assert.ok((TRACEPOINTS as readonly string[]).includes(tp), tp);
    }
  });
});
