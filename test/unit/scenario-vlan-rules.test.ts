// The language of VLAN links, policy routing rules and tables, the output chains and nft dup: what
// a good line becomes, its defaults, and that text, object and the formatted text agree.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatScenario, parseScenario, parseScenarioAll } from '../../src/model/scenario/parse';
import { validateScenario } from '../../src/model/scenario/validate';
import type { Scenario } from '../../src/model/scenario/types';

const TEXT = `link add veth0 mtu 1400 address 02:00:00:00:00:aa
link add veth1 type ethernet offload on
link add veth0.10 link veth0 type vlan id 10
link add veth1.20 link veth1 type vlan id 20 mtu 1000 address 02:00:00:00:00:20 down
addr add 192.0.2.1/24 dev veth0
addr add 198.51.100.1/24 dev veth1
addr add 203.0.113.1/24 dev veth0.10
route add default via 198.51.100.254 table 100
route add default via 192.0.2.254 table main
route add 10.0.0.0/8 dev veth1 table 4294967295
rule add fwmark 7 lookup 100
rule add priority 10 fwmark 0x7/0xff from 192.0.2.0/24 to 10.0.0.0/8 oif veth1 lookup main
rule add fwmark 8/0xffffffff lookup 4294967295
nft add rule ip mangle output udp dport 9100 meta mark set 7
nft add rule ip filter output udp dport 9200 dup to 203.0.113.9 device veth0.10
nft add rule ip filter postrouting udp dport 9300 dup to 198.51.100.9 device "veth1"
nft add rule ip mangle output dup to 198.51.100.9
peer 203.0.113.9 lladdr 02:00:00:00:00:09
at 0ms send udp to 192.0.2.2:9100
`;

/** The scenario without positions, file and nft text (what formatting cannot keep). */
function bare(s: Scenario): unknown {
  return JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === 'pos' || k === 'file' || k === 'text' ? undefined : v)));
}

describe('VLAN links, rules, tables, output chains and dup', () => {
  const s = parseScenario(TEXT, 'v.kpath');

  test('a VLAN takes its parent\'s MTU and MAC unless given, and has no qdisc', () => {
    const [, , v10, v20] = s.links;
    assert.deepEqual(
      { type: v10.type, parent: v10.parent, vlanId: v10.vlanId, mtu: v10.mtu, address: v10.address, qdisc: v10.qdisc, up: v10.up },
      { type: 'vlan', parent: 'veth0', vlanId: 10, mtu: 1400, address: '02:00:00:00:00:aa', qdisc: 'noqueue', up: true },
    );
    assert.deepEqual({ mtu: v20.mtu, address: v20.address, up: v20.up }, { mtu: 1000, address: '02:00:00:00:00:20', up: false });
    assert.equal(s.links[1].offload, true);
  });

  test('routes keep their table; main is no table', () => {
    assert.deepEqual(s.routes.map((r) => r.table), [100, undefined, 4294967295]);
  });

  test('rules: priority only when written, the mask only when not all ones, main is 254', () => {
    assert.deepEqual(s.rules.map((r) => ({ ...r, pos: undefined })), [
      { fwmark: 7, table: 100, pos: undefined },
      { priority: 10, fwmark: 7, fwmask: 0xff, from: { address: '192.0.2.0', prefix: 24 }, to: { address: '10.0.0.0', prefix: 8 }, oif: 'veth1', table: 254, pos: undefined },
      { fwmark: 8, table: 4294967295, pos: undefined },
    ]);
  });

  test('output chains and dup statements', () => {
    assert.deepEqual(s.nft.map((r) => [r.table, r.chain, r.statements]), [
      ['mangle', 'output', [{ kind: 'mark-set', value: 7 }]],
      ['filter', 'output', [{ kind: 'dup', address: '203.0.113.9', dev: 'veth0.10' }]],
      ['filter', 'postrouting', [{ kind: 'dup', address: '198.51.100.9', dev: 'veth1' }]],
      ['mangle', 'output', [{ kind: 'dup', address: '198.51.100.9' }]],
    ]);
  });

  test('a peer finds its VLAN from the subnet', () => {
    assert.equal(s.peers[0].dev, 'veth0.10');
  });

  test('formatting gives the text back, and the object reads the same', () => {
    const text = formatScenario(s);
    assert.match(text, /^link add veth0\.10 link veth0 type vlan id 10$/m);
    assert.match(text, /^link add veth1\.20 link veth1 type vlan id 20 mtu 1000 address 02:00:00:00:00:20 down$/m);
    assert.match(text, /^rule add priority 10 fwmark 0x7\/0xff from 192\.0\.2\.0\/24 to 10\.0\.0\.0\/8 oif veth1 lookup main$/m);
    assert.match(text, /^route add default via 198\.51\.100\.254 dev veth1 table 100$/m);
    assert.deepEqual(bare(parseScenario(text)), bare(s));
    assert.deepEqual(bare(validateScenario(JSON.parse(JSON.stringify(s)))), bare(s));
  });

  test('an inline object may say "main" and leave out the VLAN\'s defaults', () => {
    const o = validateScenario({
      links: [{ name: 'eth0', mtu: 9000 }, { name: 'eth0.5', type: 'vlan', parent: 'eth0', vlanId: 5 }],
      routes: [{ dst: '0.0.0.0', prefix: 0, dev: 'eth0', table: 'main' }],
      rules: [{ fwmark: '0x10', fwmask: '0xf0', table: 'main' }],
      sends: [{ at: 0, proto: 'udp', to: '192.0.2.2', port: 9 }],
    });
    assert.deepEqual([o.links[1].mtu, o.links[1].address, o.links[1].qdisc], [9000, '02:00:00:00:00:01', 'noqueue']);
    assert.equal(o.routes[0].table, undefined);
    assert.deepEqual({ ...o.rules[0], pos: undefined }, { fwmark: 16, fwmask: 0xf0, table: 254, pos: undefined });
  });

  test('every error of a bad file, each at its word', () => {
    const bad = [
      'link add eth0',
      'link add eth0.10 link eth0 type vlan id 10 offload on',
      'rule add fwmark 7 lookup local',
      'nft add rule ip nat output dup to 192.0.2.9',
    ].join('\n');
    assert.deepEqual(parseScenarioAll(bad, 'b.kpath').errors.map((e) => e.message), [
      "b.kpath:2:44: a VLAN link has no offload of its own (it sends through its parent's; offload is the parent's)",
      'b.kpath:3:26: expected a number 1..4294967295 for lookup, found "local"',
      'b.kpath:4:21: the output chain is modeled in the filter and mangle tables, not in nat',
    ]);
  });
});
