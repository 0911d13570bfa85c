// net/netfilter/core.c (nf_hook_slow) with the nftables rules of the POST_ROUTING and LOCAL_OUT
// hooks and the NAT manipulation of net/netfilter/nf_nat_proto.c. The hooks run once per
// datagram, before fragmentation, so a NATed datagram's fragments all carry the new address. The
// mangle output chain is a route chain (nf_route_table_hook4, net/netfilter/nft_chain_route.c):
// when it changed the mark, an address or the TOS, ip_route_me_harder routes the packet again.

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { SkBuff } from '../net/skbuff';
import { CHECKSUM_PARTIAL, ip_hdr, icmp_hdr, tcp_hdr, udp_hdr } from '../net/skbuff';
import type { NftMatch, NftStatement } from '../scenario/types';
import { EPERM, errnoName } from './errno';
import type { Sock } from '../net/sock';
import type { NetDevice } from '../net/device';
import type { Chain } from '../net/netfilter';
import { ip_route_me_harder } from './ipv4_netfilter';
import { nf_dup_ipv4 } from './nf_dup_ipv4';

/** The hooks the model runs rules on. */
export type Hook = 'NF_INET_LOCAL_OUT' | 'NF_INET_POST_ROUTING';

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
  return nf_hook_slow(k, null, skb, 'NF_INET_POST_ROUTING', nf.chains, skb.dev);
}

/**
 * nf_hook(LOCAL_OUT) in __ip_local_out: 1 when every chain accepted (the caller goes on to
 * dst_output); after a DROP the skb is freed and the error returned (-EPERM, or the error of a
 * failed ip_route_me_harder).
 */
export function nf_hook_local_out(k: Kernel, sk: Sock | null, skb: SkBuff): number {
  const nf = k.net.nf;
  if (!nf.output.length) return 1;
  return nf_hook_slow(k, sk, skb, 'NF_INET_LOCAL_OUT', nf.output, skb.dst!.dev);
}

/** nf_hook_slow over the base chains of one hook, by priority. `out` is the hook's output device (state->out). */
function nf_hook_slow(k: Kernel, sk: Sock | null, skb: SkBuff, hook: Hook, chains: readonly Chain[], out: NetDevice | null): number {
  const nf = k.net.nf;
  const w = k.w;
  if (w) w.enter('nf_hook_slow', skb, { hook, skb });
  const flowKey = hook === 'NF_INET_POST_ROUTING' ? flowOf(skb) : '';
  for (const chain of chains) {
    if (chain.table === 'nat') {
      // An untracked packet (a copy of nf_dup_ipv4) has no conntrack entry: NAT leaves it alone.
      if (skb.untracked) continue;
      // NAT chains see only a flow's first packet; conntrack applies the binding to the rest.
      let binding = nf.nat.get(flowKey);
      if (!binding) {
        binding = { saddr: 0 };
        for (const rs of chain.rules) {
          if (!matches(skb, rs.rule.matches, out)) continue;
          rs.packets++;
          rs.bytes += skb.len;
          const st = natStatement(k, skb, rs.rule.statements);
          if (st === 'drop') return dropped(k, skb, rs.rule.text);
          if (st) {
            binding.saddr = st;
            if (w) w.note(l10n.t('{0}: {1} -> source {2}', chain.table, rs.rule.text, formatIpv4(st)));
            break;
          }
        }
        nf.nat.set(flowKey, binding);
      }
      if (binding.saddr) snat(skb, binding.saddr);
      continue;
    }
    // nf_route_table_hook4: what a route chain may change that the route depends on.
    const iph = hook === 'NF_INET_LOCAL_OUT' && chain.table === 'mangle' ? ip_hdr(skb) : null;
    const before = iph ? { mark: skb.mark, saddr: iph.saddr, daddr: iph.daddr, tos: iph.tos } : null;
    for (const rs of chain.rules) {
      if (!matches(skb, rs.rule.matches, out)) continue;
      rs.packets++;
      rs.bytes += skb.len;
      let verdict: 'accept' | 'drop' | null = null;
      for (const st of rs.rule.statements) {
        if (st.kind === 'accept' || st.kind === 'drop') {
          verdict = st.kind;
          break;
        }
        // nft_dup_ipv4_eval: a copy goes out now; the packet itself goes on (NFT_CONTINUE).
        if (st.kind === 'dup') nf_dup_ipv4(k, skb, hook, parseIpv4(st.address)!, st.dev !== undefined ? k.net.dev(st.dev)!.ifindex : -1);
        else mangle(skb, st);
      }
      if (w) {
        w.at('verdict', { table: chain.table, rule: rs.rule.text, verdict: verdict ?? 'continue', mark: skb.mark });
        w.note(`${chain.table}: ${rs.rule.text}${verdict ? ' -> ' + verdict.toUpperCase() : ''}`);
      }
      if (verdict === 'drop') return dropped(k, skb, rs.rule.text);
      if (verdict === 'accept') break;
    }
    if (iph && before && (skb.mark !== before.mark || iph.saddr !== before.saddr || iph.daddr !== before.daddr || iph.tos !== before.tos)) {
      if (w) w.note(skb.mark !== before.mark ? l10n.t('mangle output changed the mark: ip_route_me_harder') : l10n.t('mangle output changed the header: ip_route_me_harder'));
      const err = ip_route_me_harder(k, sk, skb);
      if (err < 0) return dropped(k, skb, `ip_route_me_harder: ${errnoName(err)}`, err);
    }
  }
  nf.verdicts.accept++;
  if (w) w.leave(1, { verdict: 'accept' });
  return 1;
}

/** NF_DROP: the skb freed, and NF_DROP_GETERR(verdict) returned (-EPERM unless the verdict carried an error). */
function dropped(k: Kernel, skb: SkBuff, rule: string, err = -EPERM): number {
  k.net.nf.verdicts.drop++;
  k.exception('nf-drop', { packet: skb.id, rule });
  kfree_skb_reason(k, skb, 'nf_hook_slow', 'NETFILTER_DROP');
  if (k.w) {
    k.w.note(l10n.t('DROP by "{0}" -> {1}', rule, errnoName(err)));
    k.w.leave(err);
  }
  return err;
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

function matches(skb: SkBuff, ms: NftMatch[], out: NetDevice | null): boolean {
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
        if (out?.name !== m.name) return false;
        break;
      case 'mark':
        if ((skb.mark >>> 0) !== (m.value >>> 0)) return false;
        break;
    }
  }
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
