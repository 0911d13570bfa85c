// kpath capture runs as root what a scenario says. Scenarios written to break out (quotes,
// semicolons, newlines, `$(...)`, `..`, options where names go, nft rule text aiming at other
// tables or namespaces) are each refused by the parser, or planned into commands that cannot do
// harm: argument vectors (no shell) that each name one of the capture's own namespaces, an nft
// script of kpath's own tables only, and /proc/sys paths inside the namespace. Stale namespaces
// are removed only when this machine's kpath made them for a process that is gone; the helper is
// the system's Python, isolated, in `/`.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseScenarioAll } from '../../src/model/scenario/parse';
import type { Scenario } from '../../src/model/scenario/types';
import { planCapture, type CapturePlan } from '../../src/capture/plan';
import { captureScenario, preflight, removeStaleNamespaces, PYTHON } from '../../src/capture/live';
import { ownersDir, readOwner, recordOwner, type Owner } from '../../src/capture/owners';

const BASE = 'link add veth0\naddr add 192.0.2.1/24 dev veth0\npeer 192.0.2.2 lladdr 02:00:00:00:00:02\n';
const SEND = 'at 0ms send udp to 192.0.2.2:9000\n';

/** Lines that try to run something, reach a file or leave the namespace. */
const HOSTILE = [
  "link add 'x';rm -rf / type veth",
  'link add $(reboot)',
  'link add `reboot`',
  'link add ../../etc',
  'link add ..',
  'link add a;b',
  'link add a|b',
  'link add "veth1"',
  'link add -x',
  'link add --help',
  'link add veth1 type veth mtu 1500;reboot',
  'addr add 192.0.2.9/24 dev veth0;reboot',
  'addr add $(reboot)/24 dev veth0',
  'route add 10.0.0.0/8 dev veth0 table main;reboot',
  'route add default via 192.0.2.254 dev -n',
  'neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev $(x)',
  'neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev veth0 nud permanent\u0000reboot',
  'sysctl ../../etc/shadow=1',
  'sysctl net.ipv4.neigh.veth0/../../../../etc/passwd.x=1',
  'sysctl net.ipv4.neigh.../../../etc.mcast_solicit=1',
  'sysctl net.ipv4.ip_default_ttl=64;reboot',
  'sysctl net.ipv4.ip_default_ttl=$(reboot)',
  'sysctl net.ipv4.ip_default_ttl=64\nreboot',
  'sysctl /proc/sys/kernel/core_pattern=|/tmp/x',
  'nft add rule ip filter postrouting udp dport 9 drop; flush ruleset',
  'nft add rule ip filter postrouting udp dport 9 drop\nflush ruleset',
  'nft add rule ip filter postrouting udp dport 9 drop\r\nflush ruleset',
  'nft add rule inet filter postrouting drop',
  'nft add rule ip filter output drop',
  'nft add rule ip filter input drop',
  'nft add rule ip filter postrouting meta mark 3 drop comment "$(reboot)"',
  'nft add rule ip filter postrouting jump x',
  'nft add table ip filter',
  'nft flush ruleset',
  'nft -f /etc/passwd',
  'nft add rule ip filter postrouting ip daddr 10.0.0.1 counter accept # ; flush ruleset',
  'nft add rule ip nat postrouting oif veth0 snat to 192.0.2.9 # $(reboot)',
  "nft add rule ip ../../x postrouting drop",
  'nft add rule ip filter postrouting oifname "eth0; flush ruleset" drop',
  'nft add rule ip filter postrouting oifname "$(reboot)" drop',
  'nft add rule ip filter postrouting dup to 192.0.2.9 device veth0;flush ruleset',
  'nft add rule ip filter output dup to 192.0.2.9 device "veth0; flush ruleset"',
  'nft add rule ip filter output dup to $(reboot)',
  'nft add rule ip mangle output meta mark set 7 ; flush ruleset',
  'nft add rule ip nat output drop',
  'rule add fwmark 7 lookup 100;reboot',
  'rule add oif $(reboot) lookup 100',
  'rule add from 192.0.2.0/24 lookup 255',
  'rule add to ../../etc lookup 100',
  'route add default via 192.0.2.254 dev veth0 table 100;reboot',
  'route add default via 192.0.2.254 dev veth0 table local',
  'link add veth0.10 link veth0 type vlan id 10;reboot',
  'link add v10 link $(reboot) type vlan id 10',
  'at 0ms send udp to 192.0.2.2:9 socket $(id)',
  "at 0ms send udp to 192.0.2.2:9 socket a'b",
  'at 0ms send udp to 192.0.2.2:9 bind-dev ../lo',
  'at 0ms send udp to 192.0.2.2:9;reboot',
  'at 0ms send udp to 192.0.2.2:9 size 10 ip-options $(reboot)',
  'peer 192.0.2.3 lladdr 02:00:00:00:00:03;reboot',
  'peer 192.0.2.3 lladdr 02:00:00:00:00:03 dev ../../x',
  'join 239.1.2.3 dev $(reboot)',
  'kernel 6.18;reboot',
];

const SHELL_CHARS = /[;|&$`'"\\\n\r\0<>*?(){}]/;
const TABLES = new Set(['filter', 'nat', 'mangle']);

function plan(s: Scenario): CapturePlan {
  return planCapture(s, { prefix: 'kpath-4242-0', helperPath: '/tmp/kpath-4242-x/helper.py', python: PYTHON, end: 1e9 });
}

/** Each command runs without a shell and names one of the plan's namespaces; its words come from kpath's own vocabulary. */
function assertHarmless(p: CapturePlan, line: string): void {
  const own = new Set(p.namespaces);
  const where = (argv: string[]): string => `${JSON.stringify(argv)} planned from ${JSON.stringify(line)}`;
  const commands = [...p.setup.map((st) => st.argv), ...p.helper.actions.flatMap((a) => (a.kind === 'exec' ? [a.argv] : []))];
  for (const argv of commands) {
    assert.equal(argv[0], 'ip', where(argv));
    if (argv[1] === 'netns' && argv[2] === 'add') assert.ok(own.has(argv[3]) && argv.length === 4, where(argv));
    else if (argv[1] === 'netns' && argv[2] === 'exec') assert.ok(own.has(argv[3]), where(argv));
    else assert.ok(argv[1] === '-n' && own.has(argv[2]), where(argv));
    for (const word of argv) assert.ok(!SHELL_CHARS.test(word), `a word with shell characters: ${where(argv)}`);
    // The helper: the system's Python, isolated.
    const py = argv.indexOf(PYTHON);
    if (py >= 0) assert.equal(argv[py + 1], '-I', where(argv));
    // sysctls: paths under /proc/sys of the namespace, never climbing out of it.
    if (py >= 0 && argv.includes('setup')) {
      for (const item of argv.slice(argv.indexOf('setup') + 1)) {
        if (item.startsWith('offload:')) continue;
        const file = item.slice(0, item.indexOf('='));
        assert.ok(!file.startsWith('/') && !file.split('/').includes('..'), `sysctl path ${file}: ${where(argv)}`);
      }
    }
  }
  for (const st of p.setup) {
    if (st.input === undefined) continue;
    for (const l of st.input.trim().split('\n')) {
      const m = /^add (?:table|chain|rule) ip (\S+)(?: (?:postrouting|output)\b|$)/.exec(l);
      assert.ok(m && TABLES.has(m[1]), `nft script line ${JSON.stringify(l)} from ${JSON.stringify(line)}`);
      assert.ok(!/[;$`#]/.test(l.replace(/\{[^}]*\}/, '')), `nft script line ${JSON.stringify(l)} from ${JSON.stringify(line)}`);
    }
  }
}

describe('kpath capture and hostile scenarios', () => {
  for (const line of HOSTILE) {
    it(`refused or harmless: ${JSON.stringify(line)}`, () => {
      const r = parseScenarioAll(BASE + line + '\n' + SEND, 'hostile.kpath');
      if (r.errors.length) {
        for (const e of r.errors) assert.match(e.message, /^hostile\.kpath:\d+:\d+: /, 'an error with its line and column');
        return;
      }
      assertHarmless(plan(r.scenario!), line);
    });
  }

  it('the plan of every test scenario is harmless too', () => {
    const dir = path.join(__dirname, '..', '..', '..', 'test', 'scenarios');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.kpath'))) {
      const r = parseScenarioAll(fs.readFileSync(path.join(dir, f), 'utf8'), f);
      if (r.scenario) assertHarmless(plan(r.scenario), f);
    }
  });
});

describe('stale namespaces', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-owners-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const self: Owner = { pid: 100, start: '5000', pidns: 'pid:[1]', boot: 'b1' };
  /** Processes of this PID namespace: pid -> start time. */
  const procs = new Map<number, string>([[100, '5000'], [200, '6000'], [300, '7777']]);
  const startOf = (pid: number): string | undefined => procs.get(pid);

  it('only those this machine\'s kpath made, for a process of this PID namespace that is gone', () => {
    const dir = ownersDir(path.join(tmp, 'records'));
    recordOwner(dir, 'kpath-200-0-h', { pid: 200, start: '6000', pidns: 'pid:[1]', boot: 'b1' }); // alive
    recordOwner(dir, 'kpath-300-0-h', { pid: 300, start: '7000', pidns: 'pid:[1]', boot: 'b1' }); // pid now another process's
    recordOwner(dir, 'kpath-400-0-h', { pid: 400, start: '8000', pidns: 'pid:[1]', boot: 'b1' }); // gone
    recordOwner(dir, 'kpath-400-0-p0', { pid: 400, start: '8000', pidns: 'pid:[1]', boot: 'b1' });
    recordOwner(dir, 'kpath-500-0-h', { pid: 500, start: '1', pidns: 'pid:[2]', boot: 'b1' }); // another PID namespace
    recordOwner(dir, 'kpath-100-3-h', self); // this process
    recordOwner(dir, 'kpath-700-0-h', { pid: 700, start: '1', pidns: 'pid:[1]', boot: 'b0' }); // before a reboot
    recordOwner(dir, 'kpath-800-0-h', { pid: 800, start: '1', pidns: 'pid:[1]', boot: 'b1' }); // its namespace is gone already
    fs.writeFileSync(path.join(dir, 'kpath-900-0-h'), JSON.stringify({ pid: 901, start: '1', pidns: 'pid:[1]', boot: 'b1' })); // pid not the name's
    const names = ['kpath-200-0-h', 'kpath-300-0-h', 'kpath-400-0-h', 'kpath-400-0-p0', 'kpath-500-0-h', 'kpath-100-3-h', 'kpath-700-0-h',
      'kpath-600-0-h', 'kpath-900-0-h', 'kpath-1-x', 'kpath-400-0-h-extra', 'blue', 'kpath-400-../../x'];
    const deleted: string[] = [];
    const gone = removeStaleNamespaces({ dir, self, startOf, list: () => names, del: (n) => (deleted.push(n), true) });
    assert.deepEqual(gone.sort(), ['kpath-300-0-h', 'kpath-400-0-h', 'kpath-400-0-p0', 'kpath-700-0-h']);
    assert.deepEqual(deleted.sort(), gone);
    for (const n of gone) assert.equal(readOwner(dir, n), undefined, `the record of ${n} is removed with it`);
    assert.equal(readOwner(dir, 'kpath-800-0-h'), undefined, 'a record whose namespace and process are gone is removed');
    for (const n of ['kpath-200-0-h', 'kpath-500-0-h', 'kpath-100-3-h']) assert.ok(readOwner(dir, n), `${n} keeps its record`);
  });

  it('a namespace whose deletion fails keeps its record', () => {
    const dir = ownersDir(path.join(tmp, 'records2'));
    recordOwner(dir, 'kpath-400-1-h', { pid: 400, start: '8000', pidns: 'pid:[1]', boot: 'b1' });
    assert.deepEqual(removeStaleNamespaces({ dir, self, startOf, list: () => ['kpath-400-1-h'], del: () => false }), []);
    assert.ok(readOwner(dir, 'kpath-400-1-h'));
  });

  it('the records\' folder: refused when others may write it or it is a link; a record is never written through a link', () => {
    const open = path.join(tmp, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    assert.throws(() => ownersDir(open), /only it can write/);
    const link = path.join(tmp, 'link');
    fs.symlinkSync(path.join(tmp, 'records'), link);
    assert.throws(() => ownersDir(link), /only it can write/);
    const dir = ownersDir(path.join(tmp, 'records3'));
    const target = path.join(tmp, 'target');
    fs.writeFileSync(target, 'untouched');
    fs.symlinkSync(target, path.join(dir, 'kpath-1-0-h'));
    recordOwner(dir, 'kpath-1-0-h', self);
    assert.equal(fs.readFileSync(target, 'utf8'), 'untouched');
    assert.throws(() => recordOwner(dir, '../kpath-1-0-h', self), /not a kpath namespace name/);
  });
});

// As root, with the tools: a capture neither runs the python3 that PATH finds first nor imports
// modules from PYTHONPATH or the current folder.
const canCapture = ((): string | false => {
  if (process.env.KPATH_LIVE === '0') return 'KPATH_LIVE=0';
  const pre = preflight(parseScenarioAll(BASE + SEND, 'x.kpath').scenario!);
  return pre.problems.length || pre.missing.length ? [...pre.problems, ...pre.missing.map((m) => `no ${m.tool}`)].join('; ') : false;
})();

describe('the capture helper (live)', { skip: canCapture }, () => {
  it('is /usr/bin/python3 -I in /: PATH, PYTHONPATH and the current folder change nothing', async () => {
    const trap = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-trap-'));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-trap-out-'));
    const marker = path.join(trap, 'ran');
    const saved = { path: process.env.PATH, pythonpath: process.env.PYTHONPATH, cwd: process.cwd() };
    try {
      // A python3 first on PATH, and modules the helper imports, each leaving a mark if run.
      fs.writeFileSync(path.join(trap, 'python3'), `#!/bin/sh\necho python3 >> ${marker}\nexec /usr/bin/python3 "$@"\n`, { mode: 0o755 });
      for (const m of ['json', 'socket', 'struct', 'errno', 'time']) fs.writeFileSync(path.join(trap, `${m}.py`), `open(${JSON.stringify(marker)}, 'a').write('${m}\\n')\n`);
      process.env.PATH = `${trap}:${saved.path ?? ''}`;
      process.env.PYTHONPATH = trap;
      process.chdir(trap);
      const s = parseScenarioAll(BASE + SEND, 'trap.kpath').scenario!;
      const doc = await captureScenario(s, out, { end: 200_000_000, scenarioPath: 'trap.kpath' });
      assert.ok(doc.frames.length > 0, 'the capture ran');
      assert.equal(fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '', '', 'nothing of the trap ran');
    } finally {
      process.chdir(saved.cwd);
      process.env.PATH = saved.path;
      if (saved.pythonpath === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved.pythonpath;
      fs.rmSync(trap, { recursive: true, force: true });
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
