import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapError, PcapWriter, decodeFrame, pcapHeader, pcapRecord, readPcap, readPcapRecords } from '../../src/model/wire';
import { tsharkAvailable, tsharkCheck } from '../helpers/tshark';
import { IP_A, IP_B, MAC_A, arpRequest, icmpEcho, pattern, tcpSyn, udpFragments, udpFrame } from '../helpers/frames';

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/** seconds.nanoseconds, as tshark prints frame.time_epoch. */
function epoch(ns: number): string {
  const frac = ns % 1e9;
  return `${(ns - frac) / 1e9}.${String(frac).padStart(9, '0')}`;
}

const TIMES = [0, 1, 999_999_999, 1_000_000_000, 1_234_567_891, 86_400_000_000_123, 2 ** 53];

function sampleFrames(): Uint8Array[] {
  return [
    arpRequest(MAC_A, IP_A, IP_B),
    udpFrame(IP_A, IP_B, 40000, 9000, pattern(100)),
    ...udpFragments(IP_A, IP_B, 40001, 9000, pattern(3000, 3), 1480, 0xf862),
    icmpEcho(IP_A, IP_B, 1, 1, pattern(56)),
    tcpSyn(IP_A, IP_B, 40000, 80, 0x11223344),
  ];
}

test('pcap global header and record layout', () => {
  const h = pcapHeader();
  assert.deepEqual(
    Array.from(h),
    [0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x04, 0x00, 1, 0, 0, 0],
  );
  const r = pcapRecord(2 ** 53 - 1, new Uint8Array([9, 8, 7]));
  const v = new DataView(r.buffer);
  assert.equal(v.getUint32(0, true), 9007199);
  assert.equal(v.getUint32(4, true), 254740991);
  assert.equal(v.getUint32(8, true), 3);
  assert.equal(v.getUint32(12, true), 3);
  assert.deepEqual(Array.from(r.subarray(16)), [9, 8, 7]);
  const top = new DataView(pcapRecord(2 ** 53, new Uint8Array(0)).buffer);
  assert.equal(top.getUint32(0, true), 9007199);
  assert.equal(top.getUint32(4, true), 254740992);
  assert.throws(() => pcapRecord(2 ** 53 + 2, new Uint8Array(1)), RangeError);
  assert.throws(() => pcapRecord(-1, new Uint8Array(1)), RangeError);
  assert.throws(() => pcapRecord(1.5, new Uint8Array(1)), RangeError);
});

test('PcapWriter output reads back exactly', () => {
  const chunks: Uint8Array[] = [];
  const w = new PcapWriter((c) => chunks.push(c));
  assert.equal(chunks.length, 1, 'global header written on construction');
  const frames = sampleFrames();
  frames.forEach((f, i) => w.write(TIMES[i], f));
  const back = readPcap(concat(chunks));
  assert.equal(back.length, frames.length);
  back.forEach((p, i) => {
    assert.equal(p.timeNs, TIMES[i]);
    assert.deepEqual(p.frame, frames[i]);
  });
  const bad = concat(chunks);
  bad[0] ^= 1;
  assert.throws(() => readPcap(bad), /magic/);
  assert.throws(() => readPcap(concat(chunks).subarray(0, 30)), /truncated/);
});

/** A pcap of one 4-byte record in the given byte order and precision, as tcpdump may write it. */
function oneRecord(le: boolean, micro: boolean, sec: number, frac: number): Uint8Array {
  const b = new DataView(new ArrayBuffer(24 + 16 + 4));
  b.setUint32(0, micro ? 0xa1b2c3d4 : 0xa1b23c4d, le);
  b.setUint32(24, sec, le);
  b.setUint32(28, frac, le);
  b.setUint32(32, 4, le);
  b.setUint32(36, 4, le);
  return new Uint8Array(b.buffer);
}

test('pcap records are read in either byte order and precision, seconds and nanoseconds apart', () => {
  for (const le of [true, false]) {
    const [ns] = readPcapRecords(oneRecord(le, false, 1764000000, 123456789));
    assert.deepEqual([ns.sec, ns.ns, ns.frame.length], [1764000000, 123456789, 4], `nanosecond, ${le ? 'little' : 'big'}-endian`);
    const [us] = readPcapRecords(oneRecord(le, true, 1764000000, 123456));
    assert.deepEqual([us.sec, us.ns], [1764000000, 123456000], `microsecond, ${le ? 'little' : 'big'}-endian`);
  }
});

test('a pcap cut short: an error naming where, or the whole records before the cut', () => {
  const whole = oneRecord(true, false, 1, 2);
  const twice = concat([whole, whole.subarray(24)]);
  const cut = twice.subarray(0, twice.length - 2);
  assert.throws(() => readPcapRecords(cut), (e: unknown) => e instanceof PcapError && e.problem === 'truncated' && e.at === 44);
  assert.equal(readPcapRecords(cut, 'keep-whole').length, 1);
  assert.equal(readPcapRecords(twice.subarray(0, 50), 'keep-whole').length, 1, 'a record header cut short');
  assert.throws(() => readPcapRecords(whole.subarray(0, 10)), (e: unknown) => e instanceof PcapError && e.problem === 'short');
  assert.deepEqual(readPcapRecords(whole.subarray(0, 10), 'keep-whole'), []);
  const foreign = whole.slice();
  foreign[0] = 0;
  assert.throws(() => readPcapRecords(foreign, 'keep-whole'), (e: unknown) => e instanceof PcapError && e.problem === 'magic' && e.magic === 0xa1b23c00);
});

test('tshark reads the capture with every checksum valid', (t) => {
  if (!tsharkAvailable()) {
    if (process.env.CI) assert.fail('tshark is required in CI but was not found on PATH');
    t.skip('tshark not installed; install Wireshark\'s tshark to cross-check captures');
    return;
  }
  const frames = sampleFrames();
  for (const f of frames) assert.deepEqual(decodeFrame(f).problems, []);
  const dir = mkdtempSync(join(tmpdir(), 'kpath-pcap-'));
  try {
    const file = join(dir, 'sample.pcap');
    const chunks: Uint8Array[] = [];
    const w = new PcapWriter((c) => chunks.push(c));
    frames.forEach((f, i) => w.write(TIMES[i], f));
    writeFileSync(file, concat(chunks));
    const r = tsharkCheck(file);
    assert.equal(r.frames, frames.length);
    assert.deepEqual(r.lens, frames.map((f) => f.length));
    assert.deepEqual(r.times, TIMES.slice(0, frames.length).map(epoch));
    assert.deepEqual(r.problems, []);

    // The checker itself must notice a bad checksum and a malformed packet.
    const broken = udpFrame(IP_A, IP_B, 1, 2, pattern(10));
    broken[broken.length - 1] ^= 0xff;
    const cut = udpFrame(IP_A, IP_B, 1, 2, pattern(10)).subarray(0, 14 + 20 + 4);
    const chunks2: Uint8Array[] = [];
    const w2 = new PcapWriter((c) => chunks2.push(c));
    w2.write(0, broken);
    w2.write(1, cut);
    const file2 = join(dir, 'broken.pcap');
    writeFileSync(file2, concat(chunks2));
    const r2 = tsharkCheck(file2);
    assert.equal(r2.frames, 2);
    assert.ok(r2.problems.some((p) => p.startsWith('frame 1:') && /bad checksum/i.test(p)), r2.problems.join('\n'));
    assert.ok(r2.problems.some((p) => p.startsWith('frame 2:')), r2.problems.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
