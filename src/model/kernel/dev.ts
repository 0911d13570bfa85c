// net/core/dev.c and net/sched/sch_generic.c: from dev_queue_xmit through the qdisc to the
// driver, the taps that see what the driver gets, and the receive side's entry (netif_rx).

import * as l10n from '@vscode/l10n';
import type { Kernel, BacklogFrame } from './kernel';
import { SkBuff, CHECKSUM_PARTIAL, CHECKSUM_NONE, PACKET_LOOPBACK, MAC_HEADER_UNSET, ip_hdr, tcp_hdr, udp_hdr } from '../net/skbuff';
import { checksum, pseudoHeaderSum } from '../wire/checksum';
import { IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4';
import type { NetDevice } from '../net/device';
import { NETIF_F_HW_CSUM, NETIF_F_UFO, NETIF_F_TSO, NETIF_F_GSO_UDP_L4, NETIF_F_HW_VLAN_CTAG_TX, VLAN_HLEN } from '../net/device';
import { ETH_HLEN, VlanEthHdr, vlanInsertTag } from '../wire/headers';
import { ETH_ZLEN } from '../wire/ethernet';
import { vlan_dev_hard_start_xmit } from './vlan_dev';
import { skb_copy_bits, consume_skb, kfree_skb_reason } from './skbuff';
import { skb_gso_segment } from './ip_output';
import { ENETDOWN, NET_XMIT_SUCCESS, NET_XMIT_DROP, NET_RX_SUCCESS, NET_RX_DROP } from './errno';
import { netif_receive_skb, ip_local_deliver_loop } from './ip_input';
import { local_bh_disable, local_bh_enable, do_softirq, softirqDue } from './softirq';
import { SKB_GSO_UDP, SKB_GSO_TCPV4, SKB_GSO_UDP_L4 } from '../net/skbuff';

/** pfifo_fast's priority-to-band map (prio2band). */
const PRIO2BAND = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

/** dev_queue_xmit / __dev_queue_xmit */
export function dev_queue_xmit(k: Kernel, skb: SkBuff): number {
  const w = k.w;
  const dev = skb.dev!;
  if (w) w.enter('dev_queue_xmit', skb, { skb, dev: dev.name }, { dev, q: dev.qdisc.kind });
  skb.mac_header = skb.data;
  // rcu_read_lock_bh: the driver runs with bottom halves off; what it hands to the backlog is
  // received at rcu_read_unlock_bh when that ends the outermost section.
  local_bh_disable(k);
  if (w !== null && w.tracepoint !== undefined) w.tracepoint({ event: 'net_dev_queue', dev: dev.name, len: skb.len, packet: skb.id });
  // The kernel releases the dst here (IFF_XMIT_DST_RELEASE); the model keeps it so that a stop
  // below this point can still show the route.
  let rc: number;
  if (dev.qdisc.kind !== 'noqueue') {
    if (w) w.note(`qdisc ${dev.qdisc.kind} -> __dev_xmit_skb`);
    rc = __dev_xmit_skb(k, skb, dev);
  } else if (dev.up) {
    if (w) w.note(l10n.t('noqueue: validate_xmit_skb and transmit now'));
    rc = xmitValidated(k, skb, dev);
  } else {
    dev.stats.tx_dropped++;
    kfree_skb_reason(k, skb, 'dev_queue_xmit', 'DEV_READY');
    if (w) w.note(l10n.t('{0} is down -> ENETDOWN', dev.name));
    rc = -ENETDOWN;
  }
  if (w && softirqDue(k)) w.at('unlock_bh', { rc });
  local_bh_enable(k);
  if (w) w.leave(rc, { rc });
  return rc;
}

/** __dev_xmit_skb: an empty pfifo_fast is bypassed; otherwise enqueue (tail drop at txqueuelen) and run. */
function __dev_xmit_skb(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  const w = k.w;
  const q = dev.qdisc;
  if (w) w.enter('__dev_xmit_skb', skb, { skb, qdisc: q.kind, qlen: qlen(dev) });
  let rc: number;
  if (!dev.up) {
    kfree_skb_reason(k, skb, '__dev_xmit_skb', 'QDISC_DROP');
    rc = NET_XMIT_DROP;
  } else if (qlen(dev) === 0) {
    // TCQ_F_CAN_BYPASS: nothing waits, so transmit directly (sch_direct_xmit).
    if (w) w.note(l10n.t('qdisc empty: bypass -> sch_direct_xmit'));
    rc = sch_direct_xmit(k, skb, dev);
  } else {
    const band = PRIO2BAND[skb.priority & 15];
    if (qlen(dev) >= q.limit) {
      q.drops++;
      kfree_skb_reason(k, skb, 'pfifo_fast_enqueue', 'QDISC_DROP');
      if (w) w.note(l10n.t('qlen {0} >= txqueuelen {1}: tail drop', qlen(dev), q.limit));
      rc = NET_XMIT_DROP;
    } else {
      q.bands[band].push(skb);
      if (w) {
        if (w.tracepoint) w.tracepoint({ event: 'qdisc_enqueue', dev: dev.name, packet: skb.id });
        w.at('enqueue', { band, qlen: qlen(dev) });
        w.note(l10n.t('enqueue on band {0}', band));
      }
      rc = NET_XMIT_SUCCESS;
      qdisc_run(k, dev);
    }
  }
  if (w) w.leave(rc);
  return rc;
}

function qlen(dev: NetDevice): number {
  const b = dev.qdisc.bands;
  return b[0].length + b[1].length + b[2].length;
}

/** __qdisc_run: dequeue in band order while the device takes packets (it always does here). */
function qdisc_run(k: Kernel, dev: NetDevice): void {
  for (;;) {
    const band = dev.qdisc.bands.find((b) => b.length);
    if (!band) return;
    const skb = band.shift()!;
    const w = k.w;
    if (w !== null && w.tracepoint !== undefined) w.tracepoint({ event: 'qdisc_dequeue', dev: dev.name, packet: skb.id });
    sch_direct_xmit(k, skb, dev);
  }
}

function sch_direct_xmit(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  return xmitValidated(k, skb, dev);
}

/** validate_xmit_skb, then dev_hard_start_xmit for the skb or each of its segments. */
function xmitValidated(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  const segs = validate_xmit_skb(k, skb, dev);
  if (segs === skb) return dev_hard_start_xmit(k, skb, dev);
  let rc = NET_XMIT_SUCCESS;
  for (const s of segs as SkBuff[]) rc = dev_hard_start_xmit(k, s, dev);
  return rc;
}

/**
 * validate_xmit_skb: segment GSO skbs the device cannot take; finish checksums it cannot offload.
 * Returns the skb itself when it goes on whole, else its segments.
 */
export function validate_xmit_skb(k: Kernel, skb: SkBuff, dev: NetDevice): SkBuff | SkBuff[] {
  const w = k.w;
  if (w) w.enter('validate_xmit_skb', skb, { skb, dev: dev.name }, { features: dev.features });
  // validate_xmit_vlan: a tag in the metadata goes into the bytes unless the device inserts it.
  if (skb.vlan_present && !(dev.features & NETIF_F_HW_VLAN_CTAG_TX)) {
    __vlan_hwaccel_push_inside(skb);
    if (w) {
      w.at('vlan', { vlan_tci: skb.vlan_tci, len: skb.len });
      w.note(l10n.t('{0} has no VLAN offload: __vlan_hwaccel_push_inside writes the tag (VID {1}) into the frame', dev.name, skb.vlan_tci & 0xfff));
    }
  }
  if (skb.gso_size) {
    const ok = (skb.gso_type === SKB_GSO_UDP && dev.features & NETIF_F_UFO) || (skb.gso_type === SKB_GSO_TCPV4 && dev.features & NETIF_F_TSO) ||
      (skb.gso_type === SKB_GSO_UDP_L4 && dev.features & NETIF_F_GSO_UDP_L4);
    if (!ok) {
      if (w) w.note(l10n.t('{0} cannot take this GSO type: segment in software', dev.name));
      const l2 = skb.network_header - skb.data;
      const hdr = skb.buf.slice(skb.data, skb.network_header);
      const segs = skb_gso_segment(k, skb);
      if (w) w.at('segs', { segments: segs.length });
      for (const s of segs) {
        const o = s.push(l2);
        s.buf.set(hdr, o);
        s.mac_header = o;
      }
      if (w) w.leave(segs);
      return segs;
    }
    if (w) {
      w.note(l10n.t('{0} takes the GSO skb whole', dev.name));
      w.leave(skb);
    }
    return skb;
  }
  if (skb.ip_summed === CHECKSUM_PARTIAL && !(dev.features & NETIF_F_HW_CSUM)) {
    if (w) w.note(l10n.t('{0} cannot checksum: finish it in software', dev.name));
    skb_checksum_help(k, skb);
  }
  if (w) w.leave(skb);
  return skb;
}

/** dev_hard_start_xmit -> xmit_one: taps see the skb, then the driver's ndo_start_xmit. */
function dev_hard_start_xmit(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  const w = k.w;
  if (w) w.enter('dev_hard_start_xmit', skb, { skb, dev: dev.name });
  if (w) w.at('wire', { frame_len: skb.len, padded: dev.padToMin && skb.len < 60 });
  let rc: number;
  if (dev.type === 'loopback') rc = loopback_xmit(k, skb, dev);
  else if (dev.type === 'vlan') rc = vlan_dev_hard_start_xmit(k, skb, dev);
  else if (dev.type === 'veth') rc = veth_xmit(k, skb, dev);
  else rc = eth_driver_xmit(k, skb, dev);
  if (w) {
    // trace_net_dev_xmit: the length the driver was given (the drivers here leave skb->len as it was) and its return code.
    if (w.tracepoint) w.tracepoint({ event: 'net_dev_xmit', dev: dev.name, len: skb.len, rc, packet: skb.id });
    w.leave(rc);
  }
  return rc;
}

function countTx(dev: NetDevice, len: number): void {
  dev.stats.tx_packets++;
  dev.stats.tx_bytes += len;
}

/**
 * __vlan_hwaccel_push_inside (skb_vlan_push, __vlan_insert_tag): 4 bytes pushed, the addresses
 * moved to the front, TPID and TCI after them; the tag leaves the metadata.
 */
function __vlan_hwaccel_push_inside(skb: SkBuff): void {
  const d = skb.push(VLAN_HLEN);
  skb.buf.copyWithin(d, d + VLAN_HLEN, d + VLAN_HLEN + 12);
  const v = new VlanEthHdr(skb.buf, d);
  v.h_vlan_proto = skb.vlan_proto;
  v.h_vlan_TCI = skb.vlan_tci;
  if (skb.mac_header !== MAC_HEADER_UNSET) skb.mac_header -= VLAN_HLEN;
  skb.vlan_present = false;
}

/** The frame the driver puts on the wire: with its tag when the device inserts tags itself (VLAN offload). */
function wireFrame(skb: SkBuff, frame: Uint8Array): Uint8Array {
  return skb.vlan_present ? vlanInsertTag(frame, skb.vlan_proto, skb.vlan_tci) : frame;
}

/** drivers/net/veth.c: the frame crosses to the other end of the pair, unpadded. */
function veth_xmit(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  // The skb is freed after this, so a view of its bytes is enough unless the frame is kept.
  return onWire(k, skb, dev, wireFrame(skb, k.keepFrames ? skb_copy_bits(skb) : skb.buf.subarray(skb.data, skb.tail)));
}

/** A physical NIC: the hardware finishes offloaded checksums and pads short frames to 60 bytes. */
function eth_driver_xmit(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  if (skb.ip_summed === CHECKSUM_PARTIAL) skb_checksum_help(k, skb);
  let frame = skb_copy_bits(skb);
  if (dev.padToMin && frame.length < ETH_ZLEN) {
    const padded = new Uint8Array(ETH_ZLEN);
    padded.set(frame);
    frame = padded;
  }
  return onWire(k, skb, dev, wireFrame(skb, frame));
}

/** The driver's frame leaves the device: counted, shown to the taps and handed to the link. */
function onWire(k: Kernel, skb: SkBuff, dev: NetDevice, frame: Uint8Array): number {
  if (k.w) k.w.note(l10n.t('{0}: {1}-byte frame on the wire', dev.name, frame.length));
  countTx(dev, frame.length);
  k.emitFrame(dev.name, 'tx', frame, skb.id);
  toLink(k, dev, frame);
  // consume_skb: the peer and the taps are done with the bytes.
  consume_skb(k, skb);
  return NET_XMIT_SUCCESS;
}

/**
 * The frame reaches the hosts at the other end of the link. An answer without delay is handed to
 * this host at once, as the peer's veth_xmit does (__netif_rx: onto this CPU's backlog); an answer
 * after a reply delay arrives as a later event.
 */
function toLink(k: Kernel, dev: NetDevice, frame: Uint8Array): void {
  const far = k.farEnd;
  if (far === null) return;
  const answers = far(k.now, k.net, dev, frame);
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i];
    if (a.delay === 0) {
      if (k.w) k.w.note(l10n.t('frame from {0}: at once, __netif_rx -> backlog ({1}), NET_RX_SOFTIRQ raised', a.from, k.backlog.length + 1));
      netif_rx(k, dev, a.frame, 'link');
    } else {
      // The event's name, like a timer's (`neigh_timer_handler 192.0.2.2`): made for every delayed answer,
      // watched or not, so it is not looked up in the message catalogue.
      k.later(k.now + a.delay, `frame from ${a.from}`, link_rx, [k, dev, a.frame]);
    }
  }
}

/** A frame from the link reaches this host's device: seen on the wire, then received. */
function link_rx(k: Kernel, dev: NetDevice, frame: Uint8Array): void {
  k.emitFrame(dev.name, 'rx', frame, 0);
  netif_receive_skb(k, dev, frame);
}

/** netdev_max_backlog: enqueue_to_backlog takes a packet while the backlog holds at most this many. */
export const NETDEV_MAX_BACKLOG = 1000;
/** netdev_budget: frames one net_rx_action may take over all its NAPI instances. */
export const NETDEV_BUDGET = 300;
/** dev_rx_weight (weight_p): the backlog's quota per poll. */
export const DEV_RX_WEIGHT = 64;

/**
 * netif_rx -> enqueue_to_backlog: the packet waits on this CPU's backlog and NET_RX_SOFTIRQ is
 * raised. Outside a bh-disabled section (a task's dev_loopback_xmit), netif_rx's own
 * local_bh_enable runs the softirq now; inside one, it runs when that section ends.
 */
export function netif_rx(k: Kernel, dev: NetDevice, frame: Uint8Array, via: BacklogFrame['via']): number {
  const w = k.w;
  // The check is qlen <= netdev_max_backlog: a full backlog holds one more than the limit.
  if (k.backlog.length > NETDEV_MAX_BACKLOG) {
    // The kernel also counts it in softnet_stat and the device's rx_dropped, which the model does not keep.
    if (w) {
      w.note(l10n.t('enqueue_to_backlog: {0} packets waiting, more than netdev_max_backlog {1}: dropped (CPU_BACKLOG)', k.backlog.length, NETDEV_MAX_BACKLOG));
      if (w.tracepoint !== undefined) w.tracepoint({ event: 'kfree_skb', reason: 'CPU_BACKLOG', function: 'enqueue_to_backlog', len: via === 'link' || via === 'loopback' ? frame.length - ETH_HLEN : frame.length });
    }
    return NET_RX_DROP;
  }
  k.backlog.push({ dev, frame, via });
  if (k.bh === 0) do_softirq(k);
  return NET_RX_SUCCESS;
}

/**
 * net_rx_action with the backlog's NAPI instance (process_backlog): up to dev_rx_weight frames,
 * each through __netif_receive_skb; frames it queues meanwhile wait at the backlog's tail. A
 * backlog polled to its full quota goes back on the poll list and NET_RX_SOFTIRQ is raised
 * again: that ends the pass, whatever is left of netdev_budget.
 */
export function net_rx_action(k: Kernel): void {
  const w = k.w;
  if (w) w.enter('net_rx_action', null, {}, { budget: NETDEV_BUDGET, quota: DEV_RX_WEIGHT, work: 0, backlog: k.backlog.length });
  let work = 0;
  while (k.backlog.length !== 0 && work < DEV_RX_WEIGHT) {
    const f = k.backlog.shift()!;
    work++;
    if (w) w.at('dequeue', { work, backlog: k.backlog.length });
    if (f.via === 'link') link_rx(k, f.dev, f.frame);
    else if (f.via === 'loopback') netif_receive_skb(k, f.dev, f.frame, false);
    else ip_local_deliver_loop(k, f.dev, f.frame, f.via);
  }
  const budget = NETDEV_BUDGET - work;
  if (w) {
    w.at('done', { work, budget, backlog: k.backlog.length });
    w.note(k.backlog.length ? l10n.t('quota {0} used, {1} frames left: NET_RX_SOFTIRQ raised again', DEV_RX_WEIGHT, k.backlog.length) : work === 1 ? l10n.t('1 frame received, backlog empty') : l10n.t('{0} frames received, backlog empty', work));
    w.leave(null);
  }
}

/**
 * drivers/net/loopback.c: the frame goes onto the backlog (__netif_rx), to be received by this
 * host when bottom halves are enabled again; it is counted only if the backlog took it.
 */
function loopback_xmit(k: Kernel, skb: SkBuff, dev: NetDevice): number {
  const frame = skb.buf.slice(skb.data, skb.tail);
  if (k.w) k.w.note(l10n.t('lo: {0}-byte frame, back to this host: __netif_rx -> backlog ({1}), NET_RX_SOFTIRQ raised', frame.length, k.backlog.length + 1));
  k.emitFrame(dev.name, 'tx', frame, skb.id);
  if (netif_rx(k, dev, frame, 'loopback') === NET_RX_SUCCESS) {
    // dev_lstats_add: skb->len after eth_type_trans pulled the Ethernet header, as sent and received.
    const len = frame.length - ETH_HLEN;
    countTx(dev, len);
    dev.stats.rx_packets++;
    dev.stats.rx_bytes += len;
  }
  // The receive side goes on with its own copy of the bytes: this skb is used up.
  consume_skb(k, skb);
  return NET_XMIT_SUCCESS;
}

/**
 * dev_loopback_xmit: a looped multicast/broadcast copy is handed to netif_rx without touching a
 * device's transmit side, so no tap on the link sees it.
 */
export function dev_loopback_xmit(k: Kernel, skb: SkBuff, via: 'multicast-loop' | 'broadcast-loop'): number {
  const w = k.w;
  if (w) w.enter('dev_loopback_xmit', skb, { skb });
  skb.mac_header = MAC_HEADER_UNSET;
  skb.data = skb.network_header;
  skb.pkt_type = PACKET_LOOPBACK;
  if (skb.ip_summed === CHECKSUM_NONE) skb.ip_summed = 1; // CHECKSUM_UNNECESSARY
  const bytes = skb.buf.slice(skb.network_header, skb.tail);
  const dev = skb.dev!;
  // The receive side goes on with its own copy of the bytes.
  consume_skb(k, skb);
  if (w) w.note(k.bh === 0 ? l10n.t('netif_rx -> backlog ({0}): bottom halves are on, so its local_bh_enable receives the copy now', k.backlog.length + 1) : l10n.t('netif_rx -> backlog ({0}), received when bottom halves are enabled again', k.backlog.length + 1));
  netif_rx(k, dev, bytes, via);
  if (w) w.leave(0);
  return 0;
}

/**
 * skb_checksum_help: complete a CHECKSUM_PARTIAL transport checksum in software. The check field
 * holds the pseudo-header seed; the sum over the transport header and data finishes it.
 */
export function skb_checksum_help(k: Kernel, skb: SkBuff): number {
  const w = k.w;
  const th = skb.transport_header;
  if (w) w.enter('skb_checksum_help', skb, { skb }, { offset: th - skb.data });
  const iph = ip_hdr(skb);
  const proto = iph.protocol;
  const l4len = skb.tail - th;
  const l4 = proto === IPPROTO_TCP ? tcp_hdr(skb) : udp_hdr(skb);
  l4.check = 0;
  let c = checksum(skb.buf, th, l4len, pseudoHeaderSum(iph.saddr, iph.daddr, proto, l4len));
  if (proto === IPPROTO_UDP && c === 0) c = 0xffff;
  l4.check = c;
  skb.ip_summed = CHECKSUM_NONE;
  // csum: a sum whose fold is the check field.
  if (w) w.at('csum', { csum: ~c & 0xffff, check: c });
  if (w) w.leave(0);
  return 0;
}
