// Explanations of the net/ipv4/netfilter.c listing: the reroute in LOCAL_OUT (docs/kernel.md).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    ip_route_me_harder: {
      summary: {
        en: "Routes a packet again after a LOCAL_OUT chain changed its mark, addresses or TOS; grows its headroom for the new device.",
        zh: "LOCAL_OUT 链改了报文的 mark、地址或 TOS 之后，重新为它查路由；按新设备扩展头部空间。",
      },
      text: {
        en: "Called by the nft route chain (mangle output, nf_route_table_hook4) when it changed what the route depends on. The flow is rebuilt from the packet: its destination, its source (kept: a local source comes with FLOWI_FLAG_ANYSRC, so the datagram keeps the address chosen for the first route even when it now leaves by another device), the TOS, the socket's bound device and skb->mark, which fwmark rules match. The new route replaces the skb's dst. Then \"change in oif may mean change in hh_len\": when the headroom is less than the new device's hard_header_len (18 on a VLAN whose parent inserts no tags), pskb_expand_head grows it by HH_DATA_ALIGN of the shortfall (16 bytes); the socket owns the skb, so its truesize does not change. ip_finish_output2 later checks LL_RESERVED_SPACE (32 on that VLAN) and finds it met. A failed lookup returns its error and the hook drops the packet with it (sendmsg gets, for example, ENETUNREACH). The same in 4.9 (without the sk argument) and 6.18.",
        zh: "由 nft 的 route 链（mangle output，nf_route_table_hook4）在它改动了路由所依赖的内容时调用。流从报文重新构造：目的地址、源地址（保留：本机源地址带 FLOWI_FLAG_ANYSRC，所以即使报文改从另一个设备发出，也保留为第一条路由选定的地址）、TOS、socket 绑定的设备，以及 fwmark 规则匹配的 skb->mark。新路由替换 skb 的 dst。接着“出口设备变了，hh_len 也可能变”：头部空间小于新设备的 hard_header_len 时（父设备不插标签的 VLAN 上为 18），pskb_expand_head 把它扩大差额按 HH_DATA_ALIGN 对齐后的大小（16 字节）；skb 属于 socket，所以 truesize 不变。之后 ip_finish_output2 检查 LL_RESERVED_SPACE（该 VLAN 上为 32），发现已经满足。查路由失败时返回该错误，钩子以它丢弃报文（sendmsg 得到例如 ENETUNREACH）。4.9（没有 sk 参数）与 6.18 相同。",
      },
      steps: {
        enter: {
          en: "`dev` is the device of the route the packet has now; `saddr` its source, which the new lookup keeps. `hh_len` is not known yet.",
          zh: "`dev` 是报文当前路由的设备；`saddr` 是它的源地址，新的查找会保留它。`hh_len` 还未知。",
        },
        route: {
          en: "The lookup with the packet's mark found `rt`, out of `dev`: skb_dst_set makes it the packet's route. Next: is the headroom enough for the new device's link header?",
          zh: "用报文的 mark 查到了 `rt`，出口为 `dev`：skb_dst_set 把它设为报文的路由。接下来：头部空间够不够新设备的链路层头？",
        },
        headroom: {
          en: "The headroom was less than the new device's `hh_len` (hard_header_len): pskb_expand_head moved the data into a bigger head, and `headroom` is now what it gives (16 grows to 32 for a VLAN's 18).",
          zh: "头部空间小于新设备的 `hh_len`（hard_header_len）：pskb_expand_head 把数据搬进更大的头部缓冲区，`headroom` 是现在的头部空间（VLAN 的 18 使 16 增长到 32）。",
        },
        leave: {
          en: "0: rerouted, and the packet goes on to dst_output with its new route. A negative errno: no route for the new flow; the hook drops the packet.",
          zh: "返回 0：已重路由，报文带着新路由继续走 dst_output。负的 errno：新的流没有路由，钩子丢弃报文。",
        },
      },
    },
  };
}
