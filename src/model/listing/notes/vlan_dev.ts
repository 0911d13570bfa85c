// Explanations of the net/8021q/vlan_dev.c listing: an 802.1Q VLAN device's transmit side.

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    vlan_dev_hard_header: {
      summary: {
        en: "A VLAN device's link header: its parent's Ethernet header, with the VLAN device's MAC.",
        zh: "VLAN 设备的链路层头：父设备的以太网头，源 MAC 为 VLAN 设备的地址。",
      },
      text: {
        en: "The create function of vlan_header_ops (a parent that inserts no tags; hard_header_len 18) and, in the same way, vlan_passthru_hard_header of vlan_passthru_header_ops (a parent with VLAN transmit offload; hard_header_len 14). `ip link add ... type vlan` sets VLAN_FLAG_REORDER_HDR, so no tag is written here: the header is the parent's plain Ethernet header (eth_header) with the VLAN device's own address as source and the packet's ethertype. The tag comes later, in vlan_dev_hard_start_xmit. Neither header_ops has a cache, so a neighbour on a VLAN never takes neigh_hh_output: ARP requests come here from arp_create, and resolved entries from neigh_connected_output. The same in 4.9 and 6.18.",
        zh: "vlan_header_ops（父设备不插标签；hard_header_len 18）的 create 函数；vlan_passthru_header_ops（父设备有 VLAN 发送卸载；hard_header_len 14）的 vlan_passthru_hard_header 做法相同。`ip link add ... type vlan` 设置了 VLAN_FLAG_REORDER_HDR，所以这里不写标签：链路层头就是父设备的普通以太网头（eth_header），源地址为 VLAN 设备自己的地址，类型为报文的以太类型。标签稍后在 vlan_dev_hard_start_xmit 中加上。两种 header_ops 都没有缓存，所以 VLAN 上的邻居从不走 neigh_hh_output：ARP 请求由 arp_create 调到这里，已解析的表项由 neigh_connected_output 调到这里。4.9 与 6.18 相同。",
      },
      steps: {
        enter: {
          en: "`dev` is the VLAN device, `type` the ethertype (0x0800 IPv4, 0x0806 ARP); `real_dev` its parent. `vhdrlen` stays 0: REORDER_HDR.",
          zh: "`dev` 是 VLAN 设备，`type` 是以太类型（0x0800 为 IPv4，0x0806 为 ARP）；`real_dev` 是它的父设备。`vhdrlen` 保持 0：因为 REORDER_HDR。",
        },
        header: {
          en: "The 14-byte Ethernet header is in front of the packet: `h_dest`, `h_source` (the VLAN device's MAC, by default its parent's), the type. `rc` is its length.",
          zh: "14 字节的以太网头已放在报文前面：`h_dest`、`h_source`（VLAN 设备的 MAC，默认与父设备相同）和类型。`rc` 是头的长度。",
        },
        leave: {
          en: "The length of the header pushed (14).",
          zh: "返回压入的头部长度（14）。",
        },
      },
    },

    vlan_dev_hard_start_xmit: {
      summary: {
        en: "A VLAN device's transmit: the tag goes into the skb's metadata, and the skb to the parent's dev_queue_xmit.",
        zh: "VLAN 设备的发送：标签放进 skb 的元数据，skb 交给父设备的 dev_queue_xmit。",
      },
      text: {
        en: "The VLAN device's ndo_start_xmit. With VLAN_FLAG_REORDER_HDR the frame has no tag yet, so __vlan_hwaccel_put_tag records it in the skb (vlan_proto 0x8100, vlan_tci = the VLAN ID, with priority bits from an egress-qos-map, none here). skb->dev becomes the parent and dev_queue_xmit runs again, on the parent: its qdisc, then validate_xmit_vlan, which writes the tag into the frame when the parent cannot (no NETIF_F_HW_VLAN_CTAG_TX), or leaves it to the NIC. The VLAN device counts the packet as sent when the parent took it. The frame on the wire carries the tag either way. The same in 4.9 and 6.18.",
        zh: "VLAN 设备的 ndo_start_xmit。由于 VLAN_FLAG_REORDER_HDR，帧里还没有标签，__vlan_hwaccel_put_tag 把它记在 skb 里（vlan_proto 0x8100，vlan_tci = VLAN ID，优先级位来自 egress-qos-map，这里没有）。skb->dev 改为父设备，再在父设备上执行 dev_queue_xmit：它的 qdisc，然后是 validate_xmit_vlan——父设备不能插标签时（没有 NETIF_F_HW_VLAN_CTAG_TX）由它把标签写进帧，否则留给网卡。父设备接受后，VLAN 设备把报文计为已发送。无论哪种情况，线路上的帧都带着标签。4.9 与 6.18 相同。",
      },
      steps: {
        enter: {
          en: "The skb has the VLAN device's Ethernet header; `len` is its length with it. `vlan_tci` is not set yet.",
          zh: "skb 带着 VLAN 设备的以太网头；`len` 是含头的长度。`vlan_tci` 尚未设置。",
        },
        tag: {
          en: "`vlan_tci` (the VLAN ID, priority 0) is in the skb's metadata, not yet in its bytes. Next: skb->dev = the parent, dev_queue_xmit on it.",
          zh: "`vlan_tci`（VLAN ID，优先级 0）已在 skb 的元数据中，还没写进字节。接下来：skb->dev 改为父设备，在其上执行 dev_queue_xmit。",
        },
        leave: {
          en: "What the parent's dev_queue_xmit returned (NET_XMIT_SUCCESS: 0); the VLAN device counted `len` bytes sent.",
          zh: "返回父设备 dev_queue_xmit 的结果（NET_XMIT_SUCCESS 即 0）；VLAN 设备计入了 `len` 字节的发送。",
        },
      },
    },
  };
}
