// Explanations of the net/netfilter/core.c listing (docs/kernel.md §8).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    nf_hook_slow: {
      summary: {
        en: "Runs the hook's chains (LOCAL_OUT or POST_ROUTING) in priority order; the first DROP ends it.",
        zh: "按优先级执行钩子上的链（LOCAL_OUT 或 POST_ROUTING），遇到第一个 DROP 即结束。",
      },
      text: {
        en: "Each function registered on the hook, lowest priority first (mangle −150, filter 0, source NAT 100). For nft that is nft_do_chain: the chain's rules in order, where mark, ttl and dscp statements change the packet and accept or drop ends the chain. A NAT chain sees only a flow's first packet; the binding it makes (SNAT, MASQUERADE) is applied to every packet of the flow, with the IP and L4 checksums fixed incrementally. A DROP frees the packet (6.x reason NETFILTER_DROP) and returns -EPERM, which the sender's sendmsg gets; nothing reaches the neighbour layer, so no ARP. POST_ROUTING runs once per datagram, before fragmentation, so every fragment carries what NAT wrote. At LOCAL_OUT (from __ip_local_out) the mangle chain is nft's route chain (nf_route_table_hook4): when it accepted a packet whose mark, source, destination or TOS it changed, ip_route_me_harder routes it again, and a failed lookup drops it with that error (NF_DROP_ERR), which sendmsg returns instead of EPERM. A `dup` statement calls nf_dup_ipv4, which sends a copy before the packet goes on.",
        zh: "按优先级从低到高执行注册在钩子上的函数（mangle −150、filter 0、源地址 NAT 100）。nft 的钩子函数是 nft_do_chain：按顺序执行链上的规则，mark、ttl、dscp 语句修改报文，accept 或 drop 结束这条链。NAT 链只看到一个流的第一个报文；它建立的绑定（SNAT、MASQUERADE）作用于该流的每个报文，IP 和 L4 校验和做增量修正。DROP 释放报文（6.x 原因为 NETFILTER_DROP）并返回 -EPERM，发送方的 sendmsg 得到这个错误；报文到不了邻居子系统，所以也不会发 ARP。POST_ROUTING 在分片之前、每个数据报执行一次，所以每个分片都带着 NAT 写入的内容。在 LOCAL_OUT（由 __ip_local_out 调用）上，mangle 链是 nft 的 route 链（nf_route_table_hook4）：它放行的报文若 mark、源地址、目的地址或 TOS 被改过，ip_route_me_harder 重新查路由，查不到就以该错误丢弃（NF_DROP_ERR），sendmsg 返回这个错误而不是 EPERM。`dup` 语句调用 nf_dup_ipv4，先发出一个副本，报文再继续。",
      },
      steps: {
        enter: {
          en: "`hook` is NF_INET_LOCAL_OUT (called from __ip_local_out) or NF_INET_POST_ROUTING (from ip_output); the packet is the whole datagram.",
          zh: "`hook` 是 NF_INET_LOCAL_OUT（由 __ip_local_out 调用）或 NF_INET_POST_ROUTING（由 ip_output 调用）；报文是整个数据报。",
        },
        verdict: {
          en: "A rule matched: its `table`, the `rule` and its `verdict` (accept, drop, or continue after a statement such as `meta mark set`); `mark` is the packet's mark now. DROP: the packet is freed and -EPERM returned.",
          zh: "一条规则命中：所在的 `table`、规则 `rule` 和结果 `verdict`（accept、drop，或执行 `meta mark set` 之类语句后 continue）；`mark` 是报文当前的 mark。DROP 时释放报文并返回 -EPERM。",
        },
        leave: {
          en: "1: every chain accepted (`verdict`), and the caller goes on (dst_output after LOCAL_OUT, ip_finish_output after POST_ROUTING). A negative errno: dropped (-EPERM, or the error of a failed reroute).",
          zh: "1：所有链都放行（`verdict`），调用者继续（LOCAL_OUT 之后是 dst_output，POST_ROUTING 之后是 ip_finish_output）。负的 errno：已丢弃（-EPERM，或重路由失败的错误）。",
        },
      },
    },
  };
}
