// Explanations of the net/ipv4/raw.c listing (docs/kernel.md §13, s13-m).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    raw_sendmsg: {
      summary: {
        en: "A raw socket's sendmsg, as ping uses it: the application's ICMP echo request gets an IP header.",
        zh: "原始套接字的 sendmsg（ping 使用的方式）：给应用写好的 ICMP 回显请求加上 IP 头。",
      },
      text: {
        en: "On an IPPROTO_ICMP raw socket the application writes the whole ICMP message (type 8, its id, the sequence number, the checksum); the kernel routes it, refuses broadcast without SO_BROADCAST (EACCES), builds the datagram with `ip_make_skb` (no transport header of the kernel's own) and sends it with `ip_send_skb`. The same in 4.9 and 6.18.",
        zh: "在 IPPROTO_ICMP 原始套接字上，整个 ICMP 报文（类型 8、id、序号、校验和）由应用自己写；内核负责查路由，没有 SO_BROADCAST 时拒绝广播（EACCES），用 `ip_make_skb` 构造数据报（内核不再加自己的传输层头），再用 `ip_send_skb` 发送。4.9 与 6.18 相同。",
      },
      steps: {
        enter: {
          en: "`len` is the ICMP message's length, header and data. `inet` is the socket seen as an inet_sock; `rt` stays NULL until the route lookup below.",
          zh: "`len` 是 ICMP 报文长度（头加数据）。`inet` 是这个 socket 的 inet_sock 视图；`rt` 在下面查完路由前为 NULL。",
        },
        echo: {
          en: "Routed (`rt`). The echo request comes from user space: type 8, the socket's `id`, the next sequence number `seq`; ip_make_skb copies it behind the IP header. In a Linux tree this is the ip_append_data call.",
          zh: "路由已查到（`rt`）。回显请求来自用户态：类型 8、socket 的 `id`、下一个序号 `seq`；ip_make_skb 把它拷到 IP 头后面。在 Linux 源码里对应 ip_append_data 的调用。",
        },
        leave: {
          en: "Returns the bytes sent or a negative errno; `err` is ip_send_skb's result (0 when the datagram was handed over, waiting for ARP included).",
          zh: "返回发送的字节数或负的 errno；`err` 是 ip_send_skb 的结果（数据报交出去就是 0，在 ARP 队列里等待也算）。",
        },
      },
    },
  };
}
