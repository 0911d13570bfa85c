// The words, ranges and defaults of the scenario language, shared by the .kpath parser and the
// reader of scenario objects so that both accept the same things.

import type { KernelProfile, Link, PmtuDisc, Send, StaticNeigh } from './types';
import { KERNEL_VALUES, LINK_WORDS, NEIGH_WORDS, SEND_WORDS, wordsOf } from './words';

// The values a word may take are the keys of its documentation table (words.ts).
export const KERNELS: readonly KernelProfile[] = wordsOf(KERNEL_VALUES);
export const LINK_TYPES: readonly Link['type'][] = wordsOf(LINK_WORDS.type.values);
export const QDISCS: readonly Link['qdisc'][] = wordsOf(LINK_WORDS.qdisc.values);
export const NUD_STATES: readonly StaticNeigh['nud'][] = wordsOf(NEIGH_WORDS.nud.values);
export const PMTU_MODES: readonly PmtuDisc[] = wordsOf(SEND_WORDS.df.values);
export const NFT_TABLES = ['filter', 'nat', 'mangle'] as const;
export const NFT_PROTOCOLS = ['udp', 'tcp', 'icmp'] as const;
export const IP_OPTIONS = ['ra', 'rr'] as const;
export const SEND_PROTOS = ['udp', 'icmp', 'tcp'] as const;

/** Inclusive ranges, named as the option that carries them. */
export const LIMITS = {
  mtu: [68, 65535],
  txqueuelen: [0, 1000000],
  prefix: [0, 32],
  port: [1, 65535],
  nftPort: [0, 65535],
  size: [0, 65535],
  ttl: [0, 255],
  tos: [0, 255],
  mark: [0, 4294967295],
  count: [1, 10000000],
  gso: [0, 65535],
  dscp: [0, 63],
  vlanId: [1, 4094],
  table: [1, 4294967295],
  priority: [0, 4294967295],
} as const satisfies Record<string, readonly [number, number]>;

/** Defaults the language and the JSON shape fill in. */
export const DEFAULTS = {
  kernel: '6.18' as KernelProfile,
  linkType: 'veth' as Link['type'],
  mtu: 1500,
  txqueuelen: 1000,
  nud: 'permanent' as StaticNeigh['nud'],
  df: 'want' as PmtuDisc,
  count: 1,
  every: 0,
};

/** Default qdisc: a veth and a VLAN have none (noqueue), a physical NIC gets pfifo_fast. */
export function defaultQdisc(type: Link['type']): Link['qdisc'] {
  return type === 'ethernet' ? 'pfifo_fast' : 'noqueue';
}

/** The main routing table (RT_TABLE_MAIN), and the local one (RT_TABLE_LOCAL) no route or rule may name. */
export const TABLE_MAIN = 254;
export const TABLE_LOCAL = 255;
/** The output chains' tables: filter, and mangle (nft's `type route` chain). */
export const OUTPUT_TABLES = ['filter', 'mangle'] as const;
/** The chains an nft rule may go in. */
export const NFT_CHAINS = ['postrouting', 'output'] as const;

/** Default payload size of a send: 100 B of UDP, 56 B of ICMP echo data (as ping), none for a SYN. */
export function defaultSize(proto: Send['proto']): number {
  return proto === 'udp' ? 100 : proto === 'icmp' ? 56 : 0;
}

/** Default MAC of the link at `index` (0-based): 02:00:00:00:00:01 for the first, and so on. */
export function defaultMac(index: number): string {
  const n = index + 1;
  const bytes = [2, 0, (n / 2 ** 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The loopback device every host has. */
export const LOOPBACK = { name: 'lo', address: '127.0.0.1', prefix: 8, mtu: 65536 } as const;

/** DSCP code points by their nft names (no prototype, so that only these names are found). */
export const DSCP_NAMES: Readonly<Record<string, number>> = Object.assign(Object.create(null) as Record<string, number>, {
  cs0: 0, cs1: 8, cs2: 16, cs3: 24, cs4: 32, cs5: 40, cs6: 48, cs7: 56,
  af11: 10, af12: 12, af13: 14,
  af21: 18, af22: 20, af23: 22,
  af31: 26, af32: 28, af33: 30,
  af41: 34, af42: 36, af43: 38,
  ef: 46,
});

/** The name of a DSCP value, when it has one. */
export function dscpName(value: number): string | undefined {
  for (const [name, v] of Object.entries(DSCP_NAMES)) if (v === value) return name;
  return undefined;
}
