// Explanations of the include/net/neighbour.h listing (docs/kernel.md §2.7, §2.8, §5.10).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    neigh_output: {
      summary: {
        en: "6.x: sends through the neighbour: the cached link header, or the entry's output function.",
        zh: "6.x：经邻居项发出：用缓存的链路层头，或调用表项的输出函数。",
      },
      text: {
        en: "6.x's form of 4.9's dst_neigh_output, in include/net/neighbour.h. A CONNECTED entry (REACHABLE, PERMANENT, NOARP) with a filled header cache takes neigh_hh_output, the fast path; anything else calls n->output (neigh_resolve_output on Ethernet). skip_cache is true only for an IPv4 route through an IPv6 gateway, whose cached header would be IPv6's. The state and hh_len are read with READ_ONCE: this runs without the entry's lock, and neigh_hh_output copes with a change under it.",
        zh: "6.x 中对应 4.9 dst_neigh_output 的函数，位于 include/net/neighbour.h。处于 CONNECTED（REACHABLE、PERMANENT、NOARP）且头部缓存已填好的表项走 neigh_hh_output 快速路径；其他情况调用 n->output（以太网上为 neigh_resolve_output）。只有经 IPv6 网关的 IPv4 路由 skip_cache 才为真，因为缓存的是 IPv6 的头。状态和 hh_len 用 READ_ONCE 读取：这里不持有表项的锁，期间的变化由 neigh_hh_output 处理。",
      },
      steps: {
        enter: {
          en: "`n` is the next hop's entry, `skb` the packet, `skip_cache` false for IPv4.",
          zh: "`n` 是下一跳的邻居项，`skb` 是报文，IPv4 下 `skip_cache` 为 false。",
        },
        connected: {
          en: "`cached`: not skip_cache, the entry is CONNECTED (`nud_state`) and has a cached header (`hh_len`). A new entry (NONE), STALE, DELAY or PROBE, or one whose cache is still empty, goes to n->output.",
          zh: "`cached`：没有 skip_cache、表项处于 CONNECTED（`nud_state`）且有缓存的头（`hh_len`）。新建的表项（NONE）、STALE、DELAY、PROBE，或缓存还空着的，走 n->output。",
        },
        leave: {
          en: "neigh_hh_output's or n->output's result.",
          zh: "neigh_hh_output 或 n->output 的结果。",
        },
      },
    },

    neigh_hh_output: {
      summary: {
        en: "The fast path: copy the cached Ethernet header in front of the packet and transmit.",
        zh: "快速路径：把缓存的以太网头拷到报文前面，然后发送。",
      },
      text: {
        en: "The 14-byte Ethernet header is cached in a 16-byte block (HH_DATA_MOD) whose last 14 bytes end exactly where the IP header starts; the 2 bytes before it are scratch. With too little headroom (which cannot happen after ip_finish_output2) the packet is dropped. Otherwise the block is copied to skb->data − 16 (under a seqlock, so that neigh_update_hhs may change the MAC meanwhile), 14 bytes are pushed and dev_queue_xmit sends it. The same in both versions.",
        zh: "14 字节的以太网头缓存在一个 16 字节的块里（HH_DATA_MOD），块的后 14 字节正好结束在 IP 头开始的位置，前面 2 字节是填充。头部空间不够（ip_finish_output2 之后不会发生）时丢弃报文。否则把这个块拷到 skb->data − 16 处（在 seqlock 保护下拷贝，neigh_update_hhs 可能同时在改 MAC），push 14 字节，由 dev_queue_xmit 发送。两个版本相同。",
      },
      steps: {
        enter: {
          en: "`hh_alen` = HH_DATA_ALIGN(hh_len) = 16: the cached header block. skb->data still points at the IP header.",
          zh: "`hh_alen` = HH_DATA_ALIGN(hh_len) = 16：缓存的头部块大小。skb->data 仍指向 IP 头。",
        },
        push: {
          en: "__skb_push(skb, hh_len): skb->data moved back 14 bytes onto the Ethernet header (destination MAC, source MAC, type 0x0800); `data` is its offset now. Next: dev_queue_xmit.",
          zh: "__skb_push(skb, hh_len)：skb->data 向前移 14 字节，指向以太网头（目的 MAC、源 MAC、类型 0x0800）；`data` 是现在的偏移。下一步是 dev_queue_xmit。",
        },
        leave: {
          en: "dev_queue_xmit's result.",
          zh: "dev_queue_xmit 的结果。",
        },
      },
    },
  };
}
