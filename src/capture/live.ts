// `kpath capture`: the scenario on this machine's kernel. As root it builds the scenario in
// network namespaces of its own (plan.ts), captures the frames on the host's devices with
// tcpdump, records the kernel's tracepoints for them in a trace instance of its own (tracefs.ts,
// trace-events.ts), makes the socket calls at their times through the helper (helper-py.ts), and
// writes OUTDIR/capture.pcap and OUTDIR/result.json (capture-doc.ts). It installs nothing, sends
// traffic only inside the namespaces it made, and deletes every one of them, and its trace
// instance, when it ends: normally, on an error, or on SIGINT/SIGTERM.

import * as l10n from '@vscode/l10n';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import type { Scenario } from '../model/scenario/types';
import { prepareOutDir, writeCaptureFiles } from './outdir';
import { runScenario } from '../model/run';
import { formatIpv4, parseIpv4, prefixMask } from '../model/wire/addr';
import { readPcapRecords } from '../model/wire/pcap';
import { HELPER_PY, type HelperResult } from './helper-py';
import { planCapture, captureLimitProblems, type CapturePlan } from './plan';
import type { CaptureDoc, CaptureFrameMeta } from './capture-doc';
import { CAPTURE_DOC_VERSION, scenarioDigest } from './capture-doc';
import { OWNERS_DIR, OWN_NS_RE, forgetOwner, ownerGone, ownersDir, readOwner, recordOwner, recordedNamespaces, selfOwner, type Owner } from './owners';
import { tracefsRoot, openTrace, startTrace, stopTrace, readTrace, closeTrace, staleInstances, type TraceInstance } from './tracefs';
import { parseTrace, hostEvents } from './trace-events';
import { vlanProblems } from './vlan-support';

/** A problem with the machine or the input, not a fault in kpath: the command exits 2. */
export class CaptureEnvironmentError extends Error {}

/** The Debian package that provides each command the capture runs. */
export const TOOL_PACKAGES: Record<string, string> = {
  ip: 'iproute2',
  tc: 'iproute2',
  tcpdump: 'tcpdump',
  nft: 'nftables',
  python3: 'python3',
};

const EXTRA_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The full path of a command, or undefined. */
export function findTool(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...EXTRA_PATH];
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The system's Python, never whichever `python3` PATH finds first: the helper runs as root. It
 * runs isolated (`-I`: no PYTHON* variables, no user site, not the script's folder on the path)
 * and in `/` (CAPTURE_CWD), so that nothing of the current folder or the user's set-up is imported.
 */
export const PYTHON = '/usr/bin/python3';

/** The folder every command of a capture runs in. */
export const CAPTURE_CWD = '/';

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export interface Preflight {
  /** Reasons the capture cannot run here (not root, ...). */
  problems: string[];
  /** Commands that are missing, with their Debian packages. */
  missing: { tool: string; pkg: string }[];
}

/** Below gc_thresh1 the kernel never collects neighbour entries, so the machine's own stay put. */
export const MAX_NEIGHBOURS = 128;

/** How many neighbour entries a scenario may create at most: one per unicast destination, plus the static ones. */
export function neighbourEntries(s: Scenario): number {
  const own = new Set(s.addrs.map((a) => a.address));
  const broadcasts = new Set(s.addrs.filter((a) => a.prefix < 31).map((a) => {
    const m = prefixMask(a.prefix);
    return formatIpv4(((parseIpv4(a.address)! & m) | ~m) >>> 0);
  }));
  const dsts = new Set<string>();
  for (const x of s.sends) {
    const first = Number(x.to.split('.')[0]);
    if (first >= 224 || first === 127 || own.has(x.to) || broadcasts.has(x.to)) continue;
    dsts.add(x.to);
  }
  return dsts.size + s.neighs.length;
}

/** What this machine lacks to capture `s`, and what makes `s` unsafe to capture. Installs nothing. */
export function preflight(s: Scenario): Preflight {
  const problems: string[] = [];
  if (process.platform !== 'linux') problems.push(l10n.t('capturing needs Linux network namespaces; this is {0}', process.platform));
  else if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    problems.push(l10n.t('capturing needs root (it creates network namespaces and veth devices): run it with sudo'));
  }
  problems.push(...vlanProblems(s));
  problems.push(...captureLimitProblems(s));
  const entries = neighbourEntries(s);
  if (entries > MAX_NEIGHBOURS) {
    problems.push(l10n.t("the scenario could create {0} neighbour entries, and the kernel's ARP table is shared by every namespace of this machine (gc_thresh1/2/3 128/512/1024): capturing it could push out this machine's own entries or make new ones fail, so kpath capture takes at most {1}", entries, MAX_NEIGHBOURS));
  }
  const tools = ['ip', 'tcpdump'];
  if (s.nft.length) tools.push('nft');
  if (s.links.some((l) => l.qdisc === 'pfifo_fast')) tools.push('tc');
  const missing = tools.filter((t) => !findTool(t)).map((tool) => ({ tool, pkg: TOOL_PACKAGES[tool] }));
  if (!executable(PYTHON)) missing.push({ tool: PYTHON, pkg: TOOL_PACKAGES.python3 });
  return { problems, missing };
}

/** The message for a failed preflight: what is wrong, and the apt-get line that fixes it. */
export function preflightMessage(p: Preflight): string {
  const lines = [...p.problems];
  if (p.missing.length) {
    const pkgs = [...new Set(p.missing.map((m) => m.pkg))];
    lines.push(l10n.t('missing: {0}', p.missing.map((m) => l10n.t('{0} (Debian package {1})', m.tool, m.pkg)).join(', ')));
    lines.push(l10n.t('install with: {0}', `apt-get install -y ${pkgs.join(' ')}`));
  }
  return lines.join('\n');
}

// ---- namespaces: ours only, always removed ----

function listNamespaces(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8', cwd: CAPTURE_CWD });
  if (r.status !== 0) return [];
  return r.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
}

/** Whether process `pid` exists (EPERM: it does, owned by someone else). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Captures in progress in this process. */
const live = new Set<Holdings>();

/**
 * Removes the trace instances (`kpath-<pid>-<seq>`) of captures whose process is gone, by the
 * record of their host namespace (`...-h`, owners.ts): an instance without one stays. Called
 * before removeStaleNamespaces, which forgets those records. Returns their paths.
 */
export function removeStaleTraces(dir: string = OWNERS_DIR, self: Owner = selfOwner()): string[] {
  let root: string;
  try {
    root = tracefsRoot();
  } catch {
    return [];
  }
  const gone = staleInstances(root, (name) => ownerGone(readOwner(dir, `${name}-h`), self));
  for (const d of gone) closeTrace({ dir: d, enabled: [], missing: [] });
  return gone;
}

export interface StaleOptions {
  /** The records' folder (owners.ts). */
  dir?: string;
  /** The namespaces there are (`ip netns list`). */
  list?: () => string[];
  /** Deletes a namespace (`ip netns del`); true when it is gone. */
  del?: (name: string) => boolean;
  /** This process as a record names it. */
  self?: Owner;
  startOf?: (pid: number) => string | undefined;
}

/**
 * Deletes the namespaces this machine's kpath made for a process that is gone (in this PID
 * namespace), and their records; any other namespace stays, whatever its name. Returns their names.
 */
export function removeStaleNamespaces(o: StaleOptions = {}): string[] {
  const dir = o.dir ?? OWNERS_DIR;
  const self = o.self ?? selfOwner();
  const del = o.del ?? ((name: string) => spawnSync('ip', ['netns', 'del', name], { cwd: CAPTURE_CWD }).status === 0);
  const held = new Set([...live].flatMap((h) => h.namespaces));
  const gone: string[] = [];
  const names = (o.list ?? listNamespaces)();
  for (const name of names) {
    if (held.has(name) || !OWN_NS_RE.test(name)) continue;
    if (!ownerGone(readOwner(dir, name), self, o.startOf)) continue;
    if (del(name)) {
      gone.push(name);
      forgetOwner(dir, name);
    }
  }
  // Records of namespaces that are gone already.
  for (const name of recordedNamespaces(dir)) {
    if (!names.includes(name) && !held.has(name) && ownerGone(readOwner(dir, name), self, o.startOf)) forgetOwner(dir, name);
  }
  return gone;
}

/** Everything a capture holds that must not outlive it. */
class Holdings {
  namespaces: string[] = [];
  children = new Set<ChildProcess>();
  tmpDir: string | null = null;
  /** Where the namespaces' records are (owners.ts). */
  ownersDir: string | null = null;
  trace: TraceInstance | null = null;

  release(): void {
    if (this.trace) {
      closeTrace(this.trace);
      this.trace = null;
    }
    for (const c of this.children) {
      if (c.exitCode === null && c.signalCode === null && c.pid) {
        try {
          process.kill(c.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    this.children.clear();
    for (const ns of this.namespaces.splice(0).reverse()) {
      if (spawnSync('ip', ['netns', 'del', ns], { cwd: CAPTURE_CWD }).status === 0 && this.ownersDir) forgetOwner(this.ownersDir, ns);
    }
    if (this.tmpDir) {
      fs.rmSync(this.tmpDir, { recursive: true, force: true });
      this.tmpDir = null;
    }
  }
}

let handlersInstalled = false;

function releaseAll(): void {
  for (const h of live) h.release();
  live.clear();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', releaseAll);
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(sig, () => {
      if (live.size) process.stderr.write(`kpath: ${l10n.t('{0}: removing the capture\'s namespaces', sig)}\n`);
      releaseAll();
      process.exit(code);
    });
  }
}

/** Real time the capture runs on after the model has gone quiet, for what a kernel does late. */
export const SETTLE_NS = 500_000_000;

/** How long a capture of `s` runs: its `run`, else until the model is quiet plus SETTLE_NS. */
export function captureEnd(s: Scenario, modelEnd?: number): number {
  if (s.run !== undefined) return s.run;
  const end = modelEnd ?? runScenario(s, { keepFrames: false }).endTime;
  const lastCall = Math.max(0, ...s.sends.map((x) => x.at + Math.max(0, x.count - 1) * x.every));
  return Math.max(end, lastCall) + SETTLE_NS;
}

let sequence = 0;

// ---- the capture ----

export interface CaptureOptions {
  /** End of the run (ns after time 0). */
  end: number;
  /** The scenario's path as it should be recorded in result.json. */
  scenarioPath: string;
  /** Progress messages. */
  log?: (line: string) => void;
  /** Also write OUTDIR/trace.txt: the kernel's trace as tracefs gave it (every namespace's events). */
  keepTrace?: boolean;
}

function run(argv: string[], input?: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync(argv[0], argv.slice(1), { input, encoding: 'utf8', timeout: 30_000, cwd: CAPTURE_CWD });
  return { ok: r.status === 0, out: r.stdout ?? '', err: (r.stderr ?? '').trim() || (r.error ? r.error.message : l10n.t('exited (status {0})', String(r.status))) };
}

/** The first line of `stream` that passes `test`; fails after `ms`, or as soon as `child` exits. */
function waitForLine(stream: NodeJS.ReadableStream, test: (line: string) => boolean, ms: number, what: string, child?: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const stop = (why: string): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      child?.off('exit', onExit);
      reject(new Error(`${what}: ${why}`));
    };
    const timer = setTimeout(() => stop(l10n.t('no answer within {0} s', ms / 1000)), ms);
    const onExit = (code: number | null, signal: string | null): void => stop(signal ? l10n.t('exited ({0})', signal) : l10n.t('exited (status {0})', String(code)));
    child?.once('exit', onExit);
    const onData = (chunk: Buffer | string): void => {
      buf += chunk.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (test(line)) {
          clearTimeout(timer);
          stream.off('data', onData);
          child?.off('exit', onExit);
          resolve(line);
          return;
        }
      }
    };
    stream.on('data', onData);
  });
}

function exited(c: ChildProcess): Promise<number | null> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve(c.exitCode);
  return new Promise((resolve) => c.once('exit', (code) => resolve(code)));
}

/**
 * Runs the scenario on this machine's kernel and writes OUTDIR/capture.pcap and
 * OUTDIR/result.json. Throws CaptureEnvironmentError for what the machine or the scenario makes
 * impossible.
 */
export async function captureScenario(s: Scenario, outDir: string, o: CaptureOptions): Promise<CaptureDoc> {
  const log = o.log ?? (() => {});
  const pre = preflight(s);
  if (pre.problems.length || pre.missing.length) throw new CaptureEnvironmentError(preflightMessage(pre));
  // Before anything is set up: an OUTDIR that cannot take the result is found out now. (Whether
  // an earlier capture there may be replaced is the caller's question.)
  prepareOutDir(outDir, true);
  installHandlers();
  let records: string;
  try {
    records = ownersDir();
  } catch (e) {
    throw new CaptureEnvironmentError((e as Error).message);
  }
  const staleTraces = removeStaleTraces(records);
  if (staleTraces.length) log(l10n.t('removed trace instances left by earlier runs: {0}', staleTraces.join(', ')));
  const stale = removeStaleNamespaces({ dir: records });
  if (stale.length) log(l10n.t('removed namespaces left by earlier runs: {0}', stale.join(', ')));

  const h = new Holdings();
  h.ownersDir = records;
  const self = selfOwner();
  live.add(h);
  try {
    h.tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `kpath-${process.pid}-`));
    const helperPath = path.join(h.tmpDir, 'helper.py');
    fs.writeFileSync(helperPath, HELPER_PY);
    const seq = sequence++;
    const prefix = `kpath-${process.pid}-${seq}`;
    const plan = planCapture(s, {
      prefix, helperPath, python: PYTHON, end: o.end, ethtool: findTool('ethtool') !== undefined,
      devicePrefix: devicePrefix(process.pid, seq), ifindexBase: ifindexBase(process.pid, seq),
    });
    for (const n of plan.notes) log(l10n.t('note: {0}', n));

    // Namespaces are recorded before they exist, so that a failure half-way still removes them.
    for (const st of plan.setup) {
      if (st.argv[0] === 'ip' && st.argv[1] === 'netns' && st.argv[2] === 'add') {
        recordOwner(records, st.argv[3], self);
        h.namespaces.push(st.argv[3]);
      }
      const r = run(st.argv, st.input);
      if (!r.ok) {
        if (st === plan.setup[0]) throw new CaptureEnvironmentError(l10n.t('cannot create a network namespace: {0}', r.err));
        throw new CaptureEnvironmentError(l10n.t('setting up the scenario failed at "{0}" ({1}): {2}', st.what, st.argv.join(' '), r.err));
      }
    }
    log(l10n.t('namespaces {0} ready', plan.namespaces.join(', ')));
    const doc = await runCapture(s, plan, h, o, log);
    writeCaptureFiles(outDir, doc.frames, doc.doc, o.keepTrace ? doc.trace : undefined);
    return doc.doc;
  } finally {
    h.release();
    live.delete(h);
  }
}

/** `k<pid>_<seq>_`: a device name prefix no other capture running now has (at most 10 characters). */
export function devicePrefix(pid: number, seq: number): string {
  return `k${pid.toString(36)}_${(seq % 1296).toString(36)}_`;
}

/** The first ifindex of a capture's host links: one no other capture running now uses. */
export function ifindexBase(pid: number, seq: number): number {
  return 0x100000 + (pid % 0x8000) * 0x400 + (seq % 16) * 0x40;
}

/**
 * The trace filter that keeps the events of devices named with `prefix`, and every namespace's
 * neighbour timer that ends FAILED: that event closes its own queue's drops (trace-events.ts).
 */
function deviceFilters(prefix: string, plan: CapturePlan): Record<string, string> {
  const dev = `dev ~ "${prefix}*"`;
  const idx = Object.values(plan.ifindex);
  const ifindex = idx.length ? idx.map((i) => `ifindex == ${i}`).join(' || ') : 'ifindex == -1';
  return {
    'neigh/neigh_create': dev, 'neigh/neigh_update': dev, 'neigh/neigh_update_done': dev, 'neigh/neigh_timer_handler': `${dev} || nud_state == 0x20`,
    'neigh/neigh_event_send_done': dev, 'neigh/neigh_event_send_dead': dev,
    'net/net_dev_queue': `name ~ "${prefix}*"`, 'net/net_dev_xmit': `name ~ "${prefix}*"`,
    'qdisc/qdisc_enqueue': ifindex, 'qdisc/qdisc_dequeue': ifindex,
  };
}

/** A trace instance for the capture's devices, or the reason there is none. */
function openCaptureTrace(plan: CapturePlan, h: Holdings): string | undefined {
  if (!plan.devicePrefix) return l10n.t('the devices have no names of their own');
  try {
    const root = tracefsRoot();
    h.trace = openTrace(root, plan.prefix, deviceFilters(plan.devicePrefix, plan));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

async function runCapture(s: Scenario, plan: CapturePlan, h: Holdings, o: CaptureOptions, log: (l: string) => void): Promise<{ doc: CaptureDoc; frames: Uint8Array[]; trace?: string }> {
  const helper = spawn('ip', ['netns', 'exec', plan.hostNs, PYTHON, '-I', path.join(h.tmpDir!, 'helper.py'), 'run'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: CAPTURE_CWD });
  h.children.add(helper);
  let helperErr = '';
  helper.stderr!.on('data', (c: Buffer) => (helperErr += c.toString()));
  // What the helper printed on its standard error follows the reason.
  const failed = (e: unknown): Error => new CaptureEnvironmentError(`${(e as Error).message}${helperErr ? `\n${helperErr.trim()}` : ''}`);
  helper.stdin!.write(JSON.stringify(plan.helper) + '\n');
  try {
    await waitForLine(helper.stdout!, (l) => l.includes('"ready"'), 20_000, l10n.t('the socket helper did not start'), helper);
  } catch (e) {
    throw failed(e);
  }

  // One tcpdump per host device, each writing a pcap to its standard output.
  const tcpdump = findTool('tcpdump')!;
  const dumps = plan.devices.map((d) => {
    const c = spawn('ip', ['netns', 'exec', plan.hostNs, tcpdump, '-i', d.kernel, '-n', '-U', '--immediate-mode',
      '--time-stamp-precision=nano', '-B', '8192', '-s', '262144', '-w', '-'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: CAPTURE_CWD });
    h.children.add(c);
    const chunks: Buffer[] = [];
    let err = '';
    c.stdout!.on('data', (b: Buffer) => chunks.push(b));
    c.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    return { dev: d, c, chunks, err: () => err };
  });
  try {
    await Promise.all(dumps.map((d) => waitForLine(d.c.stderr!, (l) => l.includes('listening on'), 20_000, l10n.t('tcpdump on {0}', d.dev.name), d.c)));
  } catch (e) {
    throw new CaptureEnvironmentError(l10n.t('tcpdump did not start: {0}\n{1}', (e as Error).message, dumps.map((d) => d.err().trim()).filter(Boolean).join('\n')));
  }
  await new Promise((r) => setTimeout(r, 200));

  // The kernel's events: tracing starts just before the schedule, once everything is set up.
  const noTrace = openCaptureTrace(plan, h);
  if (noTrace) log(l10n.t('the kernel\'s events are not recorded: {0}', noTrace));
  else startTrace(h.trace!);

  log(l10n.t('running for {0} s of real time', (plan.helper.end / 1e9).toFixed(3)));
  const resultLine = waitForLine(helper.stdout!, (l) => l.startsWith('{'), (plan.helper.end + plan.helper.lead) / 1e6 + 60_000, l10n.t('the socket helper failed'), helper);
  helper.stdin!.write('go\n');
  let res: HelperResult;
  try {
    res = JSON.parse(await resultLine) as HelperResult;
  } catch (e) {
    // A SyntaxError says what is wrong with the line, not whose line it is.
    throw failed(e instanceof SyntaxError ? new Error(`${l10n.t('the socket helper failed')}: ${e.message}`) : e);
  }

  let trace: { text: string; lost: number } | undefined;
  if (h.trace) {
    stopTrace(h.trace);
    trace = readTrace(h.trace);
  }

  // Stop the captures (tcpdump writes out what it has on SIGINT), then let the helper close.
  for (const d of dumps) d.c.kill('SIGINT');
  await Promise.all(dumps.map((d) => exited(d.c)));
  helper.stdin!.end('exit\n');
  await exited(helper);

  const notes = [...plan.notes];
  for (const d of dumps) {
    const m = /(\d+) packets? dropped by kernel/.exec(d.err());
    if (m && Number(m[1]) > 0) notes.push(l10n.t('tcpdump on {0}: {1} packets dropped by the kernel; the capture is incomplete', d.dev.name, m[1]));
  }
  for (const e of res.execs) if (e.rc !== 0) notes.push(l10n.t('{0}: failed ({1})', e.what, e.stderr || l10n.t('exit {0}', String(e.rc))));
  if (res.maxLateness > 5_000_000) notes.push(l10n.t('the helper made a call up to {0} ms late', (res.maxLateness / 1e6).toFixed(1)));

  // Time 0: the first call's moment minus its scheduled time, so the first call lands on its `at`.
  const [startSec, startNs] = splitRt(res.rtStart);
  const first = res.sends.find((x) => x.rt !== undefined);
  const origin = first ? relRt(first.rt, res.rtStart) - first.t : 0;
  const rel = (sec: number, ns: number): number => (sec - startSec) * 1e9 + (ns - startNs) - origin;

  const all: { t: number; dev: string; dir: 'tx' | 'rx'; frame: Uint8Array }[] = [];
  let early = 0;
  for (const d of dumps) {
    // tcpdump stopped by a signal may leave its last record half written.
    const packets = readPcapRecords(new Uint8Array(Buffer.concat(d.chunks)), 'keep-whole');
    for (const p of packets) {
      const t = rel(p.sec, p.ns);
      if (t < 0) {
        early++;
        continue;
      }
      // On lo every frame is this host's; on a link, the host's own MAC says it left from here.
      const src = [...p.frame.subarray(6, 12)].map((x) => x.toString(16).padStart(2, '0')).join(':');
      const dir = d.dev.name === 'lo' || src === d.dev.mac ? 'tx' : 'rx';
      all.push({ t, dev: d.dev.name, dir, frame: p.frame });
    }
  }
  if (early) notes.push(l10n.t('{0} frames before time 0 were left out', early));
  all.sort((a, b) => a.t - b.t);

  const order = plan.helper.actions.flatMap((a) => (a.kind === 'send' ? [a.send] : []));
  const byIndex = new Map(res.sends.map((r) => [r.index, r]));
  const sends = order.map((snd) => {
    const r = byIndex.get(snd.index);
    const rec: CaptureDoc['sends'][number] = {
      index: snd.index, line: snd.line, time: r ? Math.max(0, relRt(r.rt, res.rtStart) - origin) : -1,
      proto: snd.proto, to: snd.proto === 'icmp' ? snd.to : `${snd.to}:${snd.port}`, size: snd.size, socket: snd.socket,
      result: r ? r.result : 'not made',
    };
    if (r?.setsockopt) rec.setsockopt = r.setsockopt;
    return rec;
  });

  const nonZero = (g: Record<string, Record<string, number>>): Record<string, Record<string, number>> => {
    const out: Record<string, Record<string, number>> = {};
    for (const [k, v] of Object.entries(g)) {
      const e = Object.entries(v).filter(([, x]) => x !== 0);
      if (e.length) out[k] = Object.fromEntries(e);
    }
    return out;
  };

  const scenarioName = new Map(Object.entries(plan.hostNames).map(([name, kernel]) => [kernel, name]));
  const devName = (kernel: string): string => scenarioName.get(kernel) ?? kernel;
  const neighbours = (Array.isArray(res.neighbours) ? res.neighbours : []).map((n: Record<string, unknown>) => ({
    dev: devName(String(n.dev ?? '')),
    dst: String(n.dst ?? ''),
    lladdr: typeof n.lladdr === 'string' ? n.lladdr : null,
    state: Array.isArray(n.state) ? n.state.join(',') : String(n.state ?? ''),
    probes: typeof n.probes === 'number' ? n.probes : 0,
  }));

  const frames: CaptureFrameMeta[] = all.map((f, index) => ({ index, time: f.t, dev: f.dev, dir: f.dir, len: f.frame.length }));
  const doc: CaptureDoc = {
    kpath: CAPTURE_DOC_VERSION,
    kind: 'capture',
    scenario: o.scenarioPath,
    scenarioDigest: scenarioDigest(s),
    kernel: os.release(),
    endTime: Math.max(0, relRt(res.rtEnd, res.rtStart) - origin),
    sends,
    frames,
    sockets: res.sockets.map((sk) => ({
      ...sk,
      errqueue: sk.errqueue.map((e) => {
        const { rt, ...rest } = e;
        return rt === undefined ? rest : { time: Math.max(0, relRt(rt, res.rtStart) - origin), ...rest };
      }),
    })),
    counters: nonZero(res.counters),
    devices: Object.fromEntries(Object.entries(res.devices).map(([k, v]) => [devName(k), v])),
    neighbours,
    neighboursNudAll: true,
    notes,
  };
  if (noTrace) notes.push(l10n.t('the kernel\'s events are not recorded: {0}', noTrace));
  else if (trace && h.trace) {
    const zero = relMono(res.monoStart) + origin;
    const picked = hostEvents(parseTrace(trace.text), {
      host: Object.fromEntries(scenarioName), peers: plan.peerNames,
      ifindex: Object.fromEntries(Object.entries(plan.ifindex).map(([name, i]) => [i, name])),
      pids: res.pid !== undefined ? [res.pid] : [], zero, end: doc.endTime, lo: plan.hostNames.lo,
    });
    doc.events = picked.events;
    doc.eventInfo = { tracepoints: h.trace.enabled.map((t) => t.split('/')[1]), missing: h.trace.missing.map((t) => t.split('/')[1]), setAside: picked.setAside, lost: trace.lost };
    if (trace.lost) notes.push(l10n.t('the kernel\'s trace lost {0} events (full buffers): the events are incomplete', trace.lost));
    log(l10n.t('recorded {0} kernel events', picked.events.length));
  }
  log(l10n.t('captured {0} frames, {1} calls', frames.length, sends.length));
  return { doc, frames: all.map((f) => f.frame), trace: trace?.text };
}

/** CLOCK_MONOTONIC (ns, decimal string as reported) as a number: the trace's microseconds lose nothing to it. */
function relMono(mono: string | undefined): number {
  return mono === undefined ? 0 : Number(mono);
}

/** The helper reports CLOCK_REALTIME as a decimal string (ns); JSON numbers would lose digits. */
function splitRt(rt: number | string): [number, number] {
  const s = String(rt);
  const sec = s.length > 9 ? Number(s.slice(0, -9)) : 0;
  const ns = Number(s.slice(-9));
  return [sec, ns];
}

/** `rt` (ns, as reported) minus the start, in ns, without losing precision. */
function relRt(rt: number | string, start: number | string): number {
  const [a, b] = splitRt(rt);
  const [c, d] = splitRt(start);
  return (a - c) * 1e9 + (b - d);
}

