// The scenario object: what the .kpath parser produces and what a launch configuration may give
// inline. Plain data (JSON-serialisable), documented in docs/scenario.md. Every item keeps the
// position of the line it came from so that later errors (and the editor) can point at it.

export type KernelProfile = '6.18' | '4.9';

/** 1-based line and column of the first character of the item's first word. */
export interface Pos {
  line: number;
  col: number;
}

export interface Scenario {
  /** Path of the .kpath file, when it came from one. */
  file?: string;
  kernel: KernelProfile;
  links: Link[];
  addrs: Addr[];
  routes: Route[];
  /** Policy routing rules (`rule add ...`), tried before the kernel's own rules (local, main, default). */
  rules: Rule[];
  neighs: StaticNeigh[];
  sysctls: Sysctl[];
  nft: NftRule[];
  peers: Peer[];
  /** Multicast groups joined by a local socket (makes this host a member: RTCF_LOCAL on the route). */
  joins: Join[];
  sends: Send[];
  /** End of the virtual clock in ns; absent means "run until nothing is pending". */
  run?: number;
}

/**
 * `link add NAME [type veth|ethernet] [mtu N] [address MAC] [qdisc noqueue|pfifo_fast] [txqueuelen N] [offload on|off] [down]`,
 * or an 802.1Q VLAN device on a link written before it: `link add NAME link PARENT type vlan id N [mtu N] [address MAC] [down]`.
 */
export interface Link {
  name: string;
  /** veth: a virtual device (noqueue, never pads); ethernet: a physical NIC (pfifo_fast, pads to 60); vlan: 802.1Q on `parent`. */
  type: 'veth' | 'ethernet' | 'vlan';
  /** vlan only: the link the VLAN device sends through (a veth or ethernet link). */
  parent?: string;
  /** vlan only: the VLAN ID, 1..4094. */
  vlanId?: number;
  mtu: number; // 68..65535 (default 1500)
  address: string; // lower-case aa:bb:cc:dd:ee:ff; default 02:00:00:00:00:NN by link order (NN = index+1)
  qdisc: 'noqueue' | 'pfifo_fast'; // default: noqueue for veth, pfifo_fast for ethernet
  txqueuelen: number; // default 1000
  /** TX checksum offload (and with it TSO/GSO, UFO on 4.9, and VLAN tag insertion). Default off, as in the reference captures. */
  offload: boolean;
  up: boolean; // default true
  pos: Pos;
}

/** `addr add A/PREFIX dev NAME` */
export interface Addr {
  address: string;
  prefix: number; // 0..32
  dev: string;
  pos: Pos;
}

/** `route add PREFIX|default [via A] [dev NAME] [mtu N] [src A] [table N|main]` (at least one of via, dev) */
export interface Route {
  /** Destination network address (host bits zero), "0.0.0.0" for default. */
  dst: string;
  prefix: number;
  via?: string;
  dev?: string;
  mtu?: number;
  src?: string;
  /** Routing table, 1..4294967295 except 255 (local); absent means main (254). */
  table?: number;
  pos: Pos;
}

/**
 * `rule add [priority N] [fwmark N[/MASK]] [from PREFIX] [to PREFIX] [oif NAME] lookup N|main`:
 * an FR_ACT_TO_TBL rule of the IPv4 policy database (net/ipv4/fib_rules.c).
 */
export interface Rule {
  /** Preference; absent means the kernel's choice (one below the lowest user rule, starting at 32765). */
  priority?: number;
  fwmark?: number;
  /** Mask for fwmark (default 0xffffffff). */
  fwmask?: number;
  from?: { address: string; prefix: number };
  to?: { address: string; prefix: number };
  oif?: string;
  /** Table to look up (254 for main). */
  table: number;
  pos: Pos;
}

/** `neigh add A lladdr MAC dev NAME [nud permanent|reachable|stale|noarp]` (default permanent) */
export interface StaticNeigh {
  address: string;
  lladdr: string;
  dev: string;
  nud: 'permanent' | 'reachable' | 'stale' | 'noarp';
  pos: Pos;
}

/** `sysctl KEY=VALUE`, keys checked against the known list (docs/scenario.md). */
export interface Sysctl {
  key: string;
  value: number;
  pos: Pos;
}

/**
 * `nft add rule ip TABLE CHAIN MATCH... STATEMENT...`. CHAIN is postrouting (NF_INET_POST_ROUTING) or
 * output (NF_INET_LOCAL_OUT; filter or mangle only). The mangle output chain is nft's `type route`
 * chain: when it changes the mark, addresses or TOS, ip_route_me_harder looks the route up again.
 */
export interface NftRule {
  table: 'filter' | 'nat' | 'mangle';
  chain: 'postrouting' | 'output';
  matches: NftMatch[];
  statements: NftStatement[];
  /** The rule as written, after `nft add rule ip` (for display). */
  text: string;
  pos: Pos;
}

export type NftMatch =
  | { kind: 'l4port'; proto: 'udp' | 'tcp'; field: 'sport' | 'dport'; value: number }
  | { kind: 'addr'; field: 'saddr' | 'daddr'; address: string; prefix: number }
  | { kind: 'protocol'; value: 'udp' | 'tcp' | 'icmp' }
  | { kind: 'oif'; name: string }
  | { kind: 'mark'; value: number };

export type NftStatement =
  | { kind: 'accept' }
  | { kind: 'drop' }
  | { kind: 'counter' }
  | { kind: 'snat'; address: string }
  | { kind: 'masquerade' }
  | { kind: 'mark-set'; value: number }
  | { kind: 'ttl-set'; value: number }
  | { kind: 'dscp-set'; value: number }
  /** `dup to A [device NAME]` (nf_dup_ipv4): a copy routed to A (through NAME when given) and sent by ip_local_out. */
  | { kind: 'dup'; address: string; dev?: string };

/** `peer A lladdr MAC [dev NAME] [silent] [up-at DUR] [reply-delay DUR]` */
export interface Peer {
  address: string;
  lladdr: string;
  /** Link the peer sits on; when not written, the link whose subnet holds the address. */
  dev: string;
  silent: boolean;
  upAt: number; // ns, default 0
  replyDelay: number; // ns, default 0
  pos: Pos;
}

/** `join GROUP dev NAME`: a local socket joined GROUP on NAME (IP_ADD_MEMBERSHIP). */
export interface Join {
  group: string;
  dev: string;
  pos: Pos;
}

export type PmtuDisc = 'dont' | 'want' | 'do' | 'probe' | 'interface' | 'omit';

/**
 * `at TIME send udp to A:PORT [opts]`, `at TIME send icmp echo to A [opts]`,
 * `at TIME send tcp syn to A:PORT [opts]`.
 */
export interface Send {
  at: number; // ns
  proto: 'udp' | 'icmp' | 'tcp';
  to: string;
  port: number; // 0 for icmp
  from?: string;
  fromPort?: number;
  size: number; // payload bytes (default 100 for udp, 56 for icmp, 0 for tcp)
  df: PmtuDisc; // default want
  ttl?: number; // IP_TTL as given (0..255; the kernel refuses 0 with EINVAL)
  tos?: number; // 0..255
  mark?: number; // SO_MARK
  count: number; // default 1
  every: number; // ns between repeats, default 0
  socket?: string; // sends with the same name share one socket
  connected: boolean;
  broadcast: boolean; // SO_BROADCAST
  bindDev?: string; // SO_BINDTODEVICE
  multicastIf?: string; // IP_MULTICAST_IF (an address)
  multicastTtl?: number;
  multicastLoop?: boolean; // IP_MULTICAST_LOOP (default on)
  recverr: boolean; // IP_RECVERR
  /** IP_OPTIONS: `ip-options ra,rr` (router alert, record route with one slot). */
  ipOptions?: ('ra' | 'rr')[];
  /** UDP_SEGMENT: `gso SIZE`, payload bytes per segment (0 turns it off; UDP only). */
  gso?: number;
  pos: Pos;
}

export function emptyScenario(): Scenario {
  return {
    kernel: '6.18',
    links: [],
    addrs: [],
    routes: [],
    rules: [],
    neighs: [],
    sysctls: [],
    nft: [],
    peers: [],
    joins: [],
    sends: [],
  };
}
