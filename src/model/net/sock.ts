// struct sock / inet_sock for the sockets a scenario's sends use: UDP, raw ICMP and TCP.

import type { Rtable } from './route';

export const IP_PMTUDISC_DONT = 0;
export const IP_PMTUDISC_WANT = 1;
export const IP_PMTUDISC_DO = 2;
export const IP_PMTUDISC_PROBE = 3;
export const IP_PMTUDISC_INTERFACE = 4;
export const IP_PMTUDISC_OMIT = 5;

export const PMTUDISC_BY_NAME: Record<string, number> = {
  dont: IP_PMTUDISC_DONT, want: IP_PMTUDISC_WANT, do: IP_PMTUDISC_DO,
  probe: IP_PMTUDISC_PROBE, interface: IP_PMTUDISC_INTERFACE, omit: IP_PMTUDISC_OMIT,
};
export const PMTUDISC_NAMES = ['IP_PMTUDISC_DONT', 'IP_PMTUDISC_WANT', 'IP_PMTUDISC_DO', 'IP_PMTUDISC_PROBE', 'IP_PMTUDISC_INTERFACE', 'IP_PMTUDISC_OMIT'];

/** An entry of the socket's error queue (what recvmsg(MSG_ERRQUEUE) would return). */
export interface SockError {
  time: number;
  errno: string;
  origin: 'local' | 'icmp';
  type: number;
  code: number;
  info: number;
  offender: string;
  /** Bytes of the original payload the entry carries. */
  payloadLen: number;
}

export class Sock {
  id: number;
  name: string;
  protocol: 'udp' | 'icmp' | 'tcp';
  inet_saddr = 0; // bound address, 0 = any
  inet_sport = 0;
  inet_daddr = 0; // connected peer
  inet_dport = 0;
  pmtudisc: number;
  uc_ttl = -1;
  tos = 0;
  mark = 0;
  priority = 0;
  broadcast = false;
  bound_dev_if = 0;
  mc_index = 0;
  mc_addr = 0;
  mc_ttl = 1;
  mc_loop = true;
  recverr = false;
  /** UDP_SEGMENT (6.x): payload bytes per segment of a UDP GSO datagram; 0 = off. */
  gso_size = 0;
  /** IP_OPTIONS as built bytes (padded to 4). */
  opt: Uint8Array | null = null;
  inet_id = 0;
  sk_err = 0; // pending error (errno number), consumed by the next call
  sk_err_name = '';
  errqueue: SockError[] = [];
  /** Cached route for a connected socket (sk_dst_cache). */
  dst: Rtable | null = null;
  /** ICMP echo sequence for raw ICMP sockets. */
  echoSeq = 0;
  echoId = 0;
  /** TCP: initial sequence number and state. */
  snd_nxt = 0;
  tcpState = 'CLOSE';
  tsOffset = 0;

  constructor(id: number, name: string, protocol: Sock['protocol'], pmtudisc: number) {
    this.id = id;
    this.name = name;
    this.protocol = protocol;
    this.pmtudisc = pmtudisc;
  }
}
