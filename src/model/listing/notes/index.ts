// The explanations of the listings (one module per listing file, built the first time a file's
// explanations are asked for). Most of the listing text in two languages, they make a bundle of their
// own (dist/notes.js), which the debug adapter reads when it first shows one: not while it starts.

import type { ListingProfile } from '../types';
import type { FileNotes, FunctionNotes, Note, NoteLanguage, Text } from './types';
import udp from './udp';
import raw from './raw';
import tcp_ipv4 from './tcp_ipv4';
import route from './route';
import ip_output from './ip_output';
import dst_h from './dst_h';
import netfilter from './netfilter';
import arp_h from './arp_h';
import neighbour from './neighbour';
import neighbour_h from './neighbour_h';
import arp from './arp';
import dev from './dev';
import icmp from './icmp';
import ip_input from './ip_input';
import ipv4_netfilter from './ipv4_netfilter';
import nf_dup_ipv4 from './nf_dup_ipv4';
import vlan_dev from './vlan_dev';
import skbuff from './skbuff';
import softirq from './softirq';

export type { FileNotes, FunctionNotes, Note, NoteLanguage, Text } from './types';

/** Each listing file's explanations, by kernel path: functions that build them when called. */
const FILES: Record<string, () => FileNotes> = {
  'net/ipv4/udp.c': udp,
  'net/ipv4/raw.c': raw,
  'net/ipv4/tcp_ipv4.c': tcp_ipv4,
  'net/ipv4/route.c': route,
  'net/ipv4/ip_output.c': ip_output,
  'include/net/dst.h': dst_h,
  'net/netfilter/core.c': netfilter,
  'include/net/arp.h': arp_h,
  'net/core/neighbour.c': neighbour,
  'include/net/neighbour.h': neighbour_h,
  'net/ipv4/arp.c': arp,
  'net/core/dev.c': dev,
  'net/ipv4/icmp.c': icmp,
  'net/ipv4/ip_input.c': ip_input,
  'net/ipv4/netfilter.c': ipv4_netfilter,
  'net/ipv4/netfilter/nf_dup_ipv4.c': nf_dup_ipv4,
  'net/8021q/vlan_dev.c': vlan_dev,
  'net/core/skbuff.c': skbuff,
  'kernel/softirq.c': softirq,
};

const built = new Map<string, FileNotes>();

/** The explanations of a listing file (its kernel path); undefined when kpath has no listing there. */
export function fileNotes(path: string): FileNotes | undefined {
  let n = built.get(path);
  if (!n) {
    const make = FILES[path];
    if (!make) return undefined;
    n = make();
    built.set(path, n);
  }
  return n;
}

/** The kernel paths that have explanations. */
export function notedFiles(): string[] {
  return Object.keys(FILES);
}

/** The explanations of a modeled function of the listing file `path`. */
export function functionNotes(path: string, fn: string): FunctionNotes | undefined {
  return fileNotes(path)?.[fn];
}

/** A note in a profile and a language. */
export function noteText(note: Note, profile: ListingProfile, lang: NoteLanguage): string {
  const t: Text = 'en' in note ? note : note[profile];
  return t[lang];
}

/** The explanation of one step point of a function, if it has one. */
export function stepNote(path: string, fn: string, step: string, profile: ListingProfile, lang: NoteLanguage): string | undefined {
  const n = functionNotes(path, fn)?.steps[step];
  return n ? noteText(n, profile, lang) : undefined;
}
