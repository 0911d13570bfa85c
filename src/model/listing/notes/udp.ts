// Explanations of the net/ipv4/udp.c listing (docs/kernel.md §2.1, §2.9, §9.3).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    udp_sendmsg: {
      summary: {
        en: "UDP's sendmsg: route the datagram, build it with ip_make_skb, hand it to IP with ip_send_skb.",
        zh: "UDP 的 sendmsg：查路由，用 ip_make_skb 构造数据报，再用 ip_send_skb 交给 IP 层。",
      },
      text: {
        en: "udp_sendmsg checks the length, takes the destination (the address given, or the connected peer) and, for multicast, the device and source of IP_MULTICAST_IF. It routes the flow (a connected socket reuses the route it keeps), refuses a broadcast route without SO_BROADCAST (EACCES), binds a source port on the first send, builds the datagram (`ip_make_skb`), writes the UDP checksum (`udp_send_skb`) and sends it (`ip_send_skb`). The same in 4.9 and 6.18.",
        zh: "udp_sendmsg 先检查长度，确定目的地址（调用给出的地址，或已 connect 的对端），组播时按 IP_MULTICAST_IF 取出口设备和源地址。接着查路由（已 connect 的 socket 复用它保存的路由），广播路由而 socket 没有 SO_BROADCAST 时返回 EACCES；第一次发送时绑定源端口，然后用 `ip_make_skb` 构造数据报、`udp_send_skb` 填 UDP 校验和、`ip_send_skb` 发出。4.9 与 6.18 相同。",
      },
      steps: {
        enter: {
          en: "A socket call: `len` bytes of payload (the 8-byte UDP header comes on top) to `daddr`:`dport`. Nothing is built yet; the route comes first, so `rt` is NULL here.",
          zh: "一次 socket 调用：向 `daddr`:`dport` 发送 `len` 字节净荷（另加 8 字节 UDP 头）。此时还没有构造任何东西，先要查路由，所以这里 `rt` 为 NULL。",
        },
        autobind: {
          en: "The route is known: `rt`, and the datagram will leave through `rt->dst.dev`. On the socket's first send an ephemeral source port is chosen (`sport`). A real kernel binds it earlier, in inet_sendmsg (net/ipv4/af_inet.c), so a Linux tree has no line for this step point.",
          zh: "路由已确定：`rt`，数据报将从 `rt->dst.dev` 发出。socket 第一次发送时在这里选一个临时源端口（`sport`）。真实内核在更早的 inet_sendmsg（net/ipv4/af_inet.c）里绑定，所以 Linux 源码里没有这个步进点对应的行。",
        },
        gso: {
          en: "The socket has UDP_SEGMENT (`gso_size`): udp_send_skb checks the datagram first. The IP and UDP headers plus min(`datalen`, `gso_size`) above the MTU (`fragsize`) is EMSGSIZE; more than 128 segments (UDP_MAX_SEGMENTS) is EINVAL. A payload above `gso_size` becomes one GSO skb: gso_type SKB_GSO_UDP_L4, gso_segs segments, CHECKSUM_PARTIAL; the device, or validate_xmit_skb, cuts it into UDP datagrams. 6.x only.",
          zh: "socket 设置了 UDP_SEGMENT（`gso_size`）：udp_send_skb 先检查数据报。IP 头和 UDP 头加上 min(`datalen`, `gso_size`) 超过 MTU（`fragsize`）时返回 EMSGSIZE；超过 128 个分段（UDP_MAX_SEGMENTS）时返回 EINVAL。净荷大于 `gso_size` 时整个数据报成为一个 GSO skb：gso_type 为 SKB_GSO_UDP_L4，共 gso_segs 段，CHECKSUM_PARTIAL；由设备或 validate_xmit_skb 把它切成多个 UDP 数据报。仅 6.x 有。",
        },
        udp_send_skb: {
          en: "The datagram is built and udp_send_skb writes the UDP checksum (`check`). With checksum offload (`ip_summed` CHECKSUM_PARTIAL) the field holds only the folded pseudo-header sum and the device finishes it; otherwise the full sum is computed here, and a zero result is sent as 0xffff. Next: ip_send_skb.",
          zh: "数据报已构造好，udp_send_skb 填写 UDP 校验和（`check`）。开启校验和卸载时（`ip_summed` 为 CHECKSUM_PARTIAL）该字段只放折叠后的伪首部和，由设备补完；否则在这里用软件算出完整校验和，结果为 0 时发送 0xffff。下一步是 ip_send_skb。",
        },
        leave: {
          en: "Returns the payload length, or a negative errno: EMSGSIZE, ENETUNREACH (no route: OutNoRoutes +1), EACCES, EPERM when netfilter dropped it. A full qdisc (ENOBUFS) reads as success unless the socket has IP_RECVERR; a datagram waiting for ARP was sent, as far as the caller knows. `err` is ip_send_skb's result.",
          zh: "返回净荷长度，或负的 errno：EMSGSIZE、ENETUNREACH（没有路由，OutNoRoutes 加一）、EACCES、被 netfilter 丢弃时的 EPERM。qdisc 满（ENOBUFS）时，除非 socket 设置了 IP_RECVERR，否则按成功返回；在 ARP 队列里等待的数据报对调用者来说也算已发送。`err` 是 ip_send_skb 的结果。",
        },
      },
    },
  };
}
