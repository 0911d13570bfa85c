// net/core/skbuff.c as kpath models it: the two ways ip_finish_output2 gets more headroom.

import type { ListingFile } from './types';
import { fn, NEW, OLD } from './dsl';

export const SKBUFF: ListingFile = {
  path: 'net/core/skbuff.c',
  functions: [
    fn('skb_expand_head', NEW, `
      struct sk_buff *skb_expand_head(struct sk_buff *skb, unsigned int headroom)  @@enter
      {
          int delta = headroom - skb_headroom(skb);
          int osize = skb_end_offset(skb);
          struct sock *sk = skb->sk;

          delta = SKB_DATA_ALIGN(delta);       /* a whole cache line: 16 -> 64 */
          if (skb_shared(skb) || !is_skb_wmem(skb)) {   /* not charged to a socket's wmem */
              struct sk_buff *nskb = skb_clone(skb, GFP_ATOMIC);
              if (unlikely(!nskb))
                  goto fail;
              if (sk)
                  skb_set_owner_w(nskb, sk);
              consume_skb(skb);                /* the old skb is done with, not dropped */
              skb = nskb;  @@clone
          }
          if (pskb_expand_head(skb, delta, 0, GFP_ATOMIC))   /* a bigger head; no owner: truesize grows */
              goto fail;
          if (sk && is_skb_wmem(skb)) {
              delta = skb_end_offset(skb) - osize;
              refcount_add(delta, &sk->sk_wmem_alloc);   /* the growth is charged to the socket */
              skb->truesize += delta;  @@expand
          }
          return skb;
      fail:
          kfree_skb(skb);                      /* allocation failed (never in kpath) */
          return NULL;
      }  @@leave
    `),
    fn('skb_realloc_headroom', OLD, `
      struct sk_buff *skb_realloc_headroom(struct sk_buff *skb, unsigned int headroom)  @@enter
      {
          struct sk_buff *skb2;
          int delta = headroom - skb_headroom(skb);

          if (delta <= 0)
              skb2 = pskb_copy(skb, GFP_ATOMIC);
          else {
              skb2 = skb_clone(skb, GFP_ATOMIC);   /* no socket: pskb_expand_head grows its truesize */
              if (skb2 && pskb_expand_head(skb2, SKB_DATA_ALIGN(delta), 0, GFP_ATOMIC)) {  @@copy
                  kfree_skb(skb2);             /* allocation failed (never in kpath) */
                  skb2 = NULL;
              }
          }
          return skb2;
      }  @@leave
    `),
  ],
};
