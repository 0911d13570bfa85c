// The receive side, as far as the transmit path needs it: frames from peers (ARP replies, echo
// replies, RSTs) and packets this host sends itself (over lo, or looped multicast/broadcast).

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { NetDevice } from '../net/device';
import { arp_rcv } from './arp';
import { icmp_rcv, icmp_send } from './icmp';
import { ICMP_DEST_UNREACH, ICMP_PORT_UNREACH } from '../wire/icmp';
import { RTN_LOCAL, RTCF_LOCAL } from '../net/route';
import { skbTruesize } from '../net/skbuff';
import { tcp_v4_rcv } from './tcp_ipv4';
import { ETH_P_8021Q, ETH_P_ARP, ETH_P_IP } from '../wire/ethernet';
import { isMulticast, formatIpv4 } from '../wire/addr';
import { IP_MF, IP_OFFSET, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4';
import { NET_RX_DROP } from './errno';
import { alloc_skb, consume_skb } from './skbuff';
import { ETH_HLEN, EthHdr, IPV4_MIN_HLEN, IpHdr, VLAN_ETH_HLEN, VlanEthHdr, vlanRemoveTag } from '../wire/headers';

/** __netif_receive_skb: dispatch a received Ethernet frame by its EtherType. */
export function netif_receive_skb(k: Kernel, dev0: NetDevice, frame0: Uint8Array, countRx = true): void {
  const w = k.w;
  let dev = dev0;
  let frame = frame0;
  if (w) w.enter('__netif_receive_skb', null, { dev: dev.name, len: frame.length }, { type: frame.length >= ETH_HLEN ? new EthHdr(frame, 0).h_proto : null });
  if (frame.length < ETH_HLEN) {
    if (w) w.leave(null);
    return;
  }
  if (countRx) {
    dev.stats.rx_packets++;
    dev.stats.rx_bytes += frame.length;
  }
  let type = new EthHdr(frame, 0).h_proto;
  if (type === ETH_P_8021Q) {
    // skb_vlan_untag, then vlan_do_receive: the frame goes on as the VLAN device's, untagged
    // (another_round). A tag no VLAN device of this link has is dropped (the kernel counts it
    // rx_dropped).
    const vid = frame.length >= VLAN_ETH_HLEN ? new VlanEthHdr(frame, 0).vid : -1;
    const vdev = vid < 0 ? undefined : k.net.devices.find((d) => d.vlan !== null && d.vlan.real_dev === dev && d.vlan.vlan_id === vid);
    if (!vdev || !vdev.up) {
      if (w) {
        w.note(vid < 0 ? l10n.t('short VLAN frame: dropped') : l10n.t('no VLAN device for VID {0} on {1}: dropped', vid, dev.name));
        w.leave(null);
      }
      return;
    }
    frame = vlanRemoveTag(frame);
    dev = vdev;
    if (countRx) {
      dev.stats.rx_packets++;
      dev.stats.rx_bytes += frame.length;
    }
    type = new EthHdr(frame, 0).h_proto;
    if (w) {
      w.at('vlan', { dev: dev.name, type });
      w.note(l10n.t("VID {0}: received again as {1}'s, untagged", vid, dev.name));
    }
  }
  const eth = new EthHdr(frame, 0);
  if (type === ETH_P_ARP) {
    if (w) w.note('ETH_P_ARP -> arp_rcv');
    arp_rcv(k, dev, frame, eth.isBroadcastDest());
  } else if (type === ETH_P_IP) {
    if (w) w.note('ETH_P_IP -> ip_rcv');
    ip_rcv(k, dev, frame.subarray(ETH_HLEN));
  }
  if (w) w.leave(null);
}

/** ip_rcv -> ip_local_deliver: only packets for this host matter here. */
function ip_rcv(k: Kernel, dev: NetDevice, ip: Uint8Array): number {
  const w = k.w;
  if (ip.length < IPV4_MIN_HLEN) return NET_RX_DROP;
  const c = k.net.counters.Ip;
  c.InReceives++;
  const iph = new IpHdr(ip, 0);
  const hlen = iph.ihl * 4;
  const daddr = iph.daddr;
  const proto = iph.protocol;
  if (w) {
    const saddr = formatIpv4(iph.saddr);
    const hdr = { ihl: iph.ihl, tot_len: iph.tot_len, ttl: iph.ttl, protocol: proto, saddr, daddr: formatIpv4(daddr) };
    w.enter('ip_rcv', null, { dev: dev.name, saddr, daddr: formatIpv4(daddr), protocol: proto }, { iph: hdr });
  }
  if (!k.net.isLocal(daddr)) {
    if (w) w.leave(0);
    return 0;
  }
  const frag = iph.frag_off;
  if (frag & (IP_MF | IP_OFFSET)) {
    // Reassembly: the model delivers the whole datagram when its first fragment arrives.
    if (frag & IP_OFFSET) {
      if (w) w.leave(0);
      return 0;
    }
  }
  c.InDelivers++;
  if (proto === IPPROTO_ICMP) icmp_rcv(k, ip, hlen);
  else if (proto === IPPROTO_TCP) tcp_v4_rcv(k, ip, hlen);
  else if (proto === IPPROTO_UDP) {
    // No socket of the scenario listens: __udp4_lib_rcv counts NoPorts and answers with ICMP
    // port unreachable (to this host itself, over lo).
    k.net.counters.Udp.NoPorts++;
    if (dev.type === 'loopback') {
      k.recordDelivery({ time: k.now, dev: dev.name, via: 'loopback', src: formatIpv4(iph.saddr), dst: formatIpv4(daddr), protocol: proto, len: iph.tot_len, accepted: false });
    }
    portUnreachable(k, dev, ip);
    // __udp4_lib_rcv then frees the datagram: kfree_skb_reason(skb, SKB_DROP_REASON_NO_SOCKET).
    if (w !== null && w.tracepoint !== undefined) w.tracepoint({ event: 'kfree_skb', reason: 'NO_SOCKET', function: '__udp4_lib_rcv', len: iph.tot_len - hlen });
  }
  if (w) w.leave(0);
  return 0;
}

/** A looped multicast or broadcast copy reaches the local stack (netif_rx after dev_loopback_xmit). */
export function ip_local_deliver_loop(k: Kernel, dev: NetDevice, ip: Uint8Array, via: 'multicast-loop' | 'broadcast-loop'): void {
  const c = k.net.counters;
  c.Ip.InReceives++;
  const iph = new IpHdr(ip, 0);
  const daddr = iph.daddr;
  const proto = iph.protocol;
  let accepted = false;
  if (isMulticast(daddr)) {
    c.Ip.InMcastPkts++;
    accepted = k.net.joins.get(dev.ifindex)?.has(daddr) ?? false;
  } else {
    c.Ip.InBcastPkts++;
  }
  if (proto === IPPROTO_UDP) {
    c.Ip.InDelivers++;
    // A joined group has a member socket; a broadcast with no bound listener is ignored.
    if (accepted) c.Udp.InDatagrams++;
    else c.Udp.IgnoredMulti++;
  }
  k.recordDelivery({ time: k.now, dev: dev.name, via, src: formatIpv4(iph.saddr), dst: formatIpv4(daddr), protocol: proto, len: iph.tot_len, accepted });
}

/** icmp_send(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH) about a received datagram, on its input route. */
function portUnreachable(k: Kernel, dev: NetDevice, ip: Uint8Array): void {
  const iph = new IpHdr(ip, 0);
  const buf = ip.slice(0, Math.min(iph.tot_len, ip.length));
  const skb = alloc_skb(k, buf, 0, buf.length, skbTruesize(buf.length, k.v49));
  skb.network_header = 0;
  skb.transport_header = iph.ihl * 4;
  skb.dev = dev;
  skb.dst = { rt_type: RTN_LOCAL, rt_flags: RTCF_LOCAL >>> 0, dev: k.net.lo, rt_gw4: 0, mtu: 0, mtuLocked: false, output: 'ip_output', saddr: iph.daddr, daddr: iph.daddr };
  icmp_send(k, skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
  // The error carries its own copy of the datagram's start: the received skb is done with.
  consume_skb(k, skb);
}
