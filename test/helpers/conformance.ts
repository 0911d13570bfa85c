// Shared helpers of the conformance tests (test/conformance): run a scenario of test/scenarios on
// a kernel profile with a tracer and a pcap writer attached, pick frames out of the result, read
// their header fields, and check what docs/kernel.md (the kernel behaviour kpath models) gives as a rule:
// fragment geometry, multicast MAC mapping, checksums, timer-driven times.
//
// Expected values are never taken from the model: the helpers below compute them from the
// kernel's rules, or the tests write the numbers a real kernel was seen to give.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/model/scenario/parse';
import type { KernelProfile, Scenario } from '../../src/model/scenario/types';
import { createKernel, runKernel, resultOf } from '../../src/model/run';
import { Tracer, type TraceLine } from '../../src/model/trace';
import { PcapWriter } from '../../src/model/wire/pcap';
import type { FrameRecord, RunResult, SendResult } from '../../src/model/result';
import type { DecodedArp, DecodedIp, DecodedUdp } from '../../src/model/wire/decode';
import { tsharkAvailable, tsharkCheck, type TsharkResult } from './tshark';

/** The repository root (this file runs from out/test/helpers). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SCENARIO_DIR = path.join(ROOT, 'test', 'scenarios');
/** Where the runs' captures go (under the build output; kept for a look after a failure). */
export const PCAP_DIR = path.join(ROOT, 'out', 'conformance-pcaps');
export const KERNELS: readonly KernelProfile[] = ['6.18', '4.9'];

export const MS = 1_000_000;
/** HZ of the reference kernel (Debian x86-64): a jiffy is 4 ms. */
export const JIFFY_MS = 4;

export interface Run {
  name: string;
  kernel: KernelProfile;
  scenario: Scenario;
  result: RunResult;
  /** One line per modeled function entered (the Tracer of src/model/trace.ts). */
  trace: TraceLine[];
  /** Where the run's capture was written. */
  pcap: string;
}

const cache = new Map<string, Run>();

/** The scenario file test/scenarios/NAME.kpath, parsed. */
export function loadScenario(name: string): Scenario {
  const file = path.join(SCENARIO_DIR, `${name}.kpath`);
  return parseScenario(readFileSync(file, 'utf8'), file);
}

/**
 * Runs test/scenarios/NAME.kpath on `kernel` (a copy of the scenario with its `kernel` replaced),
 * optionally ending the clock at `endMs`. Results are cached per (name, kernel, end).
 */
export function run(name: string, kernel: KernelProfile = '6.18', endMs?: number): Run {
  return runVariant(name, kernel, endMs === undefined ? '' : `until ${endMs}ms`, (s) => {
    if (endMs !== undefined) s.run = endMs * MS;
    return s;
  });
}

/**
 * Runs a variant of test/scenarios/NAME.kpath: `change` gets a copy of the parsed scenario (its
 * kernel already set) and returns the scenario to run. `variant` names the change for the cache
 * and the pcap's file name.
 */
export function runVariant(name: string, kernel: KernelProfile, variant: string, change: (s: Scenario) => Scenario): Run {
  const key = `${name}|${kernel}|${variant}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const scenario = change({ ...loadScenario(name), kernel });
  const chunks: Uint8Array[] = [];
  const writer = new PcapWriter((c) => chunks.push(c));
  let k: ReturnType<typeof createKernel> | null = null;
  const tracer = new Tracer(() => k!.now, null);
  k = createKernel(scenario, { watcher: tracer, frameSinks: [(t, _dev, _dir, frame) => writer.write(t, frame)] });
  runKernel(k, scenario.run);
  tracer.flush();
  const result = resultOf(k, scenario);
  const pcap = path.join(PCAP_DIR, `${name}-${kernel}${variant ? '-' + variant.replace(/[^A-Za-z0-9.-]+/g, '_') : ''}.pcap`);
  // Test files run in parallel processes and may write the same capture: write, then rename, so
  // that tshark never reads a half-written file.
  mkdirSync(PCAP_DIR, { recursive: true });
  const tmp = `${pcap}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat(chunks));
  renameSync(tmp, pcap);
  const r: Run = { name, kernel, scenario, result, trace: tracer.lines, pcap };
  cache.set(key, r);
  return r;
}

// ---- the capture, through Wireshark's dissectors ----

export const TSHARK_SKIP = tsharkAvailable() ? false : 'tshark is not installed';

/**
 * tshark reads every frame of the run's pcap, finds no malformed packet and no bad checksum
 * (IP, UDP and TCP checksum validation switched on; ICMP is always checked), and sees the same
 * frame lengths as the result.
 */
export function assertCleanPcap(r: Run): TsharkResult {
  const t = tsharkCheck(r.pcap);
  assert.equal(t.frames, r.result.frames.length, `tshark read ${t.frames} of ${r.result.frames.length} frames in ${r.pcap}`);
  assert.deepEqual(t.problems, [], `tshark found problems in ${r.pcap}`);
  assert.deepEqual(t.lens, r.result.frames.map((f) => f.len));
  return t;
}

// ---- picking frames and sends ----

/** Frames the host transmitted on `dev`. */
export function tx(r: Run, dev = 'veth0'): FrameRecord[] {
  return r.result.frames.filter((f) => f.dir === 'tx' && f.dev === dev);
}

/** Every frame seen on `dev`, both directions, in order. */
export function onDev(r: Run, dev = 'veth0'): FrameRecord[] {
  return r.result.frames.filter((f) => f.dev === dev);
}

export function isArp(f: FrameRecord): boolean {
  return f.decoded.eth?.type === 0x0806;
}

export function isIp(f: FrameRecord): boolean {
  return f.decoded.eth?.type === 0x0800;
}

export function arpRequests(frames: FrameRecord[]): FrameRecord[] {
  return frames.filter((f) => isArp(f) && f.decoded.arp?.op === 1);
}

export function ipFrames(frames: FrameRecord[]): FrameRecord[] {
  return frames.filter(isIp);
}

/** The socket calls made on the socket named `socket` in the scenario, in call order. */
export function sendsOn(r: Run, socket: string): SendResult[] {
  const s = r.result.sends.filter((x) => x.socket === socket);
  assert.ok(s.length > 0, `no send on socket ${socket}`);
  return s;
}

/** The single socket call made on socket `socket`. */
export function sendOn(r: Run, socket: string): SendResult {
  const s = sendsOn(r, socket);
  assert.equal(s.length, 1, `socket ${socket} made ${s.length} calls`);
  return s[0];
}

/** The IP frames that carry the datagram(s) of the given socket call(s), in wire order. */
export function framesOf(r: Run, ...sends: SendResult[]): FrameRecord[] {
  const ids = new Set(sends.flatMap((s) => s.packets));
  return r.result.frames.filter((f) => f.dir === 'tx' && isIp(f) && ids.has(f.packet));
}

// ---- fields ----

export function bytes(f: FrameRecord): Buffer {
  return Buffer.from(f.hex, 'hex');
}

export function ip(f: FrameRecord): DecodedIp {
  assert.ok(f.decoded.ip, `frame ${f.index} has no IPv4 header`);
  return f.decoded.ip;
}

export function udp(f: FrameRecord): DecodedUdp {
  assert.ok(f.decoded.udp, `frame ${f.index} has no UDP header`);
  return f.decoded.udp;
}

export function arp(f: FrameRecord): DecodedArp {
  assert.ok(f.decoded.arp, `frame ${f.index} is not ARP`);
  return f.decoded.arp;
}

/** The IP header's 16-bit flags + fragment offset field, as on the wire (DF 0x4000, MF 0x2000). */
export function fragField(f: FrameRecord): number {
  const b = bytes(f);
  return b.readUInt16BE(14 + 6);
}

export function ethDst(f: FrameRecord): string {
  assert.ok(f.decoded.eth);
  return f.decoded.eth.dst;
}

export function ethSrc(f: FrameRecord): string {
  assert.ok(f.decoded.eth);
  return f.decoded.eth.src;
}

/** Time of a frame (or anything with a `time` in ns) in milliseconds. */
export function ms(x: { time: number } | number): number {
  return (typeof x === 'number' ? x : x.time) / MS;
}

export function assertBetween(value: number, lo: number, hi: number, what: string): void {
  assert.ok(value >= lo && value <= hi, `${what}: ${value} is not in [${lo}, ${hi}]`);
}

/** Every IPv4 header checksum is valid and the frame decoded without problems. */
export function assertFramesClean(frames: FrameRecord[]): void {
  for (const f of frames) {
    assert.deepEqual(f.decoded.problems, [], `frame ${f.index} (${f.info})`);
    if (f.decoded.ip) assert.ok(f.decoded.ip.checkOk, `frame ${f.index}: bad IP checksum`);
  }
}

// ---- kernel rules the tests compute their expectations from ----

export interface Fragment {
  /** Byte offset of the fragment's data in the datagram. */
  offset: number;
  /** Data bytes the fragment carries. */
  len: number;
  mf: boolean;
}

/**
 * ip_do_fragment's geometry (docs/kernel.md §3.3): data space = mtu - hlen; each fragment carries
 * min(left, data space), rounded down to a multiple of 8 unless it is the last; MF on every
 * fragment but the last. `ipPayload` counts the transport header (UDP: payload + 8).
 */
export function fragmentGeometry(ipPayload: number, mtu: number, hlen = 20): Fragment[] {
  const space = mtu - hlen;
  const out: Fragment[] = [];
  let off = 0;
  while (off < ipPayload) {
    let len = Math.min(ipPayload - off, space);
    if (off + len < ipPayload) len &= ~7;
    out.push({ offset: off, len, mf: off + len < ipPayload });
    off += len;
  }
  return out;
}

/**
 * Checks frames against a fragment geometry: tot_len = hlen + len, frame = 14 + tot_len, the
 * frag_off field = offset/8 | MF, DF clear, one ID shared by all of them.
 */
export function assertFragments(frames: FrameRecord[], geometry: Fragment[], hlen = 20): void {
  assert.equal(frames.length, geometry.length, 'number of fragments');
  const id = ip(frames[0]).id;
  geometry.forEach((g, i) => {
    const f = frames[i];
    const h = ip(f);
    assert.equal(h.totLen, hlen + g.len, `fragment ${i}: tot_len`);
    assert.equal(f.len, 14 + hlen + g.len, `fragment ${i}: frame length`);
    assert.equal(fragField(f), (g.offset / 8) | (g.mf ? 0x2000 : 0), `fragment ${i}: frag_off field`);
    assert.equal(h.df, false, `fragment ${i}: DF`);
    assert.equal(h.id, id, `fragment ${i}: shares the datagram's ID`);
    assert.equal(h.ihl * 4, hlen, `fragment ${i}: ihl`);
    assert.ok(h.checkOk, `fragment ${i}: IP checksum`);
  });
}

/** arp_mc_map for Ethernet: 01:00:5e followed by the low 23 bits of the group (docs/kernel.md §5.3, §7). */
export function multicastMac(group: string): string {
  const [, b, c, d] = group.split('.').map(Number);
  return ['01', '00', '5e', (b & 0x7f).toString(16), c.toString(16), d.toString(16)].map((x) => x.padStart(2, '0')).join(':');
}

/** Unfolded one's complement sum of 16-bit big-endian words (RFC 1071). */
export function sum16(b: Uint8Array, init = 0): number {
  let s = init;
  for (let i = 0; i + 1 < b.length; i += 2) s += (b[i] << 8) | b[i + 1];
  if (b.length & 1) s += b[b.length - 1] << 8;
  return s;
}

export function fold16(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

function addrWords(a: string): number {
  const [p, q, r, t] = a.split('.').map(Number);
  return ((p << 8) | q) + ((r << 8) | t);
}

/** The datagram's IP payload put back together from its fragments (by offset). */
export function reassemble(frames: FrameRecord[]): Buffer {
  const parts = frames.map((f) => {
    const h = ip(f);
    const b = bytes(f);
    return { off: h.fragOffset, data: b.subarray(14 + h.ihl * 4, 14 + h.totLen) };
  });
  const total = Math.max(...parts.map((p) => p.off + p.data.length));
  const out = Buffer.alloc(total);
  for (const p of parts) p.data.copy(out, p.off);
  return out;
}

/** Does the UDP (or TCP) checksum of `l4` (the whole transport message) verify for src -> dst? */
export function transportChecksumOk(l4: Uint8Array, src: string, dst: string, protocol: number): boolean {
  const pseudo = addrWords(src) + addrWords(dst) + protocol + l4.length;
  return fold16(sum16(l4, pseudo)) === 0xffff;
}

/** The IPv4 header checksum a header would carry (the check field taken as zero). */
export function ipHeaderChecksum(header: Uint8Array): number {
  const h = Buffer.from(header);
  h[10] = 0;
  h[11] = 0;
  return ~fold16(sum16(h)) & 0xffff;
}

/** A 20-byte IPv4 header with the given fields and its checksum, as the kernel writes it. */
export function ipv4Header(o: { tos?: number; totLen: number; id: number; fragField: number; ttl: number; protocol: number; src: string; dst: string }): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h[1] = o.tos ?? 0;
  h.writeUInt16BE(o.totLen, 2);
  h.writeUInt16BE(o.id, 4);
  h.writeUInt16BE(o.fragField, 6);
  h[8] = o.ttl;
  h[9] = o.protocol;
  Buffer.from(o.src.split('.').map(Number)).copy(h, 12);
  Buffer.from(o.dst.split('.').map(Number)).copy(h, 16);
  h.writeUInt16BE(ipHeaderChecksum(h), 10);
  return h;
}

/**
 * Forward distance between two 16-bit IP IDs. __ip_select_ident (net/ipv4/route.c,
 * ip_idents_reserve) advances its bucket by segs plus a random amount below the jiffies the
 * bucket sat idle, so a later datagram's ID is 1 .. idle jiffies + 1 ahead.
 */
export function idStep(a: number, b: number): number {
  return (b - a + 0x10000) & 0xffff;
}

/** The most a hashed ID may advance over `elapsedMs` (plus one jiffy of rounding). */
export function maxHashedStep(elapsedMs: number): number {
  return Math.ceil(elapsedMs / JIFFY_MS) + 2;
}

// ---- the call chain, from the tracer ----

/**
 * The chain of modeled functions from the outermost call down to the first line of `fn` for
 * `packet` (or for any packet when omitted): the trace's depths give each line's caller.
 */
export function callChain(r: Run, fn: string, packet?: number): string[] {
  const lines = r.trace;
  const i = lines.findIndex((l) => l.function === fn && (packet === undefined || l.packet === packet));
  assert.ok(i >= 0, `${fn} never ran${packet !== undefined ? ` for packet ${packet}` : ''} on ${r.kernel}`);
  const chain = [fn];
  let depth = lines[i].depth;
  for (let j = i - 1; j >= 0 && depth > 0; j--) {
    if (lines[j].depth === depth - 1) {
      chain.unshift(lines[j].function);
      depth--;
    }
  }
  return chain;
}

/** Does `chain` contain `seq` as consecutive calls? */
export function hasCalls(chain: string[], seq: string[]): boolean {
  for (let i = 0; i + seq.length <= chain.length; i++) if (seq.every((s, j) => chain[i + j] === s)) return true;
  return false;
}

export function ranFunction(r: Run, fn: string): boolean {
  return r.trace.some((l) => l.function === fn);
}
