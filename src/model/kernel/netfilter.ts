// net/netfilter/core.c (nf_hook_slow) with the nftables rules of the POST_ROUTING hook and the
// NAT manipulation of net/netfilter/nf_nat_proto.c. The hook runs once per datagram, before
// fragmentation, so a NATed datagram's fragments all carry the new address.

import type { Kernel } from './kernel';
import type { SkBuff } from '../net/skbuff';
import { CHECKSUM_PARTIAL, ip_hdr, icmp_hdr, tcp_hdr, udp_hdr } from '../net/skbuff';
import type { NftMatch, NftStatement } from '../scenario/types';
import { EPERM } from './errno';

import { parseIpv4, prefixMask, formatIpv4 } from '../wire/addr';
import { csumReplace4, csumReplace2 } from '../wire/checksum';
import { rt_nexthop } from './route';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4';
import type { UdpHdr, TcpHdr } from '../wire/headers';
import { kfree_skb_reason } from './skbuff';

/** NF_HOOK(POST_ROUTING): 1 when every chain accepted; -EPERM after a DROP (the skb is freed). */
export function nf_hook_postrouting(k: Kernel, skb: SkBuff): number {
  const nf = k.net.nf;
  if (nf.empty) return 1;
  const w = k.w;
  if (w) w.enter('nf_hook_slow', skb, { hook: 'NF_INET_POST_ROUTING', skb });
  const flowKey = flowOf(skb);
  for (const chain of nf.chains) {
    if (chain.table === 'nat') {
      // NAT chains see only a flow's first packet; conntrack applies the binding to the rest.
      let binding = nf.nat.get(flowKey);
      if (!binding) {
        binding = { saddr: 0 };
        for (const rs of chain.rules) {
          if (!matches(k, skb, rs.rule.matches)) continue;
          rs.packets++;
          rs.bytes += skb.len;
          const st = natStatement(k, skb, rs.rule.statements);
          if (st === 'drop') return dropped(k, skb, rs.rule.text);
          if (st) {
            binding.saddr = st;
            if (w) w.note(`${chain.table}: ${rs.rule.text} -> source ${formatIpv4(st)}`);
            break;
          }
        }
        nf.nat.set(flowKey, binding);
      }
      if (binding.saddr) snat(skb, binding.saddr);
      continue;
    }
    for (const rs of chain.rules) {
      if (!matches(k, skb, rs.rule.matches)) continue;
      rs.packets++;
      rs.bytes += skb.len;
      let verdict: 'accept' | 'drop' | null = null;
      for (const st of rs.rule.statements) {
        if (st.kind === 'accept' || st.kind === 'drop') {
          verdict = st.kind;
          break;
        }
        mangle(skb, st);
      }
      if (w) {
        w.at('verdict', { table: chain.table, rule: rs.rule.text, verdict: verdict ?? 'continue', mark: skb.mark });
        w.note(`${chain.table}: ${rs.rule.text}${verdict ? ' -> ' + verdict.toUpperCase() : ''}`);
      }
      if (verdict === 'drop') return dropped(k, skb, rs.rule.text);
      if (verdict === 'accept') break;
    }
  }
  nf.verdicts.accept++;
  if (w) w.leave(1, { verdict: 'accept' });
  return 1;
}

function dropped(k: Kernel, skb: SkBuff, rule: string): number {
  k.net.nf.verdicts.drop++;
  k.exception('nf-drop', { packet: skb.id, rule });
  kfree_skb_reason(k, skb, 'nf_hook_slow', 'NETFILTER_DROP');
  if (k.w) {
    k.w.note(`DROP by "${rule}" -> EPERM`);
    k.w.leave(-EPERM);
  }
  return -EPERM;
}

function flowOf(skb: SkBuff): string {
  const iph = ip_hdr(skb);
  const proto = iph.protocol;
  const l4 = l4hdr(skb, proto);
  const ports = l4 ? ((l4.source << 16) | l4.dest) >>> 0 : proto === IPPROTO_ICMP ? icmp_hdr(skb).echo_id : 0;
  return `${proto}:${iph.saddr}:${iph.daddr}:${ports}`;
}

/** The UDP or TCP header of the skb, or null for another protocol. */
function l4hdr(skb: SkBuff, proto: number): UdpHdr | TcpHdr | null {
  return proto === IPPROTO_UDP ? udp_hdr(skb) : proto === IPPROTO_TCP ? tcp_hdr(skb) : null;
}

function matches(k: Kernel, skb: SkBuff, ms: NftMatch[]): boolean {
  const iph = ip_hdr(skb);
  const proto = iph.protocol;
  for (const m of ms) {
    switch (m.kind) {
      case 'l4port': {
        if ((m.proto === 'udp' ? IPPROTO_UDP : IPPROTO_TCP) !== proto) return false;
        const l4 = l4hdr(skb, proto)!;
        const port = m.field === 'sport' ? l4.source : l4.dest;
        if (port !== m.value) return false;
        break;
      }
      case 'addr': {
        const a = m.field === 'saddr' ? iph.saddr : iph.daddr;
        const mask = prefixMask(m.prefix);
        if (((a ^ parseIpv4(m.address)!) & mask) !== 0) return false;
        break;
      }
      case 'protocol':
        if ({ udp: IPPROTO_UDP, tcp: IPPROTO_TCP, icmp: IPPROTO_ICMP }[m.value] !== proto) return false;
        break;
      case 'oif':
        if (skb.dev?.name !== m.name) return false;
        break;
      case 'mark':
        if ((skb.mark >>> 0) !== (m.value >>> 0)) return false;
        break;
    }
  }
  void k;
  return true;
}

/** The NAT decision of a matching nat rule: a new source, 'drop', or null (no NAT statement). */
function natStatement(k: Kernel, skb: SkBuff, sts: NftStatement[]): number | 'drop' | null {
  for (const st of sts) {
    if (st.kind === 'snat') return parseIpv4(st.address)!;
    if (st.kind === 'masquerade') {
      // MASQUERADE: the out interface's address for this next hop.
      const rt = skb.dst!;
      const nexthop = rt_nexthop(rt, ip_hdr(skb).daddr);
      return k.net.selectAddr(rt.dev, nexthop);
    }
    if (st.kind === 'drop') return 'drop';
    if (st.kind === 'accept') return null;
  }
  return null;
}

/** nf_nat_ipv4_manip_pkt for the source: new saddr, IP checksum and L4 checksum fixed incrementally. */
function snat(skb: SkBuff, to: number): void {
  const iph = ip_hdr(skb);
  const from = iph.saddr;
  if (from === to) return;
  iph.saddr = to;
  iph.check = csumReplace4(iph.check, from, to);
  const proto = iph.protocol;
  const l4 = l4hdr(skb, proto);
  if (!l4) return;
  const c = l4.check;
  if (proto === IPPROTO_UDP && c === 0) return; // no checksum stays no checksum
  let n: number;
  if (skb.ip_summed === CHECKSUM_PARTIAL) {
    // Only the pseudo-header seed is stored: it moves the other way (inet_proto_csum_replace4).
    n = (~csumReplace4(~c & 0xffff, from, to)) & 0xffff;
  } else {
    n = csumReplace4(c, from, to);
    if (proto === IPPROTO_UDP && n === 0) n = 0xffff;
  }
  l4.check = n;
}

/** meta mark set, ip ttl set, ip dscp set (with the IP checksum updated). */
function mangle(skb: SkBuff, st: NftStatement): void {
  if (st.kind === 'mark-set') {
    skb.mark = st.value >>> 0;
  } else if (st.kind === 'ttl-set') {
    // TTL is the high byte of its 16-bit word of the header.
    const iph = ip_hdr(skb);
    const old = iph.ttl;
    iph.ttl = st.value;
    iph.check = csumReplace2(iph.check, old << 8, iph.ttl << 8);
  } else if (st.kind === 'dscp-set') {
    // ipv4_change_dsfield: DSCP is the high six bits of tos, ECN the low two.
    const iph = ip_hdr(skb);
    const old = iph.tos;
    iph.tos = (st.value << 2) | (old & 3);
    iph.check = csumReplace2(iph.check, old, iph.tos);
  }
}
