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
  /** The kernel tracepoints the run fired, in order: only when asked (RunOptions.events; kpath compare asks). */
  events?: KernelEvent[];
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

/**
 * A kernel tracepoint, as the model fires it or as a real kernel's trace recorded it (kpath
 * capture): the neighbour events (neigh:neigh_create, neigh_update, neigh_update_done,
 * neigh_timer_handler, neigh_event_send_done, neigh_event_send_dead), skb:kfree_skb,
 * net:net_dev_queue, net:net_dev_xmit, qdisc:qdisc_enqueue and qdisc:qdisc_dequeue. Only the
 * fields that event has are present.
 */
export interface KernelEvent {
  /** ns after time 0 */
  time: number;
  /** The tracepoint's name without its subsystem: "neigh_update", "kfree_skb", "net_dev_xmit"... */
  event: string;
  /** The device (neighbour, net and qdisc events). */
  dev?: string;
  /** Neighbour events: the entry's address (primary_key4). */
  neigh?: string;
  /** Neighbour events: the entry's state as `ip neigh` names it (NONE, INCOMPLETE, ...): after the event, but before it for neigh_update. */
  state?: string;
  /** neigh_update: the state asked for. */
  new?: string;
  /** neigh_update: the link-layer address given, if any. */
  lladdr?: string;
  /** neigh_create: whether an entry was allocated. */
  created?: boolean;
  /** kfree_skb: the drop reason (SKB_DROP_REASON_* without the prefix). */
  reason?: string;
  /** kfree_skb: the function that freed the packet (the kernel's `location`). */
  function?: string;
  /** net_dev_queue, net_dev_xmit: skb->len. */
  len?: number;
  /** net_dev_xmit: the driver's return code; neigh_update_done: err; neigh_event_send_done: rc. */
  rc?: number;
  /** The model's packet id (kfree_skb, net and qdisc events). */
  packet?: number;
}

/** A tracepoint as a modeled function fires it: the recorder adds the time. */
export type TracepointFields = Omit<KernelEvent, 'time'>;
