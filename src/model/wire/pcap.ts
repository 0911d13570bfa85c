// Classic libpcap files with nanosecond timestamps (magic 0xa1b23c4d), little-endian, Ethernet
// link type: what the model's captures are written as, readable by tcpdump and Wireshark.

export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_SNAPLEN = 262144;
export const LINKTYPE_ETHERNET = 1;
export const PCAP_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;

const NS_PER_S = 1_000_000_000;
const MAX_TIME_NS = 2 ** 53;

/** The 24-byte global header. */
export function pcapHeader(): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(PCAP_HEADER_LEN);
  const v = new DataView(b.buffer);
  v.setUint32(0, PCAP_MAGIC_NS, true);
  v.setUint16(4, 2, true); // version 2.4
  v.setUint16(6, 4, true);
  v.setInt32(8, 0, true); // thiszone: timestamps are UTC
  v.setUint32(12, 0, true); // sigfigs
  v.setUint32(16, PCAP_SNAPLEN, true);
  v.setUint32(20, LINKTYPE_ETHERNET, true);
  return b;
}

/**
 * One record: the 16-byte record header followed by the frame (cut to the snap length).
 * `timeNs` is an integer number of nanoseconds in 0..2^53 (every such number is exact).
 */
export function pcapRecord(timeNs: number, frame: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(timeNs) || timeNs < 0 || timeNs > MAX_TIME_NS) {
    throw new RangeError(`pcap timestamp ${timeNs} is not an integer number of ns in 0..2^53`);
  }
  // t % 1e9 is exact for integers, and t - ns is an exact multiple of 1e9, so the division is exact too.
  const ns = timeNs % NS_PER_S;
  const sec = (timeNs - ns) / NS_PER_S;
  const incl = Math.min(frame.length, PCAP_SNAPLEN);
  const b = new Uint8Array(PCAP_RECORD_HEADER_LEN + incl);
  const v = new DataView(b.buffer);
  v.setUint32(0, sec, true);
  v.setUint32(4, ns, true);
  v.setUint32(8, incl, true);
  v.setUint32(12, frame.length, true);
  b.set(incl === frame.length ? frame : frame.subarray(0, incl), PCAP_RECORD_HEADER_LEN);
  return b;
}

/**
 * Streams a capture to `sink`: the global header on construction, then the records. With
 * `bufferBytes`, records are gathered into chunks of about that size (one allocation per chunk
 * instead of one per frame, for long runs); call flush() at the end to hand over the last one.
 */
export class PcapWriter {
  private buf: Uint8Array | null = null;
  private view: DataView | null = null;
  private used = 0;

  /**
   * `lend`: the sink is done with a chunk when it returns (a synchronous file write), so it gets a
   * view of the buffer instead of a copy.
   */
  constructor(private readonly sink: (chunk: Uint8Array) => void, bufferBytes = 0, private readonly lend = false) {
    sink(pcapHeader());
    if (bufferBytes > 0) {
      this.buf = new Uint8Array(Math.max(bufferBytes, PCAP_RECORD_HEADER_LEN + PCAP_SNAPLEN));
      this.view = new DataView(this.buf.buffer);
    }
  }

  write(timeNs: number, frame: Uint8Array): void {
    const buf = this.buf;
    if (!buf) {
      this.sink(pcapRecord(timeNs, frame));
      return;
    }
    if (!Number.isInteger(timeNs) || timeNs < 0 || timeNs > MAX_TIME_NS) {
      throw new RangeError(`pcap timestamp ${timeNs} is not an integer number of ns in 0..2^53`);
    }
    const incl = Math.min(frame.length, PCAP_SNAPLEN);
    if (this.used + PCAP_RECORD_HEADER_LEN + incl > buf.length) this.flush();
    const v = this.view!;
    const ns = timeNs % NS_PER_S;
    const p = this.used;
    v.setUint32(p, (timeNs - ns) / NS_PER_S, true);
    v.setUint32(p + 4, ns, true);
    v.setUint32(p + 8, incl, true);
    v.setUint32(p + 12, frame.length, true);
    buf.set(incl === frame.length ? frame : frame.subarray(0, incl), p + PCAP_RECORD_HEADER_LEN);
    this.used = p + PCAP_RECORD_HEADER_LEN + incl;
  }

  /** Hands the gathered records to the sink (a copy unless lent: the buffer is reused). */
  flush(): void {
    if (this.buf && this.used) {
      this.sink(this.lend ? this.buf.subarray(0, this.used) : this.buf.slice(0, this.used));
      this.used = 0;
    }
  }
}

export interface PcapPacket {
  timeNs: number;
  frame: Uint8Array;
}

/** A record of a pcap file: its time as seconds and nanoseconds (apart: an epoch time in ns is past 2^53) and its frame. */
export interface PcapRecord {
  sec: number;
  ns: number;
  frame: Uint8Array;
}

/** What is wrong with a pcap file, and where: `short` (no whole global header), `magic`, `truncated` (a record at byte `at`). */
export class PcapError extends Error {
  constructor(readonly problem: 'short' | 'magic' | 'truncated', readonly at: number, readonly magic = 0) {
    super(
      problem === 'short' ? 'pcap: file shorter than its global header'
      : problem === 'magic' ? `pcap: bad magic 0x${magic.toString(16).padStart(8, '0')}`
      : `pcap: truncated record at byte ${at}`,
    );
  }
}

/** The byte order and the nanoseconds per timestamp fraction of each magic number. */
const MAGICS = new Map([
  [PCAP_MAGIC_NS, { le: true, scale: 1 }],
  [PCAP_MAGIC_US, { le: true, scale: 1000 }],
  [0x4d3cb2a1, { le: false, scale: 1 }],
  [0xd4c3b2a1, { le: false, scale: 1000 }],
]);

/**
 * The records of a classic pcap file (either timestamp precision, either byte order). A file cut
 * short is a PcapError, or with `cut: 'keep-whole'` (a capture stopped mid-write) the whole
 * records before the cut.
 */
export function readPcapRecords(bytes: Uint8Array, cut: 'error' | 'keep-whole' = 'error'): PcapRecord[] {
  const lenient = cut === 'keep-whole';
  if (bytes.length < PCAP_HEADER_LEN) {
    if (lenient) return [];
    throw new PcapError('short', 0);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const form = MAGICS.get(v.getUint32(0, true));
  if (!form) throw new PcapError('magic', 0, v.getUint32(0, true));
  const out: PcapRecord[] = [];
  for (let p = PCAP_HEADER_LEN; p < bytes.length; ) {
    const body = p + PCAP_RECORD_HEADER_LEN;
    const end = body <= bytes.length ? body + v.getUint32(p + 8, form.le) : Infinity;
    if (end > bytes.length) {
      if (lenient) break;
      throw new PcapError('truncated', p);
    }
    out.push({ sec: v.getUint32(p, form.le), ns: v.getUint32(p + 4, form.le) * form.scale, frame: bytes.slice(body, end) });
    p = end;
  }
  return out;
}

/** The frames of a pcap file with their times in ns, for files whose times start near 0 (as kpath writes them). */
export function readPcap(bytes: Uint8Array): PcapPacket[] {
  return readPcapRecords(bytes).map((r) => ({ timeNs: r.sec * NS_PER_S + r.ns, frame: r.frame }));
}
