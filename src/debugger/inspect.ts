// Views of the model's objects for a debugger: every kernel structure a learner meets (sk_buff,
// net_device, rtable, neighbour, sock) as an object with C field names, used alike by the
// Variables view and by the expression language (`skb->len`, `ip_hdr(skb)->ttl`).

import type { Value, ObjectValue } from './expr';
import { SkBuff, ip_hdr } from '../model/net/skbuff';
import { NetDevice } from '../model/net/device';
import { Neighbour, nudName } from '../model/net/neigh';
import { Sock, PMTUDISC_NAMES } from '../model/net/sock';
import type { Rtable } from '../model/net/route';
import { RTN_NAMES, RTCF_LOCAL, RTCF_BROADCAST, RTCF_MULTICAST } from '../model/net/route';
import { formatIpv4, formatMac } from '../model/wire/addr';
import { IP_DF, IP_MF, IP_OFFSET } from '../model/wire/ipv4';
import type { Kernel } from '../model/kernel/kernel';

/** An object view built from an ordered list of (field, value) getters. */
export class View implements ObjectValue {
  readonly kind = 'object' as const;
  constructor(
    readonly typeName: string,
    private readonly short: () => string,
    private readonly getters: [string, () => Value][],
    /** The model object behind the view (for setVariable and readMemory). */
    readonly target?: unknown,
  ) {}

  get(field: string): Value | undefined {
    for (const [name, g] of this.getters) if (name === field) return g();
    return undefined;
  }

  fields(): string[] {
    return this.getters.map(([n]) => n);
  }

  display(): string {
    return this.short();
  }
}

/** An array view (a queue of packets, the frames on the wire). */
export class ListView implements ObjectValue {
  readonly kind = 'object' as const;
  constructor(readonly typeName: string, private readonly items: () => Value[]) {}

  get length(): number {
    return this.items().length;
  }

  get(field: string): Value | undefined {
    const i = Number(field);
    return Number.isInteger(i) ? this.items()[i] : undefined;
  }

  index(i: number): Value | undefined {
    return this.items()[i];
  }

  fields(): string[] {
    return this.items().map((_, i) => String(i));
  }

  display(): string {
    return `${this.typeName}[${this.items().length}]`;
  }
}

const CSUM = ['CHECKSUM_NONE', 'CHECKSUM_UNNECESSARY', 'CHECKSUM_COMPLETE', 'CHECKSUM_PARTIAL'];
const PKT_TYPE = ['PACKET_HOST', 'PACKET_BROADCAST', 'PACKET_MULTICAST', 'PACKET_OTHERHOST', 'PACKET_OUTGOING', 'PACKET_LOOPBACK'];
const IPCB_FLAGS: [number, string][] = [
  [0x1, 'IPSKB_FORWARDED'], [0x2, 'IPSKB_XFRM_TUNNEL_SIZE'], [0x4, 'IPSKB_XFRM_TRANSFORMED'], [0x8, 'IPSKB_FRAG_COMPLETE'],
  [0x10, 'IPSKB_REROUTED'], [0x20, 'IPSKB_DOREDIRECT'], [0x40, 'IPSKB_FRAG_PMTU'],
];

function flagNames(v: number, table: [number, string][]): string {
  const names = table.filter(([bit]) => v & bit).map(([, n]) => n);
  return names.length ? names.join('|') : '0';
}

function hex(v: number, width = 4): string {
  return '0x' + v.toString(16).padStart(width, '0');
}

/** Wraps any model value for display and expressions. */
export function wrap(v: unknown, k: Kernel): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof SkBuff) return skbView(v, k);
  if (v instanceof NetDevice) return devView(v);
  if (v instanceof Neighbour) return neighView(v, k);
  if (v instanceof Sock) return sockView(v);
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (Array.isArray(v)) return new ListView('array', () => v.map((x) => wrap(x, k)));
  if (typeof v === 'object' && v && 'rt_type' in v) return rtView(v as Rtable);
  if (typeof v === 'object' && v && 'kind' in (v as object) && (v as ObjectValue).kind === 'object') return v as ObjectValue;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return new View('struct', () => `{${Object.keys(o).slice(0, 4).map((key) => `${key}=${String(o[key])}`).join(', ')}}`, Object.keys(o).map((key) => [key, () => wrap(o[key], k)]));
  }
  return String(v);
}

export function skbView(skb: SkBuff, k: Kernel): View {
  return new View('struct sk_buff *', () => `(struct sk_buff *) #${skb.id} len=${skb.len}`, [
    ['len', () => skb.len],
    ['data_len', () => skb.data_len],
    ['headroom', () => skb.headroom],
    ['tailroom', () => skb.tailroom],
    ['truesize', () => skb.truesize],
    ['protocol', () => hex(skb.protocol)],
    ['dev', () => (skb.dev ? devView(skb.dev) : null)],
    ['dst', () => (skb.dst ? rtView(skb.dst) : null)],
    ['sk', () => (skb.sk ? sockView(skb.sk) : null)],
    ['mark', () => skb.mark],
    ['priority', () => skb.priority],
    ['pkt_type', () => PKT_TYPE[skb.pkt_type] ?? skb.pkt_type],
    ['ip_summed', () => CSUM[skb.ip_summed] ?? skb.ip_summed],
    ['ignore_df', () => skb.ignore_df],
    ['gso_size', () => skb.gso_size],
    ['gso_segs', () => skb.gso_segs],
    ['gso_type', () => skb.gso_type],
    ['frag_list', () => (skb.frag_list ? new ListView('frag_list', () => skb.frag_list!.map((n) => `skb of ${n} bytes`)) : null)],
    ['IPCB', () => ipcbView(skb)],
    ['network_header', () => skb.network_header],
    ['transport_header', () => skb.transport_header],
    ['mac_header', () => skb.mac_header],
    ['head', () => 0],
    ['data', () => skb.data],
    ['tail', () => skb.tail],
    ['end', () => skb.buf.length],
    ['iph', () => ipHeaderView(skb)],
    ['id', () => skb.id],
  ], skb);
  void k;
}

function ipcbView(skb: SkBuff): View {
  return new View('struct inet_skb_parm', () => `{flags=${flagNames(skb.ipcb_flags, IPCB_FLAGS)}}`, [
    ['flags', () => flagNames(skb.ipcb_flags, IPCB_FLAGS)],
    ['frag_max_size', () => skb.frag_max_size],
    ['opt.optlen', () => skb.opt_len],
  ], skb);
}

/** ip_hdr(skb): the IP header fields as they are in the packet's bytes now. */
export function ipHeaderView(skb: SkBuff): View {
  const iph = ip_hdr(skb);
  return new View('struct iphdr *', () => `{${formatIpv4(iph.saddr)} > ${formatIpv4(iph.daddr)} id=${iph.id} tot_len=${iph.tot_len}}`, [
    ['version', () => iph.version],
    ['ihl', () => iph.ihl],
    ['tos', () => hex(iph.tos, 2)],
    ['tot_len', () => iph.tot_len],
    ['id', () => iph.id],
    ['frag_off', () => hex(iph.frag_off)],
    ['DF', () => (iph.frag_off & IP_DF) !== 0],
    ['MF', () => (iph.frag_off & IP_MF) !== 0],
    ['offset', () => (iph.frag_off & IP_OFFSET) * 8],
    ['ttl', () => iph.ttl],
    ['protocol', () => iph.protocol],
    ['check', () => hex(iph.check)],
    ['saddr', () => formatIpv4(iph.saddr)],
    ['daddr', () => formatIpv4(iph.daddr)],
  ], skb);
}

export function devView(dev: NetDevice): View {
  return new View('struct net_device *', () => `${dev.name} mtu ${dev.mtu}`, [
    ['name', () => dev.name],
    ['ifindex', () => dev.ifindex],
    ['mtu', () => dev.mtu],
    ['dev_addr', () => formatMac(dev.dev_addr)],
    ['type', () => dev.type],
    ['flags', () => flagNames(dev.flags, [[0x1, 'IFF_UP'], [0x2, 'IFF_BROADCAST'], [0x8, 'IFF_LOOPBACK'], [0x80, 'IFF_NOARP'], [0x1000, 'IFF_MULTICAST']])],
    ['features', () => flagNames(dev.features, [[1, 'NETIF_F_SG'], [2, 'NETIF_F_HW_CSUM'], [4, 'NETIF_F_TSO'], [8, 'NETIF_F_GSO'], [16, 'NETIF_F_UFO'], [32, 'NETIF_F_GSO_UDP_L4'], [64, 'NETIF_F_HW_VLAN_CTAG_TX']])],
    ['hard_header_len', () => dev.hard_header_len],
    ['needed_headroom', () => dev.needed_headroom],
    ['header_ops', () => dev.header_ops],
    // A VLAN device's vlan_dev_priv: its parent and ID (NULL on other devices).
    ['vlan', () => (dev.vlan ? new View('struct vlan_dev_priv *', () => `${dev.vlan!.real_dev.name} id ${dev.vlan!.vlan_id}`, [
      ['real_dev', () => dev.vlan!.real_dev.name],
      ['vlan_id', () => dev.vlan!.vlan_id],
    ], dev.vlan) : null)],
    ['qdisc', () => dev.qdisc.kind],
    ['tx_queue_len', () => dev.tx_queue_len],
    ['tx_packets', () => dev.stats.tx_packets],
    ['tx_bytes', () => dev.stats.tx_bytes],
    ['tx_dropped', () => dev.stats.tx_dropped],
  ], dev);
}

export function rtView(rt: Rtable): View {
  return new View('struct rtable *', () => `${RTN_NAMES[rt.rt_type]} dev ${rt.dev.name}${rt.rt_gw4 ? ' via ' + formatIpv4(rt.rt_gw4) : ''}`, [
    ['rt_type', () => RTN_NAMES[rt.rt_type] ?? rt.rt_type],
    ['rt_flags', () => flagNames(rt.rt_flags, [[RTCF_LOCAL, 'RTCF_LOCAL'], [RTCF_BROADCAST, 'RTCF_BROADCAST'], [RTCF_MULTICAST, 'RTCF_MULTICAST']])],
    ['dev', () => devView(rt.dev)],
    // struct rtable starts with its dst_entry: rt->dst.dev, rt->dst.output as the listings write them.
    ['dst', () => new View('struct dst_entry', () => `dev ${rt.dev.name} output ${rt.output}`, [
      ['dev', () => devView(rt.dev)],
      ['output', () => rt.output],
    ], rt)],
    ['rt_gw4', () => formatIpv4(rt.rt_gw4)],
    ['mtu', () => rt.mtu || rt.dev.mtu],
    ['output', () => rt.output],
    ['saddr', () => formatIpv4(rt.saddr)],
    ['daddr', () => formatIpv4(rt.daddr)],
  ], rt);
}

export function neighView(n: Neighbour, k: Kernel): View {
  return new View('struct neighbour *', () => `${formatIpv4(n.key)} ${nudName(n.nud_state)}`, [
    ['primary_key', () => formatIpv4(n.key)],
    ['dev', () => devView(n.dev)],
    ['nud_state', () => nudName(n.nud_state)],
    ['ha', () => formatMac(n.ha)],
    ['output', () => n.output],
    ['probes', () => n.probes],
    ['hh_len', () => n.hh_len],
    ['arp_queue', () => new ListView('arp_queue', () => n.arp_queue.map((s) => skbView(s, k)))],
    ['arp_queue_len_bytes', () => n.arp_queue_len_bytes],
    ['confirmed', () => n.confirmed],
    ['used', () => n.used],
    ['updated', () => n.updated],
    ['timer', () => (n.timerExpires ? `expires at jiffy ${n.timerExpires} (${((n.timerExpires - k.jiffies) * 4)} ms from now)` : 'not armed')],
    ['reachable_time', () => n.parms.reachable_time],
    ['unres_qlen_bytes', () => n.parms.queue_len_bytes],
  ], n);
}

export function sockView(sk: Sock): View {
  return new View('struct sock *', () => `${sk.protocol} socket ${sk.name}`, [
    ['name', () => sk.name],
    ['protocol', () => sk.protocol],
    ['inet_saddr', () => formatIpv4(sk.inet_saddr)],
    ['inet_sport', () => sk.inet_sport],
    ['inet_daddr', () => formatIpv4(sk.inet_daddr)],
    ['inet_dport', () => sk.inet_dport],
    ['pmtudisc', () => PMTUDISC_NAMES[sk.pmtudisc]],
    ['uc_ttl', () => sk.uc_ttl],
    ['tos', () => sk.tos],
    ['mark', () => sk.mark],
    ['recverr', () => sk.recverr],
    ['inet_id', () => sk.inet_id],
    ['sk_err', () => sk.sk_err],
    ['errqueue', () => sk.errqueue.length],
  ], sk);
}
