// Explanations of the net/ipv4/tcp_ipv4.c listing (docs/kernel.md §9.4, s13-m).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    tcp_v4_connect: {
      summary: {
        en: "TCP's connect(): route the socket, choose its port and initial sequence number, send one SYN.",
        zh: "TCP 的 connect()：为 socket 查路由，选端口和初始序号，发出一个 SYN。",
      },
      text: {
        en: "kpath folds tcp_connect and tcp_transmit_skb (net/ipv4/tcp_output.c) into tcp_v4_connect: route the destination (a multicast or broadcast route is refused with ENETUNREACH), keep the addresses and the route on the socket, bind an ephemeral port, draw the initial sequence number and the IP ID counter, go to SYN_SENT and send one SYN through `ip_queue_xmit`. 6.x starts the ID counter with get_random_u16(); 4.9 derives it from the sequence number and jiffies. The model stops at the SYN: a RST ends the attempt with ECONNREFUSED.",
        zh: "kpath 把 tcp_connect 和 tcp_transmit_skb（net/ipv4/tcp_output.c）合进 tcp_v4_connect：查目的地址的路由（组播、广播路由返回 ENETUNREACH），把地址和路由保存在 socket 上，绑定临时端口，生成初始序号和 IP ID 计数器，进入 SYN_SENT，经 `ip_queue_xmit` 发出一个 SYN。6.x 用 get_random_u16() 初始化 ID 计数器，4.9 由序号和 jiffies 算出。模型只做到 SYN：收到 RST 时以 ECONNREFUSED 结束。",
      },
      steps: {
        enter: {
          en: "connect() to `daddr`:`dport`. `inet` is the socket as an inet_sock; the route `rt` comes next (NULL until then).",
          zh: "connect() 到 `daddr`:`dport`。`inet` 是 socket 的 inet_sock 视图；接下来查路由得到 `rt`（此前为 NULL）。",
        },
        syn_sent: {
          en: "Routed (`rt`), source port bound (`sport`), initial sequence number (`snd_nxt`) and IP ID start (`inet_id`) drawn: the socket is SYN_SENT and ActiveOpens counts one.",
          zh: "路由已查到（`rt`），源端口已绑定（`sport`），初始序号（`snd_nxt`）和 IP ID 起点（`inet_id`）已生成：socket 进入 SYN_SENT，ActiveOpens 加一。",
        },
        syn: {
          en: "The SYN: MSS = the route's MTU − 40 (`mss`), SACK permitted, timestamps and window scale (10 on the 6.x host kpath was checked against, 7 in the 4.9 profile). The TCP checksum is the pseudo-header seed with offload (`ip_summed` CHECKSUM_PARTIAL), else the full sum (`check`). Next: ip_queue_xmit adds the IP header.",
          zh: "SYN 报文：MSS = 路由 MTU − 40（`mss`），带 SACK permitted、时间戳和窗口扩大选项（kpath 对照的 6.x 主机上是 10，4.9 profile 是 7）。有卸载时（`ip_summed` 为 CHECKSUM_PARTIAL）TCP 校验和只填伪首部和，否则算完整校验和（`check`）。下一步 ip_queue_xmit 加 IP 头。",
        },
        leave: {
          en: "0 when the SYN was handed to IP (a positive qdisc code is not a connect() error), or a negative errno; `err` is that result.",
          zh: "SYN 交给 IP 层后返回 0（qdisc 返回的正数不算 connect() 的错误），否则返回负的 errno；`err` 就是这个结果。",
        },
      },
    },
  };
}
