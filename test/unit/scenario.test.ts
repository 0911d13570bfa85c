// The .kpath language: parser, errors, inline validation, formatting, and the files that ship
// with it (the default scenario, the reference, the grammar).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  formatDuration,
  formatScenario,
  LINK_OPTIONS,
  NEIGH_OPTIONS,
  parseDuration,
  parseScenario,
  parseScenarioAll,
  PEER_OPTIONS,
  ROUTE_OPTIONS,
  ScenarioError,
  SEND_OPTIONS,
  STATEMENTS,
} from '../../src/model/scenario/parse';
import { validateScenario, validateScenarioAll } from '../../src/model/scenario/validate';
import { lex } from '../../src/model/scenario/lexer';
import type { Scenario } from '../../src/model/scenario/types';

const ROOT = path.resolve(__dirname, '../../..');

const DESIGN_EXAMPLE = `kernel 6.18                                   # model profile: 6.18 (default) or 4.9 (the classic path)
link add eth0 mtu 1500 address 02:00:00:00:00:01
addr add 192.0.2.1/24 dev eth0
route add 198.51.100.0/24 via 192.0.2.254 dev eth0
route add default via 192.0.2.254             # optional: route ... mtu N, src A
neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev eth0 nud permanent
sysctl net.ipv4.neigh.eth0.retrans_time_ms=1000
nft add rule ip filter postrouting udp dport 9999 drop
nft add rule ip nat postrouting oif eth0 snat to 192.0.2.77
peer 192.0.2.2 lladdr 02:00:00:00:00:02       # a host on eth0's link that answers ARP
peer 192.0.2.254 lladdr 02:00:00:00:00:fe     # options: silent (never answers), up-at 300ms,
                                              #          reply-delay 1ms
                                              # several peer lines may share a MAC: one host, several addresses
at 0ms   send udp to 192.0.2.2:9000 size 100
at 10ms  send udp to 192.0.2.2:9000 size 3000 df dont count 5 every 1ms
at 20ms  send icmp echo to 192.0.2.2 size 56
at 30ms  send udp to 239.1.2.3:9000 size 64 multicast-if 192.0.2.1
run 5s                                        # end of the virtual clock (default: when all is quiet)
`;

/** Every statement with every option it has. */
const ALL_OPTIONS = `kernel 4.9
link add eth0 type ethernet mtu 9000 address 02:AA:bb:cc:dd:0E qdisc noqueue txqueuelen 500 offload on down
link add veth-1.x
addr add 192.0.2.1/24 dev eth0
addr add 10.1.0.1/16 dev veth-1.x
addr add 203.0.113.7 dev lo
route add 198.51.100.0/24 via 192.0.2.254 dev eth0 mtu 1400 src 192.0.2.1
route add default via 10.1.0.254
route add 203.0.113.9 dev eth0
neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev eth0 nud stale
neigh add 192.0.2.10 dev eth0 lladdr 02:00:00:00:00:0a
sysctl net.ipv4.neigh.eth0.mcast_solicit=5
sysctl net.ipv4.neigh.default.retrans_time_ms = 200
sysctl -w net.ipv4.ip_default_ttl=32
nft add rule ip filter postrouting udp dport 9999 tcp sport 80 ip daddr 198.51.100.0/24 ip saddr 192.0.2.1 counter drop
nft add rule ip nat postrouting oifname "eth0" meta l4proto udp snat ip to 192.0.2.77
nft add rule ip nat postrouting oif veth-1.x ip protocol icmp masquerade
nft add rule ip mangle postrouting mark 7 meta mark set 0x10 ip ttl set 9 ip dscp set af41 accept
nft add rule ip filter postrouting meta mark 0xff ip dscp set 46
peer 192.0.2.2 lladdr 02:00:00:00:00:02 silent up-at 300ms reply-delay 1.5ms
peer 192.0.2.3 lladdr 02:00:00:00:00:02 dev eth0
peer 172.16.0.1 lladdr 02:00:00:00:00:03 dev veth-1.x
join 239.1.2.3 dev eth0
at 0ms send udp to 192.0.2.2:9000 from 192.0.2.1:40000 size 3000 df dont ttl 5 tos 0xb8 mark 0xff count 3 every 250us socket s1 connected broadcast bind-dev eth0 multicast-if 192.0.2.1 multicast-ttl 4 multicast-loop off recverr ip-options ra,rr
at 0ms send icmp echo to 192.0.2.2 from 127.0.0.1 size 0 df probe
at 1s send tcp syn to 198.51.100.5:80 size 0 df interface socket t1
at 1.000001s send udp to 255.255.255.255:67 from 0.0.0.0:68 df omit broadcast bind-dev lo multicast-loop on ip-options rr
at 2s send udp to 192.0.2.2:9000 socket s1 df do
run 10s
`;

/** The scenario without the positions of its items and the nft rule text, for comparing two readings. */
function strip(s: Scenario): unknown {
  return JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === 'pos' || k === 'text' || k === 'file' ? undefined : v)));
}

/** Parses, expecting exactly this first error. */
function expectError(text: string, where: string, problem: string, file = 's.kpath'): ScenarioError {
  let err: unknown;
  try {
    parseScenario(text, file);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ScenarioError, `expected a ScenarioError for:\n${text}`);
  const [line, col] = where.split(':').map(Number);
  assert.equal(err.problem, problem);
  assert.equal(err.message, `${file}:${line}:${col}: ${problem}`);
  assert.equal(err.file, file);
  assert.equal(err.line, line);
  assert.equal(err.col, col);
  return err;
}

const BASE = 'link add eth0\naddr add 192.0.2.1/24 dev eth0\n';

describe('the example of the design', () => {
  const s = parseScenario(DESIGN_EXAMPLE, 'scenario.kpath');

  test('top level', () => {
    assert.equal(s.file, 'scenario.kpath');
    assert.equal(s.kernel, '6.18');
    assert.equal(s.run, 5_000_000_000);
    assert.deepEqual(
      [s.links.length, s.addrs.length, s.routes.length, s.neighs.length, s.sysctls.length, s.nft.length, s.peers.length, s.joins.length, s.sends.length],
      [1, 1, 2, 1, 1, 2, 2, 0, 4],
    );
  });

  test('link, address, routes, neighbour, sysctl', () => {
    assert.deepEqual(s.links[0], {
      name: 'eth0', type: 'veth', mtu: 1500, address: '02:00:00:00:00:01', qdisc: 'noqueue', txqueuelen: 1000,
      offload: false, up: true, pos: { line: 2, col: 1 },
    });
    assert.deepEqual(s.addrs[0], { address: '192.0.2.1', prefix: 24, dev: 'eth0', pos: { line: 3, col: 1 } });
    assert.deepEqual(s.routes[0], { dst: '198.51.100.0', prefix: 24, via: '192.0.2.254', dev: 'eth0', pos: { line: 4, col: 1 } });
    // dev filled in from the gateway's subnet
    assert.deepEqual(s.routes[1], { dst: '0.0.0.0', prefix: 0, via: '192.0.2.254', dev: 'eth0', pos: { line: 5, col: 1 } });
    assert.deepEqual(s.neighs[0], { address: '192.0.2.9', lladdr: '02:00:00:00:00:09', dev: 'eth0', nud: 'permanent', pos: { line: 6, col: 1 } });
    assert.deepEqual(s.sysctls[0], { key: 'net.ipv4.neigh.eth0.retrans_time_ms', value: 1000, pos: { line: 7, col: 1 } });
  });

  test('nft rules', () => {
    assert.deepEqual(s.nft[0], {
      table: 'filter', chain: 'postrouting',
      matches: [{ kind: 'l4port', proto: 'udp', field: 'dport', value: 9999 }],
      statements: [{ kind: 'drop' }],
      text: 'filter postrouting udp dport 9999 drop',
      pos: { line: 8, col: 1 },
    });
    assert.deepEqual(s.nft[1].matches, [{ kind: 'oif', name: 'eth0' }]);
    assert.deepEqual(s.nft[1].statements, [{ kind: 'snat', address: '192.0.2.77' }]);
    assert.equal(s.nft[1].text, 'nat postrouting oif eth0 snat to 192.0.2.77');
  });

  test('peers get their link from the subnet', () => {
    assert.deepEqual(s.peers[0], {
      address: '192.0.2.2', lladdr: '02:00:00:00:00:02', dev: 'eth0', silent: false, upAt: 0, replyDelay: 0, pos: { line: 10, col: 1 },
    });
    assert.equal(s.peers[1].lladdr, '02:00:00:00:00:fe');
    assert.equal(s.peers[1].pos.line, 11);
  });

  test('sends', () => {
    assert.deepEqual(s.sends[0], {
      at: 0, proto: 'udp', to: '192.0.2.2', port: 9000, size: 100, df: 'want', count: 1, every: 0,
      connected: false, broadcast: false, recverr: false, pos: { line: 14, col: 1 },
    });
    assert.deepEqual(s.sends[1], {
      at: 10_000_000, proto: 'udp', to: '192.0.2.2', port: 9000, size: 3000, df: 'dont', count: 5, every: 1_000_000,
      connected: false, broadcast: false, recverr: false, pos: { line: 15, col: 1 },
    });
    assert.equal(s.sends[2].proto, 'icmp');
    assert.equal(s.sends[2].port, 0);
    assert.equal(s.sends[2].size, 56);
    assert.equal(s.sends[2].at, 20_000_000);
    assert.equal(s.sends[3].to, '239.1.2.3');
    assert.equal(s.sends[3].multicastIf, '192.0.2.1');
    assert.equal(s.sends[3].size, 64);
    assert.ok(!('from' in s.sends[3]) && !('ttl' in s.sends[3]), 'options not given stay absent');
  });

  test('the JSON of the reference is what the parser produces', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/scenario.md'), 'utf8');
    const example = /### A complete example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc);
    assert.ok(example, 'docs/scenario.md has a complete example');
    const top = /^```\n(kernel 6\.18[\s\S]*?)```/m.exec(doc);
    assert.ok(top, 'docs/scenario.md opens with the example scenario');
    assert.deepEqual(strip(JSON.parse(example[1]) as Scenario), strip(s));
    assert.deepEqual(strip(parseScenario(top[1])), strip(s));
  });
});

describe('errors name the line, the column and what was expected', () => {
  const cases: [string, string, string, string][] = [
    ['bad address', BASE + 'addr add 192.0.2.300/24 dev eth0', '3:10', 'expected an IPv4 address, found "192.0.2.300"'],
    ['bad prefix', BASE + 'addr add 192.0.2.5/33 dev eth0', '3:20', 'expected a prefix length 0..32, found 33'],
    ['prefix not a number', BASE + 'addr add 192.0.2.5/x dev eth0', '3:20', 'expected a prefix length 0..32, found "x"'],
    [
      'unknown statement',
      BASE + '\n# a comment\n  sned udp to 192.0.2.2:9000',
      '5:3',
      'unknown word "sned"; expected one of: kernel, link, addr, route, rule, neigh, sysctl, nft, peer, join, at, run',
    ],
    ['send without at', BASE + 'send udp to 192.0.2.2:9000', '3:1', 'expected at DURATION before send, like: at 0ms send udp to 192.0.2.2:9000'],
    ['bad MAC', 'link add eth0 address 02:00:00:00:00:zz', '1:23', 'expected a MAC address like 02:00:00:00:00:01, found "02:00:00:00:00:zz"'],
    ['multicast MAC on a link', 'link add eth0 address 01:00:5e:00:00:01', '1:23', 'a link needs a unicast MAC address (first byte even), found 01:00:5e:00:00:01'],
    ['duplicate link', 'link add eth1\nlink add eth0\nlink add eth0 mtu 9000', '3:10', 'a link named eth0 already exists (line 2)'],
    ['missing link', BASE + 'addr add 198.51.100.1/24 dev eth1', '3:30', 'no link named eth1 (links: lo, eth0)'],
    ['lo', 'link add lo', '1:10', 'lo always exists; it cannot be added'],
    ['long name', 'link add averyveryverylongname', '1:10', 'a link name is 1..15 characters, found "averyveryverylongname" (21)'],
    ['bad name', 'link add eth/0', '1:10', 'expected a link name (letters, digits, _ . -), found "eth/0"'],
    ['mtu range', 'link add eth0 mtu 20', '1:19', 'mtu must be 68..65535, found 20'],
    ['mtu not a number', 'link add eth0 mtu big', '1:19', 'expected a number 68..65535 for mtu, found "big"'],
    ['txqueuelen range', 'link add eth0 txqueuelen 1000001', '1:26', 'txqueuelen must be 0..1000000, found 1000001'],
    ['link type', 'link add eth0 type wifi', '1:20', 'expected a link type (veth, ethernet or vlan), found "wifi"'],
    ['link option twice', 'link add eth0 mtu 1500 down mtu 1400', '1:29', 'the option mtu is given twice'],
    [
      'link option unknown',
      'link add eth0 speed 10',
      '1:15',
      'unknown word "speed"; expected one of: type, link, id, mtu, address, qdisc, txqueuelen, offload, down',
    ],
    ['link without add', 'link set eth0 up', '1:6', 'expected add (link add NAME ...), found "set"'],
    ['addr without dev', BASE + 'addr add 192.0.2.7/24', '3:22', 'expected dev NAME, found the end of the line'],
    ['duplicate address', BASE + 'addr add 192.0.2.1/32 dev lo', '3:10', '192.0.2.1 is already an address of this host (line 2)'],
    ['loopback address', 'addr add 127.0.0.1/8 dev lo', '1:10', '127.0.0.1 is already an address of this host (lo always has 127.0.0.1/8)'],
    ['multicast host address', 'link add eth0\naddr add 224.0.0.1/24 dev eth0', '2:10', 'expected a unicast address for the host, found 224.0.0.1'],
    ['host bits', BASE + 'route add 198.51.100.1/24 via 192.0.2.254', '3:11', '198.51.100.1/24 has host bits set; did you mean 198.51.100.0/24?'],
    ['gateway off-subnet', BASE + 'route add default via 192.0.3.254', '3:23', 'gateway 192.0.3.254 is not on a connected subnet'],
    ['gateway on another link', BASE + 'link add eth1\nroute add default via 192.0.2.254 dev eth1', '4:23', 'gateway 192.0.2.254 is not on a connected subnet of eth1'],
    ['gateway is ours', BASE + 'route add default via 192.0.2.1', '3:23', "gateway 192.0.2.1 is this host's own address"],
    ['route without via or dev', BASE + 'route add default mtu 1400', '3:27', 'a route needs via A or dev NAME, found the end of the line'],
    ['route src not owned', BASE + 'route add default dev eth0 src 192.0.2.9', '3:32', 'the host does not own 192.0.2.9 (addresses: 192.0.2.1)'],
    ['route mtu', BASE + 'route add default dev eth0 mtu 65536', '3:32', 'mtu must be 68..65535, found 65536'],
    ['duplicate route', BASE + 'route add default dev eth0\nroute add 0.0.0.0/0 via 192.0.2.254', '4:11', 'a route to default already exists (line 3)'],
    ['neigh without lladdr', BASE + 'neigh add 192.0.2.9 dev eth0', '3:29', 'expected lladdr MAC, found the end of the line'],
    ['neigh nud', BASE + 'neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev eth0 nud gone', '3:59', 'expected a nud state (permanent, reachable, stale or noarp), found "gone"'],
    ['sysctl device', BASE + 'sysctl net.ipv4.neigh.eth3.mcast_solicit=3', '3:8', 'no link named eth3 (links: lo, eth0; or default for every link)'],
    ['sysctl value', 'sysctl net.ipv4.ip_default_ttl = 0', '1:34', 'net.ipv4.ip_default_ttl must be 1..255, found 0'],
    ['sysctl without =', 'sysctl net.ipv4.ip_default_ttl 3', '1:32', 'expected = after net.ipv4.ip_default_ttl, found "3"'],
    ['nft chain', 'nft add rule ip filter prerouting drop', '1:24', 'expected a chain (postrouting or output), found "prerouting"'],
    ['nat output', 'nft add rule ip nat output masquerade', '1:21', 'the output chain is modeled in the filter and mangle tables, not in nat'],
    ['dup in nat', 'nft add rule ip nat postrouting dup to 192.0.2.9', '1:33', 'dup to needs the filter or mangle table'],
    ['dup without to', 'nft add rule ip filter output dup 192.0.2.9', '1:35', 'expected to (dup to A [device NAME]), found "192.0.2.9"'],
    ['dup to a bad address', 'nft add rule ip filter output dup to 192.0.2', '1:38', 'expected an IPv4 address, found "192.0.2"'],
    ['dup device unknown', BASE + 'nft add rule ip filter output dup to 192.0.2.9 device eth3', '3:55', 'no link named eth3 (links: lo, eth0)'],
    ['dup device lo', BASE + 'nft add rule ip filter output dup to 192.0.2.9 device lo', '3:55', 'dup sends its copy out of a link with a wire; lo has none'],
    ['dup to ourselves', BASE + 'nft add rule ip filter output dup to 192.0.2.1', '3:31', "dup to 192.0.2.1: the copy would go to this host itself, which is not modeled; expected another host's address"],
    ['vlan without id', 'link add eth0\nlink add eth0.10 link eth0 type vlan', '2:37', 'expected id N, found the end of the line'],
    ['vlan without parent', 'link add eth0.10 type vlan id 10', '1:33', 'expected link PARENT, found the end of the line'],
    ['vlan id 0', 'link add eth0\nlink add eth0.10 link eth0 type vlan id 0', '2:41', 'id must be 1..4094, found 0'],
    ['vlan id 4095', 'link add eth0\nlink add eth0.10 link eth0 type vlan id 4095', '2:41', 'id must be 1..4094, found 4095'],
    ['id without vlan', 'link add eth0\nlink add eth1 id 5', '2:15', 'id is for a VLAN link (type vlan)'],
    ['vlan qdisc', 'link add eth0\nlink add eth0.10 link eth0 type vlan id 10 qdisc pfifo_fast', '2:44', "a VLAN link has no qdisc of its own (it sends through its parent's; offload is the parent's)"],
    ['vlan parent later', 'link add eth0.10 link eth0 type vlan id 10\nlink add eth0', '1:23', 'the parent eth0 must be added before the VLAN (line 2)'],
    ['vlan parent missing', 'link add eth1\nlink add eth0.10 link eth0 type vlan id 10', '2:23', 'no link named eth0 to be the parent (links: eth1)'],
    ['vlan on a vlan', 'link add eth0\nlink add eth0.10 link eth0 type vlan id 10\nlink add e.10.2 link eth0.10 type vlan id 2', '3:22', 'the parent of a VLAN is a veth or ethernet link; eth0.10 is a VLAN'],
    ['vlan id twice', 'link add eth0\nlink add eth0.10 link eth0 type vlan id 10\nlink add v10 link eth0 type vlan id 10', '3:37', 'eth0 already has VLAN 10 (line 2)'],
    ['vlan mtu', 'link add eth0 mtu 1400\nlink add eth0.10 link eth0 type vlan id 10 mtu 1500', '2:48', "a VLAN's mtu is at most its parent's (1400 on eth0), found 1500"],
    ['vlan name', 'link add eth0\nlink add eth0.12345678901 link eth0 type vlan id 10', '2:10', 'a link name is 1..15 characters, found "eth0.12345678901" (16)'],
    ['rule without lookup', 'rule add fwmark 7', '1:18', 'expected lookup N, found the end of the line'],
    ['rule local table', 'rule add fwmark 7 lookup 255', '1:26', 'table 255 is the local table, which only the kernel fills; expected another table (1..4294967295, main)'],
    ['rule table 0', 'rule add lookup 0', '1:17', 'lookup must be 1..4294967295, found 0'],
    ['rule fwmark', 'rule add fwmark x7 lookup 100', '1:17', 'expected a mark like 7 or 0x7/0xff, found "x7"'],
    ['rule fwmark mask', 'rule add fwmark 7/0xz lookup 100', '1:19', 'expected a mask like 0xff, found "0xz"'],
    ['rule fwmark range', 'rule add fwmark 0x100000000 lookup 100', '1:17', 'fwmark must be 0..4294967295, found 0x100000000'],
    ['rule priority', 'rule add priority -1 lookup 100', '1:19', 'priority must be 0..4294967295, found -1'],
    ['rule oif', BASE + 'rule add oif eth9 lookup 100', '3:14', 'no link named eth9 (links: lo, eth0)'],
    ['rule from host bits', 'rule add from 10.0.0.1/8 lookup 100', '1:15', '10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?'],
    ['rule option twice', 'rule add lookup 100 lookup 101', '1:21', 'the option lookup is given twice'],
    ['route table 255', BASE + 'route add default dev eth0 table 255', '3:34', 'table 255 is the local table, which only the kernel fills; expected another table (1..4294967295, main)'],
    ['duplicate route in a table', BASE + 'route add default dev eth0 table 7\nroute add default dev eth0 table 7', '4:11', 'a route to default already exists in table 7 (line 3)'],
    ['nft family', 'nft add rule inet filter postrouting drop', '1:14', 'expected the family ip (only IPv4 is modeled), found "inet"'],
    ['nft table', 'nft add rule ip raw postrouting drop', '1:17', 'expected a table (filter, nat or mangle), found "raw"'],
    ['snat outside nat', BASE + 'nft add rule ip filter postrouting snat to 192.0.2.1', '3:36', 'snat needs the nat table'],
    ['masquerade outside nat', 'nft add rule ip mangle postrouting masquerade', '1:36', 'masquerade needs the nat table'],
    ['mark set in nat', 'nft add rule ip nat postrouting meta mark set 1', '1:33', 'meta mark set needs the filter or mangle table'],
    ['ttl set in nat', 'nft add rule ip nat postrouting ip ttl set 1', '1:33', 'ip ttl set needs the filter or mangle table'],
    ['verdict not last', 'nft add rule ip filter postrouting drop counter', '1:41', 'a verdict must be last; found "counter" after drop'],
    ['match after statement', 'nft add rule ip filter postrouting counter udp dport 5 drop', '1:44', 'a match must come before the statements; found "udp" after "counter"'],
    [
      'rule without statement',
      'nft add rule ip filter postrouting udp dport 5',
      '1:47',
      'a rule needs at least one statement (accept, drop, counter, snat to A, masquerade, meta mark set N, ip ttl set N, ip dscp set V, dup to A), found the end of the line',
    ],
    ['nft port', 'nft add rule ip filter postrouting tcp dport 65536 drop', '1:46', 'tcp dport must be 0..65535, found 65536'],
    ['nft ttl', 'nft add rule ip filter postrouting ip ttl set 256', '1:47', 'ip ttl set must be 0..255, found 256'],
    ['nft dscp name', 'nft add rule ip filter postrouting ip dscp set af44', '1:48', 'expected a DSCP name (cs0..cs7, af11..af43, ef) or 0..63, found "af44"'],
    ['nft dscp inherited name', 'nft add rule ip filter postrouting ip dscp set constructor', '1:48', 'expected a DSCP name (cs0..cs7, af11..af43, ef) or 0..63, found "constructor"'],
    ['nft dscp range', 'nft add rule ip filter postrouting ip dscp set 64', '1:48', 'ip dscp set must be 0..63, found 64'],
    ['nft oifname', BASE + 'nft add rule ip filter postrouting oifname "eth7" accept', '3:44', 'no link named eth7 (links: lo, eth0)'],
    ['nft unterminated string', 'nft add rule ip filter postrouting oifname "eth0 accept', '1:44', 'unterminated string; expected a closing " before the end of the line'],
    ['nft host bits', 'nft add rule ip filter postrouting ip daddr 10.1.2.3/8 drop', '1:45', '10.1.2.3/8 has host bits set; did you mean 10.0.0.0/8?'],
    ['peer off-subnet', BASE + 'peer 192.0.3.99 lladdr 02:00:00:00:00:02', '3:6', "192.0.3.99 is not on any link's subnet; add dev NAME"],
    ['peer is us', BASE + 'peer 192.0.2.1 lladdr 02:00:00:00:00:02', '3:6', "192.0.2.1 is this host's own address; a peer needs another"],
    ['peer twice', BASE + 'peer 192.0.2.2 lladdr 02:00:00:00:00:02\npeer 192.0.2.2 lladdr 02:00:00:00:00:03', '4:6', 'a peer 192.0.2.2 already exists (line 3)'],
    ['peer on lo', BASE + 'peer 192.0.2.2 lladdr 02:00:00:00:00:02 dev lo', '3:45', 'a peer sits on a link with a wire; lo has none'],
    ['peer without lladdr', BASE + 'peer 192.0.2.2 silent', '3:22', 'expected lladdr MAC, found the end of the line'],
    ['peer duration', BASE + 'peer 192.0.2.2 lladdr 02:00:00:00:00:02 up-at 300', '3:47', 'expected a duration like 10ms (units ns, us, ms, s), found "300"'],
    ['join unicast', BASE + 'join 192.0.2.9 dev eth0', '3:6', 'expected a multicast group (224.0.0.0/4), found 192.0.2.9'],
    ['join twice', BASE + 'join 239.1.1.1 dev eth0\njoin 239.1.1.1 dev eth0', '4:6', '239.1.1.1 is already joined on eth0 (line 3)'],
    ['not owned', BASE + 'at 0ms send udp to 192.0.2.2:9 from 10.9.9.9', '3:37', 'the host does not own 10.9.9.9 (addresses: 192.0.2.1)'],
    ['multicast-if not owned', BASE + 'at 0ms send udp to 239.1.1.1:9 multicast-if 192.0.2.7', '3:45', 'the host does not own 192.0.2.7 (addresses: 192.0.2.1)'],
    ['time backwards', BASE + 'at 10ms send udp to 192.0.2.2:9\nat 5ms send udp to 192.0.2.2:9', '4:4', 'time goes backwards: 5ms is before the previous send at 10ms'],
    ['option twice', BASE + 'at 0ms send udp to 192.0.2.2:9 size 1 size 2', '3:39', 'the option size is given twice'],
    [
      'unknown option',
      BASE + 'at 0ms send udp to 192.0.2.2:9 sizee 5',
      '3:32',
      'unknown word "sizee"; did you mean "size"? expected one of: from, size, df, ttl, tos, mark, count, every, socket, connected, broadcast, bind-dev, multicast-if, multicast-ttl, multicast-loop, recverr, ip-options, gso',
    ],
    ['socket protocols', BASE + 'at 0ms send udp to 192.0.2.2:9 socket s1\nat 1ms send tcp syn to 192.0.2.2:9 socket s1', '4:43', 'socket s1 is a udp socket (line 3)'],
    ['duration without unit', BASE + 'at 0 send udp to 192.0.2.2:9', '3:4', 'expected a duration like 10ms (units ns, us, ms, s), found "0"'],
    ['send proto', BASE + 'at 0ms send sctp to 192.0.2.2:9', '3:13', 'expected udp, icmp echo or tcp syn, found "sctp"'],
    ['icmp needs echo', BASE + 'at 0ms send icmp to 192.0.2.2', '3:18', 'expected echo (icmp echo), found "to"'],
    ['port missing', BASE + 'at 0ms send udp to 192.0.2.2', '3:20', 'expected an address and port like 192.0.2.2:9000, found "192.0.2.2"'],
    ['port zero', BASE + 'at 0ms send udp to 192.0.2.2:0', '3:30', 'port must be 1..65535, found 0'],
    ['port word', BASE + 'at 0ms send udp to 192.0.2.2:http', '3:30', 'expected a port 1..65535, found "http"'],
    ['icmp port', BASE + 'at 0ms send icmp echo to 192.0.2.2:5', '3:35', 'an icmp echo has no port; expected an IPv4 address, found "192.0.2.2:5"'],
    ['tcp payload', BASE + 'at 0ms send tcp syn to 192.0.2.2:5 size 3', '3:41', 'a tcp syn carries no payload; size must be 0, found 3'],
    ['udp size', BASE + 'at 0ms send udp to 192.0.2.2:5 size 65536', '3:37', 'size must be 0..65535, found 65536'],
    ['df mode', BASE + 'at 0ms send udp to 192.0.2.2:5 df yes', '3:35', 'expected a df mode (do, dont, want, probe, interface or omit), found "yes"'],
    ['ttl', BASE + 'at 0ms send udp to 192.0.2.2:5 ttl 256', '3:36', 'ttl must be 0..255, found 256'],
    ['tos hex', BASE + 'at 0ms send udp to 192.0.2.2:5 tos 0x100', '3:36', 'tos must be 0..255, found 0x100'],
    ['mark', BASE + 'at 0ms send udp to 192.0.2.2:5 mark 4294967296', '3:37', 'mark must be 0..4294967295, found 4294967296'],
    ['count', BASE + 'at 0ms send udp to 192.0.2.2:5 count 0', '3:38', 'count must be 1..10000000, found 0'],
    ['multicast-ttl', BASE + 'at 0ms send udp to 192.0.2.2:5 multicast-ttl -1', '3:46', 'multicast-ttl must be 0..255, found -1'],
    ['multicast-loop', BASE + 'at 0ms send udp to 192.0.2.2:5 multicast-loop yes', '3:47', 'expected a value for multicast-loop (on or off), found "yes"'],
    ['bind-dev', BASE + 'at 0ms send udp to 192.0.2.2:5 bind-dev eth5', '3:41', 'no link named eth5 (links: lo, eth0)'],
    ['ip option repeated', BASE + 'at 0ms send udp to 192.0.2.2:5 ip-options ra,rr,ra', '3:49', 'the ip option ra is given twice'],
    ['ip option unknown', BASE + 'at 0ms send udp to 192.0.2.2:5 ip-options ra,lsrr', '3:46', 'expected ra or rr, found "lsrr"'],
    ['socket name', BASE + 'at 0ms send udp to 192.0.2.2:5 socket s/1', '3:39', 'expected a socket name (1..64 letters, digits, _ . -), found "s/1"'],
    ['fractional ns', 'run 1.5ns', '1:5', '1.5ns is not a whole number of nanoseconds'],
    ['run twice', 'run 1s\nrun 2s', '2:1', 'run is given twice (line 1)'],
    ['run extra word', 'run 1s now', '1:8', 'unknown word "now"; expected the end of the line'],
    ['kernel', 'kernel 5.10', '1:8', 'expected a kernel profile (6.18 or 4.9), found "5.10"'],
    ['kernel twice', 'kernel 4.9\nkernel 6.18', '2:1', 'kernel is given twice (line 1)'],
  ];
  for (const [name, text, where, problem] of cases) {
    test(name, () => {
      expectError(text, where, problem);
    });
  }

  test('an unknown sysctl lists the known keys', () => {
    assert.throws(
      () => parseScenario('sysctl net.ipv4.ip_default_tll=3'),
      (e: unknown) => {
        assert.ok(e instanceof ScenarioError);
        assert.deepEqual([e.line, e.col], [1, 8]);
        assert.match(e.problem, /^unknown sysctl "net\.ipv4\.ip_default_tll"; expected one of: net\.ipv4\.neigh\.DEV\.mcast_solicit, /);
        assert.match(e.problem, /net\.ipv4\.ip_default_ttl, net\.ipv4\.ip_no_pmtu_disc \(DEV is a link name or default\)$/);
        return true;
      },
    );
  });

  test('the file name is the one given, <input> by default', () => {
    assert.throws(() => parseScenario('link add lo'), { message: '<input>:1:10: lo always exists; it cannot be added' });
    assert.throws(() => parseScenario('link add lo', 'lab/1.kpath'), { message: 'lab/1.kpath:1:10: lo always exists; it cannot be added' });
  });

  test('columns count tabs as one and point past comments', () => {
    expectError('\tlink add eth0\t\tmtu\t20 # too small', '1:21', 'mtu must be 68..65535, found 20');
  });

  test('the first error by position is thrown, whatever found it', () => {
    // A missing link (found when the file is checked as a whole) on line 3 comes before a bad word on line 5.
    const text = BASE + 'addr add 198.51.100.1/24 dev eth9\n\nrun 9';
    expectError(text, '3:30', 'no link named eth9 (links: lo, eth0)');
    const all = parseScenarioAll(text, 's.kpath');
    assert.deepEqual(
      all.errors.map((e) => e.message),
      ['s.kpath:3:30: no link named eth9 (links: lo, eth0)', 's.kpath:5:5: expected a duration like 10ms (units ns, us, ms, s), found "9"'],
    );
    assert.equal(all.scenario, undefined);
  });
});

describe('parseScenarioAll', () => {
  test('reports every line with an error, in order', () => {
    const text = 'link add eth0 mtu 20\nlink add eth1 qdisc fq\n\nrun 5\nkernel 3';
    const r = parseScenarioAll(text, 'x.kpath');
    assert.deepEqual(
      r.errors.map((e) => `${e.line}:${e.col}`),
      ['1:19', '2:21', '4:5', '5:8'],
    );
    assert.equal(r.scenario, undefined);
  });

  test('a line that failed does not cause errors on the lines that rely on it', () => {
    const text = 'link add eth0 mtu 20\naddr add 192.0.2.1/24 dev eth0\npeer 192.0.2.2 lladdr 02:00:00:00:00:02\nat 0ms send udp to 192.0.2.2:9 from 192.0.2.1';
    const r = parseScenarioAll(text);
    assert.deepEqual(r.errors.map((e) => e.problem), ['mtu must be 68..65535, found 20']);
  });

  test('a misspelled link line is taken as a lost link', () => {
    const r = parseScenarioAll('lnk add eth0\naddr add 192.0.2.1/24 dev eth0');
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].problem, /^unknown word "lnk"; did you mean "link"\? expected one of: kernel, link,/);
  });

  test('other failed lines do not hide missing links', () => {
    const r = parseScenarioAll('run 5\naddr add 192.0.2.1/24 dev eth0');
    assert.deepEqual(r.errors.map((e) => e.problem), [
      'expected a duration like 10ms (units ns, us, ms, s), found "5"',
      'no link named eth0 (links: lo)',
    ]);
  });

  test('a scenario without errors comes back', () => {
    const r = parseScenarioAll(BASE);
    assert.deepEqual(r.errors, []);
    assert.equal(r.scenario?.links[0].name, 'eth0');
  });
});

describe('the language', () => {
  test('an empty scenario is reported, not run', () => {
    for (const text of ['', '\n# nothing\n   \n', 'kernel 4.9\nrun 5s\n']) {
      assert.throws(() => parseScenario(text, 'e.kpath'), { message: /^e\.kpath:1:1: the scenario is empty: / });
    }
    assert.throws(() => validateScenario({}), { message: /^<inline>:1:1: the scenario is empty: / });
    assert.throws(() => validateScenario({ kernel: '4.9', sends: [] }), { message: /^<inline>:1:1: the scenario is empty: / });
    // A line with an error is the error, not emptiness.
    assert.deepEqual(parseScenarioAll('lnk add eth0').errors.map((e) => e.problem).filter((p) => p.includes('empty')), []);
  });

  test('statements may come in any order', () => {
    const s = parseScenario('peer 192.0.2.2 lladdr 02:00:00:00:00:02\nroute add default via 192.0.2.254\naddr add 192.0.2.1/24 dev eth0\nlink add eth0');
    assert.equal(s.peers[0].dev, 'eth0');
    assert.equal(s.routes[0].dev, 'eth0');
  });

  test('default MACs follow the link order, qdiscs follow the type', () => {
    const s = parseScenario('link add a\nlink add b type ethernet\nlink add c address 02:00:00:00:00:01');
    assert.deepEqual(s.links.map((l) => l.address), ['02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:01']);
    assert.deepEqual(s.links.map((l) => l.qdisc), ['noqueue', 'pfifo_fast', 'noqueue']);
  });

  test('the longest prefix decides the peer link', () => {
    const s = parseScenario('link add eth0\nlink add eth1\naddr add 10.0.0.1/8 dev eth0\naddr add 10.1.0.1/16 dev eth1\npeer 10.1.2.3 lladdr 02:00:00:00:00:09\npeer 10.2.0.1 lladdr 02:00:00:00:00:09');
    assert.deepEqual(s.peers.map((p) => p.dev), ['eth1', 'eth0']);
  });

  test('sends at the same time are fine, and from may be loopback or any', () => {
    const s = parseScenario(BASE + 'at 5ms send udp to 192.0.2.2:9 from 127.0.0.5\nat 5ms send udp to 192.0.2.2:9 from 0.0.0.0:5000');
    assert.equal(s.sends[1].fromPort, 5000);
  });

  test('durations', () => {
    assert.equal(parseDuration('300ms'), 300_000_000);
    assert.equal(parseDuration('1.5s'), 1_500_000_000);
    assert.equal(parseDuration('250us'), 250_000);
    assert.equal(parseDuration('7ns'), 7);
    assert.equal(parseDuration('0.000000001s'), 1);
    assert.throws(() => parseDuration('10'), /expected a duration like 10ms/);
    assert.throws(() => parseDuration('-1ms'), /expected a duration like 10ms/);
    assert.throws(() => parseDuration('0.5ns'), /not a whole number of nanoseconds/);
    assert.throws(() => parseDuration('99999999999s'), /too long/);
    assert.equal(formatDuration(10_000_000), '10ms');
    assert.equal(formatDuration(1_500_000_000), '1500ms');
    assert.equal(formatDuration(2_000_000_000), '2s');
    assert.equal(formatDuration(250_000), '250us');
    assert.equal(formatDuration(1_000_001), '1000001ns');
    assert.equal(formatDuration(0), '0ms');
  });

  test('every option of every statement is read', () => {
    const s = parseScenario(ALL_OPTIONS);
    assert.equal(s.kernel, '4.9');
    assert.deepEqual(s.links[0], {
      name: 'eth0', type: 'ethernet', mtu: 9000, address: '02:aa:bb:cc:dd:0e', qdisc: 'noqueue', txqueuelen: 500,
      offload: true, up: false, pos: { line: 2, col: 1 },
    });
    assert.equal(s.links[1].address, '02:00:00:00:00:02');
    assert.deepEqual(s.addrs[2], { address: '203.0.113.7', prefix: 32, dev: 'lo', pos: { line: 6, col: 1 } });
    assert.deepEqual(s.routes.map((r) => [r.dst, r.prefix, r.via, r.dev, r.mtu, r.src]), [
      ['198.51.100.0', 24, '192.0.2.254', 'eth0', 1400, '192.0.2.1'],
      ['0.0.0.0', 0, '10.1.0.254', 'veth-1.x', undefined, undefined],
      ['203.0.113.9', 32, undefined, 'eth0', undefined, undefined],
    ]);
    assert.deepEqual(s.neighs.map((n) => n.nud), ['stale', 'permanent']);
    assert.deepEqual(s.sysctls.map((x) => [x.key, x.value]), [
      ['net.ipv4.neigh.eth0.mcast_solicit', 5],
      ['net.ipv4.neigh.default.retrans_time_ms', 200],
      ['net.ipv4.ip_default_ttl', 32],
    ]);
    assert.deepEqual(s.nft[0].matches, [
      { kind: 'l4port', proto: 'udp', field: 'dport', value: 9999 },
      { kind: 'l4port', proto: 'tcp', field: 'sport', value: 80 },
      { kind: 'addr', field: 'daddr', address: '198.51.100.0', prefix: 24 },
      { kind: 'addr', field: 'saddr', address: '192.0.2.1', prefix: 32 },
    ]);
    assert.deepEqual(s.nft[0].statements, [{ kind: 'counter' }, { kind: 'drop' }]);
    assert.deepEqual(s.nft[1].matches, [{ kind: 'oif', name: 'eth0' }, { kind: 'protocol', value: 'udp' }]);
    assert.equal(s.nft[1].text, 'nat postrouting oifname "eth0" meta l4proto udp snat ip to 192.0.2.77');
    assert.deepEqual(s.nft[2].statements, [{ kind: 'masquerade' }]);
    assert.deepEqual(s.nft[3].matches, [{ kind: 'mark', value: 7 }]);
    assert.deepEqual(s.nft[3].statements, [
      { kind: 'mark-set', value: 16 },
      { kind: 'ttl-set', value: 9 },
      { kind: 'dscp-set', value: 34 },
      { kind: 'accept' },
    ]);
    assert.deepEqual(s.nft[4].matches, [{ kind: 'mark', value: 255 }]);
    assert.deepEqual(s.nft[4].statements, [{ kind: 'dscp-set', value: 46 }]);
    assert.deepEqual(s.peers[0], {
      address: '192.0.2.2', lladdr: '02:00:00:00:00:02', dev: 'eth0', silent: true, upAt: 300_000_000, replyDelay: 1_500_000, pos: { line: 20, col: 1 },
    });
    assert.equal(s.peers[2].dev, 'veth-1.x');
    assert.deepEqual(s.joins, [{ group: '239.1.2.3', dev: 'eth0', pos: { line: 23, col: 1 } }]);
    assert.deepEqual(s.sends[0], {
      at: 0, proto: 'udp', to: '192.0.2.2', port: 9000, from: '192.0.2.1', fromPort: 40000, size: 3000, df: 'dont',
      ttl: 5, tos: 0xb8, mark: 255, count: 3, every: 250_000, socket: 's1', connected: true, broadcast: true,
      bindDev: 'eth0', multicastIf: '192.0.2.1', multicastTtl: 4, multicastLoop: false, recverr: true,
      ipOptions: ['ra', 'rr'], pos: { line: 24, col: 1 },
    });
    assert.deepEqual([s.sends[1].proto, s.sends[1].port, s.sends[1].size, s.sends[1].df, s.sends[1].from], ['icmp', 0, 0, 'probe', '127.0.0.1']);
    assert.deepEqual([s.sends[2].proto, s.sends[2].at, s.sends[2].size, s.sends[2].df], ['tcp', 1_000_000_000, 0, 'interface']);
    assert.deepEqual([s.sends[3].at, s.sends[3].multicastLoop, s.sends[3].bindDev, s.sends[3].ipOptions], [1_000_001_000, true, 'lo', ['rr']]);
    assert.equal(s.sends[4].df, 'do');
    assert.equal(s.run, 10_000_000_000);
  });

  test('round trip: the text written back reads the same', () => {
    for (const text of [ALL_OPTIONS, DESIGN_EXAMPLE, fs.readFileSync(path.join(ROOT, 'media/scenarios/default.kpath'), 'utf8')]) {
      const s = parseScenario(text);
      const written = formatScenario(s);
      const again = parseScenario(written);
      assert.deepEqual(strip(again), strip(s));
      assert.equal(formatScenario(again), written, 'writing is stable');
    }
  });
});

describe('validateScenario (inline objects)', () => {
  test('fills the defaults', () => {
    const input = {
      links: [{ name: 'eth0' }, { name: 'eth1', type: 'ethernet' }],
      addrs: [{ address: '192.0.2.1', prefix: 24, dev: 'eth0' }],
      routes: [{ dst: '0.0.0.0', prefix: 0, via: '192.0.2.254' }],
      peers: [{ address: '192.0.2.2', lladdr: '02:00:00:00:00:0A' }],
      nft: [{ table: 'filter', matches: [{ kind: 'l4port', proto: 'udp', field: 'dport', value: 9 }], statements: [{ kind: 'drop' }] }],
      sends: [
        { at: '10ms', proto: 'udp', to: '192.0.2.2', port: 9000 },
        { at: 20_000_000, proto: 'icmp', to: '192.0.2.2' },
        { at: '1s', proto: 'tcp', to: '192.0.2.2', port: 80, tos: '0x10' },
      ],
      run: '2s',
    };
    const before = JSON.parse(JSON.stringify(input));
    const s = validateScenario(input);
    assert.deepEqual(input, before, 'the input is not modified');
    assert.equal(s.kernel, '6.18');
    assert.deepEqual(s.links[0], {
      name: 'eth0', type: 'veth', mtu: 1500, address: '02:00:00:00:00:01', qdisc: 'noqueue', txqueuelen: 1000,
      offload: false, up: true, pos: { line: 1, col: 1 },
    });
    assert.equal(s.links[1].qdisc, 'pfifo_fast');
    assert.equal(s.links[1].address, '02:00:00:00:00:02');
    assert.equal(s.routes[0].dev, 'eth0');
    assert.deepEqual(s.peers[0], {
      address: '192.0.2.2', lladdr: '02:00:00:00:00:0a', dev: 'eth0', silent: false, upAt: 0, replyDelay: 0, pos: { line: 1, col: 1 },
    });
    assert.equal(s.nft[0].chain, 'postrouting');
    assert.equal(s.nft[0].text, 'filter postrouting udp dport 9 drop');
    assert.deepEqual(s.sends.map((x) => [x.at, x.size, x.port, x.df, x.count, x.every, x.connected, x.recverr]), [
      [10_000_000, 100, 9000, 'want', 1, 0, false, false],
      [20_000_000, 56, 0, 'want', 1, 0, false, false],
      [1_000_000_000, 0, 80, 'want', 1, 0, false, false],
    ]);
    assert.equal(s.sends[2].tos, 16);
    assert.deepEqual([s.joins, s.neighs, s.sysctls], [[], [], []]);
    assert.equal(s.run, 2_000_000_000);
  });

  test('agrees with the parser', () => {
    for (const text of [DESIGN_EXAMPLE, ALL_OPTIONS]) {
      const parsed = parseScenario(text, 'a.kpath');
      assert.deepEqual(validateScenario(JSON.parse(JSON.stringify(parsed))), parsed);
    }
  });

  const bad: [string, unknown, string][] = [
    ['not an object', 'eth0', '<inline>:1:1: expected a scenario object, found "eth0"'],
    ['unknown top-level field', { linkz: [] }, '<inline>:1:1: unknown field "linkz"; expected one of: file, kernel, links, addrs, routes, rules, neighs, sysctls, nft, peers, joins, sends, run'],
    ['kernel', { kernel: 5 }, '<inline>:1:1: kernel: expected a kernel profile (6.18 or 4.9), found 5'],
    ['array', { links: { name: 'eth0' } }, '<inline>:1:1: links: expected an array, found an object'],
    ['item', { links: ['eth0'] }, '<inline>:1:1: links[0]: expected an object, found "eth0"'],
    ['string for a number', { links: [{ name: 'eth0', mtu: '1500' }] }, '<inline>:1:1: links[0].mtu: expected a number 68..65535 for mtu, found "1500"'],
    ['range at pos', { links: [{ name: 'eth0', mtu: 20, pos: { line: 4, col: 3 } }] }, '<inline>:4:3: links[0].mtu: mtu must be 68..65535, found 20'],
    ['bad pos', { links: [{ name: 'eth0', pos: { line: 0, col: 1 } }] }, '<inline>:1:1: links[0].pos: expected {"line": N, "col": N} with N >= 1, found an object'],
    ['unknown field', { links: [{ name: 'eth0', mtuu: 1500 }] }, '<inline>:1:1: links[0]: unknown field "mtuu"; expected one of: name, type, parent, vlanId, mtu, address, qdisc, txqueuelen, offload, up'],
    ['missing name', { links: [{ mtu: 1500 }] }, '<inline>:1:1: links[0].name: expected a link name, found nothing'],
    ['boolean', { links: [{ name: 'eth0', up: 'yes' }] }, '<inline>:1:1: links[0].up: expected true or false, found "yes"'],
    ['enum', { links: [{ name: 'eth0', qdisc: 'fq' }] }, '<inline>:1:1: links[0].qdisc: expected a qdisc (noqueue, pfifo_fast), found "fq"'],
    ['lo', { links: [{ name: 'lo' }] }, '<inline>:1:1: links[0].name: lo always exists; it cannot be added'],
    ['duplicate', { links: [{ name: 'eth0' }, { name: 'eth0' }] }, '<inline>:1:1: links[1].name: a link named eth0 already exists (links[0])'],
    ['missing link', { addrs: [{ address: '192.0.2.1', prefix: 24, dev: 'eth0' }] }, '<inline>:1:1: addrs[0].dev: no link named eth0 (links: lo)'],
    ['address', { addrs: [{ address: '192.0.2.300', prefix: 24, dev: 'lo' }] }, '<inline>:1:1: addrs[0].address: expected an IPv4 address, found "192.0.2.300"'],
    ['prefix', { addrs: [{ address: '192.0.2.1', prefix: 33, dev: 'lo' }] }, '<inline>:1:1: addrs[0].prefix: prefix must be 0..32, found 33'],
    ['host bits', { routes: [{ dst: '10.1.0.0', prefix: 8, dev: 'lo' }] }, '<inline>:1:1: routes[0].dst: 10.1.0.0/8 has host bits set; did you mean 10.0.0.0/8?'],
    ['route needs via or dev', { routes: [{ dst: '10.0.0.0', prefix: 8 }] }, '<inline>:1:1: routes[0]: a route needs via or dev (or both)'],
    ['mac', { peers: [{ address: '192.0.2.2', lladdr: 'zz' }] }, '<inline>:1:1: peers[0].lladdr: expected a MAC address like 02:00:00:00:00:01, found "zz"'],
    ['sysctl', { sysctls: [{ key: 'net.ipv4.ip_default_ttl', value: 300 }] }, '<inline>:1:1: sysctls[0].value: net.ipv4.ip_default_ttl must be 1..255, found 300'],
    ['nft match', { nft: [{ table: 'filter', matches: [{ kind: 'port' }], statements: [{ kind: 'drop' }] }] }, '<inline>:1:1: nft[0].matches[0].kind: expected a match kind (l4port, addr, protocol, oif, mark), found "port"'],
    ['nft table', { nft: [{ table: 'filter', statements: [{ kind: 'snat', address: '192.0.2.9' }] }] }, '<inline>:1:1: nft[0].statements[0]: snat needs the nat table'],
    ['nft chain', { nft: [{ table: 'filter', chain: 'input', statements: [{ kind: 'drop' }] }] }, '<inline>:1:1: nft[0].chain: expected a chain (postrouting, output), found "input"'],
    ['nat output', { nft: [{ table: 'nat', chain: 'output', statements: [{ kind: 'masquerade' }] }] }, '<inline>:1:1: nft[0].chain: the output chain is modeled in the filter and mangle tables, not in nat'],
    ['dup device', { links: [{ name: 'eth0' }], nft: [{ table: 'filter', chain: 'output', statements: [{ kind: 'dup', address: '192.0.2.9', dev: 'eth3' }] }] }, '<inline>:1:1: nft[0].statements[0].dev: no link named eth3 (links: lo, eth0)'],
    ['vlan needs vlanId', { links: [{ name: 'eth0' }, { name: 'eth0.10', type: 'vlan', parent: 'eth0' }] }, '<inline>:1:1: links[1].vlanId: expected a VLAN ID 1..4094, found nothing'],
    ['vlan needs a parent', { links: [{ name: 'eth0.10', type: 'vlan', vlanId: 10 }] }, '<inline>:1:1: links[0].parent: expected a link name (1..15 of letters, digits, _ . -), found nothing'],
    ['parent without vlan', { links: [{ name: 'eth0' }, { name: 'eth1', parent: 'eth0' }] }, '<inline>:1:1: links[1].parent: parent is for a VLAN link (type vlan)'],
    ['vlan offload', { links: [{ name: 'eth0' }, { name: 'eth0.10', type: 'vlan', parent: 'eth0', vlanId: 10, offload: true }] }, "<inline>:1:1: links[1].offload: a VLAN link has no offload of its own (it sends through its parent's; offload is the parent's)"],
    ['rule table', { rules: [{ fwmark: 7 }] }, '<inline>:1:1: rules[0].table: expected the table to look up (a number, or "main"), found nothing'],
    ['rule table 255', { rules: [{ table: 255 }] }, '<inline>:1:1: rules[0].table: table 255 is the local table, which only the kernel fills; expected another table (1..4294967295, main)'],
    ['rule fwmask alone', { rules: [{ fwmask: 255, table: 100 }] }, '<inline>:1:1: rules[0].fwmask: fwmask needs fwmark'],
    ['rule from', { rules: [{ from: { address: '10.0.0.1', prefix: 8 }, table: 100 }] }, '<inline>:1:1: rules[0].from.address: 10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?'],
    ['route table', { links: [{ name: 'eth0' }], routes: [{ dst: '0.0.0.0', prefix: 0, dev: 'eth0', table: 0 }] }, '<inline>:1:1: routes[0].table: table must be 1..4294967295, found 0'],
    ['nft verdict', { nft: [{ table: 'filter', statements: [{ kind: 'drop' }, { kind: 'counter' }] }] }, '<inline>:1:1: nft[0].statements[0]: a verdict must be last; found counter after drop'],
    ['nft empty', { nft: [{ table: 'filter', statements: [] }] }, '<inline>:1:1: nft[0].statements: a rule needs at least one statement'],
    ['send at', { sends: [{ proto: 'udp', to: '192.0.2.2', port: 9 }] }, '<inline>:1:1: sends[0].at: expected the time of the send (ns, or a duration like "10ms"), found nothing'],
    ['send duration', { sends: [{ at: '10', proto: 'udp', to: '192.0.2.2', port: 9 }] }, '<inline>:1:1: sends[0].at: expected a duration like 10ms (units ns, us, ms, s), found "10"'],
    ['send port', { sends: [{ at: 0, proto: 'udp', to: '192.0.2.2' }] }, '<inline>:1:1: sends[0].port: expected a port 1..65535, found nothing'],
    ['icmp port', { sends: [{ at: 0, proto: 'icmp', to: '192.0.2.2', port: 7 }] }, '<inline>:1:1: sends[0].port: an icmp echo has no port, found 7'],
    ['tcp size', { sends: [{ at: 0, proto: 'tcp', to: '192.0.2.2', port: 7, size: 1 }] }, '<inline>:1:1: sends[0].size: a tcp syn carries no payload; size must be 0, found 1'],
    ['ip options', { sends: [{ at: 0, proto: 'udp', to: '192.0.2.2', port: 7, ipOptions: ['rr', 'rr'] }] }, '<inline>:1:1: sends[0].ipOptions[1]: the ip option rr is given twice'],
    [
      'time order',
      { sends: [{ at: '2ms', proto: 'udp', to: '192.0.2.2', port: 7 }, { at: '1ms', proto: 'udp', to: '192.0.2.2', port: 7, pos: { line: 9, col: 1 } }] },
      '<inline>:9:1: sends[1].at: time goes backwards: 1ms is before the previous send at 2ms',
    ],
    ['run', { run: -5 }, '<inline>:1:1: run: expected a whole number of nanoseconds or a duration like "5s", found -5'],
  ];
  for (const [name, input, message] of bad) {
    test(`rejects: ${name}`, () => {
      assert.throws(
        () => validateScenario(input),
        (e: unknown) => {
          assert.ok(e instanceof ScenarioError);
          assert.equal(e.message, message);
          return true;
        },
      );
    });
  }

  test('a hole in an array is reported, not skipped', () => {
    const statements = [, { kind: 'drop' }];
    assert.throws(() => validateScenario({ nft: [{ table: 'filter', statements }] }), {
      message: '<inline>:1:1: nft[0].statements[0]: expected a statement object, found nothing',
    });
    assert.throws(() => validateScenario({ links: [, { name: 'eth0' }] }), { message: '<inline>:1:1: links[0]: expected an object, found nothing' });
  });

  test('names only found on a prototype are not names', () => {
    assert.throws(() => validateScenario({ nft: [{ table: 'filter', statements: [{ kind: 'dscp-set', value: 'toString' }] }] }), {
      message: '<inline>:1:1: nft[0].statements[0].value: expected a DSCP name (cs0..cs7, af11..af43, ef) or 0..63, found "toString"',
    });
  });

  test('the file named in the object or given names the errors', () => {
    assert.throws(() => validateScenario({ file: 'lab.kpath', kernel: '2.6' }), /^ScenarioError: lab\.kpath:1:1: kernel: /);
    assert.throws(() => validateScenario({ kernel: '2.6' }, 'launch.json'), { message: /^launch\.json:1:1: kernel: / });
  });

  test('all errors at once, in order', () => {
    const r = validateScenarioAll({ links: [{ name: 'eth0', mtu: 1 }, { name: 9 }], kernel: 'x' });
    assert.equal(r.scenario, undefined);
    assert.deepEqual(r.errors.map((e) => e.problem), [
      'kernel: expected a kernel profile (6.18 or 4.9), found "x"',
      'links[0].mtu: mtu must be 68..65535, found 1',
      'links[1].name: expected a link name, found 9',
    ]);
  });
});

describe('lexer', () => {
  test('tokens carry line and column; comments and blank lines vanish', () => {
    const lines = lex('\uFEFFlink add eth0   # a comment\r\n\r\n\tsysctl a.b=3\noifname "e\\"x" # "not a string"\n# only a comment');
    assert.deepEqual(lines.map((l) => l.line), [1, 3, 4]);
    assert.deepEqual(lines[0].tokens.map((t) => [t.text, t.col]), [['link', 1], ['add', 6], ['eth0', 10]]);
    assert.equal(lines[0].endCol, 14);
    assert.deepEqual(lines[1].tokens.map((t) => [t.kind, t.text, t.col]), [['word', 'sysctl', 2], ['word', 'a.b', 9], ['equals', '=', 12], ['word', '3', 13]]);
    assert.deepEqual(lines[2].tokens.map((t) => [t.kind, t.value, t.col]), [['word', 'oifname', 1], ['string', 'e"x', 9]]);
  });

  test('an unterminated string is a problem of its line', () => {
    const [l] = lex('oifname "eth0');
    assert.deepEqual(l.problem, { col: 9, problem: 'unterminated string; expected a closing " before the end of the line' });
  });
});

describe('files that ship with the language', () => {
  test('the default scenario walks the classic path', () => {
    const file = path.join(ROOT, 'media/scenarios/default.kpath');
    const s = parseScenario(fs.readFileSync(file, 'utf8'), file);
    assert.deepEqual(s.links.map((l) => [l.name, l.type, l.mtu, l.address]), [['eth0', 'veth', 1500, '02:00:00:00:00:01']]);
    assert.deepEqual(s.addrs.map((a) => `${a.address}/${a.prefix} ${a.dev}`), ['192.0.2.1/24 eth0']);
    assert.deepEqual(s.peers.map((p) => [p.address, p.lladdr, p.dev, p.silent]), [['192.0.2.2', '02:00:00:00:00:02', 'eth0', false]]);
    assert.deepEqual(s.sends.map((x) => [x.at, x.proto, x.to, x.port, x.size]), [
      [0, 'udp', '192.0.2.2', 9000, 100],
      [10_000_000, 'udp', '192.0.2.2', 9000, 3000],
    ]);
    assert.equal(s.run, undefined);
  });

  test('the errors shown in the reference are the ones the parser gives', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/scenario.md'), 'utf8');
    const m = /## Errors[\s\S]*?```\n([\s\S]*?)```[\s\S]*?```\n([\s\S]*?)```/.exec(doc);
    assert.ok(m, 'docs/scenario.md shows a file and its errors');
    const got = parseScenarioAll(m[1], 'scenario.kpath').errors.map((e) => e.message);
    assert.deepEqual(got, m[2].trim().split('\n'));
  });

  test('gso: UDP only, 0..65535, and it round-trips', () => {
    const base = 'link add veth0\naddr add 192.0.2.1/24 dev veth0\n';
    const ok = parseScenario(base + 'at 0ms send udp to 192.0.2.2:9000 size 3000 gso 1400\n', 'g.kpath');
    assert.equal(ok.sends[0].gso, 1400);
    assert.match(formatScenario(ok), /size 3000 gso 1400/);
    assert.throws(() => parseScenario(base + 'at 0ms send icmp echo to 192.0.2.2 gso 100\n', 'g.kpath'), /gso sets UDP_SEGMENT, an option of UDP sockets, not of icmp ones/);
    assert.throws(() => parseScenario(base + 'at 0ms send udp to 192.0.2.2:9000 gso 65536\n', 'g.kpath'), /65535/);
  });

  test('the reference mentions every statement and option', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/scenario.md'), 'utf8');
    const words = [...STATEMENTS, ...LINK_OPTIONS, ...ROUTE_OPTIONS, ...NEIGH_OPTIONS, ...PEER_OPTIONS, ...SEND_OPTIONS];
    for (const w of words) assert.ok(doc.includes(`\`${w}`) || doc.includes(` ${w} `), `docs/scenario.md mentions ${w}`);
  });

  test('the grammar and the language configuration', () => {
    const grammar = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes/kpath.tmLanguage.json'), 'utf8')) as {
      scopeName: string;
      repository: Record<string, { match?: string; begin?: string; end?: string }>;
    };
    assert.equal(grammar.scopeName, 'source.kpath');
    const re: Record<string, RegExp> = {};
    for (const [name, rule] of Object.entries(grammar.repository)) {
      for (const src of [rule.match, rule.begin, rule.end]) if (src) re[name] = new RegExp(src);
    }
    assert.match('02:00:00:00:00:fe', re.mac);
    assert.doesNotMatch('02:00:00:00:00', re.mac);
    assert.equal(re.address.exec('to 192.0.2.2:9000')?.[0], '192.0.2.2:9000');
    assert.equal(re.address.exec('add 192.0.2.0/24 dev')?.[0], '192.0.2.0/24');
    assert.equal(re.duration.exec('at 1.5s send')?.[0], '1.5s');
    assert.doesNotMatch('size 100', re.duration);
    assert.equal(re.comment.exec('peer 1.2.3.4 # hi')?.[0], '# hi');
    assert.equal(re.statement.exec('  route add')?.[1], 'route');
    assert.equal(re.number.exec('tos 0xb8')?.[0], '0xb8');
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes/language-configuration.json'), 'utf8')) as { comments: { lineComment: string } };
    assert.equal(config.comments.lineComment, '#');
  });
});
