// TCP (RFC 9293): flags, the parsed form of the header, its checksum and the options a SYN carries
// (the view is TcpHdr in headers.ts).

import { fold, pseudoHeaderSum, sum16 } from './checksum';
import { IPPROTO_TCP } from './ipv4';
import { formatHex } from './bytes';
import { TCP_CHECK_OFFSET, TCP_HLEN, TcpHdr, readU16, readU32, writeU16, writeU32 } from './headers';

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;
/** Accurate ECN (the former NS bit), the low bit of byte 12. */
export const TCP_AE = 0x100;

export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MSS = 2;
export const TCPOPT_WINDOW = 3;
export const TCPOPT_SACK_PERM = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_TIMESTAMP = 8;

export interface TcpRepr {
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  /** Header length in 32-bit words, 5..15. */
  dataOff: number;
  /** TCP_FIN .. TCP_CWR, plus TCP_AE. */
  flags: number;
  window: number;
  check: number;
  urg: number;
  /** (dataOff - 5) * 4 bytes, possibly empty. */
  options: Uint8Array;
}

/**
 * The header of the `len` bytes at `off`, or undefined unless the data offset is at least 5 and
 * all dataOff * 4 bytes are present. The checksum is reported, not verified.
 */
export function parseTcp(buf: Uint8Array, off: number, len: number): TcpRepr | undefined {
  if (off < 0 || len < TCP_HLEN || off + TCP_HLEN > buf.length) return undefined;
  const th = new TcpHdr(buf, off);
  const dataOff = th.doff;
  const hlen = dataOff * 4;
  if (dataOff < 5 || len < hlen || off + hlen > buf.length) return undefined;
  return {
    sport: th.source,
    dport: th.dest,
    seq: th.seq,
    ack: th.ack_seq,
    dataOff,
    flags: th.flags,
    window: th.window,
    check: th.check,
    urg: th.urg_ptr,
    options: th.options.slice(),
  };
}

/**
 * The checksum to store for the `len` bytes of segment at `off` (header and payload, all present
 * in `buf`) sent from `saddr` to `daddr`. The stored checksum field is skipped, so it need not be
 * cleared first.
 */
export function tcpChecksum(buf: Uint8Array, off: number, len: number, saddr: number, daddr: number): number {
  let sum = pseudoHeaderSum(saddr, daddr, IPPROTO_TCP, len);
  const after = TCP_CHECK_OFFSET + 2;
  sum = sum16(buf, off, TCP_CHECK_OFFSET, sum);
  sum = sum16(buf, off + after, len - after, sum);
  return ~fold(sum) & 0xffff;
}

/**
 * The 20 option bytes of a SYN, in the order Linux writes them when timestamps, SACK and window
 * scaling are all on: MSS (02 04 mss), SACK permitted (04 02) directly followed by timestamps
 * (08 0a tsval tsecr), then NOP and window scale (01 03 03 wscale).
 */
export function buildSynOptions(mss: number, tsval: number, tsecr: number, wscale: number): Uint8Array<ArrayBuffer> {
  const o = new Uint8Array(20);
  o[0] = TCPOPT_MSS;
  o[1] = 4;
  writeU16(o, 2, mss);
  o[4] = TCPOPT_SACK_PERM;
  o[5] = 2;
  o[6] = TCPOPT_TIMESTAMP;
  o[7] = 10;
  writeU32(o, 8, tsval);
  writeU32(o, 12, tsecr);
  o[16] = TCPOPT_NOP;
  o[17] = TCPOPT_WINDOW;
  o[18] = 3;
  o[19] = wscale;
  return o;
}

export type TcpOption =
  | { kind: 'nop' }
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; value: number }
  | { kind: 'sackOK' }
  | { kind: 'sack'; value: { left: number; right: number }[] }
  | { kind: 'ts'; value: { val: number; ecr: number } }
  | { kind: 'unknown'; value: { type: number; data: string } }
  | { kind: 'malformed'; value: { type: number; at: number } };

/**
 * Lists the options for display, stopping at EOL. An option with a bad length, or running past
 * the end, is reported as 'malformed' and ends the list.
 */
export function parseTcpOptions(opts: Uint8Array): TcpOption[] {
  const out: TcpOption[] = [];
  let i = 0;
  while (i < opts.length) {
    const type = opts[i];
    if (type === TCPOPT_EOL) break;
    if (type === TCPOPT_NOP) {
      out.push({ kind: 'nop' });
      i++;
      continue;
    }
    const len = i + 1 < opts.length ? opts[i + 1] : 0;
    if (len < 2 || i + len > opts.length) {
      out.push({ kind: 'malformed', value: { type, at: i } });
      break;
    }
    const fixed = (n: number): boolean => {
      if (len === n) return true;
      out.push({ kind: 'malformed', value: { type, at: i } });
      return false;
    };
    if (type === TCPOPT_MSS) {
      if (!fixed(4)) break;
      out.push({ kind: 'mss', value: readU16(opts, i + 2) });
    } else if (type === TCPOPT_WINDOW) {
      if (!fixed(3)) break;
      out.push({ kind: 'wscale', value: opts[i + 2] });
    } else if (type === TCPOPT_SACK_PERM) {
      if (!fixed(2)) break;
      out.push({ kind: 'sackOK' });
    } else if (type === TCPOPT_TIMESTAMP) {
      if (!fixed(10)) break;
      out.push({ kind: 'ts', value: { val: readU32(opts, i + 2), ecr: readU32(opts, i + 6) } });
    } else if (type === TCPOPT_SACK) {
      if ((len - 2) % 8 !== 0) {
        out.push({ kind: 'malformed', value: { type, at: i } });
        break;
      }
      const blocks: { left: number; right: number }[] = [];
      for (let p = i + 2; p < i + len; p += 8) blocks.push({ left: readU32(opts, p), right: readU32(opts, p + 4) });
      out.push({ kind: 'sack', value: blocks });
    } else {
      out.push({ kind: 'unknown', value: { type, data: formatHex(opts, i + 2, len - 2) } });
    }
    i += len;
  }
  return out;
}

/** One option as tcpdump prints it: "mss 1460", "sackOK", "TS val 1 ecr 0", "nop", "wscale 10". */
export function formatTcpOption(o: TcpOption): string {
  switch (o.kind) {
    case 'nop':
      return 'nop';
    case 'mss':
      return `mss ${o.value}`;
    case 'wscale':
      return `wscale ${o.value}`;
    case 'sackOK':
      return 'sackOK';
    case 'sack':
      return `sack ${o.value.length} ${o.value.map((b) => `{${b.left}:${b.right}}`).join('')}`;
    case 'ts':
      return `TS val ${o.value.val} ecr ${o.value.ecr}`;
    case 'unknown':
      return `opt-${o.value.type}:${o.value.data}`;
    case 'malformed':
      return `malformed option ${o.value.type} at ${o.value.at}`;
  }
}
