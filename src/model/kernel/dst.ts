// include/net/dst.h: dst_output calls the route's output function (ip_output or ip_mc_output).

import type { Kernel } from './kernel';
import type { Sock } from '../net/sock';
import type { SkBuff } from '../net/skbuff';
import { ip_output, ip_mc_output } from './ip_output';

export function dst_output(k: Kernel, sk: Sock | null, skb: SkBuff): number {
  const w = k.w;
  const out = skb.dst!.output;
  if (w) {
    w.enter('dst_output', skb, { sk, skb });
    w.at('output', { output: out });
    w.note(`skb_dst(skb)->output = ${out}`);
  }
  const ret = out === 'ip_output' ? ip_output(k, sk, skb) : ip_mc_output(k, sk, skb);
  if (w) w.leave(ret);
  return ret;
}
