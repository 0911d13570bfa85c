// Explanations of the net/core/skbuff.c listing: more headroom for ip_finish_output2.

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    skb_expand_head: {
      summary: {
        en: "6.x: room for a longer link header, in place for an skb charged to a socket, on a clone otherwise.",
        zh: "6.x：为更长的链路层头腾出空间；记在 socket 上的 skb 就地扩展，否则在克隆上扩展。",
      },
      text: {
        en: "Called by ip_finish_output2 when the headroom is less than LL_RESERVED_SPACE of the output device. The shortfall is rounded up to a cache line (SKB_DATA_ALIGN: 16 becomes 64). pskb_expand_head must not run on a shared skb, and only an skb whose memory is charged to a socket's wmem (is_skb_wmem: its destructor is sock_wfree or TCP's) may grow in place; any other, such as a copy made by nft dup (no socket), is cloned first (skb_clone, skb_set_owner_w if it had a socket) and the original consumed, so the packet goes on in a new skb. pskb_expand_head allocates a bigger head and moves the bytes; an skb without an owner gets the head's growth added to its truesize there. An skb charged to a socket gets it added here, and the socket's sk_wmem_alloc grows by as much. If an allocation failed the skb would be freed (kfree_skb) and NULL returned, and ip_finish_output2 would return -ENOMEM; kpath's allocations never fail, so no scenario reaches that. 4.9 had skb_realloc_headroom instead.",
        zh: "当头部空间小于出口设备的 LL_RESERVED_SPACE 时由 ip_finish_output2 调用。差额按缓存行向上取整（SKB_DATA_ALIGN：16 变为 64）。pskb_expand_head 不能用在共享的 skb 上，并且只有内存记在 socket wmem 上的 skb（is_skb_wmem：析构函数为 sock_wfree 或 TCP 的）才能就地扩展；其他 skb，例如 nft dup 生成的副本（没有 socket），先克隆（skb_clone，原来有 socket 时调用 skb_set_owner_w），再 consume 原 skb，报文换成新 skb 继续。pskb_expand_head 分配更大的头部缓冲区并搬移字节；没有属主的 skb 在那里把缓冲区的增长加到 truesize 上。记在 socket 上的 skb 在这里加上增长，socket 的 sk_wmem_alloc 也增加同样多。若分配失败，skb 会被释放（kfree_skb）并返回 NULL，ip_finish_output2 返回 -ENOMEM；kpath 的分配从不失败，所以没有场景会走到那里。4.9 用的是 skb_realloc_headroom。",
      },
      steps: {
        enter: {
          en: "`headroom` is what the device needs (LL_RESERVED_SPACE), `delta` the shortfall rounded to 64, `osize` the current end offset of the head; `sk` the owner, if any.",
          zh: "`headroom` 是设备需要的空间（LL_RESERVED_SPACE），`delta` 是差额按 64 取整，`osize` 是头部缓冲区当前的结束偏移；`sk` 是属主（如果有）。",
        },
        clone: {
          en: "No socket's wmem is charged for this skb: it was cloned into `nskb` and the original consumed (not dropped); the clone gets the bigger head.",
          zh: "这个 skb 没有记在任何 socket 的 wmem 上：已克隆为 `nskb`，原 skb 被 consume（不是丢弃）；更大的头部缓冲区给了克隆。",
        },
        expand: {
          en: "Grown in place: `wmem_delta` more bytes are charged to the socket (sk_wmem_alloc) and added to truesize.",
          zh: "已就地扩展：多出的 `wmem_delta` 字节记到 socket 上（sk_wmem_alloc），并加到 truesize 上。",
        },
        leave: {
          en: "The skb with room (`headroom_after`, e.g. 16 + 64 = 80) and its `truesize`: a new skb when it was cloned.",
          zh: "返回有足够空间的 skb（`headroom_after`，例如 16 + 64 = 80）及其 `truesize`：克隆时是新的 skb。",
        },
      },
    },

    skb_realloc_headroom: {
      summary: {
        en: "4.9: a new skb with at least `headroom` bytes of headroom.",
        zh: "4.9：生成一个头部空间至少为 `headroom` 字节的新 skb。",
      },
      text: {
        en: "Called by 4.9's ip_finish_output2 when the headroom is less than LL_RESERVED_SPACE. With a shortfall, skb_clone makes a new sk_buff (without a socket) and pskb_expand_head gives it a bigger head, by the shortfall rounded to a cache line (64 bytes for 16); since the clone has no owner, its truesize grows by the head's growth. ip_finish_output2 then charges the new skb to the socket of the old one if it had one (skb_set_owner_w) and consumes the old skb. Without a shortfall it would be a pskb_copy. A failed allocation returns NULL, and ip_finish_output2 frees the packet and returns -ENOMEM; never in kpath. 5.15 replaced it here with skb_expand_head.",
        zh: "4.9 的 ip_finish_output2 在头部空间小于 LL_RESERVED_SPACE 时调用。有差额时，skb_clone 生成一个新的 sk_buff（没有 socket），pskb_expand_head 给它更大的头部缓冲区，扩展量为差额按缓存行取整（16 对应 64 字节）；克隆没有属主，所以它的 truesize 增加缓冲区的增长量。之后 ip_finish_output2 在旧 skb 有 socket 时把新 skb 记到该 socket 上（skb_set_owner_w），并 consume 旧 skb。没有差额时则是 pskb_copy。分配失败返回 NULL，ip_finish_output2 释放报文并返回 -ENOMEM；kpath 中不会发生。5.15 起这里改用 skb_expand_head。",
      },
      steps: {
        enter: {
          en: "`headroom` is LL_RESERVED_SPACE of the device; `delta` how much is missing.",
          zh: "`headroom` 是设备的 LL_RESERVED_SPACE；`delta` 是缺少的量。",
        },
        copy: {
          en: "`skb2` is the clone with the bigger head (`delta` rounded to 64 bytes more headroom).",
          zh: "`skb2` 是带更大头部缓冲区的克隆（头部空间多了按 64 取整的 `delta`）。",
        },
        leave: {
          en: "The new skb, with `headroom_after` bytes of headroom. The caller consumes the old one.",
          zh: "返回新的 skb，头部空间为 `headroom_after` 字节。调用者会 consume 旧的 skb。",
        },
      },
    },
  };
}
