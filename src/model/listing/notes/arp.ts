// Explanations of the net/ipv4/arp.c listing (docs/kernel.md §5.3 to §5.9).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    arp_constructor: {
      summary: {
        en: "Sets up a new ARP entry from its address: a unicast next hop needs ARP; multicast, broadcast and loopback do not.",
        zh: "根据地址设置新的 ARP 表项：单播下一跳需要 ARP；组播、广播和 loopback 不需要。",
      },
      text: {
        en: "On a loopback or point-to-point device the entry's key is first rewritten to 0.0.0.0, so the device keeps one entry whatever the next hop. Then the address type decides. A multicast group: NOARP, with the mapped MAC (01:00:5e followed by the group's low 23 bits). A device with IFF_NOARP or IFF_LOOPBACK: NOARP, with the device's own address. A broadcast address, or a point-to-point device: NOARP, with ff:ff:ff:ff:ff:ff. A unicast next hop stays NONE and will be resolved. A device without header_ops (tun, ppp) gets NOARP and neigh_direct_output. Ethernet entries get arp_hh_ops, whose output and connected output are both neigh_resolve_output. The same in 4.9 and 6.18.",
        zh: "在 loopback 或点对点设备上，先把表项的键改写为 0.0.0.0，因此无论下一跳是什么，该设备只有一个表项。然后由地址类型决定。组播组：NOARP，MAC 由映射得到（01:00:5e 后接组地址的低 23 位）。带 IFF_NOARP 或 IFF_LOOPBACK 的设备：NOARP，MAC 为设备自己的地址。广播地址或点对点设备：NOARP，MAC 为 ff:ff:ff:ff:ff:ff。单播下一跳保持 NONE，之后去解析。没有 header_ops 的设备（tun、ppp）得到 NOARP 和 neigh_direct_output。以太网表项用 arp_hh_ops，它的 output 和 connected output 都是 neigh_resolve_output。4.9 与 6.18 相同。",
      },
      steps: {
        enter: {
          en: "`addr` is the entry's key (the next hop), `dev` its device.",
          zh: "`addr` 是表项的键（下一跳），`dev` 是它的设备。",
        },
        state: {
          en: "The result: `type` (unicast, multicast, broadcast), `nud_state` (NONE or NOARP), `ha` (the MAC, when it is known without asking) and `output`.",
          zh: "结果：`type`（unicast、multicast、broadcast）、`nud_state`（NONE 或 NOARP）、`ha`（不用问就知道的 MAC）和 `output`。",
        },
        leave: {
          en: "0: the entry is ready to be hashed into arp_tbl.",
          zh: "返回 0：表项可以加入 arp_tbl 了。",
        },
      },
    },

    arp_solicit: {
      summary: {
        en: "Sends an ARP request for the entry: broadcast, or unicast to the MAC it has when probing it.",
        zh: "为表项发 ARP 请求：广播，或在探测时单播给已知的 MAC。",
      },
      text: {
        en: "The sender address (with arp_announce 0): the queued packet's source if it is one of ours, else an address of the device chosen by inet_select_addr. The kind of request follows probes: below ucast_solicit, a unicast to the stored MAC (the PROBE state); then app_solicit questions to a user-space daemon (none by default); then broadcasts. arp_send_dst builds the request (who-has target tell saddr, target MAC zero) and arp_xmit sends it. The same in 4.9 and 6.18.",
        zh: "发送方地址（arp_announce 为 0 时）：排队报文的源地址是本机地址就用它，否则由 inet_select_addr 从设备上选一个。请求的种类由 probes 决定：小于 ucast_solicit 时单播给已保存的 MAC（PROBE 状态）；然后是 app_solicit 次询问用户态守护进程（默认没有）；再之后是广播。arp_send_dst 构造请求（who-has target tell saddr，目标 MAC 为全零），arp_xmit 发送。4.9 与 6.18 相同。",
      },
      steps: {
        enter: {
          en: "`target` is the address to resolve, `probes` how many probes were sent so far; `saddr` is not chosen yet and `dst_ha` is NULL (broadcast).",
          zh: "`target` 是要解析的地址，`probes` 是已经发过的探测次数；`saddr` 还没选，`dst_ha` 为 NULL（广播）。",
        },
        saddr: {
          en: "`saddr`: the ARP sender address chosen. A queued packet that SNAT rewrote to an address that is not ours makes the request carry the interface's own address.",
          zh: "`saddr`：选定的 ARP 发送方地址。排队报文被 SNAT 改成非本机地址时，请求里带的是接口自己的地址。",
        },
        leave: {
          en: "`probes` minus ucast_solicit (and app_solicit): below zero it was a unicast probe to `dst_ha`; otherwise a broadcast (or a question to user space).",
          zh: "`probes` 减去 ucast_solicit（及 app_solicit）：小于零时是发给 `dst_ha` 的单播探测；否则是广播（或询问用户态）。",
        },
      },
    },

    arp_xmit: {
      summary: {
        en: "Sends an ARP packet straight to the device: no IP, no neighbour layer.",
        zh: "ARP 报文直接交给设备：不经过 IP，也不经过邻居子系统。",
      },
      text: {
        en: "arp_create built it: the Ethernet header (broadcast, or the probed MAC; type 0x0806) and the 28-byte ARP header, with the target MAC zero in a request: 42 bytes, which the kernel does not pad. It passes the NF_ARP_OUT hook (no rules in kpath) and goes to dev_queue_xmit.",
        zh: "arp_create 已构造好：以太网头（广播地址，或探测的 MAC；类型 0x0806）加 28 字节 ARP 头，请求中目标 MAC 为全零，共 42 字节，内核不做填充。经过 NF_ARP_OUT 钩子（kpath 中没有规则）后交给 dev_queue_xmit。",
      },
      steps: {
        enter: {
          en: "`skb` is the 42-byte ARP frame, `op` request or reply.",
          zh: "`skb` 是 42 字节的 ARP 帧，`op` 为 request 或 reply。",
        },
        leave: {
          en: "Nothing is returned: the device's verdict goes nowhere.",
          zh: "没有返回值：设备的结果被忽略。",
        },
      },
    },

    arp_process: {
      summary: {
        en: "An ARP packet arrives: the sender's existing entry learns from it (a reply sent to us: REACHABLE).",
        zh: "收到 ARP 报文：发送方已有的表项从中学习（发给本机的应答：REACHABLE）。",
      },
      text: {
        en: "arp_rcv, then arp_process: the packet is checked and the sender's entry looked up (counted: lookups, hits); only an existing entry learns. A reply addressed to this host proves the neighbour hears us: REACHABLE. A request, or a broadcast reply, only suggests it: STALE. OVERRIDE when the entry was last updated more than locktime ago. Then neigh_update. (Answering requests for our own addresses is not modeled.)",
        zh: "arp_rcv 之后是 arp_process：检查报文，查找发送方的表项（计入 lookups、hits）；只有已存在的表项才会学习。发给本机的应答证明邻居能收到我们的报文：REACHABLE。请求或广播应答只能说明有这回事：STALE。表项上次更新早于 locktime 时带 OVERRIDE。然后调用 neigh_update。（模型不回应询问本机地址的请求。）",
      },
      steps: {
        enter: {
          en: "`arp` is the ARP header: operation, sender and target addresses; `n` is not looked up yet.",
          zh: "`arp` 是 ARP 头：操作码、发送方和目标地址；`n` 还没查。",
        },
        state: {
          en: "`n` is the sender's entry; `state` what the packet proves (REACHABLE or STALE); `override` whether a different MAC may replace the stored one. Next: neigh_update.",
          zh: "`n` 是发送方的表项；`state` 是报文能证明的状态（REACHABLE 或 STALE）；`override` 表示能否用不同的 MAC 替换已保存的。下一步是 neigh_update。",
        },
        leave: {
          en: "0 (NET_RX_SUCCESS); the ARP packet is consumed. `n` is NULL when the sender had no entry.",
          zh: "返回 0（NET_RX_SUCCESS）；ARP 报文被 consume。发送方没有表项时 `n` 为 NULL。",
        },
      },
    },

    arp_error_report: {
      summary: {
        en: "A queued packet dies with a failed entry: ICMP host unreachable to its sender, then it is freed.",
        zh: "排队的报文随表项失败而终结：向发送方发 ICMP 主机不可达，然后释放报文。",
      },
      text: {
        en: "dst_link_failure, then ipv4_link_failure: an ICMP destination unreachable / host unreachable (type 3 code 1) goes through __icmp_send to the packet's source (this host, over lo), and the route is marked expired; then the packet is freed (6.x reason NEIGH_FAILED).",
        zh: "dst_link_failure 再到 ipv4_link_failure：经 __icmp_send 向报文的源地址（即本机，经 lo）发 ICMP 目的不可达 / 主机不可达（类型 3 代码 1），并把路由标记为过期；然后释放报文（6.x 原因为 NEIGH_FAILED）。",
      },
      steps: {
        enter: {
          en: "`skb` is the queued packet, `neigh` the failed entry.",
          zh: "`skb` 是排队的报文，`neigh` 是失败的表项。",
        },
        leave: {
          en: "The ICMP error was sent (if __icmp_send allowed it) and the packet freed.",
          zh: "ICMP 错误已发出（如果 __icmp_send 允许），报文已释放。",
        },
      },
    },
  };
}
