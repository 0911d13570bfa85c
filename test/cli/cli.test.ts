// The headless command as a user runs it: `node dist/cli.js ...` in a child process, with its exit
// status, stdout and stderr, the files it writes, and what tshark makes of its captures.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  CLI,
  DEFAULT_SCENARIO,
  REPO_ROOT,
  describeRun,
  kpath,
  kpathBytes,
  makeTempDir,
  removeTempDir,
  stackLines,
  KpathRun,
} from '../helpers/cli';
import { BASE, RICH, writeScenario } from '../helpers/scenarios';
import { tsharkAvailable, tsharkCheck } from '../helpers/tshark';
import { syntheticTree } from '../helpers/linux-tree';

const dir = makeTempDir('kpath-cli-');
after(() => removeTempDir(dir));

function ok(r: KpathRun): void {
  assert.equal(r.status, 0, describeRun(r));
  assert.equal(r.stderr, '', describeRun(r));
}

/** A user-facing failure: exit 2, nothing on stdout, a message on stderr, no stack trace. */
function usageFailure(r: KpathRun): void {
  assert.equal(r.status, 2, describeRun(r));
  assert.equal(r.stdout, '', describeRun(r));
  assert.notEqual(r.stderr.trim(), '', describeRun(r));
  assert.deepEqual(stackLines(r.stderr), [], describeRun(r));
  assert.doesNotMatch(r.stderr, /internal error/, describeRun(r));
}

/** The names in the function column of a text trace. */
function traceFunctions(stdout: string): string[] {
  const names: string[] = [];
  for (const line of stdout.split('\n')) {
    // "     0.000000ms task    #1      ip_send_skb   len   128  ..."
    const m = /^\s*\d+\.\d{6}ms (\S+)\s+(?:#\d+)?\s+(\S+)/.exec(line);
    if (m) names.push(m[2]);
  }
  return names;
}

/** Minimal pcap reader: global header fields and the records, checked against the file's length. */
function readCapture(file: string): { magic: number; linktype: number; snaplen: number; records: { sec: number; ns: number; data: Buffer }[] } {
  const b = fs.readFileSync(file);
  assert.ok(b.length >= 24, `${file}: ${b.length} bytes, shorter than a pcap header`);
  const records: { sec: number; ns: number; data: Buffer }[] = [];
  let p = 24;
  while (p < b.length) {
    assert.ok(p + 16 <= b.length, `${file}: truncated record header at byte ${p}`);
    const incl = b.readUInt32LE(p + 8);
    const orig = b.readUInt32LE(p + 12);
    assert.equal(incl, orig, `${file}: record at byte ${p} was cut (incl ${incl}, orig ${orig})`);
    assert.ok(p + 16 + incl <= b.length, `${file}: truncated record at byte ${p}`);
    records.push({ sec: b.readUInt32LE(p), ns: b.readUInt32LE(p + 4), data: b.subarray(p + 16, p + 16 + incl) });
    p += 16 + incl;
  }
  return { magic: b.readUInt32LE(0), linktype: b.readUInt32LE(20), snaplen: b.readUInt32LE(16), records };
}

/** Files in `d` that look like a temporary file of an atomic write of `name`. */
function leftovers(d: string, name: string): string[] {
  return fs.readdirSync(d).filter((f) => f.startsWith(`.${name}.`) || f.endsWith('.tmp'));
}

// ---- the default scenario ----

test('run: the default scenario exits 0 and reports the socket calls, frames, neighbours and counters', () => {
  const r = kpath(['run', DEFAULT_SCENARIO]);
  ok(r);
  const out = r.stdout;
  assert.match(out, /^kernel 6\.18, scenario .*default\.kpath, ran to 10\.000000 ms$/m);
  assert.doesNotMatch(out, /^Trace/m, 'no trace without --trace');
  // Two socket calls, both successful.
  assert.match(out, /^Socket calls:$/m);
  assert.match(out, /^\s+0\.000000 ms\s+line \d+\s+udp to 192\.0\.2\.2:9000 size 100 \[#0\] -> ok$/m);
  assert.match(out, /^\s+10\.000000 ms\s+line \d+\s+udp to 192\.0\.2\.2:9000 size 3000 \[#1\] -> ok$/m);
  // Six frames: ARP request, ARP reply, the datagram, three fragments (docs/kernel.md, s13-a, s13-b).
  assert.match(out, /^Frames \(6\):$/m);
  const frames = out.split('\n').filter((l) => /^\s+\d+\s+\d+\.\d{6}\s+eth0\s/.test(l));
  assert.equal(frames.length, 6, out);
  assert.match(frames[0], /eth0\s+tx\s+02:00:00:00:00:01\s+Broadcast\s+ARP\s+42\s+Who has 192\.0\.2\.2\? Tell 192\.0\.2\.1$/);
  assert.match(frames[1], /eth0\s+rx\s+02:00:00:00:00:02\s+02:00:00:00:00:01\s+ARP\s+42\s+192\.0\.2\.2 is at 02:00:00:00:00:02$/);
  assert.match(frames[2], /eth0\s+tx\s+192\.0\.2\.1\s+192\.0\.2\.2\s+UDP\s+142\s+\d+ → 9000 Len=100$/);
  const fragRe = /^\s+\d+\s+10\.000000\s+eth0\s+tx\s+192\.0\.2\.1\s+192\.0\.2\.2\s+IPv4\s+(\d+)\s+Fragmented IP protocol \(proto=UDP 17, off=(\d+), ID=([0-9a-f]{4})\)$/;
  const frags = frames.slice(3).map((l) => fragRe.exec(l));
  assert.ok(frags.every(Boolean), frames.slice(3).join('\n'));
  assert.deepEqual(frags.map((m) => Number(m![1])), [1514, 1514, 82]);
  assert.deepEqual(frags.map((m) => Number(m![2])), [0, 1480, 2960]);
  assert.equal(new Set(frags.map((m) => m![3])).size, 1, 'one IP ID for all fragments');
  // The neighbour resolved, and the counters that moved.
  assert.match(out, /^\s+192\.0\.2\.2 dev eth0 lladdr 02:00:00:00:00:02 REACHABLE probes 4$/m);
  assert.match(out, /^\s+Ip: .*OutRequests 2\b/m);
  assert.match(out, /^\s+Ip: .*FragOKs 1, FragCreates 3\b/m);
  assert.match(out, /^\s+eth0: tx 5 packets 3294 bytes, rx 1 packets 42 bytes$/m);
  assert.doesNotMatch(out, /^Drops/m);
});

test('run: works from any working directory and with a relative path', () => {
  const abs = kpath(['run', DEFAULT_SCENARIO], { cwd: dir });
  const rel = kpath(['run', path.relative(REPO_ROOT, DEFAULT_SCENARIO)], { cwd: REPO_ROOT });
  ok(abs);
  ok(rel);
  // Only the scenario name in the first line differs.
  const body = (s: string) => s.split('\n').slice(1).join('\n');
  assert.equal(body(abs.stdout), body(rel.stdout));
});

test('--version prints the package version', () => {
  const r = kpath(['--version']);
  ok(r);
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(r.stdout, `kpath ${version}\n`);
});

// ---- help ----

const MAIN_WORDS = ['run', 'functions', '--help', '--version'];
const RUN_OPTIONS = ['--pcap', '--trace', '--json', '--break', '--kernel', '--counts', '--records', '--help', '-h'];

test('--help, -h and help print the usage with every command and exit 0', () => {
  for (const arg of ['--help', '-h', 'help']) {
    const r = kpath([arg]);
    ok(r);
    for (const w of MAIN_WORDS) assert.ok(r.stdout.includes(w), `kpath ${arg} does not mention ${w}\n${r.stdout}`);
    assert.match(r.stdout, /kpath run --help/, 'points to the help of run');
    assert.match(r.stdout, /Exit status/i);
  }
});

test('every command the usage lists answers --help with exit 0', () => {
  const usage = kpath(['--help']).stdout;
  const commands = [...usage.matchAll(/^ {2}kpath ([a-z]+)\b/gm)].map((m) => m[1]);
  assert.ok(commands.includes('run') && commands.includes('functions'), usage);
  for (const c of commands) {
    const r = kpath([c, '--help']);
    assert.equal(r.status, 0, describeRun(r));
    assert.notEqual(r.stdout, '', describeRun(r));
  }
});

test('run --help and run -h mention every option of run and exit 0', () => {
  for (const args of [['run', '--help'], ['run', '-h'], ['run', DEFAULT_SCENARIO, '--help']]) {
    const r = kpath(args);
    ok(r);
    for (const o of RUN_OPTIONS) assert.match(r.stdout, new RegExp(`(^|\\s)${o}\\b`), `kpath ${args.join(' ')} does not mention ${o}`);
    assert.match(r.stdout, /6\.18/);
    assert.match(r.stdout, /4\.9/);
    assert.match(r.stdout, /docs\/json\.md/, 'points to the --json reference');
  }
});

test('every --option that run --help mentions is one run accepts', () => {
  const help = kpath(['run', '--help']).stdout;
  const mentioned = [...new Set(help.match(/--[a-z][a-z-]*/g) ?? [])];
  assert.deepEqual([...mentioned].sort(), ['--break', '--counts', '--help', '--json', '--kernel', '--kernel-source', '--pcap', '--records', '--trace'].sort());
  for (const o of mentioned) {
    if (o === '--help') continue;
    const args = ['run', DEFAULT_SCENARIO, o];
    if (o === '--pcap') args.push(path.join(dir, 'help-check.pcap'));
    if (o === '--break') args.push('ip_output');
    if (o === '--kernel') args.push('4.9');
    if (o === '--kernel-source') args.push(syntheticTree('6.1.0', { 'net/ipv4/ip_output.c': 'int ip_output(void)\n{\n\treturn 0;\n}\n' }));
    const r = kpath(args, { env: { XDG_CACHE_HOME: dir } });
    assert.equal(r.status, 0, describeRun(r));
  }
});

test('kpath with no arguments prints the usage and exits 2', () => {
  const r = kpath([]);
  assert.equal(r.status, 2, describeRun(r));
  assert.match(r.stdout + r.stderr, /Usage:/);
  assert.deepEqual(stackLines(r.stderr), []);
});

// ---- bad scenarios ----

interface BadScenario {
  name: string;
  /** Lines added after BASE (or the whole text when `whole`). */
  text: string;
  whole?: boolean;
  /** The word the error points at, on the offending line (its first occurrence after `after`). */
  word: string;
  after?: string;
  /** The offending line's text, when it is not the last line of `text`. */
  lineText?: string;
  message: RegExp;
}

const BAD: BadScenario[] = [
  { name: 'unknown word', text: 'sned udp to 192.0.2.2:9000', word: 'sned', message: /unknown word "sned"; expected one of: .*\bat\b/ },
  { name: 'bad address', text: 'at 0ms send udp to 192.0.2.300:9000', word: '192.0.2.300', message: /expected an IPv4 address, found "192\.0\.2\.300"/ },
  { name: 'bad MAC', text: 'peer 192.0.2.3 lladdr 02:00:00:00:00:zz', word: '02:00:00:00:00:zz', message: /expected a MAC address/ },
  { name: 'prefix 33', text: 'route add 10.0.0.0/33 dev eth0', word: '33', message: /prefix length 0\.\.32, found 33/ },
  { name: 'duplicate link', text: 'link add eth0 type ethernet', word: 'eth0', message: /a link named eth0 already exists \(line 1\)/ },
  { name: 'route on an unknown device', text: 'route add 10.0.0.0/8 dev eth9', word: 'eth9', message: /no link named eth9/ },
  { name: 'send from an address the host does not own', text: 'at 0ms send udp to 192.0.2.2:9000 from 10.9.9.9', word: '10.9.9.9', message: /the host does not own 10\.9\.9\.9/ },
  {
    name: 'time going backwards',
    text: 'at 10ms send udp to 192.0.2.2:9000\nat 5ms send udp to 192.0.2.2:9000',
    word: '5ms',
    message: /time goes backwards: 5ms is before the previous send at 10ms/,
  },
  { name: 'ttl out of range', text: 'at 0ms send udp to 192.0.2.2:9000 ttl 256', word: '256', message: /ttl must be 0\.\.255, found 256/ },
  { name: 'mtu out of range', text: 'link add eth1 mtu 70000', word: '70000', message: /mtu must be 68\.\.65535, found 70000/ },
  { name: 'port out of range', text: 'at 0ms send udp to 192.0.2.2:65536', word: '65536', message: /port must be 1\.\.65535, found 65536/ },
  { name: 'duration without a unit', text: 'at 5 send udp to 192.0.2.2:9000', word: '5', message: /unit|duration/ },
  { name: 'an option given twice', text: 'at 0ms send udp to 192.0.2.2:9000 size 1 size 2', word: 'size', after: 'size 1 ', message: /size is given twice/ },
  { name: 'unknown kernel', text: 'kernel 5.0\n' + BASE, whole: true, word: '5.0', lineText: 'kernel 5.0', message: /6\.18|4\.9/ },
];

for (const b of BAD) {
  test(`bad scenario (${b.name}): exit 2 with FILE:LINE:COL: message on stderr, no stack trace`, () => {
    const text = b.whole ? b.text : `${BASE}\n${b.text}\n`;
    const file = writeScenario(dir, `bad-${b.name.replace(/\W+/g, '-')}.kpath`, text);
    const r = kpath(['run', file]);
    usageFailure(r);
    const lines = text.split('\n');
    const lineText = b.lineText ?? (b.whole ? undefined : b.text.split('\n').at(-1));
    const lineNo = lines.indexOf(lineText!) + 1;
    assert.ok(lineNo > 0, `test bug: no line ${lineText}`);
    const start = b.after ? lineText!.indexOf(b.after) + b.after.length : 0;
    const col = lineText!.indexOf(b.word, start) + 1;
    const errLines = r.stderr.trimEnd().split('\n');
    const first = errLines[0];
    const prefix = `${file}:${lineNo}:${col}: `;
    assert.ok(first.startsWith(prefix), `expected "${prefix}..." got:\n${r.stderr}`);
    assert.match(first.slice(prefix.length), b.message);
    // Every line of the message names a place in the file.
    for (const l of errLines) assert.match(l, /^.+:\d+:\d+: \S/, r.stderr);
  });
}

test('a bad scenario never runs half-way: nothing on stdout, no pcap written', () => {
  const file = writeScenario(dir, 'half.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:9000\nat 1ms send udp to 192.0.2.2:9000 ttl 999\n`);
  const out = path.join(dir, 'half.pcap');
  const r = kpath(['run', file, '--pcap', out, '--trace']);
  usageFailure(r);
  assert.ok(!fs.existsSync(out), 'no pcap for a scenario with an error');
  assert.deepEqual(leftovers(dir, 'half.pcap'), []);
});

test('a file with several errors reports every one of them, in file order (docs/scenario.md, Errors)', () => {
  const text = [
    'link add eth0 mtu 1500 address 02:00:00:00:00:01',
    'addr add 192.0.2.1/24 dev eth0',
    'link add eth0 type ethernet',
    'addr add 198.51.100.1/24 dev eth1',
    'sned udp to 192.0.2.2:9000',
    '',
  ].join('\n');
  const file = writeScenario(dir, 'several.kpath', text);
  const r = kpath(['run', file]);
  usageFailure(r);
  const lines = r.stderr.trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => l.slice(file.length + 1).split(':').slice(0, 2).join(':')), ['3:10', '4:30', '5:1'], r.stderr);
});

// ---- bad arguments ----

const BAD_ARGS: { name: string; args: string[]; message: RegExp }[] = [
  { name: 'unknown option', args: ['run', DEFAULT_SCENARIO, '--bogus'], message: /unknown option --bogus/ },
  { name: 'missing file', args: ['run'], message: /needs a scenario file/ },
  { name: 'nonexistent file', args: ['run', '/nonexistent/kpath/none.kpath'], message: /cannot read \/nonexistent\/kpath\/none\.kpath: ENOENT/ },
  { name: 'a directory as the file', args: ['run', REPO_ROOT], message: /cannot read .*EISDIR/ },
  { name: 'two files', args: ['run', DEFAULT_SCENARIO, DEFAULT_SCENARIO], message: /one scenario file at a time/ },
  { name: '--break of an unknown function', args: ['run', DEFAULT_SCENARIO, '--break', 'no_such_function'], message: /--break no_such_function: not a modeled function/ },
  { name: '--break of a 4.9-only function on 6.18', args: ['run', DEFAULT_SCENARIO, '--break', 'dst_neigh_output'], message: /dst_neigh_output is not on the 6\.18 path/ },
  { name: '--break of a 6.18-only function on 4.9', args: ['run', DEFAULT_SCENARIO, '--kernel', '4.9', '--break', 'neigh_output'], message: /neigh_output is not on the 4\.9 path/ },
  { name: '--kernel 5.0', args: ['run', DEFAULT_SCENARIO, '--kernel', '5.0'], message: /--kernel must be 6\.18 or 4\.9, not "5\.0"/ },
  { name: '--kernel=5.0', args: ['run', DEFAULT_SCENARIO, '--kernel=5.0'], message: /--kernel must be 6\.18 or 4\.9/ },
  { name: '--kernel without a value', args: ['run', DEFAULT_SCENARIO, '--kernel'], message: /--kernel needs a value/ },
  { name: '--pcap without a value', args: ['run', DEFAULT_SCENARIO, '--pcap'], message: /--pcap needs a value/ },
  { name: '--break followed by an option', args: ['run', DEFAULT_SCENARIO, '--break', '--trace'], message: /--break needs a value/ },
  { name: 'unknown command', args: ['frobnicate'], message: /unknown command "frobnicate"/ },
];

for (const b of BAD_ARGS) {
  test(`bad arguments (${b.name}): exit 2 with a one-line message, no stack trace`, () => {
    const r = kpath(b.args);
    usageFailure(r);
    assert.match(r.stderr, /^kpath: /);
    assert.match(r.stderr, b.message);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  });
}

test('--pcap into a directory that does not exist: exit 2 with a message, no stack trace', () => {
  const r = kpath(['run', DEFAULT_SCENARIO, '--pcap', path.join(dir, 'no', 'such', 'dir', 'x.pcap')]);
  usageFailure(r);
  assert.match(r.stderr, /^kpath: .*x\.pcap/);
});

test('--pcap naming a directory: exit 2, and no temporary file is left beside it', () => {
  const sub = fs.mkdtempSync(path.join(dir, 'pcapdir-'));
  const target = path.join(sub, 'capture');
  fs.mkdirSync(target);
  const r = kpath(['run', DEFAULT_SCENARIO, '--pcap', target]);
  try {
    usageFailure(r);
  } finally {
    const left = leftovers(sub, 'capture');
    for (const f of left) fs.rmSync(path.join(sub, f), { force: true });
    assert.deepEqual(left, [], 'temporary files left behind');
  }
});

// ---- --json ----

test('--json prints one JSON document with the documented keys (details: json-shape.test.ts)', () => {
  const r = kpath(['run', DEFAULT_SCENARIO, '--json']);
  ok(r);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(doc), ['kpath', 'kernel', 'scenario', 'endTime', 'sends', 'frames', 'drops', 'icmp', 'delivered', 'sockets', 'counters', 'neighbours', 'netfilter']);
  assert.equal(doc.kpath, 1);
  assert.equal(doc.kernel, '6.18');
  assert.equal(doc.scenario, DEFAULT_SCENARIO);
  assert.equal(doc.endTime, 10_000_000, 'times are in ns');
  const sends = doc.sends as { result: string; time: number; size: number }[];
  assert.deepEqual(sends.map((s) => [s.time, s.size, s.result]), [[0, 100, 'ok'], [10_000_000, 3000, 'ok']]);
  const frames = doc.frames as { len: number; dir: string; hex: string; time: number }[];
  assert.deepEqual(frames.map((f) => f.len), [42, 42, 142, 1514, 1514, 82]);
  assert.deepEqual(frames.map((f) => f.dir), ['tx', 'rx', 'tx', 'tx', 'tx', 'tx']);
  assert.deepEqual(frames.map((f) => f.time), [0, 0, 0, 10_000_000, 10_000_000, 10_000_000]);
  for (const f of frames) assert.equal(f.hex.length, 2 * f.len);
  assert.deepEqual(doc.drops, []);
  assert.deepEqual(doc.icmp, []);
  assert.ok(!r.stdout.includes('Socket calls:'), 'no text report with --json');
});

test('--json with --trace adds "trace", with --break adds "breaks" (and a trace of the hits only)', () => {
  const t = kpath(['run', DEFAULT_SCENARIO, '--json', '--trace']);
  ok(t);
  const dt = JSON.parse(t.stdout) as { trace: { function: string; hit: number }[]; breaks?: unknown };
  assert.ok(Array.isArray(dt.trace) && dt.trace.length > 20);
  assert.equal(dt.breaks, undefined);
  assert.ok(dt.trace.every((l) => l.hit === 0));
  const b = kpath(['run', DEFAULT_SCENARIO, '--json', '--break', 'ip_finish_output2']);
  ok(b);
  const db = JSON.parse(b.stdout) as { trace: { function: string; hit: number }[]; breaks: Record<string, number> };
  assert.deepEqual(db.breaks, { ip_finish_output2: 4 });
  assert.deepEqual(db.trace.map((l) => [l.function, l.hit]), [1, 2, 3, 4].map((n) => ['ip_finish_output2', n]));
  const plain = kpath(['run', DEFAULT_SCENARIO, '--json']);
  const dp = JSON.parse(plain.stdout) as Record<string, unknown>;
  assert.ok(!('trace' in dp) && !('breaks' in dp));
});

test('--json of a scenario with an error prints nothing on stdout', () => {
  const file = writeScenario(dir, 'json-bad.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:0\n`);
  usageFailure(kpath(['run', file, '--json']));
});

// ---- --pcap ----

test('--pcap writes a capture that tshark reads with no malformed packet and every checksum valid', { skip: !tsharkAvailable() && 'tshark is not installed' }, () => {
  for (const [name, text] of [['default', fs.readFileSync(DEFAULT_SCENARIO, 'utf8')], ['rich', RICH]] as const) {
    const scenario = writeScenario(dir, `tshark-${name}.kpath`, text);
    const out = path.join(dir, `tshark-${name}.pcap`);
    const r = kpath(['run', scenario, '--pcap', out, '--json']);
    ok(r);
    const doc = JSON.parse(r.stdout) as { frames: { len: number; time: number }[] };
    const t = tsharkCheck(out);
    assert.deepEqual(t.problems, [], `${name}: tshark found problems`);
    assert.equal(t.frames, doc.frames.length, name);
    assert.deepEqual(t.lens, doc.frames.map((f) => f.len), name);
    const epoch = (ns: number) => `${Math.floor(ns / 1e9)}.${String(ns % 1e9).padStart(9, '0')}`;
    assert.deepEqual(t.times, doc.frames.map((f) => epoch(f.time)), `${name}: timestamps are the virtual clock from 0`);
  }
});

test('--pcap writes a nanosecond Ethernet pcap whose records are the frames of the report', () => {
  const out = path.join(dir, 'default.pcap');
  const r = kpath(['run', DEFAULT_SCENARIO, '--pcap', out, '--json']);
  ok(r);
  const doc = JSON.parse(r.stdout) as { frames: { hex: string; time: number }[] };
  const cap = readCapture(out);
  assert.equal(cap.magic, 0xa1b23c4d, 'nanosecond pcap magic');
  assert.equal(cap.linktype, 1, 'LINKTYPE_ETHERNET');
  assert.equal(cap.records.length, doc.frames.length);
  cap.records.forEach((rec, i) => {
    assert.equal(rec.data.toString('hex'), doc.frames[i].hex, `frame ${i + 1}`);
    assert.equal(rec.sec * 1e9 + rec.ns, doc.frames[i].time, `frame ${i + 1} time`);
  });
  const text = kpath(['run', DEFAULT_SCENARIO, '--pcap', out]);
  ok(text);
  assert.ok(text.stdout.endsWith(`\nWrote 6 frames to ${out}\n`), text.stdout);
});

test('--pcap is written atomically: a new file replaces the target, no temporary file is left', () => {
  const sub = fs.mkdtempSync(path.join(dir, 'atomic-'));
  const out = path.join(sub, 'out.pcap');
  fs.writeFileSync(out, 'previous capture');
  const before = fs.statSync(out).ino;
  const r = kpath(['run', DEFAULT_SCENARIO, '--pcap', out]);
  ok(r);
  assert.notEqual(fs.statSync(out).ino, before, 'the target is replaced by a rename, not rewritten in place');
  assert.equal(readCapture(out).records.length, 6);
  assert.deepEqual(fs.readdirSync(sub), ['out.pcap'], 'only the target is left');
});

test('--pcap: a failing run leaves an existing target untouched and no temporary file behind', () => {
  const sub = fs.mkdtempSync(path.join(dir, 'keep-'));
  const out = path.join(sub, 'keep.pcap');
  fs.writeFileSync(out, 'keep me');
  const bad = writeScenario(sub, 'bad.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:9000 size -1\n`);
  const failures: string[][] = [
    ['run', bad, '--pcap', out],
    ['run', DEFAULT_SCENARIO, '--pcap', out, '--break', 'no_such_function'],
    ['run', DEFAULT_SCENARIO, '--pcap', out, '--kernel', '5.0'],
    ['run', path.join(sub, 'missing.kpath'), '--pcap', out],
  ];
  for (const args of failures) {
    usageFailure(kpath(args));
    assert.equal(fs.readFileSync(out, 'utf8'), 'keep me', `kpath ${args.join(' ')} touched the target`);
    assert.deepEqual(fs.readdirSync(sub).sort(), ['bad.kpath', 'keep.pcap'], `kpath ${args.join(' ')} left files behind`);
  }
});

// ---- --break ----

test('--break ip_finish_output2 hits once per IP packet (1 datagram + 3 fragments), __neigh_create once', () => {
  const r = kpath(['run', DEFAULT_SCENARIO, '--break', 'ip_finish_output2', '--break', '__neigh_create']);
  ok(r);
  assert.match(r.stdout, /^Breakpoints: ip_finish_output2 hit 4 times, __neigh_create hit 1 times$/m);
  const hits = r.stdout.split('\n').filter((l) => l.includes('<- break '));
  assert.deepEqual(
    hits.map((l) => /<- break (\S+) \(hit (\d+)\)$/.exec(l)!.slice(1).join(' ')),
    ['ip_finish_output2 1', '__neigh_create 1', 'ip_finish_output2 2', 'ip_finish_output2 3', 'ip_finish_output2 4'],
  );
  // The packets that reached ip_finish_output2: the 128-byte datagram, then fragments of 1500, 1500, 68.
  const lens = hits.filter((l) => l.includes('break ip_finish_output2')).map((l) => Number(/len\s+(\d+)/.exec(l)![1]));
  assert.deepEqual(lens, [128, 1500, 1500, 68]);
  assert.doesNotMatch(r.stdout, /^Trace/m, 'without --trace only the hits are printed');
  assert.match(r.stdout, /^Socket calls:$/m, 'the report follows');
});

test('--break with --trace marks the hits inside the full trace', () => {
  const plain = kpath(['run', DEFAULT_SCENARIO, '--trace']);
  const marked = kpath(['run', DEFAULT_SCENARIO, '--trace', '--break', '__neigh_create']);
  ok(plain);
  ok(marked);
  const p = plain.stdout.split('\n');
  const m = marked.stdout.split('\n');
  const traceLen = p.indexOf('');
  assert.ok(traceLen > 20);
  // Same trace lines, one of them marked.
  const diff = p.slice(0, traceLen).flatMap((l, i) => (l === m[i] ? [] : [[l, m[i]]]));
  assert.equal(diff.length, 1, JSON.stringify(diff, null, 1));
  assert.equal(diff[0][1], `${diff[0][0]}  <- break __neigh_create (hit 1)`);
  assert.match(marked.stdout, /^Breakpoints: __neigh_create hit 1 times$/m);
});

test('--break of a function that is never reached reports 0 hits', () => {
  const r = kpath(['run', DEFAULT_SCENARIO, '--break', 'neigh_invalidate']);
  ok(r);
  assert.match(r.stdout, /^Breakpoints: neigh_invalidate hit 0 times$/m);
});

// ---- --kernel ----

test('--kernel 4.9 runs the classic path: dst_neigh_output, not neigh_output', () => {
  const old = kpath(['run', DEFAULT_SCENARIO, '--trace', '--kernel', '4.9']);
  ok(old);
  assert.match(old.stdout, /^kernel 4\.9, scenario /m);
  const fOld = traceFunctions(old.stdout);
  assert.ok(fOld.includes('dst_neigh_output'), 'dst_neigh_output in the 4.9 trace');
  assert.ok(!fOld.includes('neigh_output'), 'no neigh_output in the 4.9 trace');
  assert.ok(!fOld.includes('__ip_finish_output'), 'no __ip_finish_output in 4.9 (one ip_finish_output)');
  const cur = kpath(['run', DEFAULT_SCENARIO, '--trace', '--kernel', '6.18']);
  ok(cur);
  const fNew = traceFunctions(cur.stdout);
  assert.ok(fNew.includes('neigh_output') && !fNew.includes('dst_neigh_output'));
  assert.ok(fNew.includes('__ip_finish_output'));
  // The same frames on the wire either way.
  const frames = (s: string) => s.slice(s.indexOf('Frames ('), s.indexOf('Neighbours:'));
  assert.equal(frames(old.stdout), frames(cur.stdout));
});

test('--kernel overrides the scenario\'s kernel line, and the line is used without it', () => {
  const file = writeScenario(dir, 'k49.kpath', `kernel 4.9\n${BASE}\nat 0ms send udp to 192.0.2.2:9000\n`);
  const own = kpath(['run', file]);
  ok(own);
  assert.match(own.stdout, /^kernel 4\.9,/);
  const over = kpath(['run', file, '--kernel', '6.18']);
  ok(over);
  assert.match(over.stdout, /^kernel 6\.18,/);
  const j = kpath(['run', file, '--kernel=6.18', '--json']);
  ok(j);
  assert.equal((JSON.parse(j.stdout) as { kernel: string }).kernel, '6.18');
});

// ---- functions ----

function listFunctions(): Map<string, { source: string; profiles: string[] }> {
  const r = kpath(['functions']);
  ok(r);
  const m = new Map<string, { source: string; profiles: string[] }>();
  for (const line of r.stdout.trimEnd().split('\n')) {
    const f = /^(\S+)\s+(\S+)\s+(\S.*)$/.exec(line);
    assert.ok(f, `kpath functions: unexpected line "${line}"`);
    assert.ok(!m.has(f[1]), `${f[1]} listed twice`);
    m.set(f[1], { source: f[2], profiles: f[3].split(', ') });
  }
  return m;
}

test('kpath functions lists the modeled functions with their source file and profiles', () => {
  const fns = listFunctions();
  for (const name of ['dst_output', 'ip_output', 'ip_finish_output', 'ip_fragment', 'ip_do_fragment', 'ip_finish_output2', '__neigh_create', 'neigh_resolve_output', 'neigh_hh_output', 'arp_solicit', 'dev_queue_xmit']) {
    assert.ok(fns.has(name), `${name} is not listed`);
    assert.deepEqual(fns.get(name)!.profiles, ['6.18', '4.9'], name);
  }
  assert.deepEqual(fns.get('neigh_output')?.profiles, ['6.18']);
  assert.deepEqual(fns.get('__ip_finish_output')?.profiles, ['6.18']);
  assert.deepEqual(fns.get('dst_neigh_output')?.profiles, ['4.9']);
  assert.equal(fns.get('ip_finish_output2')?.source, 'net/ipv4/ip_output.c');
  assert.equal(fns.get('__neigh_create')?.source, 'net/core/neighbour.c');
  for (const [name, f] of fns) {
    assert.match(f.source, /^(net|include|kernel)\/[\w/]+\.[ch]$/, `${name}: source ${f.source}`);
    assert.ok(f.profiles.length > 0 && f.profiles.every((p) => p === '6.18' || p === '4.9'), `${name}: ${f.profiles}`);
  }
});

test('every function a trace shows is listed by kpath functions for that profile, and --break accepts it', () => {
  const fns = listFunctions();
  const rich = writeScenario(dir, 'functions-rich.kpath', RICH);
  for (const kernel of ['6.18', '4.9']) {
    for (const file of [DEFAULT_SCENARIO, rich]) {
      const r = kpath(['run', file, '--json', '--trace', '--kernel', kernel]);
      ok(r);
      const seen = new Set((JSON.parse(r.stdout) as { trace: { function: string }[] }).trace.map((l) => l.function));
      for (const name of seen) {
        assert.ok(fns.has(name), `${name} is traced on ${kernel} but not listed by kpath functions`);
        assert.ok(fns.get(name)!.profiles.includes(kernel), `${name} is traced on ${kernel} but listed for ${fns.get(name)!.profiles}`);
      }
      const b = kpath(['run', file, '--kernel', kernel, '--json', ...[...seen].flatMap((n) => ['--break', n])]);
      ok(b);
      const breaks = (JSON.parse(b.stdout) as { breaks: Record<string, number> }).breaks;
      for (const name of seen) assert.ok(breaks[name] > 0, `${name} traced but --break counted ${breaks[name]} hits (${kernel}, ${file})`);
    }
  }
});

// ---- determinism ----

test('determinism: two runs give byte-identical text, JSON and pcap', () => {
  const rich = writeScenario(dir, 'det-rich.kpath', RICH);
  for (const file of [DEFAULT_SCENARIO, rich]) {
    for (const kernel of ['6.18', '4.9']) {
      const outs = [1, 2].map((n) => path.join(dir, `det-${path.basename(file)}-${kernel}-${n}.pcap`));
      const runs = outs.map((out) => kpathBytes(['run', file, '--kernel', kernel, '--json', '--trace', '--pcap', out]));
      for (const r of runs) assert.equal(r.status, 0, r.stderr);
      assert.ok(runs[0].stdout.equals(runs[1].stdout), `${file} ${kernel}: the JSON differs between runs`);
      assert.ok(fs.readFileSync(outs[0]).equals(fs.readFileSync(outs[1])), `${file} ${kernel}: the pcap differs between runs`);
      const texts = [1, 2].map(() => kpathBytes(['run', file, '--kernel', kernel, '--trace']));
      assert.ok(texts[0].stdout.equals(texts[1].stdout), `${file} ${kernel}: the text differs between runs`);
    }
  }
});

// ---- output to a closed pipe ----

test('output into a pipe that closes early (kpath ... | head) ends quietly', () => {
  const file = writeScenario(dir, 'many.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:9000 count 3000 every 1ms\n`);
  const sh = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" run "${file}" --trace | head -n 1 >/dev/null`], { encoding: 'utf8' });
  assert.deepEqual(stackLines(sh.stderr), [], sh.stderr);
  assert.doesNotMatch(sh.stderr, /EPIPE/, sh.stderr);
});

// ---- long runs ----

test('--counts keeps totals per send line, and the pcap still gets every frame, as --records does', () => {
  const file = writeScenario(dir, 'counts.kpath', `${BASE}\nneigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent\nat 0ms send udp to 192.0.2.2:9000 size 100 count 300 socket s1\nat 1ms send udp to 192.0.2.2:9000 size 3000 count 20 every 10us df do\n`);
  const pcaps = ['counts', 'records'].map((m) => path.join(dir, `${m}.pcap`));
  const counts = kpathBytes(['run', file, '--counts', '--pcap', pcaps[0]]);
  const records = kpathBytes(['run', file, '--records', '--pcap', pcaps[1]]);
  assert.equal(counts.status, 0, counts.stderr.toString());
  assert.equal(records.status, 0, records.stderr.toString());
  assert.ok(fs.readFileSync(pcaps[0]).equals(fs.readFileSync(pcaps[1])), 'the same frames either way');
  const text = counts.stdout.toString();
  assert.match(text, /Socket calls \(320, totals per send line\):/);
  assert.match(text, /line 5 +udp to 192\.0\.2\.2:9000 size 100: 300 calls -> ok 300/);
  assert.match(text, /line 6 +udp to 192\.0\.2\.2:9000 size 3000: 20 calls -> EMSGSIZE 20/);
  assert.match(text, /Frames: 300 /);
  assert.match(text, /Wrote 300 frames/);
  assert.doesNotMatch(text, /^ +\d+ +0\.000000 +eth0/m, 'no frame list');
  assert.match(records.stdout.toString(), /Wrote 300 frames/);
  assert.equal(counts.stderr.toString(), '', 'asked for: no note');
});

test('above 100000 socket calls the command keeps totals by itself, and says so on stderr', () => {
  const file = writeScenario(dir, 'auto-counts.kpath', `${BASE}\nneigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent\nat 0ms send udp to 192.0.2.2:9000 size 10 count 100001 socket s1\n`);
  const r = kpath(['run', file, '--json']);
  assert.equal(r.status, 0, describeRun(r));
  assert.match(r.stderr, /100001 socket calls: keeping totals per send line/);
  const doc = JSON.parse(r.stdout) as { sends: unknown[]; frames: unknown[]; totals: { calls: number; frames: number } };
  assert.equal(doc.sends.length, 0);
  assert.equal(doc.frames.length, 0);
  assert.deepEqual([doc.totals.calls, doc.totals.frames], [100001, 100001]);
});
