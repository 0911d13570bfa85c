// net/netfilter/core.c (nf_hook_slow) with the nftables rules of the POST_ROUTING hook and the
// NAT manipulation of net/netfilter/nf_nat_proto.c. The hook runs once per datagram, before
// fragmentation, so a NATed datagram's fragments all carry the new address.

import type { Kernel } from './kernel';
import type { SkBuff } from '../net/skbuff';
import { CHECKSUM_PARTIAL } from '../net/skbuff';
import type { NftMatch, NftStatement } from '../scenario/types';
import { EPERM } from './errno';

import { parseIpv4, prefixMask, formatIpv4 } from '../wire/addr';
import { csumReplace4, csumReplace2 } from '../wire/checksum';
import { rt_nexthop } from './route';
import { readU32, writeU16, writeU32 } from '../wire/bytes';
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
  const b = skb.buf;
  const nh = skb.network_header;
  const th = skb.transport_header;
  const proto = b[nh + 9];
  const ports = proto === 17 || proto === 6 ? ((b[th] << 24) | (b[th + 1] << 16) | (b[th + 2] << 8) | b[th + 3]) >>> 0 : proto === 1 ? (b[th + 4] << 8) | b[th + 5] : 0;
  return `${proto}:${readU32(b, nh + 12)}:${readU32(b, nh + 16)}:${ports}`;
}

function matches(k: Kernel, skb: SkBuff, ms: NftMatch[]): boolean {
  const b = skb.buf;
  const nh = skb.network_header;
  const th = skb.transport_header;
  const proto = b[nh + 9];
  for (const m of ms) {
    switch (m.kind) {
      case 'l4port': {
        if ((m.proto === 'udp' ? 17 : 6) !== proto) return false;
        const port = m.field === 'sport' ? (b[th] << 8) | b[th + 1] : (b[th + 2] << 8) | b[th + 3];
        if (port !== m.value) return false;
        break;
      }
      case 'addr': {
        const a = readU32(b, nh + (m.field === 'saddr' ? 12 : 16));
        const mask = prefixMask(m.prefix);
        if (((a ^ parseIpv4(m.address)!) & mask) !== 0) return false;
        break;
      }
      case 'protocol':
        if ({ udp: 17, tcp: 6, icmp: 1 }[m.value] !== proto) return false;
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
      const nexthop = rt_nexthop(rt, readU32(skb.buf, skb.network_header + 16));
      return k.net.selectAddr(rt.dev, nexthop);
    }
    if (st.kind === 'drop') return 'drop';
    if (st.kind === 'accept') return null;
  }
  return null;
}

/** nf_nat_ipv4_manip_pkt for the source: new saddr, IP checksum and L4 checksum fixed incrementally. */
function snat(skb: SkBuff, to: number): void {
  const b = skb.buf;
  const nh = skb.network_header;
  const th = skb.transport_header;
  const from = readU32(b, nh + 12);
  if (from === to) return;
  writeU32(b, nh + 12, to);
  const ipc = (b[nh + 10] << 8) | b[nh + 11];
  const nipc = csumReplace4(ipc, from, to);
  writeU16(b, nh + 10, nipc);
  const proto = b[nh + 9];
  const off = proto === 17 ? th + 6 : proto === 6 ? th + 16 : -1;
  if (off < 0) return;
  const c = (b[off] << 8) | b[off + 1];
  if (proto === 17 && c === 0) return; // no checksum stays no checksum
  let n: number;
  if (skb.ip_summed === CHECKSUM_PARTIAL) {
    // Only the pseudo-header seed is stored: it moves the other way (inet_proto_csum_replace4).
    n = (~csumReplace4(~c & 0xffff, from, to)) & 0xffff;
  } else {
    n = csumReplace4(c, from, to);
    if (proto === 17 && n === 0) n = 0xffff;
  }
  writeU16(b, off, n);
}

/** meta mark set, ip ttl set, ip dscp set (with the IP checksum updated). */
function mangle(skb: SkBuff, st: NftStatement): void {
  const b = skb.buf;
  const nh = skb.network_header;
  if (st.kind === 'mark-set') skb.mark = st.value >>> 0;
  else if (st.kind === 'ttl-set' || st.kind === 'dscp-set') {
    const oldWord = st.kind === 'ttl-set' ? (b[nh + 8] << 8) | b[nh + 9] : (b[nh] << 8) | b[nh + 1];
    if (st.kind === 'ttl-set') b[nh + 8] = st.value;
    else b[nh + 1] = (st.value << 2) | (b[nh + 1] & 3);
    const newWord = st.kind === 'ttl-set' ? (b[nh + 8] << 8) | b[nh + 9] : (b[nh] << 8) | b[nh + 1];
    const c = csumReplace2((b[nh + 10] << 8) | b[nh + 11], oldWord, newWord);
    writeU16(b, nh + 10, c);
  }
}
