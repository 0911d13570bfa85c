// `npm run bench`: how fast kpath is where users feel it, measured on this machine.
//
//   node scripts/bench.mjs            a table
//   node scripts/bench.mjs --json     one JSON object (numbers), for tools
//   node scripts/bench.mjs --quick    fewer and shorter rounds (a smoke run, not for the record)
//   node scripts/bench.mjs --no-kernel leave the real kernel out
//
// It measures the built code (out/ and dist/: run `npm run build` first):
// - the model's fast path: 100-byte UDP datagrams to a resolved neighbour through the whole
//   transmit path, nothing watching, every frame written to a pcap file (packets/s); and 3000-byte
//   datagrams that fragment (datagrams/s);
// - the real kernel on the same path, when it can (root, network namespaces): a sendmmsg loop
//   (32 per call, pinned to one CPU) over a veth pair in namespaces of its own
//   (kpath-bench-<pid>-h/-p, deleted at the end and on errors; traffic stays inside them), from a
//   small C program compiled here with gcc, or Python (ctypes) without gcc;
// - stepping as VS Code does it, over stdio with the debug adapter (dist/dap.js): next, the
//   stopped event, stackTrace, scopes and the variables of Locals and of the sk_buff, in fresh
//   adapter processes and in a warm one; launch to first stop; and at a depth of about 100,000
//   steps, next, stepBack and reverseContinue;
// - the memory the debugger keeps per step of history;
// - a scenario of a million packets through `kpath run` with a pcap (time and peak RSS);
// - the size of the bundles and the time to load the adapter and construct its session;
// - the extension's activation time as VS Code reports it, in a real VS Code (code-server 4.100.3
//   in Debian's chromium, installed into .vscode-test/ on first use, as the extension tests do).

import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const JSON_OUT = args.includes('--json');
const QUICK = args.includes('--quick');
const NO_KERNEL = args.includes('--no-kernel');
for (const a of args) {
  if (!['--json', '--quick', '--no-kernel'].includes(a)) {
    process.stderr.write(`bench: unknown option ${a} (--json, --quick, --no-kernel)\n`);
    process.exit(2);
  }
}
const log = (s) => process.stderr.write(s + '\n');

for (const f of ['out/src/model/run.js', 'dist/dap.js', 'dist/cli.js']) {
  if (!fs.existsSync(path.join(ROOT, f))) {
    log(`bench: ${f} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
}

const { parseScenario } = require(path.join(ROOT, 'out/src/model/scenario/parse.js'));
const { createKernel, runKernel } = require(path.join(ROOT, 'out/src/model/run.js'));
const { PcapWriter } = require(path.join(ROOT, 'out/src/model/wire/pcap.js'));
const { Rehearsal } = require(path.join(ROOT, 'out/src/adapter/rehearsal.js'));
const { ADAPTER_NODE_OPTIONS } = require(path.join(ROOT, 'out/src/adapter/node-options.js'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-bench-'));
const results = {};
const notes = [];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

// ---- the machine ----------------------------------------------------------------------------

function machine() {
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    cpu = os.cpus()[0]?.model ?? cpu;
  }
  return { nproc: os.availableParallelism?.() ?? os.cpus().length, cpu, node: process.version, kernel: os.release() };
}

// ---- the model's fast path ------------------------------------------------------------------

const HOST = [
  'link add eth0 mtu 1500 address 02:00:00:00:00:01',
  'addr add 192.0.2.1/24 dev eth0',
  'peer 192.0.2.2 lladdr 02:00:00:00:00:02',
  'neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent',
];

// The fast path's pcap goes to a file in memory (tmpfs) when there is one: gigabytes written in
// a few seconds would otherwise measure the disk's write-back rather than the model.
const PCAP_DIR = (() => {
  try {
    const d = fs.mkdtempSync('/dev/shm/kpath-bench-');
    return d;
  } catch {
    return tmp;
  }
})();
process.on('exit', () => {
  fs.rmSync(PCAP_DIR, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** One run of `count` back-to-back sends of `size` bytes; returns seconds and frames. */
function modelRun(size, count) {
  const s = parseScenario([...HOST, `at 0ms send udp to 192.0.2.2:9000 size ${size} count ${count} socket s1`, ''].join('\n'), 'bench.kpath');
  const file = path.join(PCAP_DIR, 'model.pcap');
  const fd = fs.openSync(file, 'w');
  const t0 = process.hrtime.bigint();
  const w = new PcapWriter((c) => fs.writeSync(fd, c), 1 << 20, true);
  const k = createKernel(s, { record: 'counts', frameSinks: [(t, _d, _dir, f) => w.write(t, f)] });
  runKernel(k, s.run);
  w.flush();
  const secs = ms(t0) / 1000;
  fs.closeSync(fd);
  fs.rmSync(file, { force: true });
  if (k.callCount !== count) throw new Error(`bench: ${k.callCount} of ${count} calls made`);
  return { secs, frames: k.frameCount };
}

function modelFastPath() {
  const rounds = QUICK ? 3 : 5;
  const n = QUICK ? 200_000 : 1_000_000;
  modelRun(100, 50_000); // warm up the JIT
  const pps = [];
  for (let i = 0; i < rounds; i++) {
    const r = modelRun(100, n);
    pps.push(r.frames / r.secs);
  }
  results.fastPathPps = Math.round(median(pps));
  const fn = QUICK ? 60_000 : 300_000;
  modelRun(3000, 10_000);
  const dps = [];
  for (let i = 0; i < rounds; i++) {
    const r = modelRun(3000, fn);
    if (r.frames !== fn * 3) throw new Error(`bench: 3000-byte datagrams gave ${r.frames} frames, not ${fn * 3}`);
    dps.push(fn / r.secs);
  }
  results.fragmentPps = Math.round(median(dps));
  if (PCAP_DIR !== tmp) fs.rmSync(PCAP_DIR, { recursive: true, force: true });
  notes.push(`the model's pcap was written to ${PCAP_DIR === tmp ? 'a file under ' + os.tmpdir() : 'a file on tmpfs (/dev/shm)'}`);
}

// ---- the real kernel ------------------------------------------------------------------------

const C_SENDER = String.raw`#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
  if (argc < 6) return 2;
  int port = atoi(argv[2]), size = atoi(argv[3]), rounds = atoi(argv[4]);
  double secs = atof(argv[5]);
  cpu_set_t set; CPU_ZERO(&set); CPU_SET(0, &set); sched_setaffinity(0, sizeof set, &set);
  int fd = socket(AF_INET, SOCK_DGRAM, 0); if (fd < 0) { perror("socket"); return 1; }
  int sndbuf = 8 << 20; setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
  if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) return 2;
  static char payload[65536]; for (int i = 0; i < size; i++) payload[i] = (char)i;
  struct mmsghdr msgs[32]; struct iovec iov[32]; memset(msgs, 0, sizeof msgs);
  for (int i = 0; i < 32; i++) {
    iov[i].iov_base = payload; iov[i].iov_len = size;
    msgs[i].msg_hdr.msg_iov = &iov[i]; msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &to; msgs[i].msg_hdr.msg_namelen = sizeof to;
  }
  for (int r = 0; r < rounds; r++) {
    long sent = 0; double t0 = now(), t;
    do { int n = sendmmsg(fd, msgs, 32, 0); if (n > 0) sent += n; t = now(); } while (t - t0 < secs);
    printf("%ld %.6f\n", sent, t - t0); fflush(stdout);
  }
  return 0;
}
`;

const PY_SENDER = String.raw`import ctypes, ctypes.util, os, socket, sys, time
dst, port, size, rounds, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
os.sched_setaffinity(0, {0})
libc = ctypes.CDLL(ctypes.util.find_library('c'), use_errno=True)
class iovec(ctypes.Structure): _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]
class msghdr(ctypes.Structure): _fields_ = [('name', ctypes.c_void_p), ('namelen', ctypes.c_uint32), ('iov', ctypes.POINTER(iovec)), ('iovlen', ctypes.c_size_t), ('control', ctypes.c_void_p), ('controllen', ctypes.c_size_t), ('flags', ctypes.c_int)]
class mmsghdr(ctypes.Structure): _fields_ = [('hdr', msghdr), ('len', ctypes.c_uint)]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 32, 8 << 20)
addr = (ctypes.c_char * 16).from_buffer_copy(b'\x02\x00' + port.to_bytes(2, 'big') + socket.inet_aton(dst) + bytes(8))
buf = (ctypes.c_char * size).from_buffer_copy(bytes(i & 0xff for i in range(size)))
iovs = (iovec * 32)(*[iovec(ctypes.addressof(buf), size) for _ in range(32)])
msgs = (mmsghdr * 32)()
for i in range(32):
    msgs[i].hdr.name = ctypes.addressof(addr); msgs[i].hdr.namelen = 16
    msgs[i].hdr.iov = ctypes.pointer(iovs[i]); msgs[i].hdr.iovlen = 1
fd = s.fileno()
for _ in range(rounds):
    sent = 0; t0 = time.monotonic(); t = t0
    while t - t0 < secs:
        n = libc.sendmmsg(fd, msgs, 32, 0)
        if n > 0: sent += n
        t = time.monotonic()
    print(sent, t - t0, flush=True)
`;

function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', ...opts });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')}: ${r.error?.message ?? r.stderr.trim()}`);
  return r.stdout;
}

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Packets/s of the kernel for `size`-byte datagrams, or a reason it could not be measured. */
function kernelRates(sizes) {
  if (process.getuid?.() !== 0) return { reason: 'not root' };
  if (!which('ip')) return { reason: 'no iproute2 (ip)' };
  let sender;
  if (which('gcc')) {
    const src = path.join(tmp, 'sender.c');
    fs.writeFileSync(src, C_SENDER);
    try {
      sh('gcc', ['-O2', '-o', path.join(tmp, 'sender'), src]);
      sender = [path.join(tmp, 'sender')];
    } catch (e) {
      notes.push(`gcc failed (${e.message.split('\n')[0]}), using Python`);
    }
  }
  if (!sender) {
    if (!which('python3')) return { reason: 'neither gcc nor python3' };
    fs.writeFileSync(path.join(tmp, 'sender.py'), PY_SENDER);
    sender = ['python3', path.join(tmp, 'sender.py')];
  }
  const ns = `kpath-bench-${process.pid}`;
  const host = `${ns}-h`;
  const peer = `${ns}-p`;
  const cleanup = () => {
    for (const n of [host, peer]) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
  };
  process.once('exit', cleanup);
  const onSignal = (sig) => {
    cleanup();
    process.kill(process.pid, sig);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    sh('ip', ['netns', 'add', host]);
    sh('ip', ['netns', 'add', peer]);
    sh('ip', ['link', 'add', 'veth0', 'netns', host, 'type', 'veth', 'peer', 'name', 'veth1', 'netns', peer]);
    sh('ip', ['-n', host, 'link', 'set', 'lo', 'up']);
    sh('ip', ['-n', host, 'link', 'set', 'veth0', 'address', '02:00:00:00:00:01', 'mtu', '1500', 'up']);
    sh('ip', ['-n', peer, 'link', 'set', 'veth1', 'address', '02:00:00:00:00:02', 'up']);
    sh('ip', ['-n', host, 'addr', 'add', '192.0.2.1/24', 'dev', 'veth0']);
    sh('ip', ['-n', host, 'neigh', 'add', '192.0.2.2', 'lladdr', '02:00:00:00:00:02', 'dev', 'veth0', 'nud', 'permanent']);
    // The model completes UDP checksums in software (the default `offload off`): so does the kernel here.
    if (which('ethtool')) spawnSync('ip', ['netns', 'exec', host, 'ethtool', '-K', 'veth0', 'tx', 'off'], { stdio: 'ignore' });
    else notes.push('no ethtool: the kernel side kept TX checksum offload on veth0');
    const rounds = QUICK ? 3 : 5;
    const out = {};
    for (const size of sizes) {
      const text = sh('ip', ['netns', 'exec', host, ...sender, '192.0.2.2', '9000', String(size), String(rounds), '1'], { timeout: 120_000 });
      const rates = text.trim().split('\n').map((l) => {
        const [n, t] = l.split(' ').map(Number);
        return n / t;
      });
      out[size] = Math.round(median(rates));
    }
    out.sender = sender[0].endsWith('python3') ? 'Python ctypes sendmmsg' : 'C sendmmsg';
    return out;
  } catch (e) {
    return { reason: e.message.split('\n')[0] };
  } finally {
    cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

// ---- a DAP client over stdio -----------------------------------------------------------------

class Dap {
  /**
   * kpath's adapter, or another one (`script` and its arguments), started as the extension starts
   * kpath's: with the adapter's Node.js options (src/adapter/node-options.ts).
   */
  constructor(script = path.join(ROOT, 'dist/dap.js'), args = []) {
    this.child = spawn(process.execPath, [...ADAPTER_NODE_OPTIONS, script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.seq = 1;
    /** When an array, every message received is pushed to it. */
    this.record = null;
    this.buf = Buffer.alloc(0);
    this.waiters = [];
    this.events = [];
    this.onEvent = null;
    /** A rehearsal (src/adapter/rehearsal.ts), as the extension makes with an adapter it starts ahead. */
    this.rehearsal = null;
    this.child.stdout.on('data', (d) => this.data(d));
  }

  rehearse() {
    this.rehearsal = new Rehearsal((framed) => this.child.stdin.write(framed), { scenario: path.join(ROOT, 'media/scenarios/default.kpath') });
  }

  data(d) {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, end).toString())[1]);
      if (this.buf.length < end + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString());
      this.buf = this.buf.subarray(end + 4 + len);
      if (this.rehearsal?.received(msg)) continue;
      this.record?.push(msg);
      if (msg.type === 'event' && this.onEvent) this.onEvent(msg);
      // Only what a waiter can ask for is queued (output and position events would pile up).
      if (msg.type === 'response' || ['initialized', 'stopped', 'terminated'].includes(msg.event)) {
        this.events.push(msg);
        this.wake();
      }
    }
  }

  wake() {
    for (const w of [...this.waiters]) {
      const i = this.events.findIndex(w.match);
      if (i >= 0) {
        const [m] = this.events.splice(i, 1);
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  }

  wait(match) {
    return new Promise((resolve) => {
      this.waiters.push({ match, resolve });
      this.wake();
    });
  }

  send(command, args = {}) {
    const seq = this.seq++;
    const body = JSON.stringify({ seq, type: 'request', command, arguments: args });
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return seq;
  }

  async request(command, args = {}) {
    const seq = this.send(command, args);
    const r = await this.wait((m) => m.type === 'response' && m.request_seq === seq);
    if (!r.success) throw new Error(`${command}: ${r.message}`);
    return r;
  }

  event(name) {
    return this.wait((m) => m.type === 'event' && m.event === name);
  }

  close() {
    this.child.stdin.end();
    this.child.kill();
  }
}

/** One step as VS Code does it: the request, the stopped event, then what the editor shows. */
async function roundTrip(dap, command, extra = {}) {
  const t0 = process.hrtime.bigint();
  const stop = dap.wait((m) => m.type === 'event' && (m.event === 'stopped' || m.event === 'terminated'));
  await dap.request(command, { threadId: 1, ...extra });
  const ev = await stop;
  if (ev.event !== 'stopped') return { ms: ms(t0), ended: true };
  const st = await dap.request('stackTrace', { threadId: ev.body.threadId, startFrame: 0, levels: 20 });
  const frame = st.body.stackFrames[0];
  const sc = await dap.request('scopes', { frameId: frame.id });
  const locals = sc.body.scopes.find((s) => s.name === 'Locals');
  const skb = sc.body.scopes.find((s) => s.name === 'sk_buff');
  await dap.request('variables', { variablesReference: locals.variablesReference });
  if (skb) await dap.request('variables', { variablesReference: skb.variablesReference });
  return { ms: ms(t0), ended: false };
}

async function launch(dap, scenario, stopOnEntry, fnBreakpoints = []) {
  await dap.request('initialize', { clientID: 'vscode', adapterID: 'kpath', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true, supportsVariableType: true });
  const t0 = process.hrtime.bigint();
  const stopped = dap.event('stopped');
  const l = dap.request('launch', { scenario, stopOnEntry });
  await dap.event('initialized');
  if (fnBreakpoints.length) await dap.request('setFunctionBreakpoints', { breakpoints: fnBreakpoints });
  await dap.request('setExceptionBreakpoints', { filters: [] });
  await dap.request('configurationDone');
  await l;
  const ev = await stopped;
  return { ms: ms(t0), ev };
}

// Stepping as a learner does it: a function breakpoint on ip_finish_output2, then F10 over and over.
// `next` walks the lines of the path's functions (most stops show an sk_buff) and, between packets,
// the lines of udp_sendmsg until the breakpoint hits again.
const STEP_BREAKPOINTS = [{ name: 'ip_finish_output2' }];

/**
 * Steps in fresh adapter processes (from `adapter`, default kpath's), `perSession` of them in
 * each of `sessions`, waiting `pauseMs` before each and, with `startedAheadMs`, that long between
 * starting the process and the launch; returns the round trips and the first stops.
 */
async function freshSessions(file, sessions, perSession, pauseMs = 0, adapter = undefined, startedAheadMs = 0) {
  const firsts = [];
  const steps = [];
  for (let i = 0; i < sessions; i++) {
    const dap = adapter ? new Dap(...adapter) : new Dap();
    try {
      // An adapter started before it is needed, as the extension starts one (--warm) and rehearses
      // a session with it until the launch.
      if (startedAheadMs) {
        dap.rehearse();
        await new Promise((resolve) => setTimeout(resolve, startedAheadMs));
        dap.rehearsal.end();
      }
      const f = await launch(dap, file, false, STEP_BREAKPOINTS);
      firsts.push(f.ms);
      for (let n = 0; n < perSession; n++) {
        if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
        const r = await roundTrip(dap, 'next');
        if (r.ended) break;
        // The first steps of a process include compiling the model: count them as a user feels them.
        steps.push(r.ms);
      }
    } finally {
      dap.close();
    }
  }
  return { firsts, steps };
}

/**
 * What kpath's adapter answers at one stop (the messages of a `next`, then stackTrace, scopes and
 * variables), for the adapter that does no work (scripts/bench-floor-adapter.mjs). Returns its file.
 */
async function recordStop(file) {
  const dap = new Dap();
  const out = path.join(tmp, 'floor.json');
  try {
    const first = await launch(dap, file, false, STEP_BREAKPOINTS);
    dap.record = [];
    const seqBefore = dap.seq;
    await roundTrip(dap, 'next');
    const msgs = dap.record;
    const response = (command) => msgs.find((m) => m.type === 'response' && m.command === command && m.request_seq >= seqBefore);
    const nextSeq = response('next').seq;
    const stopEvents = msgs.filter((m) => m.type === 'event' && m.seq > nextSeq && m.seq < response('stackTrace').seq);
    const variables = {};
    const scopes = response('scopes').body;
    const answers = msgs.filter((m) => m.type === 'response' && m.command === 'variables');
    const refs = scopes.scopes.filter((sc) => sc.name === 'Locals' || sc.name === 'sk_buff').map((sc) => sc.variablesReference);
    refs.forEach((ref, i) => (variables[ref] = answers[i]?.body));
    fs.writeFileSync(out, JSON.stringify({ stopped: first.ev, stopEvents, stackTrace: response('stackTrace').body, scopes, variables }));
  } finally {
    dap.close();
  }
  return out;
}

// A learner reads each stop before stepping again; the bench waits this long before each step.
const PACE_MS = 50;
// How long before the launch the extension's adapter (started ahead, --warm) has been running:
// longer than its warm-up takes here (about 0.6 s), shorter than reading a scenario takes.
const STARTED_AHEAD_MS = 2000;

async function stepping() {
  // A scenario long enough that `next` never runs out: sends 1 ms apart, ARP first.
  const file = path.join(tmp, 'stepping.kpath');
  fs.writeFileSync(file, ['link add eth0 mtu 1500 address 02:00:00:00:00:01', 'addr add 192.0.2.1/24 dev eth0', 'peer 192.0.2.2 lladdr 02:00:00:00:00:02', 'at 0ms send udp to 192.0.2.2:9000 size 100 count 500 every 1ms socket s1', 'at 100us send udp to 192.0.2.2:9000 size 3000 count 500 every 1ms socket s1', ''].join('\n'));
  const sessions = QUICK ? 2 : 8;
  const perSession = QUICK ? 100 : 300;
  // Three kinds of adapter, one session of each in turn, so that the host's swings (its floor has
  // measured from 0.35 to 1.1 ms a step within an hour) fall on all three alike:
  // - kpath's adapter, started at the launch (as VS Code starts any adapter);
  // - kpath's adapter started ahead, as the extension starts it (dist/dap.js --warm, warming up in
  //   the background while the learner reads the scenario), some seconds before F5;
  // - the floor: an adapter that answers at once with what kpath's answered.
  const floor = [path.join(ROOT, 'scripts/bench-floor-adapter.mjs'), [await recordStop(file)]];
  const kinds = {
    fresh: () => freshSessions(file, 1, perSession),
    ahead: () => freshSessions(file, 1, perSession, 0, [path.join(ROOT, 'dist/dap.js'), ['--warm']], STARTED_AHEAD_MS),
    floor: () => freshSessions(file, 1, perSession, 0, floor),
  };
  const got = { fresh: { firsts: [], steps: [] }, ahead: { firsts: [], steps: [] }, floor: { firsts: [], steps: [] } };
  for (let i = 0; i < sessions; i++) {
    for (const [kind, run] of Object.entries(kinds)) {
      const r = await run();
      got[kind].firsts.push(...r.firsts);
      got[kind].steps.push(...r.steps);
    }
  }
  results.stepMedianMs = round2(median(got.fresh.steps));
  results.stepP99Ms = round2(percentile(got.fresh.steps, 99));
  results.firstStopMs = round2(median(got.fresh.firsts));
  results.stepAheadMedianMs = round2(median(got.ahead.steps));
  results.stepAheadP99Ms = round2(percentile(got.ahead.steps, 99));
  results.firstStopAheadMs = round2(median(got.ahead.firsts));
  results.stepFloorMedianMs = round2(median(got.floor.steps));
  results.stepFloorP99Ms = round2(percentile(got.floor.steps, 99));

  // At a learner's pace, a pause before each step: the adapter has the next `next` ready, but
  // both processes' CPUs have gone idle, so every message pays for waking one up.
  const paced = await freshSessions(file, QUICK ? 1 : 3, QUICK ? 10 : 40, PACE_MS);
  const pacedFloor = await freshSessions(file, QUICK ? 1 : 3, QUICK ? 10 : 40, PACE_MS, floor);
  results.stepPacedMedianMs = round2(median(paced.steps));
  results.stepPacedFloorMedianMs = round2(median(pacedFloor.steps));

  // The same steps once the adapter's process is warm: one longer session, its steps after the
  // first 300 (what a session feels like after the first minutes of use).
  {
    const dap = new Dap();
    const warm = [];
    try {
      await launch(dap, file, false, STEP_BREAKPOINTS);
      for (let n = 0; n < (QUICK ? 400 : 1300); n++) {
        const r = await roundTrip(dap, 'next');
        if (r.ended) break;
        if (n >= 300) warm.push(r.ms);
      }
    } finally {
      dap.close();
    }
    results.stepWarmMedianMs = round2(median(warm));
    results.stepWarmP99Ms = round2(percentile(warm, 99));
  }

  // The adapter's own share of a step, without the process hops: the runtime's next, then the
  // scopes and the variables of Locals and of the sk_buff, in this process.
  const { Runtime } = require(path.join(ROOT, 'out/src/debugger/runtime.js'));
  const { Variables } = require(path.join(ROOT, 'out/src/adapter/variables.js'));
  const rt = new Runtime(parseScenario(fs.readFileSync(file, 'utf8'), file));
  const vars = new Variables();
  rt.start(true);
  const own = [];
  for (let n = 0; n < (QUICK ? 100 : 300); n++) {
    const t0 = process.hrtime.bigint();
    const r = rt.next();
    if (!r.stop) break;
    vars.reset();
    for (const sc of vars.scopes(r.stop, 0)) if (sc.name === 'Locals' || sc.name === 'sk_buff') vars.children(sc.ref);
    own.push(ms(t0));
  }
  results.stepInProcessMedianMs = round2(median(own));
}

/** Untimed moves of each kind before the deep-history rows are timed. */
const WARM_MOVES = 10;
/** Rounds of the deep-history rows: a block of 10 moves of each kind per round. */
const DEEP_ROUNDS = 5;

async function deepHistory() {
  // About 100,000 steps in: 3000 sends 10 us apart, a stop at the first send at or after 29 ms.
  const file = path.join(tmp, 'deep.kpath');
  const count = 3000;
  fs.writeFileSync(file, ['link add eth0 mtu 1500 address 02:00:00:00:00:01', 'addr add 192.0.2.1/24 dev eth0', 'peer 192.0.2.2 lladdr 02:00:00:00:00:02', `at 0ms send udp to 192.0.2.2:9000 size 100 count ${count} every 10us socket s1`, ''].join('\n'));
  const dap = new Dap();
  let depth = 0;
  try {
    const pos = [];
    dap.onEvent = (m) => m.event === 'kpath/position' && pos.push(m.body.step);
    await launch(dap, file, false, [{ name: 'ip_finish_output2', condition: 'now >= 29000000' }]);
    depth = pos[pos.length - 1];
    // From there, breakpoints on every packet: reverse continue goes one packet back each time.
    await dap.request('setFunctionBreakpoints', { breakpoints: [{ name: 'ip_finish_output2' }] });
    // Each kind of move a few times untimed first: the first moves of a kind in a process run code
    // V8 has not compiled yet (the fresh-process rows above measure that); these rows are about
    // what depth costs. continue is reverseContinue's forward counterpart: to the same breakpoint
    // one packet ahead.
    const kinds = ['next', 'stepBack', 'reverseContinue', 'continue'];
    for (const command of kinds) for (let i = 0; i < WARM_MOVES; i++) await roundTrip(dap, command);
    // Then the kinds take turns, a block of each per round, so that the host's swings fall on all
    // of them alike; each round comes back about where it started (a step forward and one back,
    // a packet back and one forward).
    const rounds = QUICK ? 1 : DEEP_ROUNDS;
    const block = 10;
    const got = Object.fromEntries(kinds.map((k) => [k, { all: [], rounds: [] }]));
    for (let r = 0; r < rounds; r++) {
      for (const command of kinds) {
        const out = [];
        for (let i = 0; i < block; i++) out.push((await roundTrip(dap, command)).ms);
        got[command].all.push(...out);
        got[command].rounds.push(round2(median(out)));
      }
    }
    results.historySteps = depth;
    results.stepDeepMedianMs = round2(median(got.next.all));
    results.stepBackMedianMs = round2(median(got.stepBack.all));
    results.reverseContinueMedianMs = round2(median(got.reverseContinue.all));
    results.continueDeepMedianMs = round2(median(got.continue.all));
    // The median of each round: how much these rows swing within one run.
    if (rounds > 1) notes.push(`at that depth, the medians of the ${rounds} rounds: ${kinds.map((k) => `${k} ${got[k].rounds.join(', ')}`).join('; ')} ms`);
  } finally {
    dap.close();
  }
  // What the runtime keeps per step, measured in a process of its own: the heap after a full GC
  // at the entry and at the deep stop, over the steps between (the History, the kernel of the
  // stop with its frames and call records for the Wire view, the current segment's steps).
  const probe = `
    const { parseScenario } = require(${JSON.stringify(path.join(ROOT, 'out/src/model/scenario/parse.js'))});
    const { Runtime } = require(${JSON.stringify(path.join(ROOT, 'out/src/debugger/runtime.js'))});
    const fs = require('fs');
    const s = parseScenario(fs.readFileSync(${JSON.stringify(file)}, 'utf8'), 'deep.kpath');
    const rt = new Runtime(s);
    rt.start(true);
    gc(); gc();
    const h0 = process.memoryUsage().heapUsed;
    rt.setFunctionBreakpoints([{ id: 1, name: 'ip_finish_output2', condition: 'now >= 29000000' }]);
    const r = rt.continue();
    gc(); gc();
    const h1 = process.memoryUsage().heapUsed;
    process.stdout.write(JSON.stringify({ steps: r.stop.step, bytes: h1 - h0, history: rt.historyStats() }));
  `;
  const out = sh(process.execPath, ['--expose-gc', '-e', probe]);
  const m = JSON.parse(out);
  results.historyBytesPerStep = round2(Math.max(0, m.bytes) / m.steps);
  results.historyIndexBytesPerStep = round2(m.history.bytes / m.history.steps);
  results.checkpoints = m.history.checkpoints;
  results.checkpointObjects = m.history.checkpointObjects;
}

// ---- a million packets through the command ----------------------------------------------------

function millionPackets() {
  const file = path.join(tmp, 'million.kpath');
  const total = QUICK ? 200_000 : 1_000_000;
  fs.writeFileSync(file, ['link add eth0 mtu 1500 address 02:00:00:00:00:01', 'addr add 192.0.2.1/24 dev eth0', 'peer 192.0.2.2 lladdr 02:00:00:00:00:02', 'at 0ms send udp to 192.0.2.2:9000 size 100 socket s1', `at 1ms send udp to 192.0.2.2:9000 size 100 count ${total - 1} every 1us socket s1`, ''].join('\n'));
  const pcap = path.join(tmp, 'million.pcap');
  // The command itself, with its peak RSS reported as it exits.
  const wrapper = `
    process.argv = [process.argv[0], 'kpath', 'run', ${JSON.stringify(file)}, '--pcap', ${JSON.stringify(pcap)}];
    process.on('exit', () => require('fs').writeSync(2, '\\nBENCH-RSS ' + process.resourceUsage().maxRSS + '\\n'));
    require(${JSON.stringify(path.join(ROOT, 'dist/cli.js'))});
  `;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', wrapper], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const secs = ms(t0) / 1000;
  if (r.status !== 0) throw new Error(`kpath run (a million packets) failed: ${r.stderr}`);
  const frames = Number(/Wrote (\d+) frames/.exec(r.stdout)?.[1]);
  const size = fs.statSync(pcap).size;
  fs.rmSync(pcap, { force: true });
  if (frames !== total + 2) throw new Error(`a million packets: ${frames} frames (expected ${total} datagrams and the ARP exchange)`);
  results.millionPacketsSeconds = round2(secs);
  results.millionPacketsPeakRssMb = Math.round(Number(/BENCH-RSS (\d+)/.exec(r.stderr)[1]) / 1024);
  results.millionPacketsPcapMb = Math.round(size / 1e6);
}

// ---- the extension's weight -----------------------------------------------------------------

function bundles() {
  const size = (f) => fs.statSync(path.join(ROOT, f)).size;
  // What VS Code loads: the extension in its extension host, and the adapter in a process of its own.
  results.extensionBundleBytes = size('dist/extension.js');
  results.bundleBytes = size('dist/extension.js') + size('dist/dap.js');
  results.cliBundleBytes = size('dist/cli.js');
  // Loading dist/dap.js constructs the session and starts it on stdio (stdin is closed at once).
  const probe = `
    const t0 = process.hrtime.bigint();
    require(${JSON.stringify(path.join(ROOT, 'dist/dap.js'))});
    const t = Number(process.hrtime.bigint() - t0) / 1e6;
    require('fs').writeSync(2, 'BENCH-ACT ' + t + '\\n');
    process.exit(0);
  `;
  const times = [];
  for (let i = 0; i < (QUICK ? 3 : 7); i++) {
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', input: '' });
    times.push(Number(/BENCH-ACT ([\d.]+)/.exec(r.stderr)[1]));
  }
  results.adapterLoadMs = round2(median(times));
}

/**
 * The extension's activation time as VS Code itself reports it (Developer: Show Running
 * Extensions: loading its code and calling activate), in a real VS Code (code-server) in Debian's
 * chromium, through the harness of the extension tests (installed into .vscode-test/ on first use).
 */
async function activation() {
  const harness = path.join(ROOT, 'out/test/helpers/vscode.js');
  if (!fs.existsSync(harness)) {
    notes.push('activation not measured: out/test/helpers/vscode.js is missing (npm run build)');
    return;
  }
  const vscode = require(harness);
  const missing = vscode.missingPrerequisite();
  if (missing) {
    notes.push(`activation not measured: ${missing}`);
    return;
  }
  await vscode.ensureCodeServer();
  const runs = [];
  const opens = [];
  for (let i = 0; i < (QUICK ? 1 : 3); i++) {
    const m = await vscode.measureActivation();
    runs.push(m.activationMs);
    opens.push(m.openToActivatedMs);
  }
  results.activationMs = round2(median(runs));
  results.workbenchToActivatedMs = round2(median(opens));
  notes.push(`activation: code-server ${vscode.CODE_SERVER_VERSION} in chromium, median of ${runs.length} (${runs.join(', ')} ms)`);
}

function round2(x) {
  return Math.round(x * 100) / 100;
}

// ---- main -------------------------------------------------------------------------------------

async function main() {
  const m = machine();
  log(`kpath bench on ${m.nproc} CPUs, ${m.cpu}, Node ${m.node}${QUICK ? ' (quick)' : ''}`);
  log('model fast path...');
  modelFastPath();
  log('kernel...');
  const k = NO_KERNEL ? { reason: '--no-kernel' } : kernelRates([100, 3000]);
  if (k.reason) notes.push(`kernel not measured: ${k.reason}`);
  else {
    results.kernelPps = k[100];
    results.kernelFragmentPps = k[3000];
    results.kernelRatio = round2(results.fastPathPps / k[100]);
    results.kernelFragmentRatio = round2(results.fragmentPps / k[3000]);
    notes.push(`kernel side: ${k.sender}, 32 per call, pinned to CPU 0, median of ${QUICK ? 3 : 5} x 1 s`);
  }
  log('stepping over DAP...');
  await stepping();
  log('deep history...');
  await deepHistory();
  log('a million packets...');
  millionPackets();
  bundles();
  log('extension activation in VS Code...');
  await activation();
  fs.rmSync(tmp, { recursive: true, force: true });

  if (JSON_OUT) {
    process.stdout.write(JSON.stringify({ ...results, nproc: m.nproc }) + '\n');
    return;
  }
  const rows = [
    ['fastPathPps', 'model: 100-byte UDP to a resolved neighbour, pcap written', 'packets/s'],
    ['kernelPps', 'kernel: the same path (sendmmsg over veth)', 'packets/s'],
    ['kernelRatio', 'model / kernel', 'x'],
    ['fragmentPps', 'model: 3000-byte datagrams, 3 fragments each', 'datagrams/s'],
    ['kernelFragmentPps', 'kernel: the same', 'datagrams/s'],
    ['kernelFragmentRatio', 'model / kernel (fragments)', 'x'],
    ['stepMedianMs', 'step round trip (next, stopped, stackTrace, scopes, variables), median', 'ms'],
    ['stepP99Ms', 'step round trip, 99th percentile', 'ms'],
    ['stepFloorMedianMs', '... the floor: the same with an adapter that does no work, median', 'ms'],
    ['stepFloorP99Ms', '... the floor, 99th percentile', 'ms'],
    ['stepAheadMedianMs', `... in adapters started ahead (--warm, ${STARTED_AHEAD_MS / 1000} s before the launch), median`, 'ms'],
    ['stepAheadP99Ms', '... in adapters started ahead, 99th percentile', 'ms'],
    ['stepPacedMedianMs', `step round trip at a learner's pace (${PACE_MS} ms before each step), median`, 'ms'],
    ['stepPacedFloorMedianMs', '... the floor at that pace, median', 'ms'],
    ['stepWarmMedianMs', 'step round trip in a warm adapter (steps 300 to 1,300 of a session), median', 'ms'],
    ['stepWarmP99Ms', '... 99th percentile', 'ms'],
    ['stepInProcessMedianMs', "the adapter's own work per step (runtime and views, no stdio), median", 'ms'],
    ['firstStopMs', 'launch to the first stop', 'ms'],
    ['firstStopAheadMs', '... in an adapter started ahead', 'ms'],
    ['historySteps', 'steps of history for the next four rows', 'steps'],
    ['stepDeepMedianMs', 'next at that depth, median round trip', 'ms'],
    ['stepBackMedianMs', 'stepBack at that depth, median round trip', 'ms'],
    ['reverseContinueMedianMs', 'reverseContinue at that depth (one packet back), median round trip', 'ms'],
    ['continueDeepMedianMs', 'continue at that depth (one packet ahead), median round trip', 'ms'],
    ['historyBytesPerStep', 'memory the debugger keeps per step (heap growth over the steps)', 'B'],
    ['historyIndexBytesPerStep', '... of which the index of the run', 'B'],
    ['checkpoints', 'checkpoints kept at that depth (copies of the kernel between two events)', ''],
    ['checkpointObjects', '... objects in them', ''],
    ['millionPacketsSeconds', 'kpath run, 1,000,000 packets, pcap streamed to disk', 's'],
    ['millionPacketsPeakRssMb', 'its peak RSS', 'MB'],
    ['bundleBytes', 'what VS Code loads: dist/extension.js + dist/dap.js', 'bytes'],
    ['extensionBundleBytes', '... of which the extension (dist/extension.js)', 'bytes'],
    ['cliBundleBytes', 'the kpath command (dist/cli.js)', 'bytes'],
    ['activationMs', 'extension activation, as VS Code reports it (code-server in chromium)', 'ms'],
    ['workbenchToActivatedMs', '... from opening the workbench to kpath active (a .kpath file opened)', 'ms'],
    ['adapterLoadMs', 'load dist/dap.js and construct the session', 'ms'],
  ];
  const out = [`kpath bench: ${m.nproc} CPUs, ${m.cpu}, Node ${m.node}, Linux ${m.kernel}`, ''];
  for (const [key, what, unit] of rows) {
    if (results[key] === undefined) continue;
    const v = results[key];
    out.push(`  ${what.padEnd(76)} ${String(v.toLocaleString('en-US')).padStart(12)} ${unit}`);
  }
  for (const n of notes) out.push(`  note: ${n}`);
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => {
  log(`bench: ${e.stack ?? e}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
});
