// net/ipv4/arp.c: how an entry of arp_tbl is set up (arp_constructor), the requests it sends
// (arp_solicit, arp_create, arp_xmit), replies from the link (arp_rcv, arp_process), and the
// error report for packets that die with a failed entry.

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { SkBuff } from '../net/skbuff';
import { ip_hdr, arp_hdr } from '../net/skbuff';
import type { NetDevice } from '../net/device';
import { IFF_NOARP, IFF_LOOPBACK, IFF_POINTOPOINT } from '../net/device';
import type { Rtable } from '../net/route';
import { Neighbour, NUD_NOARP, NUD_VALID, NUD_REACHABLE, NUD_STALE, nudName } from '../net/neigh';
import { neigh_update, NEIGH_UPDATE_F_OVERRIDE, connectedOutput } from './neighbour';
import { dev_hard_header } from './eth';
import { LL_RESERVED_SPACE } from '../net/device';
import { dev_queue_xmit } from './dev';
import { icmp_send } from './icmp';
import { ICMP_DEST_UNREACH, ICMP_HOST_UNREACH } from '../wire/icmp';
import { isMulticast, multicastMac, formatIpv4, formatMac, BROADCAST_MAC, ZERO_MAC } from '../wire/addr';
import { arpIsEthernetIpv4, emitArp, ARPOP_REQUEST, ARPOP_REPLY } from '../wire/arp';
import { ETH_P_ARP } from '../wire/ethernet';
import { alloc_skb, kfree_skb_reason } from './skbuff';
import { ARP_LEN, ArpHdr, ETH_HLEN } from '../wire/headers';

/** arp_constructor's decision: the address's type and the state it gives the entry. */
function addressNote(type: string, state: string): string {
  if (type === 'multicast') return l10n.t('multicast address -> {0}', state);
  return type === 'broadcast' ? l10n.t('broadcast address -> {0}', state) : l10n.t('unicast address -> {0}', state);
}

/** arp_constructor: state, address and output routine of a new entry, from the address type. */
export function arp_constructor(k: Kernel, n: Neighbour, rt: Rtable, daddr: number, skb: SkBuff | null = null): number {
  const w = k.w;
  const dev = n.dev;
  if (w) w.enter('arp_constructor', skb, { neigh: formatIpv4(n.key), dev: dev.name }, { addr: formatIpv4(n.key), dev });
  // lo and point-to-point devices keep one entry for every next hop: keyed 0.0.0.0.
  if (dev.flags & (IFF_LOOPBACK | IFF_POINTOPOINT)) n.key = 0;
  const addr = n.key;
  let type = 'unicast';
  if (isMulticast(addr)) type = 'multicast';
  else if (addr === 0xffffffff || k.net.broadcastDev(addr) === dev) type = 'broadcast';
  void rt;
  void daddr;
  if (!dev.header_ops) {
    n.nud_state = NUD_NOARP;
    n.output = 'neigh_direct_output';
  } else {
    if (type === 'multicast') {
      n.nud_state = NUD_NOARP;
      n.ha = multicastMac(addr);
    } else if (dev.flags & (IFF_NOARP | IFF_LOOPBACK)) {
      n.nud_state = NUD_NOARP;
      n.ha = dev.dev_addr.slice();
    } else if (type === 'broadcast' || dev.flags & IFF_POINTOPOINT) {
      n.nud_state = NUD_NOARP;
      n.ha = dev.broadcast.slice();
    }
    // Ethernet caches headers: arp_hh_ops, whose output and connected_output are both
    // neigh_resolve_output. A VLAN's header_ops have no cache: arp_generic_ops, whose connected
    // output (for an entry valid already) is neigh_connected_output.
    n.output = n.nud_state & NUD_VALID ? connectedOutput(n) : 'neigh_resolve_output';
  }
  if (w) {
    w.at('state', { type, nud_state: nudName(n.nud_state), ha: formatMac(n.ha), output: n.output });
    w.note(`${addressNote(type, nudName(n.nud_state))}${n.nud_state & NUD_VALID ? ' ha ' + formatMac(n.ha) : ''}`);
    w.leave(0);
  }
  return 0;
}

/** arp_solicit: send an ARP request for the entry (broadcast, or unicast to the cached MAC in PROBE). */
export function arp_solicit(k: Kernel, n: Neighbour, skb: SkBuff | null): void {
  const w = k.w;
  const dev = n.dev;
  if (w) w.enter('arp_solicit', skb, { neigh: formatIpv4(n.key), probes: n.probes }, { saddr: formatIpv4(0), target: formatIpv4(n.key), probes: n.probes, dst_ha: null });
  const target = n.key;
  let saddr = 0;
  // arp_announce 0: the queued packet's source if it is ours, else an address of the device.
  if (skb) {
    const s = ip_hdr(skb).saddr;
    if (k.net.isLocal(s)) saddr = s;
  }
  if (!saddr) saddr = k.net.selectAddr(dev, target);
  if (w) w.at('saddr', { saddr: formatIpv4(saddr), probes: n.probes });
  const p = n.parms;
  let probes = n.probes - p.ucast_probes;
  let dstHw: Uint8Array | null = null;
  if (probes < 0) {
    dstHw = n.ha.slice();
    if (w) w.note(l10n.t('unicast probe to {0}', formatMac(dstHw)));
  } else {
    probes -= p.app_probes;
    if (probes < 0) {
      // neigh_app_ns: a user-space daemon would be asked; nothing goes on the wire.
      if (w) {
        w.note(l10n.t('app_solicit: ask user space (no request on the wire)'));
        w.leave(null, { probes });
      }
      return;
    }
    if (w) w.note(l10n.t('broadcast who-has {0} tell {1}', formatIpv4(target), formatIpv4(saddr)));
  }
  arp_send(k, ARPOP_REQUEST, dev, target, dstHw, saddr, dev.dev_addr, null);
  if (w) w.leave(null, { probes, dst_ha: dstHw ? formatMac(dstHw) : null });
}

/** arp_send_dst -> arp_create -> arp_xmit: an ARP packet straight to dev_queue_xmit. */
export function arp_send(k: Kernel, op: number, dev: NetDevice, tip: number, destHw: Uint8Array | null, sip: number, srcHw: Uint8Array, targetHw: Uint8Array | null): void {
  const w = k.w;
  // arp_create: alloc_skb(arp_hdr_len + LL_RESERVED_SPACE(dev)), reserve the link header's room.
  const hlen = LL_RESERVED_SPACE(dev);
  const buf = new Uint8Array(hlen + ARP_LEN);
  const skb = alloc_skb(k, buf, hlen, ARP_LEN, 832);
  skb.dev = dev;
  skb.protocol = ETH_P_ARP;
  skb.network_header = hlen;
  // The ARP packet, then the link header in front of it (dev_hard_header: a VLAN's goes through
  // vlan_dev_hard_header, and the request leaves tagged).
  emitArp(arp_hdr(skb), { op, sha: srcHw, spa: sip, tha: targetHw ?? ZERO_MAC, tpa: tip });
  dev_hard_header(k, skb, dev, ETH_P_ARP, destHw ?? BROADCAST_MAC, srcHw);
  if (w) w.enter('arp_xmit', skb, { skb, op: op === ARPOP_REQUEST ? 'request' : 'reply' });
  // NF_ARP_OUT has no rules in the model: straight to the device. arp_xmit is void: the
  // device's verdict goes nowhere.
  dev_queue_xmit(k, skb);
  if (w) w.leave(null);
}

/** arp_rcv / arp_process: a reply (or request) from the link updates the sender's entry; 0 (NET_RX_SUCCESS). */
export function arp_rcv(k: Kernel, dev: NetDevice, frame: Uint8Array, broadcastDst: boolean): number {
  const w = k.w;
  const arp = new ArpHdr(frame, ETH_HLEN);
  const ok = arpIsEthernetIpv4(arp, frame.length - ETH_HLEN);
  if (w) {
    const hdr = ok ? { ar_op: arp.ar_op, ar_sha: formatMac(arp.ar_sha), ar_sip: formatIpv4(arp.ar_sip), ar_tha: formatMac(arp.ar_tha), ar_tip: formatIpv4(arp.ar_tip) } : null;
    w.enter('arp_process', null, { dev: dev.name, op: ok ? arp.ar_op : null, sip: ok ? formatIpv4(arp.ar_sip) : null }, { arp: hdr, n: null });
  }
  if (!ok) {
    if (w) w.leave(0);
    return 0;
  }
  // neigh_lookup (through __neigh_lookup) counts lookups and hits.
  const tbl = k.net.arp_tbl;
  tbl.stats.lookups++;
  const sip = arp.ar_sip;
  const n = tbl.get(dev, sip);
  if (n) tbl.stats.hits++;
  if (n) {
    const override = k.jiffies > n.updated + n.parms.locktime;
    // Broadcast replies and requests do not prove the neighbour can hear us.
    const reply = arp.ar_op === ARPOP_REPLY;
    const state = !reply || broadcastDst ? NUD_STALE : NUD_REACHABLE;
    if (w) w.at('state', { n, state: nudName(state), override });
    if (w) w.note(reply ? l10n.t('reply from {0} is-at {1} -> {2}', formatIpv4(sip), formatMac(arp.ar_sha), nudName(state)) : l10n.t('request from {0} is-at {1} -> {2}', formatIpv4(sip), formatMac(arp.ar_sha), nudName(state)));
    neigh_update(k, n, arp.ar_sha, state, override ? NEIGH_UPDATE_F_OVERRIDE : 0);
  } else if (w) {
    w.note(l10n.t('no entry for the sender: nothing to update'));
  }
  if (w) w.leave(0);
  return 0;
}

/** arp_error_report: dst_link_failure sends ICMP host unreachable, then the packet is freed. */
export function arp_error_report(k: Kernel, n: Neighbour, skb: SkBuff): void {
  const w = k.w;
  if (w) w.enter('arp_error_report', skb, { neigh: formatIpv4(n.key), skb });
  if (w) w.note(l10n.t('ipv4_link_failure -> ICMP host unreachable'));
  icmp_send(k, skb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
  kfree_skb_reason(k, skb, 'arp_error_report', 'NEIGH_FAILED');
  if (w) w.leave(null);
}

