// Explanations of the net/ipv4/ip_input.c listing (docs/kernel.md §10, §14).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    ip_rcv: {
      summary: {
        en: "An IP packet arrives: kpath follows only those for this host (ICMP errors, echo replies, RSTs, looped datagrams).",
        zh: "收到 IP 报文：kpath 只跟踪发给本机的（ICMP 错误、回显应答、RST、环回的数据报）。",
      },
      text: {
        en: "InReceives +1. ip_rcv_finish routes the packet (ip_route_input); kpath does not forward, so only local destinations go on. ip_local_deliver would reassemble fragments: kpath delivers a datagram when its first fragment arrives. InDelivers +1, then ICMP goes to icmp_rcv, TCP to tcp_v4_rcv (a RST ends a SYN_SENT connect with ECONNREFUSED) and UDP to udp_rcv (no socket listens: ICMP port unreachable).",
        zh: "InReceives 加一。ip_rcv_finish 为报文查路由（ip_route_input）；kpath 不做转发，所以只有目的为本机的才继续。ip_local_deliver 本应重组分片：kpath 在首片到达时就递交数据报。InDelivers 加一，然后 ICMP 交给 icmp_rcv，TCP 交给 tcp_v4_rcv（RST 使处于 SYN_SENT 的 connect 以 ECONNREFUSED 结束），UDP 交给 udp_rcv（没有 socket 监听：回 ICMP 端口不可达）。",
      },
      steps: {
        enter: {
          en: "`iph`: the received header (source, destination, protocol, TTL, length).",
          zh: "`iph`：收到的 IP 头（源、目的、协议、TTL、长度）。",
        },
        leave: {
          en: "0.",
          zh: "返回 0。",
        },
      },
    },
  };
}
