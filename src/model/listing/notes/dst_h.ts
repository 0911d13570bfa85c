// Explanations of the include/net/dst.h listing (docs/kernel.md §2.1, §2.7, §2.8).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    dst_output: {
      summary: {
        en: "Calls the output function the route chose: ip_output, or ip_mc_output.",
        zh: "调用路由选定的输出函数：ip_output 或 ip_mc_output。",
      },
      text: {
        en: "Whether a packet is forwarded or sent by this host, it leaves through dst_output: `skb_dst(skb)->output(net, sk, skb)`. __mkroute_output set the pointer when the route was made: ip_output for ordinary routes, ip_mc_output for broadcast and for multicast this host joined (RTCF_LOCAL) on a real device. 6.x writes the call as INDIRECT_CALL_INET(skb_dst(skb)->output, ip6_output, ip_output, ...), which avoids a retpoline for the usual targets; 4.9 calls the pointer directly.",
        zh: "无论是转发的报文还是本机发送的报文，最后都经由 dst_output 发出：`skb_dst(skb)->output(net, sk, skb)`。这个指针在 __mkroute_output 建路由时设好：普通路由为 ip_output，广播以及本机在真实设备上加入的组播（RTCF_LOCAL）为 ip_mc_output。6.x 写成 INDIRECT_CALL_INET(skb_dst(skb)->output, ip6_output, ip_output, ...)，对常见目标省掉 retpoline；4.9 直接调用函数指针。",
      },
      steps: {
        enter: {
          en: "A datagram ready to leave: tot_len and checksum final, LOCAL_OUT passed.",
          zh: "准备发出的数据报：tot_len 和校验和已是最终值，LOCAL_OUT 已通过。",
        },
        output: {
          en: "The indirect call: `output` is the route's choice. Next: ip_output (unicast, and multicast nobody on this host joined) or ip_mc_output (broadcast, joined multicast).",
          zh: "间接调用：`output` 就是路由的选择。接下来进入 ip_output（单播，以及本机没有成员的组播）或 ip_mc_output（广播、已加入的组播）。",
        },
        leave: {
          en: "The output function's result, back to ip_local_out.",
          zh: "输出函数的结果，返回给 ip_local_out。",
        },
      },
    },

    dst_neigh_output: {
      summary: {
        en: "4.9: sends through the neighbour: the cached link header, or the entry's output function.",
        zh: "4.9：经邻居项发出：用缓存的链路层头，或调用表项的输出函数。",
      },
      text: {
        en: "An inline of 4.9's include/net/dst.h (4.11 replaced it by neigh_output in include/net/neighbour.h). When the route has a pending confirmation it first refreshes n->confirmed (not modeled). A CONNECTED entry (REACHABLE, PERMANENT, NOARP) whose header cache is filled takes neigh_hh_output, the fast path; anything else calls n->output, which on Ethernet is neigh_resolve_output in every state.",
        zh: "4.9 的 include/net/dst.h 中的内联函数（4.11 起被 include/net/neighbour.h 的 neigh_output 取代）。路由上有待确认标记时先刷新 n->confirmed（模型未实现）。处于 CONNECTED（REACHABLE、PERMANENT、NOARP）且头部缓存已填好的表项走 neigh_hh_output 快速路径；其他情况调用 n->output，以太网上任何状态下都是 neigh_resolve_output。",
      },
      steps: {
        enter: {
          en: "`n` is the next hop's entry, `skb` the packet, its data at the IP header.",
          zh: "`n` 是下一跳的邻居项，`skb` 是报文，data 指向 IP 头。",
        },
        connected: {
          en: "`cached`: the entry is CONNECTED (`nud_state`) and has a cached header (`hh_len` 14 on Ethernet once filled). A new entry (NONE), STALE, DELAY or PROBE, or one whose cache is still empty, is not: it goes to n->output.",
          zh: "`cached`：表项处于 CONNECTED（`nud_state`）且有缓存的头（填好后以太网上 `hh_len` 为 14）。新建的表项（NONE）、STALE、DELAY、PROBE，或缓存还空着的，都不满足，走 n->output。",
        },
        leave: {
          en: "neigh_hh_output's or n->output's result.",
          zh: "neigh_hh_output 或 n->output 的结果。",
        },
      },
    },
  };
}
