// net/core/neighbour.c and include/net/neighbour.h: the neighbour cache's state machine on the
// virtual clock, the output routines an entry points at, its queue of packets waiting for
// resolution (limited in truesize, oldest dropped first) and the cached link header.

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { SkBuff } from '../net/skbuff';
import type { NetDevice } from '../net/device';
import { IFF_LOOPBACK, IFF_POINTOPOINT } from '../net/device';
import type { Rtable } from '../net/route';
import {
  Neighbour,
  type NeighOutput, NeighTable, nudName,
  NUD_NONE, NUD_INCOMPLETE, NUD_REACHABLE, NUD_STALE, NUD_DELAY, NUD_PROBE, NUD_FAILED,
  NUD_CONNECTED, NUD_VALID, NUD_IN_TIMER,
} from '../net/neigh';
import { HZ } from '../core/clock';
import { randReachTime } from '../net/netns';
import { arp_constructor, arp_solicit, arp_error_report } from './arp';
import { dev_queue_xmit } from './dev';
import { local_bh_disable, local_bh_enable, softirqDue } from './softirq';
import { ENOBUFS, ENETDOWN, NET_XMIT_DROP, EPERM } from './errno';
import { ether_addr_equal, formatIpv4, formatMac } from '../wire/addr';
import { ETH_P_IP } from '../wire/ethernet';
import { kfree_skb_reason } from './skbuff';
import { dev_hard_header } from './eth';
import { LIMITS, LimitError, countText } from '../scenario/limits';
import { ETH_HLEN, EthHdr } from '../wire/headers';
import type { TracepointFields } from '../result';

export const NEIGH_UPDATE_F_OVERRIDE = 0x1;
export const NEIGH_UPDATE_F_ADMIN = 0x80000000;

/**
 * trace_neigh_* (include/trace/events/neigh.h): the entry's device, address and state, as the
 * kernel's neighbour tracepoints record them. Called only while a watcher is attached.
 */
function traceNeigh(k: Kernel, event: string, n: Neighbour, extra?: Partial<TracepointFields>): void {
  const w = k.w;
  if (w !== null && w.tracepoint !== undefined) {
    w.tracepoint({ event, dev: n.dev.name, neigh: formatIpv4(n.key), state: nudName(n.nud_state), ...extra });
  }
}

/** The timer floor: HZ/2 on 4.9, HZ/100 on 6.x. */
function timerFloor(k: Kernel): number {
  return k.v49 ? HZ >> 1 : Math.floor(HZ / 100);
}

/** __ipv4_neigh_lookup_noref: the entry for the next hop on this device, if any. */
export function __ipv4_neigh_lookup_noref(k: Kernel, dev: NetDevice, key: number, skb: SkBuff | null = null): Neighbour | undefined {
  const w = k.w;
  if (w) w.enter('__ipv4_neigh_lookup_noref', skb, { dev: dev.name, key: formatIpv4(key) });
  // lo and point-to-point devices have one entry, keyed 0.0.0.0 (arp_constructor keys it so).
  if (dev.flags & (IFF_LOOPBACK | IFF_POINTOPOINT)) {
    key = 0;
    if (w) w.at('key', { key: '0.0.0.0' });
  }
  // The noref lookup of the output path does not count in /proc/net/stat/arp_cache.
  const n = k.net.arp_tbl.get(dev, key);
  if (w) {
    w.note(n ? l10n.t('found {0} {1}', formatIpv4(key), nudName(n.nud_state)) : l10n.t('no entry for {0}', formatIpv4(key)));
    w.leave(n ?? null, { n: n ?? null });
  }
  return n;
}

/** __neigh_create: allocate (neigh_alloc), construct (arp_constructor) and insert a new entry. */
export function __neigh_create(k: Kernel, dev: NetDevice, key: number, rt: Rtable, daddr: number, skb: SkBuff | null = null): Neighbour | number {
  const w = k.w;
  if (w) w.enter('__neigh_create', skb, { tbl: 'arp_tbl', pkey: formatIpv4(key), dev: dev.name });
  const tbl = k.net.arp_tbl;
  // neigh_alloc: past gc_thresh3 a forced GC must free something, or the table is full.
  if (tbl.entries.size >= tbl.gc_thresh3 && !neighForcedGc(k, tbl)) {
    tbl.stats.table_fulls++;
    if (w) {
      if (w.tracepoint) w.tracepoint({ event: 'neigh_create', dev: dev.name, neigh: formatIpv4(key), created: false });
      w.note('neighbor table overflow! -> ENOBUFS');
      w.leave(-ENOBUFS, { n: null });
    }
    return -ENOBUFS;
  }
  const parms = k.net.parms.get(dev)!;
  const n = new Neighbour(key, dev, parms);
  const now = k.jiffies;
  n.updated = now;
  n.used = now;
  n.confirmed = now - (parms.base_reachable_time << 1);
  tbl.stats.allocs++;
  if (w) {
    // trace_neigh_create: right after neigh_alloc, before the constructor.
    if (w.tracepoint) w.tracepoint({ event: 'neigh_create', dev: dev.name, neigh: formatIpv4(key), created: true });
    w.at('alloc', { n, nud_state: 'NONE', output: 'neigh_blackhole' });
  }
  arp_constructor(k, n, rt, daddr, skb);
  // Inserted under the key the constructor left; an entry already there is used instead.
  const slot = NeighTable.key(dev, n.key);
  const old = tbl.entries.get(slot);
  if (old) {
    tbl.stats.destroys++;
    if (w) {
      w.note(l10n.t('{0} is already in the table: that entry is used', formatIpv4(n.key)));
      w.leave(old);
    }
    return old;
  }
  tbl.entries.set(slot, n);
  if (w) {
    w.note(l10n.t('new entry {0} {1}, output {2}', formatIpv4(n.key), nudName(n.nud_state), n.output));
    w.leave(n);
  }
  return n;
}

/** neigh_forced_gc: drop unreferenced entries that hold no timer and are not permanent. */
function neighForcedGc(k: Kernel, tbl: NeighTable): boolean {
  let freed = false;
  for (const [key, n] of tbl.entries) {
    if (n.nud_state & (NUD_IN_TIMER | 0x80 | 0x40)) continue;
    if (n.arp_queue.length) continue;
    tbl.entries.delete(key);
    n.dead = true;
    tbl.stats.destroys++;
    freed = true;
  }
  void k;
  return freed;
}

/** neigh_output (6.x): the cached header when the entry is CONNECTED, else n->output. */
export function neigh_output(k: Kernel, n: Neighbour, skb: SkBuff, skipCache: boolean): number {
  const w = k.w;
  if (w) w.enter('neigh_output', skb, { n: formatIpv4(n.key), skb, skip_cache: skipCache });
  const ret = chooseOutput(k, n, skb, !skipCache);
  if (w) w.leave(ret);
  return ret;
}

/** dst_neigh_output (4.9): the same choice, made in include/net/dst.h. */
export function dst_neigh_output(k: Kernel, n: Neighbour, skb: SkBuff): number {
  const w = k.w;
  if (w) w.enter('dst_neigh_output', skb, { n: formatIpv4(n.key), skb });
  const ret = chooseOutput(k, n, skb, true);
  if (w) w.leave(ret);
  return ret;
}

/** Only CONNECTED entries with a filled header cache take the fast path. */
function chooseOutput(k: Kernel, n: Neighbour, skb: SkBuff, useCache: boolean): number {
  const w = k.w;
  const cached = useCache && (n.nud_state & NUD_CONNECTED) !== 0 && n.hh_len !== 0;
  if (w) w.at('connected', { cached, nud_state: nudName(n.nud_state), hh_len: n.hh_len });
  if (cached) {
    if (w) w.note(`${nudName(n.nud_state)} and hh_len ${n.hh_len} -> neigh_hh_output`);
    return neigh_hh_output(k, n, skb);
  }
  if (w) w.note(n.hh_len ? `${nudName(n.nud_state)} -> ${n.output}` : l10n.t('{0}, no cached header -> {1}', nudName(n.nud_state), n.output));
  return callOutput(k, n, skb);
}

/** n->output(n, skb) */
export function callOutput(k: Kernel, n: Neighbour, skb: SkBuff): number {
  switch (n.output) {
    case 'neigh_resolve_output': return neigh_resolve_output(k, n, skb);
    case 'neigh_connected_output': return neigh_connected_output(k, n, skb);
    case 'neigh_direct_output': return dev_queue_xmit(k, skb);
    case 'neigh_blackhole':
      kfree_skb_reason(k, skb, 'neigh_blackhole', 'NEIGH_DEAD');
      return -ENETDOWN;
  }
}

/** neigh_hh_output: copy the cached 16-byte header block in front of data, push 14, transmit. */
export function neigh_hh_output(k: Kernel, n: Neighbour, skb: SkBuff): number {
  const w = k.w;
  const hh_alen = 16;
  if (w) w.enter('neigh_hh_output', skb, { hh: formatMac(hh_eth(n).h_dest), skb }, { hh_alen });
  if (skb.headroom < hh_alen) {
    kfree_skb_reason(k, skb, 'neigh_hh_output', 'NOMEM');
    if (w) w.leave(NET_XMIT_DROP);
    return NET_XMIT_DROP;
  }
  skb.buf.set(n.hh_data, skb.data - hh_alen);
  skb.push(n.hh_len);
  if (w) w.at('push', { data: skb.data });
  const ret = dev_queue_xmit(k, skb);
  if (w) w.leave(ret);
  return ret;
}

/** neigh_resolve_output: resolve first (neigh_event_send), then build the header and transmit. */
export function neigh_resolve_output(k: Kernel, n: Neighbour, skb: SkBuff): number {
  const w = k.w;
  if (w) w.enter('neigh_resolve_output', skb, { n: formatIpv4(n.key), skb }, { dev: n.dev, rc: 0 });
  let rc = 0;
  if (!neigh_event_send(k, n, skb)) {
    // Only eth_header_ops has a cache (eth_header_cache); a VLAN's header_ops have none.
    if (n.dev.header_ops === 'eth_header_ops' && !n.hh_len) neigh_hh_init(k, n);
    skb.data = skb.network_header;
    dev_hard_header(k, skb, n.dev, ETH_P_IP, n.ha, null);
    if (w) w.at('header', { h_dest: formatMac(n.ha), len: skb.len });
    if (w) w.note(l10n.t('header to {0} -> dev_queue_xmit', formatMac(n.ha)));
    rc = dev_queue_xmit(k, skb);
  } else if (w) {
    // The state may be valid already: the reply came at __neigh_event_send's local_bh_enable.
    w.note(n.nud_state & NUD_VALID ? l10n.t('queued, then sent at the flush (now {0}) -> 0', nudName(n.nud_state)) : l10n.t('{0}: packet queued or dropped -> 0', nudName(n.nud_state)));
  }
  if (w) w.leave(rc, { rc });
  return rc;
}

/** neigh_connected_output: build the header every time (devices without a header cache). */
export function neigh_connected_output(k: Kernel, n: Neighbour, skb: SkBuff): number {
  const w = k.w;
  if (w) w.enter('neigh_connected_output', skb, { n: formatIpv4(n.key), skb });
  skb.data = skb.network_header;
  dev_hard_header(k, skb, n.dev, ETH_P_IP, n.ha, null);
  const rc = dev_queue_xmit(k, skb);
  if (w) w.leave(rc);
  return rc;
}

/**
 * neigh->ops->connected_output: arp_hh_ops (Ethernet, with a header cache) has
 * neigh_resolve_output; arp_generic_ops (a VLAN's header_ops have no cache) neigh_connected_output.
 */
export function connectedOutput(n: Neighbour): NeighOutput {
  return n.dev.header_ops === 'eth_header_ops' ? 'neigh_resolve_output' : 'neigh_connected_output';
}

/** neigh_hh_init: fill the header cache (eth_header_cache) for ETH_P_IP. */
function neigh_hh_init(k: Kernel, n: Neighbour): void {
  fillHh(n);
  if (k.w) k.w.at('hh_init', { hh_len: n.hh_len });
}

function fillHh(n: Neighbour): void {
  n.hh_data.fill(0);
  const eth = hh_eth(n);
  eth.h_proto = ETH_P_IP;
  eth.h_source = n.dev.dev_addr;
  eth.h_dest = n.ha;
  n.hh_len = ETH_HLEN;
}

/** The cached Ethernet header: at the end of the 16-byte block, so it ends where the IP header starts. */
function hh_eth(n: Neighbour): EthHdr {
  return new EthHdr(n.hh_data, n.hh_data.length - ETH_HLEN);
}

/** neigh_event_send: note the use; entries that are not CONNECTED, DELAY or PROBE need work. */
export function neigh_event_send(k: Kernel, n: Neighbour, skb: SkBuff | null): number {
  n.used = k.jiffies;
  if (!(n.nud_state & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE))) return __neigh_event_send(k, n, skb);
  return 0;
}

/**
 * __neigh_event_send: start resolution (NONE/FAILED -> INCOMPLETE with an immediate probe), move
 * STALE to DELAY, and queue the packet while INCOMPLETE. Returns 1 when the packet was queued or
 * dropped, 0 when it may be sent now.
 */
export function __neigh_event_send(k: Kernel, n: Neighbour, skb: SkBuff | null): number {
  const w = k.w;
  if (w) {
    const state = nudName(n.nud_state);
    w.enter('__neigh_event_send', skb, { neigh: formatIpv4(n.key), nud_state: state, skb }, { state, new_state: state, immediate_probe: false, rc: 0 });
  }
  const p = n.parms;
  // write_lock_bh(&neigh->lock): bottom halves stay off until the local_bh_enable at the end.
  local_bh_disable(k);
  let rc = 0;
  let immediateProbe = false;
  if (n.dead) {
    if (skb && !(n.nud_state & NUD_STALE)) {
      local_bh_enable(k);
      kfree_skb_reason(k, skb, '__neigh_event_send', 'NEIGH_DEAD');
      if (w) {
        traceNeigh(k, 'neigh_event_send_dead', n, { rc: 1 });
        w.leave(1, { rc: 1 });
      }
      return 1;
    }
  }
  if (!(n.nud_state & (NUD_STALE | NUD_INCOMPLETE))) {
    if (p.mcast_probes + p.app_probes) {
      n.probes = p.ucast_probes;
      neighDelTimer(n);
      setState(k, n, NUD_INCOMPLETE, w && { new_state: 'INCOMPLETE', immediate_probe: true });
      n.updated = k.jiffies;
      immediateProbe = true;
      neighAddTimer(k, n, k.jiffies + Math.max(p.retrans_time, timerFloor(k)));
      if (w) w.note(l10n.t('start resolution: INCOMPLETE, probes = ucast_solicit {0}, probe now', p.ucast_probes));
    } else {
      setState(k, n, NUD_FAILED, w && { new_state: 'FAILED' });
      n.updated = k.jiffies;
      local_bh_enable(k);
      if (skb) kfree_skb_reason(k, skb, '__neigh_event_send', 'NEIGH_FAILED');
      if (w) {
        w.note(l10n.t('mcast_solicit + app_solicit = 0: FAILED at once'));
        w.leave(1, { rc: 1 });
      }
      return 1;
    }
  } else if (n.nud_state & NUD_STALE) {
    neighDelTimer(n);
    setState(k, n, NUD_DELAY, w && { new_state: 'DELAY' });
    n.updated = k.jiffies;
    neighAddTimer(k, n, k.jiffies + p.delay_probe_time);
    if (w) w.note(l10n.t('STALE -> DELAY: send now with the cached address, probe later'));
  }
  if (n.nud_state === NUD_INCOMPLETE) {
    if (skb) {
      while (n.arp_queue_len_bytes + skb.truesize > p.queue_len_bytes) {
        const old = n.arp_queue.shift();
        if (!old) break;
        n.arp_queue_len_bytes -= old.truesize;
        kfree_skb_reason(k, old, '__neigh_event_send', 'NEIGH_QUEUEFULL');
        k.net.arp_tbl.stats.unresolved_discards++;
      }
      if (n.arp_queue.length >= LIMITS.arpQueue) throw new LimitError(l10n.t('more than {0} packets queued for {1} waiting for ARP: the most a run may hold on one neighbour (docs/limits.md)', countText(LIMITS.arpQueue), formatIpv4(n.key)));
      n.arp_queue.push(skb);
      n.arp_queue_len_bytes += skb.truesize;
      if (w) w.at('queued', { queued: n.arp_queue.length, arp_queue_len_bytes: n.arp_queue_len_bytes, queue_len_bytes: p.queue_len_bytes });
      if (w) w.note(l10n.t('queued on arp_queue ({0} packets, {1}/{2} bytes)', n.arp_queue.length, n.arp_queue_len_bytes, p.queue_len_bytes));
    }
    rc = 1;
  }
  if (immediateProbe) neigh_probe(k, n);
  // local_bh_enable: when it ends the outermost section, the answer to the probe (already on the
  // backlog) is received here, before the tracepoint: the queue may be flushed already.
  if (w && softirqDue(k)) w.at('bh_enable', { rc });
  local_bh_enable(k);
  if (w) {
    traceNeigh(k, 'neigh_event_send_done', n, { rc });
    w.leave(rc, { rc });
  }
  return rc;
}

/** neigh_probe: solicit with a clone of the newest queued packet, then count the probe. */
export function neigh_probe(k: Kernel, n: Neighbour): void {
  const w = k.w;
  const skb = n.arp_queue.length ? n.arp_queue[n.arp_queue.length - 1] : null;
  if (w) w.enter('neigh_probe', skb, { neigh: formatIpv4(n.key), probes: n.probes }, { skb });
  arp_solicit(k, n, skb);
  n.probes++;
  if (w) w.leave(null);
}

/** Writes nud_state: the step point 'nud_state', with the caller's own locals that change with it (`extra`). */
function setState(k: Kernel, n: Neighbour, state: number, extra?: Record<string, unknown> | null): void {
  const old = n.nud_state;
  n.nud_state = state;
  if (k.w && old !== state) k.w.at('nud_state', { nud_state: nudName(state), from: nudName(old), ...extra });
}

function neighDelTimer(n: Neighbour): void {
  if (n.timer) {
    n.timer.cancelled = true;
    n.timer = null;
    n.timerExpires = 0;
  }
}

/** neigh_add_timer / mod_timer: (re)arm the entry's timer for jiffy `expires`. */
export function neighAddTimer(k: Kernel, n: Neighbour, expires: number, state = n.nud_state): void {
  neighDelTimer(n);
  // A REACHABLE entry's timer only ages the entry; it does not keep a run without an end going.
  const quiet = state === NUD_REACHABLE;
  const { ev, runAt } = k.timer(expires, `neigh_timer_handler ${formatIpv4(n.key)}`, neigh_timer_handler, [k, n], quiet);
  n.timer = ev;
  n.timerExpires = runAt;
}

function maxProbes(n: Neighbour): number {
  const p = n.parms;
  return p.ucast_probes + p.app_probes + (n.nud_state & NUD_PROBE ? p.mcast_reprobes : p.mcast_probes);
}

/** neigh_timer_handler: the entry's timer, in softirq context. */
export function neigh_timer_handler(k: Kernel, n: Neighbour): void {
  const w = k.w;
  const p = n.parms;
  const now = k.jiffies;
  const state = n.nud_state;
  let next = now + HZ;
  if (w) w.enter('neigh_timer_handler', null, { neigh: formatIpv4(n.key), nud_state: nudName(state), probes: n.probes }, { now, next, state: nudName(state), new_state: nudName(state) });
  n.timer = null;
  n.timerExpires = 0;
  if (!(state & NUD_IN_TIMER)) {
    if (w) {
      traceNeigh(k, 'neigh_timer_handler', n);
      w.leave(null);
    }
    return;
  }
  if (state & NUD_REACHABLE) {
    if (now <= n.confirmed + p.reachable_time) {
      next = n.confirmed + p.reachable_time;
      if (w) w.note(l10n.t('still reachable (confirmed recently)'));
    } else if (now <= n.used + p.delay_probe_time) {
      next = now + p.delay_probe_time;
      setState(k, n, NUD_DELAY, w && { new_state: 'DELAY', next });
      n.updated = now;
      n.output = 'neigh_resolve_output';
      if (w) w.note(l10n.t('REACHABLE expired, used recently -> DELAY'));
    } else {
      setState(k, n, NUD_STALE, w && { new_state: 'STALE' });
      n.updated = now;
      n.output = 'neigh_resolve_output';
      if (w) w.note(l10n.t('REACHABLE expired, unused -> STALE'));
    }
  } else if (state & NUD_DELAY) {
    if (now <= n.confirmed + p.delay_probe_time) {
      next = n.confirmed + p.reachable_time;
      setState(k, n, NUD_REACHABLE, w && { new_state: 'REACHABLE', next });
      n.updated = now;
      if (w) w.note(l10n.t('confirmed during DELAY -> REACHABLE'));
    } else {
      next = now + Math.max(p.retrans_time, timerFloor(k));
      setState(k, n, NUD_PROBE, w && { new_state: 'PROBE', next });
      n.updated = now;
      n.probes = 0;
      if (w) w.note(l10n.t('no confirmation in DELAY -> PROBE (unicast probes)'));
    }
  } else {
    // INCOMPLETE or PROBE
    next = now + p.retrans_time;
  }

  if (n.nud_state & (NUD_INCOMPLETE | NUD_PROBE) && n.probes >= maxProbes(n)) {
    setState(k, n, NUD_FAILED, w && { new_state: 'FAILED', next });
    if (w) w.note(`probes ${n.probes} >= ${maxProbes(n)} -> FAILED`);
    k.exception('neigh-failed', { neigh: formatIpv4(n.key), dev: n.dev.name, queued: n.arp_queue.length });
    neigh_invalidate(k, n);
    if (w) {
      traceNeigh(k, 'neigh_timer_handler', n);
      w.leave(null);
    }
    return;
  }
  if (n.nud_state & NUD_IN_TIMER) {
    if (next < now + timerFloor(k)) next = now + timerFloor(k);
    neighAddTimer(k, n, next);
    if (w) w.at('mod_timer', { next, expires: next, runs_at_ms: (n.timerExpires - k.jiffies) * 4 });
  }
  if (n.nud_state & (NUD_INCOMPLETE | NUD_PROBE)) {
    if (w) w.note(l10n.t('probe {0} (probes {1})', n.probes + 1 - (n.nud_state & NUD_INCOMPLETE ? p.ucast_probes : 0), n.probes));
    neigh_probe(k, n);
  }
  if (w) {
    traceNeigh(k, 'neigh_timer_handler', n);
    w.leave(null);
  }
}

/** neigh_invalidate: report each queued packet as unreachable (ICMP host unreachable) and free it. */
export function neigh_invalidate(k: Kernel, n: Neighbour): void {
  const w = k.w;
  if (w) w.enter('neigh_invalidate', null, { neigh: formatIpv4(n.key), queued: n.arp_queue.length });
  k.net.arp_tbl.stats.res_failed++;
  if (n.nud_state === NUD_FAILED) {
    while (n.arp_queue.length) {
      const skb = n.arp_queue.shift()!;
      n.arp_queue_len_bytes -= skb.truesize;
      if (w) w.at('error_report', { skb, left: n.arp_queue.length });
      arp_error_report(k, n, skb);
    }
  }
  n.arp_queue = [];
  n.arp_queue_len_bytes = 0;
  if (w) w.leave(null, { skb: null });
}

/**
 * __neigh_update: a new link-layer address and/or state (from an ARP reply or an admin change);
 * flushes the queue in order when the entry becomes valid.
 */
export function neigh_update(k: Kernel, n: Neighbour, lladdr: Uint8Array | null, newState: number, flags: number): number {
  const w = k.w;
  if (w) {
    const same = !lladdr || ((n.nud_state & NUD_VALID) !== 0 && ether_addr_equal(lladdr, n.ha));
    w.enter('neigh_update', null, { neigh: formatIpv4(n.key), lladdr: lladdr ? formatMac(lladdr) : null, new: nudName(newState) }, { old: nudName(n.nud_state), same });
    traceNeigh(k, 'neigh_update', n, { new: nudName(newState), ...(lladdr ? { lladdr: formatMac(lladdr) } : {}) });
  }
  const old = n.nud_state;
  const now = k.jiffies;
  // __neigh_update (4.9 and 6.x): err starts at -EPERM and this check jumps to out with it.
  if (!(flags & NEIGH_UPDATE_F_ADMIN) && old & (0x40 | 0x80)) {
    if (w) {
      w.note(l10n.t('-EPERM: not an admin update of a {0} entry; entry unchanged', nudName(old)));
      traceNeigh(k, 'neigh_update_done', n, { rc: -EPERM });
      w.leave(-EPERM);
    }
    return -EPERM;
  }
  let addr = lladdr;
  let sameAddr = false;
  if (addr && old & NUD_VALID && ether_addr_equal(addr, n.ha)) sameAddr = true;
  if (!addr) sameAddr = true;
  if (newState & NUD_CONNECTED) n.confirmed = now;
  if (old & NUD_VALID) {
    if (!sameAddr && !(flags & NEIGH_UPDATE_F_OVERRIDE)) {
      if (w) {
        traceNeigh(k, 'neigh_update_done', n, { rc: 0 });
        w.leave(0);
      }
      return 0;
    }
    if (sameAddr && newState === NUD_STALE && !(flags & NEIGH_UPDATE_F_ADMIN)) newState = old;
  }
  if (newState !== old || !sameAddr) n.updated = now;
  if (newState !== old) {
    neighDelTimer(n);
    if (newState & NUD_PROBE) n.probes = 0;
    if (newState & NUD_IN_TIMER) neighAddTimer(k, n, now + (newState & NUD_REACHABLE ? n.parms.reachable_time : 0), newState);
    setState(k, n, newState);
  }
  if (!sameAddr && addr) {
    n.ha = addr.slice();
    if (w) w.at('lladdr', { ha: formatMac(n.ha) });
    if (n.hh_len) fillHh(n); // neigh_update_hhs
    if (!(newState & NUD_CONNECTED)) n.confirmed = now - (n.parms.base_reachable_time << 1);
  }
  if (newState !== old) {
    // neigh_connect / neigh_suspect: ops->connected_output or ops->output (arp_hh_ops: both neigh_resolve_output).
    n.output = newState & NUD_CONNECTED ? connectedOutput(n) : 'neigh_resolve_output';
    if (!(old & NUD_VALID)) {
      if (w && n.arp_queue.length) w.note(l10n.t('{0}: flush {1} queued packets in order', nudName(newState), n.arp_queue.length));
      while (n.nud_state & NUD_VALID && n.arp_queue.length) {
        const skb = n.arp_queue.shift()!;
        n.arp_queue_len_bytes -= skb.truesize;
        if (w) w.at('flush', { skb, left: n.arp_queue.length });
        callOutput(k, n, skb);
      }
      n.arp_queue = [];
      n.arp_queue_len_bytes = 0;
    }
  }
  if (w) {
    traceNeigh(k, 'neigh_update_done', n, { rc: 0 });
    w.leave(0);
  }
  return 0;
}

/** Redraws reachable_time every 300 s, as neigh_periodic_work does. */
export function neighRedrawReachable(k: Kernel): void {
  for (const p of k.net.parms.values()) p.reachable_time = randReachTime(p.base_reachable_time, k.rng);
}

export { NUD_NONE };
