// Explanations of the net/ipv4/netfilter/nf_dup_ipv4.c listing: nft dup (docs/kernel.md).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    nf_dup_ipv4: {
      summary: {
        en: "nft `dup to A`: a copy of the packet, routed to A and sent by ip_local_out; the packet goes on.",
        zh: "nft 的 `dup to A`：报文的一个副本，路由到 A 并由 ip_local_out 发送；原报文继续。",
      },
      text: {
        en: "pskb_copy gives the copy a head of its own with the same headroom as the packet (16 for a datagram built for an Ethernet device) and no socket. The copy is marked untracked (no conntrack entry, so NAT leaves it alone) and gets DF so that the sender hears of a smaller MTU on the copy's path; the header checksum is redone by __ip_local_out. nf_dup_ipv4_route looks up A with FLOWI_FLAG_KNOWN_NH, out of the named device if any: A itself is the next hop (the route is not cached and rt_gw4 = A), although the copy's IP destination stays the original one. ip_local_out then sends it through LOCAL_OUT, routing and POST_ROUTING like any packet; a dup rule it meets meanwhile does nothing (current->in_nf_duplicate in 6.x, the per-CPU nf_skb_duplicated in 4.9). Because the copy keeps the headroom it was made with, a copy sent out of a device with a longer link header (a VLAN: hard_header_len 18, LL_RESERVED_SPACE 32) reaches ip_finish_output2 short of headroom. A failed lookup frees the copy; the packet is not affected either way.",
        zh: "pskb_copy 给副本一个自己的头部缓冲区，头部空间与原报文相同（为以太网设备构造的数据报是 16），没有 socket。副本被标为 untracked（没有 conntrack 表项，所以 NAT 不处理它），并置上 DF，以便发送方得知副本路径上更小的 MTU；头部校验和由 __ip_local_out 重算。nf_dup_ipv4_route 带 FLOWI_FLAG_KNOWN_NH 查到 A 的路由（指定了设备时从该设备出）：A 本身就是下一跳（路由不缓存，rt_gw4 = A），尽管副本的 IP 目的地址仍是原来的。然后 ip_local_out 让它像普通报文一样走 LOCAL_OUT、路由和 POST_ROUTING；其间遇到的 dup 规则不起作用（6.x 为 current->in_nf_duplicate，4.9 为每 CPU 的 nf_skb_duplicated）。由于副本保留构造时的头部空间，从链路层头更长的设备（VLAN：hard_header_len 18，LL_RESERVED_SPACE 32）发出的副本到 ip_finish_output2 时头部空间不够。查路由失败时释放副本；无论如何原报文不受影响。",
      },
      steps: {
        enter: {
          en: "`gw` is the address the copy goes to, `oif` the index of the device named with `device` (-1: any); `hooknum` the hook the rule is on.",
          zh: "`gw` 是副本发往的地址，`oif` 是 `device` 指定的设备的索引（-1 表示任意）；`hooknum` 是规则所在的钩子。",
        },
        copy: {
          en: "`copy` is the new skb: its `headroom` is the packet's, its `truesize` that of its own head; no socket, untracked, DF set.",
          zh: "`copy` 是新的 skb：`headroom` 与原报文相同，`truesize` 是它自己头部缓冲区的大小；没有 socket，untracked，已置 DF。",
        },
        route: {
          en: "The copy's route `rt`, out of `dev`, with `gw` as its next hop. Next: ip_local_out sends the copy, before the packet itself goes on.",
          zh: "副本的路由 `rt`，出口为 `dev`，下一跳是 `gw`。接下来 ip_local_out 发送副本，然后原报文才继续。",
        },
        leave: {
          en: "Nothing is returned: the rule goes on with the packet (NFT_CONTINUE), whatever became of the copy.",
          zh: "没有返回值：无论副本结果如何，规则都带着原报文继续（NFT_CONTINUE）。",
        },
      },
    },
  };
}
