// Explanations of the net/core/dev.c listing: the qdisc, the last fix-ups and the driver
// (docs/kernel.md §2.9, §4, §6).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    dev_queue_xmit: {
      summary: {
        en: "The device layer: through the qdisc, or straight on for a noqueue device, to the driver.",
        zh: "设备层：经过 qdisc（noqueue 设备则直接）交给驱动。",
      },
      text: {
        en: "__dev_queue_xmit: the MAC header is set where data is, a transmit queue is picked (6.x netdev_core_pick_tx, 4.9 netdev_pick_tx). A device with a real qdisc (pfifo_fast on a NIC) goes through __dev_xmit_skb. A noqueue device (veth, lo) that is up validates and transmits at once. A device that is down drops the packet (tx_dropped, -ENETDOWN). The kernel releases the route here (IFF_XMIT_DST_RELEASE); kpath keeps it so that a stop further down can still show it.",
        zh: "__dev_queue_xmit：把 MAC 头设在 data 处，选一个发送队列（6.x 用 netdev_core_pick_tx，4.9 用 netdev_pick_tx）。有真正 qdisc 的设备（网卡上的 pfifo_fast）走 __dev_xmit_skb。up 的 noqueue 设备（veth、lo）立即校验并发送。down 的设备丢弃报文（tx_dropped，-ENETDOWN）。内核在这里释放路由（IFF_XMIT_DST_RELEASE）；kpath 保留它，以便更下层的断点还能看到。",
      },
      steps: {
        enter: {
          en: "`dev` is skb->dev, `q` its qdisc (noqueue, or pfifo_fast). The packet starts with its link header.",
          zh: "`dev` 是 skb->dev，`q` 是它的 qdisc（noqueue 或 pfifo_fast）。报文已从链路层头开始。",
        },
        unlock_bh: {
          en: "rcu_read_unlock_bh ends the outermost bh-disabled section and frames wait on the backlog: do_softirq receives them now, before dev_queue_xmit returns (a veth peer's ARP reply, echo reply or RST).",
          zh: "rcu_read_unlock_bh 结束了最外层的关下半部区段，而 backlog 上有帧在等：do_softirq 现在就接收它们，在 dev_queue_xmit 返回之前（veth 对端的 ARP 应答、回显应答或 RST）。",
        },
        leave: {
          en: "`rc`: NET_XMIT_SUCCESS (0), NET_XMIT_DROP (1), NET_XMIT_CN (2), or -ENETDOWN.",
          zh: "`rc`：NET_XMIT_SUCCESS(0)、NET_XMIT_DROP(1)、NET_XMIT_CN(2)或 -ENETDOWN。",
        },
      },
    },

    __dev_xmit_skb: {
      summary: {
        en: "A qdisc: an empty pfifo_fast is bypassed; otherwise the packet is enqueued (or tail-dropped) and the qdisc runs.",
        zh: "qdisc：空的 pfifo_fast 直接旁路；否则报文入队（或尾部丢弃），然后运行 qdisc。",
      },
      text: {
        en: "A deactivated qdisc (the device went down) drops. TCQ_F_CAN_BYPASS with nothing queued: sch_direct_xmit sends at once. Otherwise pfifo_fast_enqueue puts the packet in one of three bands by priority (prio2band: priority 0 goes to band 1); a queue of tx_queue_len packets drops the newcomer (NET_XMIT_DROP, which ip_send_skb turns into ENOBUFS); then __qdisc_run dequeues band 0, then 1, then 2. 6.x's pfifo_fast is lockless (TCQ_F_NOLOCK).",
        zh: "qdisc 已停用（设备 down 了）时丢弃。有 TCQ_F_CAN_BYPASS 且队列为空：sch_direct_xmit 立即发送。否则 pfifo_fast_enqueue 按优先级把报文放进三个 band 之一（prio2band：优先级 0 放 band 1）；队列已有 tx_queue_len 个报文时丢弃新来的（NET_XMIT_DROP，ip_send_skb 会把它换成 ENOBUFS）；然后 __qdisc_run 依次从 band 0、1、2 出队。6.x 的 pfifo_fast 是无锁的（TCQ_F_NOLOCK）。",
      },
      steps: {
        enter: {
          en: "`qdisc` is the device's qdisc, `qlen` the packets already in it.",
          zh: "`qdisc` 是设备的 qdisc，`qlen` 是其中已有的报文数。",
        },
        enqueue: {
          en: "The packet is in `band` (from skb->priority); `qlen` counts the queue now. Next: __qdisc_run sends what is queued, band 0 first.",
          zh: "报文进了 `band`（由 skb->priority 决定）；`qlen` 是现在的队列长度。接下来 __qdisc_run 发送队列里的报文，先 band 0。",
        },
        leave: {
          en: "NET_XMIT_SUCCESS, or NET_XMIT_DROP (tail drop, or a deactivated qdisc).",
          zh: "NET_XMIT_SUCCESS，或 NET_XMIT_DROP（尾部丢弃，或 qdisc 已停用）。",
        },
      },
    },

    validate_xmit_skb: {
      summary: {
        en: "Last fix-ups before the driver: software GSO segmentation, and checksums the device cannot do.",
        zh: "交给驱动前的最后修整：软件 GSO 分段，以及设备做不了的校验和。",
      },
      text: {
        en: "netif_skb_features says what the device can do. A VLAN tag held in the metadata is written into the frame unless the device inserts tags itself (validate_xmit_vlan). A GSO skb of a type it cannot take (no TSO, no UFO) is segmented here in software, each segment with a copy of the link header; a CHECKSUM_PARTIAL packet on a device without checksum offload gets its checksum computed (skb_checksum_help). The same in 4.9 and 6.18.",
        zh: "netif_skb_features 给出设备的能力。元数据里的 VLAN 标签，设备不能自己插入时在这里写进帧（validate_xmit_vlan）。设备不支持的 GSO 类型（没有 TSO、没有 UFO）在这里做软件分段，每个分段带一份链路层头；设备不支持校验和卸载而报文是 CHECKSUM_PARTIAL 时，在这里算出校验和（skb_checksum_help）。4.9 与 6.18 相同。",
      },
      steps: {
        enter: {
          en: "`features`: the device's offload features (NETIF_F_* bits).",
          zh: "`features`：设备的卸载能力（NETIF_F_* 位）。",
        },
        vlan: {
          en: "validate_xmit_vlan: the skb came from a VLAN device with its tag in the metadata (`vlan_tci`), and this device does not insert tags itself (no NETIF_F_HW_VLAN_CTAG_TX, `offload off`): __vlan_hwaccel_push_inside writes the 4-byte 802.1Q tag after the MAC addresses (TPID 0x8100, then the TCI with the VLAN ID), so `len` grows by 4. The headroom the VLAN's hard_header_len (18) reserved is what makes room for it. With offload the tag stays in the metadata and the NIC inserts it on the wire.",
          zh: "validate_xmit_vlan：skb 来自 VLAN 设备，标签在元数据里（`vlan_tci`），而本设备不自己插入标签（没有 NETIF_F_HW_VLAN_CTAG_TX，即 `offload off`）：__vlan_hwaccel_push_inside 在 MAC 地址之后写入 4 字节的 802.1Q 标签（TPID 0x8100，然后是含 VLAN ID 的 TCI），`len` 增加 4。VLAN 的 hard_header_len（18）预留的头部空间正是为它准备的。开启 offload 时标签留在元数据里，由网卡在线路上插入。",
        },
        segs: {
          en: "Segmented in software: `segments` skbs will go to the driver one after the other, each a complete packet with its own IP header.",
          zh: "已做软件分段：`segments` 个 skb 将依次交给驱动，每个都是带自己 IP 头的完整报文。",
        },
        leave: {
          en: "The skb, or its segments, ready for dev_hard_start_xmit.",
          zh: "返回 skb 或它的分段，交给 dev_hard_start_xmit。",
        },
      },
    },

    skb_checksum_help: {
      summary: {
        en: "Completes a CHECKSUM_PARTIAL transport checksum in software.",
        zh: "用软件补完 CHECKSUM_PARTIAL 的传输层校验和。",
      },
      text: {
        en: "With offload the check field holds only the folded pseudo-header sum. The transport header and payload are summed from csum_start onwards, seeded with it, and folded into the field; ip_summed becomes CHECKSUM_NONE. UDP sends a zero result as 0xffff. Called by validate_xmit_skb, ip_do_fragment (fragments cannot be offloaded) and skb_gso_segment.",
        zh: "卸载时 check 字段里只有折叠后的伪首部和。从 csum_start 开始对传输层头和净荷求和（以它为初值），折叠后写回该字段；ip_summed 变为 CHECKSUM_NONE。UDP 结果为 0 时发送 0xffff。由 validate_xmit_skb、ip_do_fragment（分片不能卸载）和 skb_gso_segment 调用。",
      },
      steps: {
        enter: {
          en: "`offset`: where the transport header starts, counted from skb->data.",
          zh: "`offset`：传输层头的起始位置，从 skb->data 算起。",
        },
        csum: {
          en: "`csum`: the sum over the transport header and data, seeded with the pseudo-header; `check`: its fold, now in the header.",
          zh: "`csum`：以伪首部为初值，对传输层头和数据求的和；`check`：它的折叠结果，已写入头部。",
        },
        leave: {
          en: "0; ip_summed is CHECKSUM_NONE now: nothing is left for the device to do.",
          zh: "返回 0；ip_summed 已是 CHECKSUM_NONE：设备不用再做什么。",
        },
      },
    },

    dev_hard_start_xmit: {
      summary: {
        en: "Hands the packet to the driver; taps (tcpdump) get a copy of exactly what the driver gets.",
        zh: "把报文交给驱动；抓包点（tcpdump）拿到的正是驱动收到的内容。",
      },
      text: {
        en: "xmit_one: dev_queue_xmit_nit gives every tap (AF_PACKET) a clone, then ndo_start_xmit: veth passes the frame to its peer, unpadded; loopback puts it on the backlog (__netif_rx), to be received when bottom halves are enabled again; a physical NIC finishes offloaded checksums, pads to 60 bytes and adds the FCS. Here the frame appears in kpath's Wire view and pcap.",
        zh: "xmit_one:dev_queue_xmit_nit 给每个抓包点（AF_PACKET）一份克隆，然后调用 ndo_start_xmit：veth 把帧原样（不填充）交给对端；loopback 把它放进 backlog（__netif_rx），等下半部重新打开时再接收；物理网卡补完卸载的校验和，填充到 60 字节并加上 FCS。帧就是在这里出现在 kpath 的 Wire 视图和 pcap 里的。",
      },
      steps: {
        enter: {
          en: "The final frame: skb->data points at the Ethernet header.",
          zh: "最终的帧：skb->data 指向以太网头。",
        },
        wire: {
          en: "ndo_start_xmit: the frame (`frame_len` bytes; `padded` when a NIC pads it to 60) leaves the host.",
          zh: "ndo_start_xmit：这个帧（`frame_len` 字节；网卡填充到 60 字节时 `padded` 为真）离开本机。",
        },
        leave: {
          en: "The driver took the packet.",
          zh: "驱动已接收报文。",
        },
      },
    },

    dev_loopback_xmit: {
      summary: {
        en: "Delivers a looped multicast or broadcast copy to this host, without a device's transmit side.",
        zh: "把环回的组播或广播拷贝递交本机，不经过设备的发送路径。",
      },
      text: {
        en: "The MAC header is reset, data pulled back to the IP header, pkt_type set to PACKET_LOOPBACK and the checksum marked as not needing a check (6.x only when it was CHECKSUM_NONE; 4.9 always); netif_rx puts it on the backlog, and in a task its own local_bh_enable runs the NET_RX softirq at once, so the copy is received here, before the original goes on to the link (4.9: netif_rx_ni, the same). No tap on the link sees it.",
        zh: "重置 MAC 头，data 退回到 IP 头，pkt_type 设为 PACKET_LOOPBACK，校验和标记为无需检查（6.x 只在原来是 CHECKSUM_NONE 时，4.9 无条件）；netif_rx 把它放进 backlog，在进程上下文中它自己的 local_bh_enable 会立即运行 NET_RX 软中断，所以拷贝就在这里被接收，早于原报文发往链路（4.9 的 netif_rx_ni 同样如此）。链路上的抓包点看不到它。",
      },
      steps: {
        enter: {
          en: "`skb` is the copy: a clone of the datagram, made before fragmentation.",
          zh: "`skb` 是拷贝：数据报在分片之前的克隆。",
        },
        leave: {
          en: "0.",
          zh: "返回 0。",
        },
      },
    },

    net_rx_action: {
      summary: {
        en: "NET_RX softirq: the backlog is polled (process_backlog), each frame through __netif_receive_skb.",
        zh: "NET_RX 软中断：轮询 backlog（process_backlog），每个帧经过 __netif_receive_skb。",
      },
      text: {
        en: "A veth's peer hands its frames to this host with __netif_rx: they wait on the CPU's backlog (softnet_data.input_pkt_queue, netdev_max_backlog 1000) for NET_RX_SOFTIRQ. net_rx_action has netdev_budget (300) frames for all its NAPI instances; the backlog's instance is polled by process_backlog with a quota of dev_rx_weight (64). Frames received in order may cause more (an ARP reply flushes the queued packets, whose answers join the backlog's tail), handled in the same loop. A backlog that used its whole quota goes back on the poll list and NET_RX_SOFTIRQ is raised again, which ends this pass: __do_softirq runs it again.",
        zh: "veth 的对端用 __netif_rx 把帧交给本机：它们在本 CPU 的 backlog（softnet_data.input_pkt_queue，netdev_max_backlog 1000）上等待 NET_RX_SOFTIRQ。net_rx_action 为它所有的 NAPI 实例准备了 netdev_budget（300）个帧的预算；backlog 的实例由 process_backlog 轮询，配额为 dev_rx_weight（64）。按顺序接收的帧可能引出更多的帧（ARP 应答冲刷排队的报文，它们的应答排到 backlog 末尾），在同一个循环里处理。用完整个配额的 backlog 回到轮询列表，并再次触发 NET_RX_SOFTIRQ，本轮结束：__do_softirq 会再运行它。",
      },
      steps: {
        enter: {
          en: "`backlog`: frames waiting; `budget` netdev_budget, `quota` the backlog's dev_rx_weight.",
          zh: "`backlog`：等待的帧数；`budget` 为 netdev_budget，`quota` 为 backlog 的 dev_rx_weight。",
        },
        dequeue: {
          en: "The oldest frame of the backlog is received: `work` frames so far, `backlog` still waiting.",
          zh: "接收 backlog 中最早的帧：到目前为止 `work` 个帧，`backlog` 个仍在等待。",
        },
        done: {
          en: "The poll is over: `work` frames received; frames still on the backlog raise NET_RX_SOFTIRQ again.",
          zh: "轮询结束：接收了 `work` 个帧；backlog 上还有帧时再次触发 NET_RX_SOFTIRQ。",
        },
        leave: {
          en: "Nothing is returned.",
          zh: "没有返回值。",
        },
      },
    },

    __netif_receive_skb: {
      summary: {
        en: "A received frame goes to its protocol's handler: ARP to arp_rcv, IPv4 to ip_rcv; a VLAN tag first to its VLAN device.",
        zh: "收到的帧交给其协议的处理函数：ARP 给 arp_rcv，IPv4 给 ip_rcv；带 VLAN 标签的先交给对应的 VLAN 设备。",
      },
      text: {
        en: "__netif_receive_skb_core: the device's rx_packets and rx_bytes count the frame (the driver did that in the kernel). A tagged frame is untagged (skb_vlan_untag) and, when a VLAN device of this link has its ID, received again as that device's frame (another_round); otherwise it is dropped. Then the EtherType picks the packet_type handler: ETH_P_ARP to arp_rcv (arp_process), ETH_P_IP to ip_rcv. Taps (tcpdump) see the frame here, so a capture on the device shows it when it is received, not when the peer sent it.",
        zh: "__netif_receive_skb_core：设备的 rx_packets 和 rx_bytes 计入该帧（内核中由驱动计数）。带标签的帧被去掉标签（skb_vlan_untag），若本链路上有该 ID 的 VLAN 设备，就作为那个设备的帧再接收一次（another_round）；否则丢弃。然后按 EtherType 选择 packet_type 处理函数：ETH_P_ARP 交给 arp_rcv（arp_process），ETH_P_IP 交给 ip_rcv。抓包点（tcpdump）在这里看到帧，所以设备上的抓包显示的是帧被接收的时刻，而不是对端发送的时刻。",
      },
      steps: {
        enter: {
          en: "`dev`: the device that received the frame; `type` its EtherType.",
          zh: "`dev`：收到该帧的设备；`type` 是它的 EtherType。",
        },
        vlan: {
          en: "The tag carried the ID of a VLAN device of this link: from here on the frame is that device's, untagged.",
          zh: "标签带的是本链路某个 VLAN 设备的 ID：从这里起该帧属于那个设备，已去掉标签。",
        },
        leave: {
          en: "Nothing is returned (NET_RX_SUCCESS or NET_RX_DROP in the kernel; nobody here looks at it).",
          zh: "没有返回值（内核中为 NET_RX_SUCCESS 或 NET_RX_DROP；这里没有人使用它）。",
        },
      },
    },
  };
}
