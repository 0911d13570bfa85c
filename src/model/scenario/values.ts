// Single values of a scenario, read and judged on their own: integers and their ranges, durations,
// MAC addresses, link and socket names, the addresses an item may hold, sizes, sysctl keys. Each
// check returns the problem in words (or undefined), for the parser and the object reader alike.

import * as l10n from '@vscode/l10n';
import { formatIpv4, formatMac, isMulticast, parseMac, prefixMask } from '../wire/addr';
import { findSysctl, SYSCTLS } from './sysctl';
import type { Send } from './types';
import { LOOPBACK } from './vocabulary';

/** aa:bb:cc:dd:ee:ff (any case) in lower case; undefined when it is not a MAC address. */
export function canonicalMac(text: string): string | undefined {
  const m = parseMac(text);
  return m && formatMac(m);
}

/** Why a link cannot have this MAC (a device address must be unicast and not all zero). */
export function linkMacProblem(mac: string): string | undefined {
  if (parseInt(mac.slice(0, 2), 16) & 1) {
    return l10n.t('a link needs a unicast MAC address (first byte even), found {0}', mac);
  }
  if (mac === '00:00:00:00:00:00') return l10n.t('a link needs a MAC address other than {0}', mac);
  return undefined;
}

/** What a MAC address looks like, in a message. */
export function macExpected(): string {
  return l10n.t('a MAC address like {0}', '02:00:00:00:00:01');
}

/** What a DSCP value looks like, in a message. */
export function dscpExpected(): string {
  return l10n.t('a DSCP name (cs0..cs7, af11..af43, ef) or 0..63');
}

/** Why a name cannot be a link's name (the kernel's IFNAMSIZ and the names it reserves). */
export function linkNameProblem(name: string): string | undefined {
  if (name === LOOPBACK.name) return l10n.t('lo always exists; it cannot be added');
  if (name === 'default' || name === 'all') {
    return l10n.t('{0} is reserved (sysctl keys use it for every link); expected another link name', name);
  }
  if (name === '.' || name === '..') return l10n.t('expected a link name, found {0}', `"${name}"`);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    return l10n.t('expected a link name (letters, digits, _ . -), found "{0}"', name);
  }
  if (name.length > 15) return l10n.t('a link name is 1..15 characters, found "{0}" ({1})', name, name.length);
  // ip, ethtool and tcpdump would read it as an option when kpath capture names the device.
  if (name.startsWith('-')) return l10n.t('a link name cannot start with "-", found "{0}"', name);
  return undefined;
}

/** Why a word cannot name a socket. */
export function socketNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
    return l10n.t('expected a socket name (1..64 letters, digits, _ . -), found "{0}"', name);
  }
  return undefined;
}

/** `what must be MIN..MAX, found TEXT`, or undefined when in range. */
export function rangeProblem(what: string, value: number | bigint, min: number, max: number, text?: string): string | undefined {
  const v = typeof value === 'bigint' ? value : BigInt(value);
  if (v < BigInt(min) || v > BigInt(max)) return l10n.t('{0} must be {1}..{2}, found {3}', what, min, max, text ?? String(value));
  return undefined;
}

/** An integer written in decimal (optionally negative, so a range error can be given) or, when allowed, 0x hex. */
export function parseIntText(text: string, hex = false): bigint | undefined {
  if (/^-?\d+$/.test(text)) return BigInt(text);
  if (hex && /^0[xX][0-9a-fA-F]+$/.test(text)) return BigInt(text);
  return undefined;
}

const DURATION_UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, ms: 1000000n, s: 1000000000n };

/** A duration, or the problem with it. */
export function durationValue(text: string): { ns: number } | { problem: string } {
  const m = /^(\d+)(?:\.(\d+))?(ns|us|ms|s)$/.exec(text);
  if (!m) return { problem: l10n.t('expected a duration like 10ms (units ns, us, ms, s), found "{0}"', text) };
  const unit = DURATION_UNITS[m[3]];
  const frac = m[2] ?? '';
  const scaled = BigInt(m[1] + frac) * unit;
  const div = 10n ** BigInt(frac.length);
  if (scaled % div !== 0n) return { problem: l10n.t('{0} is not a whole number of nanoseconds', text) };
  const ns = scaled / div;
  if (ns > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { problem: l10n.t('{0} is too long; a duration is at most {1}ns', text, Number.MAX_SAFE_INTEGER) };
  }
  return { ns: Number(ns) };
}

/**
 * A duration written as in a scenario (`300ms`, `1.5s`, `250us`, `10ns`) in nanoseconds.
 * Throws an Error whose message says what was expected.
 */
export function parseDuration(text: string): number {
  const r = durationValue(text);
  if ('problem' in r) throw new Error(r.problem);
  return r.ns;
}

/** Nanoseconds in the largest unit that keeps them whole: 10000000 -> "10ms", 1500000000 -> "1500ms". */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0ms';
  if (ns % 1e9 === 0) return `${ns / 1e9}s`;
  if (ns % 1e6 === 0) return `${ns / 1e6}ms`;
  if (ns % 1e3 === 0) return `${ns / 1e3}us`;
  return `${ns}ns`;
}

function unicastProblem(a: number, text: string, what: string): string | undefined {
  if (isMulticast(a) || a === 0xffffffff || a === 0) return l10n.t('expected a unicast address for {0}, found {1}', what, text);
  return undefined;
}

/** Why an address cannot be the host's own address. */
export function hostAddrProblem(a: number, text: string): string | undefined {
  return unicastProblem(a, text, l10n.t('the host'));
}

/** Why an address cannot be a peer's or a gateway's or a static neighbour's. */
export function neighbourAddrProblem(a: number, text: string): string | undefined {
  return unicastProblem(a, text, l10n.t('a neighbour'));
}

/** Why an address cannot be a gateway. */
export function gatewayProblem(a: number, text: string): string | undefined {
  return unicastProblem(a, text, l10n.t('a gateway'));
}

/** Why an address cannot be a multicast group. */
export function groupProblem(a: number, text: string): string | undefined {
  return isMulticast(a) ? undefined : l10n.t('expected a multicast group (224.0.0.0/4), found {0}', text);
}

/** Why NET/PREFIX is not a network address; suggests the one meant. */
export function hostBitsProblem(a: number, prefix: number, written: string): string | undefined {
  const net = (a & prefixMask(prefix)) >>> 0;
  if (net === a) return undefined;
  return l10n.t('{0} has host bits set; did you mean {1}?', written, `${formatIpv4(net)}/${prefix}`);
}

/** Why a send's payload size does not suit its protocol. */
export function sendSizeProblem(proto: Send['proto'], size: number): string | undefined {
  if (proto === 'tcp' && size !== 0) return l10n.t('a tcp syn carries no payload; size must be 0, found {0}', size);
  return undefined;
}

/** gso (UDP_SEGMENT) is a UDP socket option. */
export function gsoProblem(proto: Send['proto']): string {
  return l10n.t('gso sets {0}, an option of UDP sockets, not of {1} ones', 'UDP_SEGMENT', proto);
}

/** Why a sysctl key is not one the model knows. */
export function sysctlKeyProblem(key: string): string | undefined {
  if (findSysctl(key)) return undefined;
  return l10n.t('unknown sysctl "{0}"; expected one of: {1} (DEV is a link name or default)', key, SYSCTLS.map((s) => s.key).join(', '));
}

/** Why a routing table number cannot be used by a route or a rule (0 is refused by the range). */
export function tableProblem(table: number): string | undefined {
  if (table === 255) return l10n.t('table 255 is the local table, which only the kernel fills; expected another table (1..4294967295, main)');
  return undefined;
}

/** Why an option of `link add` does not fit a link of this type (`link`/`id` only for vlan; qdisc, txqueuelen, offload not for vlan). */
export function linkOptionProblem(type: 'veth' | 'ethernet' | 'vlan', option: string): string | undefined {
  const vlanOnly = option === 'link' || option === 'id' || option === 'parent' || option === 'vlanId';
  if (vlanOnly && type !== 'vlan') return l10n.t('{0} is for a VLAN link (type vlan)', option);
  if (!vlanOnly && type === 'vlan' && (option === 'qdisc' || option === 'txqueuelen' || option === 'offload')) {
    return l10n.t('a VLAN link has no {0} of its own (it sends through its parent\'s; offload is the parent\'s)', option);
  }
  return undefined;
}
