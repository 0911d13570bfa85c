// net/core/skbuff.c: allocating packets and freeing them, with the drop reason of
// kfree_skb_reason.

import * as l10n from '@vscode/l10n';
import { RECORD_LIMIT } from './kernel';
import type { Kernel } from './kernel';
import { SkBuff, SKB_TRUESIZE, skbTruesize, MAC_HEADER_UNSET } from '../net/skbuff';

/**
 * A new skb over `buf` (its head, from kmalloc_reserve) with `len` bytes from `data`. It gets the
 * next packet id, or `id` when it carries on an existing packet (a fragment keeps its datagram's).
 */
export function alloc_skb(k: Kernel, buf: Uint8Array, data: number, len: number, truesize: number, id = 0): SkBuff {
  const skb = new SkBuff(id || k.nextSkbId++, k.currentSend, buf, data, len, truesize);
  if (!id && k.currentSend >= 0 && k.ctx === 'task' && !k.countsOnly) k.sends[k.currentSend].packets.push(skb.id);
  if (k.w !== null && k.w.skb !== undefined) k.w.skb('alloc', skb);
  return skb;
}

/** A zeroed head buffer of `size` bytes: a recycled one (consume_skb) when there is one of that size. */
export function kmalloc_reserve(k: Kernel, size: number): Uint8Array {
  if (k.reuseBuffers) {
    const free = k.pool.get(size);
    if (free !== undefined && free.length) {
      const b = free.pop()!;
      b.fill(0);
      return b;
    }
  }
  return carve(size);
}

/** A copy of the skb's bytes from data to tail (a frame kept after the skb is gone). */
export function skb_copy_bits(skb: SkBuff): Uint8Array {
  const c = carve(skb.len);
  c.set(skb.buf.subarray(skb.data, skb.tail));
  return c;
}

/**
 * consume_skb: the packet was used up (sent); its buffer may serve a later packet. Only while no
 * watcher is attached: a watcher such as the debugger's may hold on to the skb.
 */
export function consume_skb(k: Kernel, skb: SkBuff): void {
  if (k.w !== null) {
    if (k.w.skb !== undefined) k.w.skb('consume', skb);
    return;
  }
  if (!k.reuseBuffers) return;
  const b = skb.buf;
  let free = k.pool.get(b.length);
  if (free === undefined) {
    free = [];
    k.pool.set(b.length, free);
  }
  if (free.length < POOL_PER_SIZE) free.push(b);
}

/**
 * kfree_skb_reason: the packet is dropped in `fn` for `reason` (a SKB_DROP_REASON_ name). A head
 * with a frag_list takes its members with it (skb_release_data), each traced as a drop of its own
 * with the reason __kfree_skb passes on, NOT_SPECIFIED, unless a copy still holds them.
 */
export function kfree_skb_reason(k: Kernel, skb: SkBuff, fn: string, reason: string): void {
  traceDrop(k, skb, fn, reason, skb.len);
  if (skb.frag_list !== null && !skb.frag_list_shared) {
    for (const len of skb.frag_list) traceDrop(k, skb, 'skb_release_data', 'NOT_SPECIFIED', len);
  }
  const w = k.w;
  if (w) {
    if (w.skb !== undefined) w.skb('drop', skb);
    w.exception('drop', { packet: skb.id, function: fn, reason, len: skb.len });
  }
}

/** One skb:kfree_skb: kept in the run's drops, and shown to a watcher. */
function traceDrop(k: Kernel, skb: SkBuff, fn: string, reason: string, len: number): void {
  const rec = { time: k.now, packet: skb.id, function: fn, reason, len };
  if (k.countsOnly) {
    k.totals.drops++;
    k.totals.dropReasons.set(reason, (k.totals.dropReasons.get(reason) ?? 0) + 1);
    if (k.drops.length < RECORD_LIMIT) k.drops.push(rec);
  } else {
    k.drops.push(rec);
  }
  if (k.w?.tracepoint) k.w.tracepoint({ event: 'kfree_skb', reason, function: fn, len, packet: skb.id });
}

/** Recycled buffers kept per size: enough for a datagram's fragments and a queue flush. */
const POOL_PER_SIZE = 64;

const SLAB_BYTES = 65536;

// Packet-sized buffers are cut from shared 64 KiB blocks: a typed array with a backing store of
// its own costs far more to allocate and collect than a view, and a run makes millions. The block
// is shared by every kernel of the process; only fresh bytes are handed out, so they are zero.
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

function carve(size: number): Uint8Array {
  if (size > SLAB_BYTES >> 2) return new Uint8Array(size);
  if (slabUsed + size > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const b = slab.subarray(slabUsed, slabUsed + size);
  slabUsed += (size + 7) & ~7;
  return b;
}

// ---- Copies and more headroom (pskb_copy, pskb_expand_head, skb_expand_head, skb_realloc_headroom)

/** SKB_DATA_ALIGN: to the cache line (64 bytes on x86-64). */
export function SKB_DATA_ALIGN(n: number): number {
  return (n + 63) & ~63;
}

/**
 * The end offset (skb_end_offset) of a head allocated for `size` bytes: SKB_WITH_OVERHEAD of the
 * kmalloc bucket (or 6.x's small-head cache) that kmalloc_reserve picks.
 */
export function headEnd(size: number, v49: boolean): number {
  return skbTruesize(size, v49) - SKB_TRUESIZE(0);
}

/** __copy_skb_header and the IPCB: what a copy or a clone carries over (not the socket). */
function copySkbHeader(to: SkBuff, from: SkBuff): void {
  to.protocol = from.protocol;
  to.dev = from.dev;
  to.dst = from.dst;
  to.mark = from.mark;
  to.priority = from.priority;
  to.pkt_type = from.pkt_type;
  to.ip_summed = from.ip_summed;
  to.csum_start = from.csum_start;
  to.csum_offset = from.csum_offset;
  to.ignore_df = from.ignore_df;
  to.ipcb_flags = from.ipcb_flags;
  to.frag_max_size = from.frag_max_size;
  to.opt_len = from.opt_len;
  to.gso_size = from.gso_size;
  to.gso_segs = from.gso_segs;
  to.gso_type = from.gso_type;
  to.frag_list = from.frag_list;
  to.data_len = from.data_len;
  to.vlan_present = from.vlan_present;
  to.vlan_proto = from.vlan_proto;
  to.vlan_tci = from.vlan_tci;
  to.untracked = from.untracked;
  to.origin = from.origin;
}

/** A new skb over `buf` with the same bytes `shift` further in, and the header offsets moved with them. */
function moved(k: Kernel, from: SkBuff, buf: Uint8Array, shift: number, truesize: number): SkBuff {
  const n = alloc_skb(k, buf, from.data + shift, from.len, truesize);
  copySkbHeader(n, from);
  n.network_header = from.network_header + shift;
  n.transport_header = from.transport_header + shift;
  if (from.mac_header !== MAC_HEADER_UNSET) n.mac_header = from.mac_header + shift;
  return n;
}

/**
 * pskb_copy: a new skb with a head of its own, as much headroom as the original has, the same
 * bytes and metadata, and no socket (__pskb_copy_fclone). Its truesize is that of the new head.
 */
export function pskb_copy(k: Kernel, skb: SkBuff): SkBuff {
  const headroom = skb.headroom;
  const headlen = skb.len - skb.data_len;
  const end = headEnd(headroom + headlen, k.v49);
  const buf = kmalloc_reserve(k, Math.max(end, skb.tail));
  buf.set(skb.buf.subarray(0, skb.tail));
  const n = moved(k, skb, buf, 0, skbTruesize(headroom + headlen, k.v49));
  // skb_clone_fraglist: the copy holds a reference on each member; while it lives they are shared.
  n.frag_list_shared = skb.frag_list !== null;
  return n;
}

/**
 * pskb_expand_head(skb, nhead, 0): a bigger head, the bytes `nhead` further in. truesize grows by
 * the new head's extra size only when no socket owns the skb (it is not charged to one). Returns
 * the growth of the end offset. The model's allocations never fail.
 */
export function pskb_expand_head(k: Kernel, skb: SkBuff, nhead: number): number {
  const buf = biggerHead(k, skb, nhead);
  const growth = buf.length - skb.buf.length;
  skb.buf = buf;
  skb.data += nhead;
  skb.tail += nhead;
  skb.network_header += nhead;
  skb.transport_header += nhead;
  if (skb.mac_header !== MAC_HEADER_UNSET) skb.mac_header += nhead;
  if (!skb.sk) skb.truesize += growth;
  return growth;
}

/** skb_clone followed by pskb_expand_head: a new sk_buff over a new, bigger head; no socket. */
function cloneExpanded(k: Kernel, skb: SkBuff, nhead: number): { n: SkBuff; growth: number } {
  const buf = biggerHead(k, skb, nhead);
  const growth = buf.length - skb.buf.length;
  return { n: moved(k, skb, buf, nhead, skb.truesize + growth), growth };
}

/** pskb_expand_head's new head: `nhead` bytes more in front, with the skb's bytes that much further in. */
function biggerHead(k: Kernel, skb: SkBuff, nhead: number): Uint8Array {
  const buf = kmalloc_reserve(k, headEnd(skb.buf.length + nhead, k.v49));
  buf.set(skb.buf.subarray(0, skb.tail), nhead);
  return buf;
}

/**
 * skb_expand_head (5.15 on): headroom for `headroom` bytes. An skb charged to a socket's wmem is
 * grown in place and the growth charged to the socket; any other (no socket: a copy made by
 * nf_dup_ipv4) is cloned first and the original consumed, so the packet goes on in a new skb.
 * On an allocation failure the kernel frees the skb (kfree_skb) and returns NULL; the model's
 * allocations never fail.
 */
export function skb_expand_head(k: Kernel, skb: SkBuff, headroom: number): SkBuff {
  const w = k.w;
  const before = skb.headroom;
  const delta = SKB_DATA_ALIGN(headroom - before);
  const sk = skb.sk;
  if (w) w.enter('skb_expand_head', skb, { skb, headroom }, { delta, osize: skb.buf.length, sk });
  let out = skb;
  let growth: number;
  if (!sk) {
    // skb_shared(skb) || !is_skb_wmem(skb): skb_clone, then consume_skb of the original.
    const c = cloneExpanded(k, skb, delta);
    out = c.n;
    growth = c.growth;
    if (w) {
      w.at('clone', { nskb: out.id, delta });
      w.note(l10n.t('no socket owns skb {0}: skb_clone -> skb {1}, consume_skb({0}); pskb_expand_head by {2} (SKB_DATA_ALIGN({3})), truesize {4} -> {5}', skb.id, out.id, delta, headroom - before, skb.truesize, out.truesize));
    }
    consume_skb(k, skb);
  } else {
    const truesize = skb.truesize;
    growth = pskb_expand_head(k, skb, delta);
    // refcount_add(delta, &sk->sk_wmem_alloc); skb->truesize += delta
    skb.truesize += growth;
    if (w) {
      w.at('expand', { delta, wmem_delta: growth });
      w.note(l10n.t('pskb_expand_head in place by {0}; {1} more bytes charged to the socket, truesize {2} -> {3}', delta, growth, truesize, skb.truesize));
    }
  }
  if (w) w.leave(out, { headroom_after: out.headroom, truesize: out.truesize, growth });
  return out;
}

/**
 * skb_realloc_headroom (4.9): a new skb with at least `headroom` bytes of headroom: skb_clone and
 * pskb_expand_head (the clone has no socket, so its truesize grows), or pskb_copy when there is
 * room already. The caller charges it to the socket and consumes the original. A failed
 * allocation returns NULL (never in the model).
 */
export function skb_realloc_headroom(k: Kernel, skb: SkBuff, headroom: number): SkBuff {
  const w = k.w;
  const delta = headroom - skb.headroom;
  if (w) w.enter('skb_realloc_headroom', skb, { skb, headroom }, { delta });
  let skb2: SkBuff;
  if (delta <= 0) {
    skb2 = pskb_copy(k, skb);
  } else {
    skb2 = cloneExpanded(k, skb, SKB_DATA_ALIGN(delta)).n;
  }
  if (w) {
    const grown = SKB_DATA_ALIGN(Math.max(delta, 0));
    w.at('copy', { skb2: skb2.id, delta: grown });
    const how = delta <= 0 ? `pskb_copy -> skb ${skb2.id}` : l10n.t('skb_clone -> skb {0}, pskb_expand_head by {1}', skb2.id, grown);
    w.note(`${how}: headroom ${skb.headroom} -> ${skb2.headroom}, truesize ${skb.truesize} -> ${skb2.truesize}`);
    w.leave(skb2, { headroom_after: skb2.headroom });
  }
  return skb2;
}
