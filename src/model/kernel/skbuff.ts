// net/core/skbuff.c: allocating packets and freeing them, with the drop reason of
// kfree_skb_reason.

import { RECORD_LIMIT } from './kernel';
import type { Kernel } from './kernel';
import { SkBuff } from '../net/skbuff';

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

/** kfree_skb_reason: the packet is dropped in `fn` for `reason` (a SKB_DROP_REASON_ name). */
export function kfree_skb_reason(k: Kernel, skb: SkBuff, fn: string, reason: string): void {
  const rec = { time: k.now, packet: skb.id, function: fn, reason, len: skb.len };
  if (k.countsOnly) {
    k.totals.drops++;
    k.totals.dropReasons.set(reason, (k.totals.dropReasons.get(reason) ?? 0) + 1);
    if (k.drops.length < RECORD_LIMIT) k.drops.push(rec);
  } else {
    k.drops.push(rec);
  }
  const w = k.w;
  if (w) {
    if (w.tracepoint) w.tracepoint({ event: 'kfree_skb', reason, function: fn, len: skb.len, packet: skb.id });
    if (w.skb !== undefined) w.skb('drop', skb);
    w.exception('drop', { packet: skb.id, function: fn, reason, len: skb.len });
  }
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
