// Explanations of the net/ipv4/icmp.c listing (docs/kernel.md §10).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    __icmp_send: {
      summary: {
        en: "Builds and sends an ICMP error about a packet, to the packet's source.",
        zh: "针对某个报文构造并发送 ICMP 错误，发给该报文的源地址。",
      },
      text: {
        en: "No error is sent about a packet without a route, not of type HOST, sent to broadcast or multicast, a fragment other than the first, or itself an ICMP error. The global rate limit (icmp_msgs_per_sec 1000, icmp_msgs_burst 50) applies to most errors, fragmentation needed excepted (6.x also exempts packets that came in on lo, and spends 0 to 2 credits at random). The source is the offending packet's destination when it is ours; TOS = (TOS & 0x1e) | 0xc0; the message quotes as much of the packet as fits in 576 bytes. For a packet this host sent, the error goes to this host itself, over lo.",
        zh: "以下报文不发 ICMP 错误：没有路由的、类型不是 HOST 的、发往广播或组播的、非首片的分片、本身就是 ICMP 错误的。大多数错误受全局限速（icmp_msgs_per_sec 1000，icmp_msgs_burst 50），需要分片除外（6.x 还豁免从 lo 进来的报文，并且每次随机消耗 0 到 2 个额度）。源地址：出错报文的目的地址是本机地址时就用它；TOS = (TOS & 0x1e) | 0xc0；报文内容引用出错报文，以总长不超过 576 字节为限。对于本机发出的报文，错误发给的是本机自己，经 lo。",
      },
      steps: {
        enter: {
          en: "`skb_in` is the offending packet; `type`/`code` the error (3/4 fragmentation needed, 3/1 host unreachable); `info` the next-hop MTU for 3/4. `iph` is its IP header and `rt` its route.",
          zh: "`skb_in` 是出错的报文；`type`/`code` 是错误类型（3/4 需要分片，3/1 主机不可达）；3/4 时 `info` 是下一跳 MTU。`iph` 是它的 IP 头，`rt` 是它的路由。",
        },
        quote: {
          en: "Allowed: the route back gives `saddr`; `room` = min(route MTU, 576) − 28; `quoted` bytes of the offending packet go in. Next: ip_make_skb and ip_send_skb on the namespace's ICMP socket.",
          zh: "允许发送：回程路由给出 `saddr`；`room` = min(路由 MTU, 576) − 28；放入出错报文的 `quoted` 个字节。接下来在本网络命名空间的 ICMP socket 上调用 ip_make_skb 和 ip_send_skb。",
        },
        leave: {
          en: "Sent, or suppressed (the decisions say why).",
          zh: "已发送，或被抑制（原因见 decisions）。",
        },
      },
    },

    icmp_rcv: {
      summary: {
        en: "An ICMP message arrives for this host; a destination unreachable goes to the protocol it quotes.",
        zh: "收到发给本机的 ICMP 报文；目的不可达交给被引用报文的协议处理。",
      },
      text: {
        en: "Counts InMsgs and the type's counter (InEchoReps, InDestUnreachs, ...). A destination unreachable quoting UDP goes to __udp4_lib_err: fragmentation needed becomes EMSGSIZE (kpath keeps no learned path MTU), host unreachable EHOSTUNREACH; with IP_RECVERR the error is queued on the socket's error queue and left pending for its next call.",
        zh: "计 InMsgs 和对应类型的计数器（InEchoReps、InDestUnreachs 等）。引用 UDP 报文的目的不可达交给 __udp4_lib_err：需要分片变成 EMSGSIZE（kpath 不保存学到的路径 MTU），主机不可达变成 EHOSTUNREACH；有 IP_RECVERR 时错误进入 socket 的错误队列，并留给它的下一次调用。",
      },
      steps: {
        enter: {
          en: "`icmph`: the message's type and code.",
          zh: "`icmph`：报文的类型和代码。",
        },
        leave: {
          en: "0.",
          zh: "返回 0。",
        },
      },
    },
  };
}
