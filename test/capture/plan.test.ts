// How `kpath capture` sets a scenario up on a real kernel (src/capture/plan.ts), checked without
// root: every command names a namespace of its own, peers come up when the scenario says, the
// calls run in the model's order, and the pieces of the environment (preflight) are named.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/model/scenario/parse';
import { runScenario } from '../../src/model/run';
import { callOrder, nftScript, planCapture, type CapturePlan } from '../../src/capture/plan';
import { preflight, preflightMessage, TOOL_PACKAGES, neighbourEntries, MAX_NEIGHBOURS } from '../../src/capture/live';
import { formatCaptureDoc, readCapture, scenarioDigest, type CaptureDoc } from '../../src/capture/capture-doc';
import { HELPER_PY } from '../../src/capture/helper-py';
import { REPO_ROOT as ROOT, kpath } from '../helpers/cli';

const SCENARIOS = path.join(ROOT, 'test', 'scenarios');

function plan(text: string, end = 1_000_000_000): CapturePlan {
  return planCapture(parseScenario(text, 'test.kpath'), { prefix: 'kpath-4242-0', helperPath: '/tmp/h.py', python: '/usr/bin/python3', end });
}

const BASE = `link add veth0 mtu 1500 address 02:00:00:00:00:01
addr add 192.0.2.1/24 dev veth0
`;

describe('capture plan', () => {
  it('every command works inside a namespace named kpath-<pid>-...', () => {
    const files = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.kpath') && f !== 'p-neigh-table-full.kpath');
    for (const f of files) {
      const p = planCapture(parseScenario(fs.readFileSync(path.join(SCENARIOS, f), 'utf8'), f), { prefix: 'kpath-4242-0', helperPath: '/tmp/h.py', end: 1e9 });
      const argvs = [...p.setup.map((s) => s.argv), ...p.helper.actions.flatMap((a) => (a.kind === 'exec' ? [a.argv] : []))];
      for (const argv of argvs) {
        const ns = argv[1] === '-n' ? argv[2] : argv[1] === 'netns' ? argv[3] : undefined;
        assert.ok(['ip', 'tc'].includes(argv[0]), `${f}: ${argv.join(' ')}`);
        assert.ok(ns && ns.startsWith('kpath-4242-0-') && p.namespaces.includes(ns), `${f}: "${argv.join(' ')}" does not name one of the capture's namespaces`);
        if (argv[1] === 'netns') assert.ok(['add', 'exec'].includes(argv[2]), `${f}: ${argv.join(' ')}`);
      }
      assert.equal(p.namespaces.length, 1 + p.peerNs.length);
    }
  });

  it('a veth pair per link with the scenario\'s name, MAC and MTU; the first peer MAC on the other end, others as macvlans', () => {
    const p = plan(`${BASE}link add veth1 mtu 576 address 02:00:00:00:01:01
addr add 198.51.100.1/24 dev veth1
peer 192.0.2.2 lladdr 02:00:00:00:00:02
peer 192.0.2.3 lladdr 02:00:00:00:00:03
peer 192.0.2.4 lladdr 02:00:00:00:00:02
`);
    const cmds = p.setup.map((s) => s.argv.join(' '));
    assert.ok(cmds.includes('ip -n kpath-4242-0-h link add name veth0 type veth peer name peer netns kpath-4242-0-p0'));
    assert.ok(cmds.includes('ip -n kpath-4242-0-h link set dev veth1 address 02:00:00:00:01:01 mtu 576 txqueuelen 1000'));
    assert.ok(cmds.includes('ip -n kpath-4242-0-p0 link set dev peer mtu 1500 address 02:00:00:00:00:02'));
    assert.ok(cmds.includes('ip -n kpath-4242-0-p0 link add link peer name peer1 address 02:00:00:00:00:03 mtu 1500 type macvlan mode bridge'));
    assert.ok(cmds.includes('ip -n kpath-4242-0-p0 addr add 192.0.2.4/24 dev peer'), 'a second address on the first MAC');
    assert.ok(cmds.includes('ip -n kpath-4242-0-p0 addr add 192.0.2.3/24 dev peer1'));
    // Each peer answers from its own device: a routing table per device, chosen by source address.
    assert.ok(cmds.includes('ip -n kpath-4242-0-p0 route add 192.0.2.0/24 dev peer1 table 101'));
    assert.ok(cmds.includes('ip -n kpath-4242-0-p0 rule add from 192.0.2.3 lookup 101'));
    assert.ok(cmds.includes('ip -n kpath-4242-0-p0 rule add from 192.0.2.4 lookup 100'));
    assert.ok(cmds.indexOf('ip -n kpath-4242-0-p0 link set dev peer1 up') < cmds.indexOf('ip -n kpath-4242-0-p0 route add 192.0.2.0/24 dev peer1 table 101'));
    // Offloads off and sysctls in one helper run per namespace.
    const hostSetup = p.setup.find((s) => s.argv.includes('setup') && s.argv[3] === 'kpath-4242-0-h')!;
    assert.ok(hostSetup.argv.includes('offload:veth0') && hostSetup.argv.includes('offload:veth1'));
    assert.ok(hostSetup.argv.includes('net/ipv6/conf/all/disable_ipv6=1'));
  });

  it('a peer with up-at gets its address at that time; a silent peer never does', () => {
    const p = plan(`${BASE}peer 192.0.2.2 lladdr 02:00:00:00:00:02 up-at 300ms
peer 192.0.2.3 lladdr 02:00:00:00:00:03 silent
at 300ms send udp to 192.0.2.2:9000
`);
    const all = [...p.setup.map((s) => s.argv.join(' ')), ...p.helper.actions.map((a) => (a.kind === 'exec' ? a.argv.join(' ') : ''))];
    assert.ok(!all.some((c) => c.includes('addr add 192.0.2.3')), 'the silent peer has no address');
    assert.ok(!p.setup.some((s) => s.argv.join(' ').includes('addr add 192.0.2.2')));
    const up = p.helper.actions[0];
    assert.equal(up.kind, 'exec');
    assert.equal(up.t, 300_000_000);
    assert.deepEqual(up.kind === 'exec' && up.argv, ['ip', '-n', 'kpath-4242-0-p0', 'addr', 'add', '192.0.2.2/24', 'dev', 'peer']);
    assert.equal(p.helper.actions[1].kind, 'send', 'the peer is up for a call at the same time');
  });

  it('sysctls: `default` stands for every link and lo; keys become /proc/sys paths', () => {
    const p = plan(`${BASE}sysctl net.ipv4.neigh.default.retrans_time_ms=200
sysctl net.ipv4.ip_default_ttl=10
`);
    const host = p.setup.find((s) => s.argv.includes('setup') && s.argv[3] === 'kpath-4242-0-h')!.argv;
    assert.ok(host.includes('net/ipv4/neigh/veth0/retrans_time_ms=200'));
    assert.ok(host.includes('net/ipv4/neigh/lo/retrans_time_ms=200'));
    assert.ok(host.includes('net/ipv4/ip_default_ttl=10'));
  });

  it('nft rules become a script with the tables and postrouting chains they need', () => {
    const s = parseScenario(`${BASE}nft add rule ip mangle postrouting udp dport 9100 meta mark set 7
nft add rule ip nat postrouting oif veth0 snat to 192.0.2.77
`, 'x.kpath');
    assert.equal(nftScript(s), [
      'add table ip mangle',
      'add chain ip mangle postrouting { type filter hook postrouting priority -150; }',
      'add table ip nat',
      'add chain ip nat postrouting { type nat hook postrouting priority 100; }',
      'add rule ip mangle postrouting udp dport 9100 meta mark set 7',
      'add rule ip nat postrouting oif veth0 snat to 192.0.2.77',
      '',
    ].join('\n'));
  });

  it('routes in other tables and policy rules: ip route ... table N, ip rule add ... lookup N, devices by their kernel names', () => {
    const s = parseScenario(`${BASE}link add veth1 address 02:00:00:00:00:02
addr add 198.51.100.1/24 dev veth1
route add default via 192.0.2.254
route add default via 198.51.100.254 dev veth1 table 100
rule add fwmark 7 lookup 100
rule add priority 100 fwmark 0x10/0xf0 from 192.0.2.0/24 to 203.0.113.0/24 oif veth1 lookup main
`, 'x.kpath');
    const p = planCapture(s, { prefix: 'kpath-4242-0', helperPath: '/tmp/h.py', end: 1e9, devicePrefix: 'k4242_0_' });
    const cmds = p.setup.map((x) => x.argv.join(' '));
    assert.ok(cmds.includes('ip -n kpath-4242-0-h route add default via 192.0.2.254 dev k4242_0_h0'));
    assert.ok(cmds.includes('ip -n kpath-4242-0-h route add default via 198.51.100.254 dev k4242_0_h1 table 100'));
    // Without a priority the kernel picks one, as the model does.
    assert.ok(cmds.includes('ip -n kpath-4242-0-h rule add fwmark 0x7 lookup 100'));
    assert.ok(cmds.includes('ip -n kpath-4242-0-h rule add pref 100 fwmark 0x10/0xf0 from 192.0.2.0/24 to 203.0.113.0/24 oif k4242_0_h1 lookup 254'));
    // Rules come after the devices and routes they name, in the scenario's order.
    const at = (c: string): number => cmds.findIndex((x) => x.startsWith(c));
    assert.ok(at('ip -n kpath-4242-0-h link set dev k4242_0_h1 up') < at('ip -n kpath-4242-0-h rule add fwmark'));
    assert.ok(at('ip -n kpath-4242-0-h rule add fwmark') < at('ip -n kpath-4242-0-h rule add pref 100'));
  });

  it('nft output chains: filter at priority 0, mangle as a route chain at -150; dup names its device as the kernel does', () => {
    const s = parseScenario(`${BASE}link add veth1 address 02:00:00:00:00:02
addr add 198.51.100.1/24 dev veth1
nft add rule ip filter postrouting udp dport 9100 drop
nft add rule ip mangle output udp dport 9999 meta mark set 7
nft add rule ip filter output oif veth0 dup to 198.51.100.254 device "veth1"
nft add rule ip filter postrouting dup to 192.0.2.9
nft add rule ip filter output udp dport 7 drop
`, 'x.kpath');
    assert.equal(nftScript(s, (d) => `k_${d}`), [
      'add table ip filter',
      'add chain ip filter postrouting { type filter hook postrouting priority 0; }',
      'add chain ip filter output { type filter hook output priority 0; }',
      'add table ip mangle',
      'add chain ip mangle output { type route hook output priority -150; }',
      'add rule ip filter postrouting udp dport 9100 drop',
      'add rule ip mangle output udp dport 9999 meta mark set 7',
      'add rule ip filter output oif k_veth0 dup to 198.51.100.254 device k_veth1',
      'add rule ip filter postrouting dup to 192.0.2.9',
      'add rule ip filter output udp dport 7 drop',
      '',
    ].join('\n'));
  });

  it('the calls run in the model\'s order, with the model\'s numbering, in every test scenario', () => {
    const files = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.kpath') && f !== 'p-neigh-table-full.kpath');
    for (const f of files) {
      const s = parseScenario(fs.readFileSync(path.join(SCENARIOS, f), 'utf8'), f);
      const model = runScenario(s).sends.map((x) => `${x.index} line ${x.line} at ${x.time}`);
      const ours = callOrder(s).map((c, i) => `${i} line ${c.send.pos.line} at ${c.t}`);
      assert.deepEqual(ours, model, f);
    }
  });

  it('calls that share a time with repeats interleave as the model schedules them', () => {
    const s = parseScenario(`${BASE}at 0ms send udp to 192.0.2.2:9000 count 3 socket a
at 0ms send udp to 192.0.2.2:9001 socket b
`, 'x.kpath');
    assert.deepEqual(callOrder(s).map((c) => c.send.socket), ['a', 'b', 'a', 'a']);
  });
});

describe('capture environment and files', () => {
  it('a missing command is named with its Debian package and the apt-get line', () => {
    const msg = preflightMessage({ problems: [], missing: [{ tool: 'tcpdump', pkg: TOOL_PACKAGES.tcpdump }, { tool: 'nft', pkg: TOOL_PACKAGES.nft }] });
    assert.match(msg, /tcpdump \(Debian package tcpdump\)/);
    assert.match(msg, /nft \(Debian package nftables\)/);
    assert.match(msg, /apt-get install -y tcpdump nftables/);
    assert.equal(TOOL_PACKAGES.ip, 'iproute2');
  });

  it('a scenario that could fill the machine-wide neighbour table is refused', () => {
    const sends = Array.from({ length: 130 }, (_, i) => `at 0ms send udp to 10.0.${i >> 8}.${(i & 255) + 2 > 254 ? 1 : (i & 255) + 2}:9000\n`).join('');
    const big = parseScenario(`link add veth0\naddr add 10.0.0.1/16 dev veth0\n${sends}`, 'big.kpath');
    assert.ok(neighbourEntries(big) > MAX_NEIGHBOURS);
    assert.match(preflight(big).problems.join('\n'), /could create \d+ neighbour entries, and the kernel's ARP table is shared/);
    const small = parseScenario(fs.readFileSync(path.join(SCENARIOS, 's13-a-udp-arp.kpath'), 'utf8'), 'a.kpath');
    assert.equal(neighbourEntries(small), 1);
    assert.ok(!preflight(small).problems.some((x) => /neighbour entries/.test(x)));
  });

  it('the helper is Python with the standard library only, and knows its modes', () => {
    const imports = [...HELPER_PY.matchAll(/^import (.+)$/gm)].flatMap((m) => m[1].split(',').map((x) => x.trim()));
    const stdlib = new Set(['sys', 'os', 'json', 'time', 'socket', 'struct', 'errno', 'subprocess', 'random', 'fcntl', 'array', 'resource']);
    for (const i of imports) assert.ok(stdlib.has(i), `imports ${i}`);
    assert.match(HELPER_PY, /mode == 'setup'/);
    assert.match(HELPER_PY, /mode == 'run'/);
  });

  it('result.json round-trips, one line per item; a capture whose pcap and result.json disagree is refused', () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'kpath-capdoc-'));
    try {
      const src = path.join(ROOT, 'test', 'captures', 's13-a-udp-arp');
      const stored = readCapture(src);
      const text = formatCaptureDoc(stored.doc);
      assert.deepEqual(JSON.parse(text) as CaptureDoc, stored.doc);
      assert.ok(text.split('\n').some((l) => l.startsWith('  {"index":0,')), 'frames and calls one per line');
      fs.copyFileSync(path.join(src, 'capture.pcap'), path.join(dir, 'capture.pcap'));
      fs.writeFileSync(path.join(dir, 'result.json'), formatCaptureDoc({ ...stored.doc, frames: stored.doc.frames.slice(1) }));
      assert.throws(() => readCapture(dir), /has 5 frames but .* describes 4/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the digest of a scenario ignores comments and positions but not what runs', () => {
    const a = parseScenario(`${BASE}at 0ms send udp to 192.0.2.2:9000\n`, 'a.kpath');
    const b = parseScenario(`# a comment\n\n${BASE}at 0ms   send udp to 192.0.2.2:9000  # same\n`, 'b.kpath');
    const c = parseScenario(`${BASE}at 0ms send udp to 192.0.2.2:9001\n`, 'a.kpath');
    assert.equal(scenarioDigest(a), scenarioDigest(b));
    assert.notEqual(scenarioDigest(a), scenarioDigest(c));
  });
});

describe('kpath capture and kpath compare (command line)', () => {
  const stored = path.join(ROOT, 'test', 'captures');

  it('compare with a stored capture: exit 0 when they agree, with the frames side by side', () => {
    const r = kpath(['compare', path.join(SCENARIOS, 's13-a-udp-arp.kpath'), '--capture', path.join(stored, 's13-a-udp-arp')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /The model and the kernel agree\./);
    assert.match(r.stdout, /ARP Who has 192\.0\.2\.2\? Tell 192\.0\.2\.1/);
  });

  it('compare: exit 1 when they differ, naming each difference; --json has the same', () => {
    // A stored capture whose first call failed: the model's succeeds.
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'kpath-differs-'));
    try {
      const src = path.join(stored, 's13-a-udp-arp');
      fs.copyFileSync(path.join(src, 'capture.pcap'), path.join(dir, 'capture.pcap'));
      const doc = readCapture(src).doc;
      doc.sends[0].result = 'EPERM';
      fs.writeFileSync(path.join(dir, 'result.json'), formatCaptureDoc(doc));
      const args = ['compare', path.join(SCENARIOS, 's13-a-udp-arp.kpath'), '--capture', dir];
      const r = kpath(args);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /call 0 \(line 8, udp to 192\.0\.2\.2:9000, socket s\): result: model ok; kernel EPERM/);
      assert.match(r.stdout, /1 difference\./);
      const j = kpath([...args, '--json']);
      assert.equal(j.status, 1);
      const out = JSON.parse(j.stdout) as { agree: boolean; differences: { field: string }[] };
      assert.equal(out.agree, false);
      assert.deepEqual(out.differences.map((d) => d.field), ['result']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad input exits 2 with a message', () => {
    const noDir = kpath(['compare', path.join(SCENARIOS, 's13-a-udp-arp.kpath'), '--capture', '/nonexistent-kpath-dir']);
    assert.equal(noDir.status, 2);
    assert.match(noDir.stderr, /cannot read .*result\.json: ENOENT/);
    const noFile = kpath(['compare', 'missing.kpath', '--capture', stored]);
    assert.equal(noFile.status, 2);
    assert.match(noFile.stderr, /cannot read missing\.kpath/);
    const usage = kpath(['capture', path.join(SCENARIOS, 's13-a-udp-arp.kpath')]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /needs a scenario file and an output directory/);
    const opt = kpath(['compare', path.join(SCENARIOS, 's13-a-udp-arp.kpath'), '--bogus']);
    assert.equal(opt.status, 2);
  });

  it('a stored capture whose pcap is cut short is refused, saying where, in the user\'s language', () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'kpath-cut-'));
    try {
      const src = path.join(stored, 's13-a-udp-arp');
      fs.copyFileSync(path.join(src, 'result.json'), path.join(dir, 'result.json'));
      const pcap = fs.readFileSync(path.join(src, 'capture.pcap'));
      fs.writeFileSync(path.join(dir, 'capture.pcap'), pcap.subarray(0, pcap.length - 3));
      // Where the last record starts (the one the cut falls in), walked here from the record lengths.
      let last = 24;
      for (let p = 24; p < pcap.length; p += 16 + pcap.readUInt32LE(p + 8)) last = p;
      const args = ['compare', path.join(SCENARIOS, 's13-a-udp-arp.kpath'), '--capture', dir];
      const en = kpath(args);
      assert.equal(en.status, 2, en.stderr);
      assert.match(en.stderr, new RegExp(`cannot read .*capture\\.pcap: pcap: the record at byte ${last} runs past the end of the file`));
      const zh = kpath(args, { env: { KPATH_LANGUAGE: 'zh-cn' } });
      assert.equal(zh.status, 2, zh.stderr);
      assert.match(zh.stderr, new RegExp(`第 ${last} 字节处的记录超出了文件末尾`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('help for both commands, and both in kpath --help', () => {
    assert.match(kpath(['capture', '--help']).stdout, /Usage: kpath capture FILE\.kpath OUTDIR/);
    assert.match(kpath(['compare', '--help']).stdout, /Usage: kpath compare FILE\.kpath/);
    const main = kpath(['--help']).stdout;
    assert.match(main, /kpath capture FILE\.kpath OUTDIR/);
    assert.match(main, /kpath compare FILE\.kpath/);
  });
});
