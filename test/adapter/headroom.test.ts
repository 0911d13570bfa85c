// ip_finish_output2's headroom branch through a real DAP client: a function breakpoint on
// skb_expand_head stops there when nft dup sends a copy out of a VLAN device, and the Variables
// view shows the sk_buff's headroom before (16) and after (80, in the new skb the caller goes on with).

import { it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapSession, findVar } from '../helpers/dap';
import { REPO_ROOT } from '../helpers/cli';

const SCENARIO = path.join(REPO_ROOT, 'test', 'scenarios', 'p-vlan-headroom.kpath');

let s: DapSession;
beforeEach(async () => {
  s = await new DapSession().start();
});
afterEach(async () => {
  await s.stop();
});

const value = (vars: DebugProtocol.Variable[], name: string): string => findVar(vars, name).value;

it('stops in skb_expand_head on the dup copy; the sk_buff shows headroom 16, then 80 in ip_finish_output2', async () => {
  let st = await s.launch({ scenario: SCENARIO }, async () => {
    await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'skb_expand_head' }, { name: 'neigh_output' }] });
  });
  // The original datagram goes out of veth1 after the copy: the first stops are the copy's.
  assert.ok(st);
  let frames = await s.stack(st);
  assert.deepEqual(frames.slice(0, 2).map((f) => f.name), ['skb_expand_head', 'ip_finish_output2']);
  const before = await s.scope(frames[0].id, 'sk_buff');
  assert.equal(value(before, 'headroom'), '16');
  const locals = await s.scope(frames[0].id, 'Locals');
  assert.equal(value(locals, 'delta'), '64', 'SKB_DATA_ALIGN(32 - 16)');
  const caller = await s.scope(frames[1].id, 'Locals');
  assert.equal(value(caller, 'hh_len'), '32', 'LL_RESERVED_SPACE of the VLAN device');
  const dev = await s.scope(frames[1].id, 'Device');
  assert.equal(value(dev, 'name'), '"veth0.10"');
  assert.equal(value(dev, 'hard_header_len'), '18');
  assert.equal(value(dev, 'header_ops'), '"vlan_header_ops"');
  assert.equal(value(dev, 'vlan'), 'veth0 id 10');

  st = await s.exec('continue');
  assert.ok(st);
  frames = await s.stack(st);
  assert.deepEqual(frames.slice(0, 2).map((f) => f.name), ['neigh_output', 'ip_finish_output2']);
  const after = await s.scope(frames[1].id, 'sk_buff');
  assert.equal(value(after, 'headroom'), '80', 'the clone ip_finish_output2 goes on with');
  assert.equal(value(await s.scope(frames[0].id, 'sk_buff'), 'headroom'), '80');
});
