// The result of a run: the shape of `kpath run --json` (documented in docs/json.md). Plain data.

import type { DecodedFrame } from './wire/decode';

export interface RunResult {
  /** Version of this document's shape. */
  kpath: 1;
  kernel: '6.18' | '4.9';
  scenario?: string;
  /** Virtual time (ns) when the run ended. */
  endTime: number;
  sends: SendResult[];
  frames: FrameRecord[];
  drops: DropRecord[];
  icmp: IcmpRecord[];
  delivered: DeliveryRecord[];
  sockets: SocketRecord[];
  counters: CounterSet;
  neighbours: NeighbourRecord[];
  netfilter: { table: string; rule: string; packets: number; bytes: number }[];
  /**
   * Only for a run that kept counts instead of records (very long runs): then `sends` and
   * `frames` are empty, and `drops`, `icmp` and `delivered` hold at most their first 1000 entries.
   */
  totals?: RunTotals;
}

export interface RunTotals {
  /** Socket calls made. */
  calls: number;
  /** Frames on the host's devices. */
  frames: number;
  /** Per send line: its calls and how many ended with each result. */
  lines: { line: number; proto: 'udp' | 'icmp' | 'tcp'; to: string; size: number; calls: number; results: Record<string, number> }[];
  drops: number;
  /** Drops per reason. */
  dropReasons: Record<string, number>;
  icmp: number;
  delivered: number;
}

export interface SendResult {
  /** Index in this list (one per socket call; `count N` gives N calls). */
  index: number;
  /** Line of the `send` in the scenario. */
  line: number;
  time: number;
  proto: 'udp' | 'icmp' | 'tcp';
  to: string;
  size: number;
  socket: string;
  /** "ok", or the errno name the call returned (EMSGSIZE, EACCES, ENETUNREACH, EPERM, EHOSTUNREACH, ...). */
  result: string;
  /** Socket options that the kernel refused before the call, e.g. {option: "IP_TTL", result: "EINVAL"}. */
  setsockopt?: { option: string; result: string }[];
  /** Packet ids of the skbs this call created: the datagram, its fragments, and ARP requests it triggered. */
  packets: number[];
}

export interface FrameRecord {
  index: number;
  time: number;
  dev: string;
  /** tx: left the host; rx: arrived from a peer. */
  dir: 'tx' | 'rx';
  len: number;
  /** The frame's bytes as hex. */
  hex: string;
  src: string;
  dst: string;
  protocol: string;
  info: string;
  decoded: DecodedFrame;
  /** Packet id of the skb that carried it (0 for frames from peers). */
  packet: number;
}

export interface DropRecord {
  time: number;
  packet: number;
  /** The modeled function that freed the skb. */
  function: string;
  /** The kernel's drop reason (SKB_DROP_REASON_*, without the prefix). */
  reason: string;
  len: number;
}

export interface IcmpRecord {
  time: number;
  type: number;
  code: number;
  /** Human name, e.g. "host unreachable". */
  name: string;
  from: string;
  to: string;
  info: number;
  /** The packet the error is about. */
  about: number;
}

export interface DeliveryRecord {
  time: number;
  dev: string;
  /** Why it came back to this host: loopback route, multicast loop, broadcast loop. */
  via: 'loopback' | 'multicast-loop' | 'broadcast-loop';
  src: string;
  dst: string;
  protocol: number;
  len: number;
  /** Whether a local socket took it (a joined group, a listener). */
  accepted: boolean;
}

export interface SocketRecord {
  name: string;
  protocol: string;
  local: string;
  remote?: string;
  /** errno name pending as sk_err, if any. */
  pendingError?: string;
  errqueue: ErrqueueEntry[];
}

export interface CounterSet {
  Ip: Record<string, number>;
  Icmp: Record<string, number>;
  Udp: Record<string, number>;
  Tcp: Record<string, number>;
  ArpCache: Record<string, number>;
  devices: Record<string, { tx_packets: number; tx_bytes: number; tx_dropped: number; rx_packets: number; rx_bytes: number }>;
}

export interface NeighbourRecord {
  dev: string;
  dst: string;
  lladdr: string | null;
  state: string;
  probes: number;
  queued: number;
}

/** An entry of a socket's error queue (what recvmsg(MSG_ERRQUEUE) returns with IP_RECVERR). */
export interface ErrqueueEntry {
  time: number;
  errno: string;
  origin: string;
  type: number;
  code: number;
  info: number;
  offender: string;
  payloadLen: number;
}
