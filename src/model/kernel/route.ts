// net/ipv4/route.c: the output route lookup (ip_route_output_key_hash_rcu, __mkroute_output) and
// the IP ID generator (__ip_select_ident); fib_lookup through the policy rules of
// net/ipv4/fib_rules.c (fib_rules_lookup, fib4_rule_match, fib4_rule_action) when there are any.

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import {
  Rtable, RTN_UNICAST, RTN_LOCAL, RTN_BROADCAST, RTN_MULTICAST, RTCF_LOCAL, RTCF_BROADCAST, RTCF_MULTICAST, FibEntry, RT_TABLE_LOCAL,
} from '../net/route';
import { IFF_LOOPBACK } from '../net/device';
import { ENETUNREACH, ENODEV } from './errno';
import { isMulticast, formatIpv4 } from '../wire/addr';

/** The flow a socket asks a route for (struct flowi4). */
export interface Flow {
  daddr: number;
  saddr: number;
  oif: number;
  tos: number;
  mark: number;
  /** FLOWI_FLAG_KNOWN_NH (nf_dup_ipv4): daddr is the next hop itself, even on a connected route. */
  knownNh?: boolean;
}

const LBCAST = 0xffffffff;

/** ip_route_output_flow: a route for the flow, or a negative errno. */
export function ip_route_output(k: Kernel, fl: Flow): Rtable | number {
  const net = k.net;
  const w = k.w;
  if (w) w.enter('ip_route_output_flow', null, { daddr: formatIpv4(fl.daddr), saddr: formatIpv4(fl.saddr), oif: fl.oif }, { dev_out: null });
  let rt: Rtable | number;
  const devOut = fl.oif ? net.devByIndex(fl.oif) : undefined;
  if (fl.oif && !devOut) {
    rt = -ENODEV;
  } else if (devOut && (fl.daddr === LBCAST || isMulticast(fl.daddr))) {
    // An output interface was given: limited broadcast and multicast need no FIB entry.
    const saddr = fl.saddr || net.selectAddr(devOut, 0);
    const type = fl.daddr === LBCAST ? RTN_BROADCAST : RTN_MULTICAST;
    rt = mkroute(k, type, devOut, 0, 0, saddr, fl.daddr, undefined);
    if (w) w.note(type === RTN_BROADCAST ? l10n.t('{0} on {1}: broadcast, no FIB lookup', formatIpv4(fl.daddr), devOut.name) : l10n.t('{0} on {1}: multicast, no FIB lookup', formatIpv4(fl.daddr), devOut.name));
  } else if (net.isLocal(fl.daddr)) {
    // The local route's prefsrc: the primary address of that subnet (a secondary's own is not).
    rt = mkroute(k, RTN_LOCAL, net.lo, 0, 0, fl.saddr || net.localSource(fl.daddr), fl.daddr, undefined);
    if (w) w.note(l10n.t('{0} is local -> lo', formatIpv4(fl.daddr)));
  } else {
    const bdev = net.broadcastDev(fl.daddr);
    if (bdev && (!devOut || devOut === bdev)) {
      rt = mkroute(k, RTN_BROADCAST, bdev, 0, 0, fl.saddr || net.selectAddr(bdev, fl.daddr), fl.daddr, undefined);
      if (w) w.note(l10n.t("{0} is {1}'s subnet broadcast", formatIpv4(fl.daddr), bdev.name));
    } else {
      const fib = fib_lookup(k, fl);
      if (!fib && devOut && devOut.up) {
        // "Apparently, routing tables are wrong. Assume, that the destination is on link": with an
        // output device (SO_BINDTODEVICE, dup's device) the packet goes to the destination itself
        // on that link; without a fib_info the route has no gateway, KNOWN_NH or not.
        const saddr = fl.saddr || net.selectAddr(devOut, 0);
        rt = mkroute(k, RTN_UNICAST, devOut, 0, 0, saddr, fl.daddr, undefined);
        if (w) w.note(l10n.t('no route to {0}, but oif {1}: taken as on link', formatIpv4(fl.daddr), devOut.name));
      } else if (!fib) {
        rt = -ENETUNREACH;
        if (w) w.note(l10n.t('no route to {0} -> ENETUNREACH', formatIpv4(fl.daddr)));
      } else {
        let type = RTN_UNICAST;
        let gw = fib.gw;
        if (fl.daddr === LBCAST) {
          type = RTN_BROADCAST;
          gw = 0;
        } else if (isMulticast(fl.daddr)) {
          type = RTN_MULTICAST;
          // A multicast flow that fell through to a short (default) route does not use its gateway.
          if (fib.prefix < 4) gw = 0;
        }
        const saddr = fl.saddr || fib.prefsrc || net.selectAddr(fib.dev, gw || fl.daddr);
        // FLOWI_FLAG_KNOWN_NH without a link-scope gateway: the route is not cached, and
        // rt_set_nexthop makes the flow's daddr its gateway (rt_gw4 = daddr).
        if (fl.knownNh && !gw && type === RTN_UNICAST) gw = fl.daddr;
        rt = mkroute(k, type, fib.dev, gw, fib.mtu, saddr, fl.daddr, fib);
        if (w) w.note(`${formatIpv4(fib.dst)}/${fib.prefix}${gw ? ' via ' + formatIpv4(gw) : ''} dev ${fib.dev.name}`);
      }
    }
  }
  if (w) {
    if (typeof rt !== 'number') w.at('route', { dev_out: rt.dev, type: rt.rt_type, dev: rt.dev.name, gw: formatIpv4(rt.rt_gw4), saddr: formatIpv4(rt.saddr), rt_flags: rt.rt_flags, output: rt.output });
    w.leave(rt);
  }
  return rt;
}

/**
 * fib_lookup: without custom rules, the main table; with them, fib_rules_lookup walks the rules by
 * preference: the first whose selectors match (fib4_rule_match, fib_rule_match) looks in its table
 * (fib4_rule_action), and a table with no route for the flow (-EAGAIN) passes to the next rule.
 */
function fib_lookup(k: Kernel, fl: Flow): FibEntry | undefined {
  const net = k.net;
  if (!net.rules.length) return fibTableLookup(net.fib, fl.daddr, fl.oif);
  const w = k.w;
  for (const r of net.rules) {
    if (((fl.saddr ^ r.src) & r.srcmask) !== 0 || ((fl.daddr ^ r.dst) & r.dstmask) !== 0) continue;
    if (r.oifindex && r.oifindex !== fl.oif) continue;
    if (((r.mark ^ fl.mark) & r.mark_mask) !== 0) continue;
    // The local table: the host's own and broadcast addresses, decided before this lookup.
    if (r.table === RT_TABLE_LOCAL) continue;
    const table = net.tables.get(r.table);
    const e = table ? fibTableLookup(table, fl.daddr, fl.oif) : undefined;
    if (e) {
      if (w) w.note(l10n.t('rule "{0}" (mark 0x{1}): table {2} has {3}', r.text, (fl.mark >>> 0).toString(16), r.table, `${formatIpv4(e.dst)}/${e.prefix}`));
      return e;
    }
    if (w) w.note(l10n.t('rule "{0}": table {1} has no route to {2} -> next rule', r.text, r.table, formatIpv4(fl.daddr)));
  }
  return undefined;
}

/** fib_table_lookup: the longest matching prefix of a table (through `oif` when one is given). */
function fibTableLookup(table: readonly FibEntry[], daddr: number, oif: number): FibEntry | undefined {
  let best: FibEntry | undefined;
  for (const e of table) {
    if (oif && e.dev.ifindex !== oif) continue;
    if (!e.dev.up) continue;
    if (((daddr ^ e.dst) & e.mask) !== 0) continue;
    if (!best || e.prefix > best.prefix) best = e;
  }
  return best;
}

/** __mkroute_output: flags and the output function dst_output will call. */
function mkroute(k: Kernel, type: number, dev: Rtable['dev'], gw: number, mtu: number, saddr: number, daddr: number, fib: FibEntry | undefined): Rtable {
  let flags = 0;
  if (type === RTN_BROADCAST) flags |= RTCF_BROADCAST | RTCF_LOCAL;
  else if (type === RTN_MULTICAST) {
    flags |= RTCF_MULTICAST;
    // RTCF_LOCAL only when this host joined the group on that device (ip_check_mc_rcu).
    // Every multicast-capable interface is a member of 224.0.0.1 (all hosts) by itself.
    if (daddr === 0xe0000001 || k.net.joins.get(dev.ifindex)?.has(daddr)) flags |= RTCF_LOCAL;
  } else if (type === RTN_LOCAL) flags |= RTCF_LOCAL;
  if (dev.flags & IFF_LOOPBACK) flags |= RTCF_LOCAL;
  const mc = (flags & RTCF_LOCAL) !== 0 && (flags & (RTCF_BROADCAST | RTCF_MULTICAST)) !== 0 && !(dev.flags & IFF_LOOPBACK);
  return { rt_type: type, rt_flags: flags >>> 0, dev, rt_gw4: gw, mtu, mtuLocked: false, output: mc ? 'ip_mc_output' : 'ip_output', saddr, daddr, fib };
}

/** rt_nexthop: the gateway if the route has one, else the destination itself. */
export function rt_nexthop(rt: Rtable, daddr: number): number {
  return rt.rt_gw4 || daddr;
}

/**
 * __ip_select_ident: a hashed per-(daddr, saddr, protocol) generator that advances by a random
 * amount up to the number of jiffies it sat idle, so IDs are hard to predict but mostly increase.
 */
export function ip_select_ident_hashed(k: Kernel, daddr: number, saddr: number, protocol: number, segs: number): number {
  const net = k.net;
  const bucket = mix(daddr, saddr, protocol, net.identSecret);
  const now = k.jiffies;
  let st = net.idents.get(bucket);
  if (!st) {
    st = { id: mix(bucket, 0x9e37, 0, net.identSecret) & 0xffff, stamp: now };
    net.idents.set(bucket, st);
  }
  let delta = 0;
  if (st.stamp !== now) {
    delta = k.rng.below(now - st.stamp);
    st.stamp = now;
  }
  const id = (st.id + delta) & 0xffff;
  st.id = (st.id + delta + segs) & 0xffff;
  return id;
}

function mix(a: number, b: number, c: number, key: number): number {
  let h = (key ^ 0x811c9dc5) >>> 0;
  h = mixStep(h, a);
  h = mixStep(h, b);
  h = mixStep(h, c);
  return (h ^ (h >>> 13)) >>> 0;
}

function mixStep(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x01000193) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  return Math.imul(h, 0x85ebca6b) >>> 0;
}
