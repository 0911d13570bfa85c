// The files the command writes, on every way out, and the limits a scenario meets (docs/limits.md):
// Ctrl-C or SIGTERM during `kpath run --pcap` leaves neither the target nor a temporary; `kpath
// capture` checks OUTDIR before it starts and keeps an earlier capture unless --force; a
// scenario past a limit is refused (or its run stopped) with exit 2 and one line, never an
// "internal error" or a heap-limit abort.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { parseScenario } from '../../src/model/scenario/parse';
import { preflight, preflightMessage } from '../../src/capture/live';
import { CLI, describeRun, kpath, makeTempDir, removeTempDir, stackLines, KpathRun } from '../helpers/cli';
import { BASE, writeScenario } from '../helpers/scenarios';

const dir = makeTempDir('kpath-files-');
after(() => removeTempDir(dir));

/** Exit 2, nothing on stdout, one line on stderr, no stack trace. */
function oneLineFailure(r: KpathRun, message: RegExp): void {
  assert.equal(r.status, 2, describeRun(r));
  assert.equal(r.stdout, '', describeRun(r));
  assert.deepEqual(stackLines(r.stderr), [], describeRun(r));
  assert.doesNotMatch(r.stderr, /internal error/, describeRun(r));
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, message);
}

/** Polls `cond` until it holds (at most `ms`); the run it waits on shows its progress in files. */
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const LONG = `${BASE}\nneigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent\nat 0ms send udp to 192.0.2.2:9000 size 10 count 10000000 every 1us\n`;

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} during kpath run --pcap: exit ${code}, no pcap and no temporary file left`, async () => {
    const sub = fs.mkdtempSync(path.join(dir, `sig-${signal}-`));
    const scenario = writeScenario(sub, 'long.kpath', LONG);
    const out = path.join(sub, 'out.pcap');
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(process.execPath, [CLI, 'run', scenario, '--pcap', out], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const temps = (): string[] => fs.readdirSync(sub).filter((f) => f.endsWith('.tmp'));
    // The run is under way once its temporary holds more than the pcap header.
    await until(() => temps().some((f) => fs.statSync(path.join(sub, f)).size > 1 << 20), 60_000, 'the temporary pcap growing');
    child.kill(signal);
    assert.equal(await exited, code);
    assert.deepEqual(fs.readdirSync(sub), ['long.kpath'], 'neither the pcap nor a temporary is left');
  });
}

test('kpath capture: an OUTDIR that is a file is refused before anything starts', () => {
  const file = path.join(dir, 'a-file');
  fs.writeFileSync(file, 'not a folder');
  const scenario = writeScenario(dir, 'cap.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:9000\n`);
  oneLineFailure(kpath(['capture', scenario, file]), /a-file is not a folder/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'not a folder');
});

test('kpath capture: an OUTDIR with a capture in it is kept unless --force', () => {
  const out = fs.mkdtempSync(path.join(dir, 'cap-'));
  fs.writeFileSync(path.join(out, 'result.json'), '{"earlier": true}');
  const scenario = writeScenario(dir, 'cap2.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:9000\n`);
  oneLineFailure(kpath(['capture', scenario, out]), /already holds a capture \(result\.json\); --force replaces it/);
  assert.equal(fs.readFileSync(path.join(out, 'result.json'), 'utf8'), '{"earlier": true}');
  // A link planted where the pcap goes counts as a capture too (and is never written through).
  const out2 = fs.mkdtempSync(path.join(dir, 'cap-link-'));
  fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(out2, 'capture.pcap'));
  oneLineFailure(kpath(['capture', scenario, out2]), /already holds a capture \(capture\.pcap\)/);
  assert.ok(!fs.existsSync(path.join(dir, 'elsewhere')));
});

test('kpath capture and compare refuse unknown options; --force only goes with --keep', () => {
  const scenario = writeScenario(dir, 'cap3.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:9000\n`);
  oneLineFailure(kpath(['capture', scenario, dir, '--forse']), /unknown option --forse/);
  oneLineFailure(kpath(['compare', scenario, '--force', '--capture', dir]), /--force replaces a capture kept with --keep/);
});

test('kpath capture: a scenario past what a capture builds is refused before anything is set up', () => {
  const peers = Array.from({ length: 300 }, (_, i) => `peer 10.${i >> 8}.${i & 0xff}.2 lladdr 02:00:00:01:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`);
  const scenario = writeScenario(dir, 'many-peers.kpath', ['link add eth0', 'addr add 10.255.255.1/8 dev eth0', ...peers, 'at 0ms send udp to 10.0.0.2:9000 count 100001'].join('\n') + '\n');
  const r = kpath(['capture', scenario, path.join(dir, 'never')]);
  assert.equal(r.status, 2, describeRun(r));
  assert.match(r.stderr, /300 MAC addresses; kpath capture builds at most 256 peer devices/);
  assert.match(r.stderr, /makes 100001 socket calls; kpath capture makes at most 100000/);
  assert.ok(!fs.existsSync(path.join(dir, 'never', 'result.json')));
});

// ---- limits ----

test('more than 10,000,000 socket calls in all: refused with the line that goes past it', () => {
  const scenario = writeScenario(dir, 'calls.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:9000 count 10000000 every 1us\nat 1ms send udp to 192.0.2.2:9001 count 1\n`);
  oneLineFailure(kpath(['run', scenario]), /calls\.kpath:5:1: the send lines make more than 10,000,000 socket calls in all/);
});

test('more than 1024 peers: refused at the first one past the limit', () => {
  const peers = Array.from({ length: 1025 }, (_, i) => `peer 10.${i >> 8}.${i & 0xff}.2 lladdr 02:00:00:02:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`);
  const scenario = writeScenario(dir, 'peers.kpath', ['link add eth0', 'addr add 10.255.255.1/8 dev eth0', ...peers].join('\n') + '\n');
  oneLineFailure(kpath(['run', scenario]), /peers\.kpath:1027:1: more than 1,024 peers/);
});

test('a scenario text over 1 MiB is refused without being read further', () => {
  const scenario = writeScenario(dir, 'big.kpath', `${BASE}\n${'# padding\n'.repeat(110_000)}`);
  oneLineFailure(kpath(['run', scenario]), /more than 1,048,576 bytes long/);
});

test('--records over 1,000,000 calls: refused at the start, with what to do instead', () => {
  const scenario = writeScenario(dir, 'records.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:9000 count 1000001 every 1us socket s\n`);
  oneLineFailure(kpath(['run', scenario, '--records']), /1,000,001 socket calls: a run that keeps a record per call makes at most 1,000,000; keep totals instead \(kpath run --counts\)/);
});

test('more than 100,000 packets waiting for ARP on one neighbour: the run stops with one line', () => {
  const scenario = writeScenario(dir, 'arpq.kpath', [
    'link add eth0', 'addr add 192.0.2.1/24 dev eth0', 'peer 192.0.2.2 lladdr 02:00:00:00:00:02 silent',
    'sysctl net.ipv4.neigh.eth0.unres_qlen_bytes=2147483647',
    'at 0ms send udp to 192.0.2.2:9000 size 10 count 100001',
  ].join('\n') + '\n');
  oneLineFailure(kpath(['run', scenario, '--counts']), /more than 100,000 packets queued for 192\.0\.2\.2 waiting for ARP/);
});

test('10,000,000 calls without a socket name run in bounded memory (each call closes its socket)', () => {
  const scenario = writeScenario(dir, 'ten-million.kpath', `${BASE}\nneigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent\nat 0ms send udp to 192.0.2.2:9000 size 10 count 1000000 every 1us\n`);
  // A million here (the ten million of docs/limits.md take longer): the sockets left open at the end are none.
  const r = kpath(['run', scenario, '--json']);
  assert.equal(r.status, 0, describeRun(r));
  const doc = JSON.parse(r.stdout) as { sockets: unknown[]; totals: { calls: number } };
  assert.equal(doc.totals.calls, 1_000_000);
  assert.deepEqual(doc.sockets, []);
});

// ---- kpath compare's temporary capture (live: root, tools and namespaces) ----

function liveSkip(): string | false {
  if (process.env.KPATH_LIVE === '0') return 'KPATH_LIVE=0';
  const pre = preflight(parseScenario(`${BASE}\nat 0ms send udp to 192.0.2.2:9000\n`));
  if (pre.problems.length || pre.missing.length) return `live capture not possible here: ${preflightMessage(pre).replace(/\n/g, '; ')}`;
  const probe = `kpath-${process.pid}-probe`;
  if (spawnSync('ip', ['netns', 'add', probe]).status !== 0) return 'cannot create a network namespace';
  spawnSync('ip', ['netns', 'del', probe]);
  return false;
}

test('kpath compare (live) leaves no temporary folder, after a comparison and after Ctrl-C', { skip: liveSkip() }, async () => {
  const tmp = fs.mkdtempSync(path.join(dir, 'compare-tmp-'));
  const scenario = writeScenario(dir, 'compare.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:9000\n`);
  const r = kpath(['compare', scenario], { env: { TMPDIR: tmp } });
  assert.ok(r.status === 0 || r.status === 1, describeRun(r));
  assert.deepEqual(fs.readdirSync(tmp), [], 'nothing left in TMPDIR');

  // Interrupted while it captures (a long run: the capture lasts until its end).
  const slow = writeScenario(dir, 'compare-slow.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:9000\nrun 20s\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [CLI, 'compare', slow], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  await until(() => /namespaces .* ready/.test(stderr), 60_000, 'the capture under way');
  assert.ok(fs.readdirSync(tmp).some((f) => f.startsWith('kpath-compare-')), 'the temporary capture folder exists meanwhile');
  child.kill('SIGINT');
  assert.equal(await exited, 130, stderr);
  assert.deepEqual(fs.readdirSync(tmp), [], 'nothing left in TMPDIR');
  const ns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  assert.ok(!ns.includes(`kpath-${child.pid}-`), `no namespace of the interrupted compare is left:\n${ns}`);
});
