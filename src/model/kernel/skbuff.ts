// net/core/skbuff.c: helpers the output path uses on a packet's bytes.

import type { Kernel } from '../engine/kernel';
import { SkBuff, CHECKSUM_NONE } from '../net/skbuff';
import { checksum, pseudoHeaderSum } from '../wire/checksum';
import { readU32, writeU16 } from '../wire/bytes';

/**
 * skb_checksum_help: complete a CHECKSUM_PARTIAL transport checksum in software. The check field
 * holds the pseudo-header seed; the sum over the transport header and data finishes it.
 */
export function skb_checksum_help(k: Kernel, skb: SkBuff): void {
  const w = k.w;
  if (w) w.enter('skb_checksum_help', skb, { skb });
  const nh = skb.network_header;
  const th = skb.transport_header;
  const proto = skb.buf[nh + 9];
  const l4len = skb.tail - th;
  const checkOff = proto === 6 ? th + 16 : th + 6;
  skb.buf[checkOff] = 0;
  skb.buf[checkOff + 1] = 0;
  const src = readU32(skb.buf, nh + 12);
  const dst = readU32(skb.buf, nh + 16);
  let c = checksum(skb.buf, th, l4len, pseudoHeaderSum(src, dst, proto, l4len));
  if (proto === 17 && c === 0) c = 0xffff;
  writeU16(skb.buf, checkOff, c);
  skb.ip_summed = CHECKSUM_NONE;
  if (w) w.at('csum', { check: c });
  if (w) w.leave(0);
}
