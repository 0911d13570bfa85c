// Explanations of the net/ipv4/ip_output.c listing: building a datagram, handing it to IP, and the
// output path ip_output -> ip_finish_output -> fragmentation / GSO -> ip_finish_output2
// (docs/kernel.md §2, §3, §4, §9).

import type { FileNotes, Text } from './types';

/** The body 4.9's ip_finish_output and 6.x's __ip_finish_output share. */
const XFRM: Text = {
  en: "The xfrm check: when source NAT gave the packet new addresses that need an IPsec policy, the route is now an xfrm route; the packet is flagged IPSKB_REROUTED (POST_ROUTING has run) and goes through dst_output once more, and ip_output skips the hook the second time. kpath has no xfrm: the route never has a policy, so the packet goes on to the MTU.",
  zh: "xfrm 检查：源地址 NAT 之后新地址需要 IPsec 策略时，路由变成了 xfrm 路由；报文打上 IPSKB_REROUTED 标志（POST_ROUTING 已执行过），重新走一遍 dst_output，第二次经过 ip_output 时跳过钩子。kpath 没有 xfrm：路由上永远没有策略，报文接着去取 MTU。",
};
const MTU: Text = {
  en: "`mtu` = ip_skb_dst_mtu(): for a socket that follows the path MTU (IP_MTU_DISCOVER DONT, WANT, DO) the route's MTU (a learned path MTU, the route's mtu metric, else the device's); for PROBE and OMIT the device's. Next: a GSO skb? then longer than `mtu`?",
  zh: "`mtu` = ip_skb_dst_mtu()：跟随路径 MTU 的 socket（IP_MTU_DISCOVER 为 DONT、WANT、DO）取路由的 MTU（学到的路径 MTU、路由的 mtu 属性，否则设备 MTU）；PROBE 和 OMIT 取设备 MTU。接下来判断：是 GSO skb 吗?比 `mtu` 长吗?",
};
const GSO: Text = {
  en: "A GSO skb (gso_size set; in kpath only 4.9's UFO makes them) is not compared with the MTU as a whole: it stands for several packets, and ip_finish_output_gso checks that each segment fits.",
  zh: "GSO skb（设置了 gso_size；kpath 中只有 4.9 的 UFO 会产生）不整体与 MTU 比较：它代表多个报文，由 ip_finish_output_gso 检查每个分段是否放得下。",
};
const FINISH_LEAVE: Text = {
  en: "The result of the branch taken: ip_finish_output2's, ip_fragment's or ip_finish_output_gso's.",
  zh: "所走分支的结果：ip_finish_output2、ip_fragment 或 ip_finish_output_gso 的返回值。",
};

export default function notes(): FileNotes {
  return {
    ip_make_skb: {
      summary: {
        en: "Builds a datagram: check it against the MTU, allocate the skb (and its frag_list), write the IP header.",
        zh: "构造数据报：按 MTU 检查，分配 skb（及其 frag_list），写 IP 头。",
      },
      text: {
        en: "__ip_append_data, then __ip_make_skb. The MTU (the path's for sockets that follow it, else the device's) decides whether the datagram fits: one that may not be fragmented locally (IP_MTU_DISCOVER DO, PROBE, INTERFACE) and does not fit fails with EMSGSIZE, as does anything over 65535 bytes; nothing is sent. Otherwise the data goes into skbs of at most maxfraglen bytes, chained as the first skb's frag_list and already cut the way ip_do_fragment wants, and the IP header gets DF, TTL, protocol, addresses and the ID; tot_len and the header checksum come later, in __ip_local_out. 4.9 has UFO: on a device with NETIF_F_UFO a large UDP datagram is one GSO skb (gso_size) instead of a frag_list. 6.x no longer has UFO.",
        zh: "先 __ip_append_data，再 __ip_make_skb。MTU（跟随路径 MTU 的 socket 用路径 MTU，否则用设备 MTU）决定数据报放不放得下：不允许本地分片（IP_MTU_DISCOVER 为 DO、PROBE、INTERFACE）又放不下的，以及超过 65535 字节的，都返回 EMSGSIZE，什么也不发。否则数据被放进最长 maxfraglen 字节的 skb，挂在第一个 skb 的 frag_list 上，已经按 ip_do_fragment 需要的方式切好；IP 头填上 DF、TTL、协议、地址和 ID，tot_len 和头部校验和留到 __ip_local_out。4.9 有 UFO：设备带 NETIF_F_UFO 时，大的 UDP 数据报是一个 GSO skb（gso_size）而不是 frag_list。6.x 已经没有 UFO。",
      },
      steps: {
        enter: {
          en: "The socket wants `length` bytes after the IP header, of which `transhdrlen` are its transport header (8 for UDP, 0 for raw). No skb exists yet.",
          zh: "socket 要在 IP 头后面放 `length` 字节，其中 `transhdrlen` 字节是传输层头（UDP 为 8，原始套接字为 0）。此时还没有 skb。",
        },
        mtu: {
          en: "`mtu`: the MTU for this socket. `fragheaderlen`: the IP header with options. `maxfraglen`: the longest fragment whose data is a multiple of 8. `maxnonfragsize`: the limit for this socket: the MTU when it may not fragment locally, 65535 otherwise. Next: a datagram above that limit fails with EMSGSIZE (with IP_RECVERR the error queue gets the MTU), and nothing is sent.",
          zh: "`mtu`：这个 socket 使用的 MTU。`fragheaderlen`：含选项的 IP 头长度。`maxfraglen`：数据部分为 8 的倍数的最长分片。`maxnonfragsize`：这个 socket 的上限，不允许本地分片时为 MTU，否则为 65535。接下来，超过上限的数据报返回 EMSGSIZE（有 IP_RECVERR 时错误队列里带上 MTU），什么也不发送。",
        },
        alloc: {
          en: "The skb is allocated with `headroom` bytes reserved for the link header (LL_RESERVED_SPACE: 16 on Ethernet). A datagram longer than the MTU is a head skb plus a `frag_list` of maxfraglen-sized pieces (4.9 UFO: one skb with `gso_size` instead). `ip_summed` is CHECKSUM_PARTIAL when the device offloads checksums and the datagram fits, else CHECKSUM_NONE; `truesize` is the memory charged to the socket.",
          zh: "分配 skb，预留 `headroom` 字节给链路层头（LL_RESERVED_SPACE，以太网为 16）。比 MTU 长的数据报是一个头 skb 加上 maxfraglen 大小的 `frag_list`（4.9 的 UFO 则是带 `gso_size` 的单个 skb）。设备支持校验和卸载且数据报放得下时 `ip_summed` 为 CHECKSUM_PARTIAL，否则为 CHECKSUM_NONE；`truesize` 是记到 socket 头上的内存。",
        },
        iph: {
          en: "The IP header is written: DF (`df`: always for DO and PROBE, for WANT when the datagram fits an unlocked MTU), TTL (`ttl`: IP_TTL, else 64; 1 for multicast), protocol, addresses and the ID (`id`). 6.x: a connected socket takes its own counter, an unconnected DF datagram that may not be fragmented gets 0, the rest a hashed per-destination ID. 4.9: only DF datagrams that may not be fragmented avoid the hashed ID (the socket counter when connected, else 0).",
          zh: "写 IP 头：DF（`df`：DO 和 PROBE 总是置位，WANT 在数据报不超过未锁定的 MTU 时置位）、TTL（`ttl`：IP_TTL，否则 64；组播为 1）、协议、地址和 ID（`id`）。6.x：已 connect 的 socket 用自己的计数器，未 connect 且不允许分片的 DF 数据报 ID 为 0，其余用按目的地址哈希的 ID。4.9：只有不允许分片的 DF 数据报不用哈希 ID（已 connect 时用 socket 计数器，否则为 0）。",
        },
        leave: {
          en: "The datagram (an skb with its route, headers and data), or a negative errno: EMSGSIZE, or a pending socket error. The caller writes its transport checksum and calls ip_send_skb.",
          zh: "返回数据报（带路由、头部和数据的 skb），或负的 errno：EMSGSIZE，或 socket 上挂着的错误。调用者接着写传输层校验和并调用 ip_send_skb。",
        },
      },
    },

    ip_send_skb: {
      summary: {
        en: "Hands a built datagram to IP (ip_local_out) and turns a qdisc code into an errno.",
        zh: "把构造好的数据报交给 IP（ip_local_out），并把 qdisc 返回码换成 errno。",
      },
      text: {
        en: "ip_local_out does the work. A positive result is a qdisc code: net_xmit_errno turns NET_XMIT_CN into 0 and NET_XMIT_DROP into -ENOBUFS. Any error counts OutDiscards. The same in 4.9 and 6.18.",
        zh: "实际工作由 ip_local_out 完成。正数结果是 qdisc 返回码：net_xmit_errno 把 NET_XMIT_CN 变成 0，NET_XMIT_DROP 变成 -ENOBUFS。出错都计 OutDiscards。4.9 与 6.18 相同。",
      },
      steps: {
        enter: {
          en: "A complete datagram (`skb`) from udp_sendmsg, raw_sendmsg or __icmp_send, its route attached.",
          zh: "来自 udp_sendmsg、raw_sendmsg 或 __icmp_send 的完整数据报（`skb`），路由已挂在上面。",
        },
        leave: {
          en: "`err`: 0 when the packet was sent, queued in a qdisc or queued for ARP; -EPERM when netfilter dropped it; -ENOBUFS when a qdisc was full. Any error has counted OutDiscards.",
          zh: "`err`：报文已发出、已进 qdisc 或在 ARP 队列等待时为 0；被 netfilter 丢弃时为 -EPERM；qdisc 满时为 -ENOBUFS。出错时已计入 OutDiscards。",
        },
      },
    },

    ip_local_out: {
      summary: {
        en: "__ip_local_out (the LOCAL_OUT hook), then the route's output through dst_output.",
        zh: "先 __ip_local_out（LOCAL_OUT 钩子），再经 dst_output 调用路由的输出函数。",
      },
      text: {
        en: "__ip_local_out finishes the header and runs LOCAL_OUT; when that returns 1 (accepted) the packet goes to dst_output, which calls the function the route chose. The same in both versions.",
        zh: "__ip_local_out 补全 IP 头并执行 LOCAL_OUT；返回 1（放行）时报文交给 dst_output，由它调用路由选定的函数。两个版本相同。",
      },
      steps: {
        enter: {
          en: "A locally built IP datagram, before LOCAL_OUT.",
          zh: "本机构造的 IP 数据报，还没经过 LOCAL_OUT。",
        },
        leave: {
          en: "`err`: dst_output's result (0, a qdisc code, or a negative errno), or the hook's when it did not return 1.",
          zh: "`err`：dst_output 的结果（0、qdisc 返回码或负的 errno）；钩子没有返回 1 时则是钩子的结果。",
        },
      },
    },

    __ip_local_out: {
      summary: {
        en: "Final tot_len and header checksum, then the LOCAL_OUT hook.",
        zh: "写入最终的 tot_len 和头部校验和，然后执行 LOCAL_OUT 钩子。",
      },
      text: {
        en: "The datagram's length is final: tot_len = skb->len, ip_send_check computes the header checksum in software, skb->protocol = ETH_P_IP. 6.x counts OutRequests here, once per datagram a local socket hands to IP (and once per copy nft `dup` sends); 4.9 counts it later, in ip_output. Then NF_INET_LOCAL_OUT: without output rules the verdict is 1; with them nf_hook_slow runs the filter and mangle output chains, and the mangle chain may reroute the packet (ip_route_me_harder).",
        zh: "数据报长度已确定：tot_len = skb->len，ip_send_check 用软件计算头部校验和，skb->protocol = ETH_P_IP。6.x 在这里计 OutRequests，本机 socket 交给 IP 的每个数据报计一次（nft `dup` 发出的每个副本也计一次）；4.9 推迟到 ip_output 才计。然后是 NF_INET_LOCAL_OUT：没有 output 规则时结果为 1；有规则时 nf_hook_slow 执行 filter 和 mangle 的 output 链，mangle 链可能让报文重新查路由（ip_route_me_harder）。",
      },
      steps: {
        enter: {
          en: "`iph` is the datagram's IP header (ip_hdr(skb)); its tot_len and check are not final yet.",
          zh: "`iph` 是数据报的 IP 头（ip_hdr(skb)），其中 tot_len 和 check 还不是最终值。",
        },
        tot_len: {
          en: "`tot_len` = skb->len: the header and all the data, frag_list included (fragmentation will write each fragment's own). Next: the header checksum, and in 6.x OutRequests +1.",
          zh: "`tot_len` = skb->len：头部加全部数据，frag_list 也算在内（分片时每个分片会写自己的）。接下来算头部校验和，6.x 还会使 OutRequests 加一。",
        },
        leave: {
          en: "1: LOCAL_OUT let the packet through, so ip_local_out calls dst_output (with the route ip_route_me_harder may have changed). A negative errno: an output chain dropped it (-EPERM, or the error of a failed reroute); sendmsg returns it.",
          zh: "返回 1：LOCAL_OUT 放行，于是 ip_local_out 调用 dst_output（路由可能已被 ip_route_me_harder 换掉）。负的 errno：output 链丢弃了报文（-EPERM，或重路由失败的错误），sendmsg 返回它。",
        },
        nf_hook: {
          en: "The LOCAL_OUT hook ran the output chains (nf_hook_slow): `ret` 1 means go on. In the mangle chain, a changed mark, address or TOS made ip_route_me_harder route the packet again, so the skb may now carry another route and more headroom; a `dup` rule has sent its copy already. The hook gets the route's device as its output device, so `oif` matches the device before any reroute.",
          zh: "LOCAL_OUT 钩子执行了 output 链（nf_hook_slow）：`ret` 为 1 表示继续。mangle 链改了 mark、地址或 TOS 时，ip_route_me_harder 重新查了路由，所以 skb 现在可能带着另一条路由和更多头部空间；`dup` 规则已经把副本发出。钩子的输出设备是路由的设备，所以 `oif` 匹配的是重路由之前的设备。",
        },
      },
    },

    ip_queue_xmit: {
      summary: {
        en: "TCP's way into IP: the IP header of a segment on a socket that is already routed.",
        zh: "TCP 进入 IP 层的入口：在已有路由的 socket 上为报文段构造 IP 头。",
      },
      text: {
        en: "A TCP segment arrives with the route the socket keeps since connect. The header: version 4, ihl 5, the socket's TOS, DF when ip_dont_fragment says so (DO, or WANT with an unlocked MTU), the TTL, protocol 6, the addresses and an ID from the socket's own counter; then ip_local_out. The same in 4.9 and 6.18 (6.x does it in __ip_queue_xmit).",
        zh: "TCP 报文段带着 socket 在 connect 时保存的路由进来。IP 头：版本 4、ihl 5、socket 的 TOS；ip_dont_fragment 认为需要时置 DF（DO，或 WANT 且 MTU 未锁定）；TTL、协议 6、地址，以及 socket 自己计数器给出的 ID；然后调用 ip_local_out。4.9 与 6.18 相同（6.x 在 __ip_queue_xmit 里完成）。",
      },
      steps: {
        enter: {
          en: "A TCP segment (`skb`) with its TCP header written; `rt` is the socket's route.",
          zh: "已写好 TCP 头的报文段（`skb`）；`rt` 是 socket 的路由。",
        },
        iph: {
          en: "The IP header is complete: `df`, `ttl` and `id` (the connected socket's counter, one per segment). Next: ip_local_out.",
          zh: "IP 头已完整：`df`、`ttl` 和 `id`（已 connect 的 socket 的计数器，每个报文段加一）。接下来是 ip_local_out。",
        },
        leave: {
          en: "ip_local_out's result: 0, a negative errno, or a positive qdisc code (tcp_v4_connect does not treat that as an error).",
          zh: "ip_local_out 的结果：0、负的 errno，或正的 qdisc 返回码（tcp_v4_connect 不把它当错误）。",
        },
      },
    },

    ip_output: {
      summary: {
        en: "The output function of unicast routes: set the device, run POST_ROUTING, continue in ip_finish_output.",
        zh: "单播路由的输出函数：设置出口设备，执行 POST_ROUTING，再进入 ip_finish_output。",
      },
      text: {
        en: "`dev` is the route's device (skb_dst(skb)->dev). skb->dev becomes that device and skb->protocol ETH_P_IP; then NF_HOOK_COND runs the POST_ROUTING hook, with ip_finish_output as the function to continue with, unless the packet is flagged IPSKB_REROUTED (it passed the hook already, before an xfrm reroute). 4.9 counts OutRequests and OutOctets here (IP_UPD_PO_STATS: once per datagram, forwarded ones included, before fragmentation); 6.x counts OutRequests in __ip_local_out and OutTransmits later, in ip_finish_output2, and hands the previous skb->dev to the hook as the input device.",
        zh: "`dev` 是路由的设备（skb_dst(skb)->dev）。skb->dev 设为该设备，skb->protocol 设为 ETH_P_IP；然后 NF_HOOK_COND 执行 POST_ROUTING 钩子，继续函数是 ip_finish_output，除非报文带有 IPSKB_REROUTED 标志（它在 xfrm 重路由之前已经过了钩子）。4.9 在这里计 OutRequests 和 OutOctets（IP_UPD_PO_STATS：每个数据报一次，转发的也算，在分片之前）；6.x 在 __ip_local_out 计 OutRequests，到 ip_finish_output2 才计 OutTransmits，并把原来的 skb->dev 作为输入设备交给钩子。",
      },
      steps: {
        enter: {
          en: "`dev` is the route's output device; `indev` the skb's device before this function (NULL for a datagram built on this host).",
          zh: "`dev` 是路由的出口设备；`indev` 是进入本函数前 skb 上的设备（本机构造的数据报为 NULL）。",
        },
        stats: {
          en: "4.9 only: IP_UPD_PO_STATS counts OutRequests +1 and OutOctets += skb->len, for the whole datagram, before any fragmentation. 6.x has no such line: it counts OutRequests in __ip_local_out and OutTransmits and OutOctets per packet in ip_finish_output2.",
          zh: "仅 4.9：IP_UPD_PO_STATS 使 OutRequests 加一、OutOctets 加上 skb->len，按整个数据报计，在任何分片之前。6.x 没有这一行：OutRequests 在 __ip_local_out 计，OutTransmits 和 OutOctets 在 ip_finish_output2 按报文计。",
        },
        set_dev: {
          en: "skb->dev = dev: from here on the packet belongs to the output device (the Device scope shows it). skb->protocol = ETH_P_IP follows.",
          zh: "skb->dev = dev：从这里起报文归属出口设备（Device 作用域显示的就是它）。接着 skb->protocol = ETH_P_IP。",
        },
        nf_hook: {
          en: "NF_HOOK_COND: POST_ROUTING has run (nf_hook_slow runs the chains when the hook has any). `ret` 1 means accepted, or no chain: ip_finish_output follows. A negative `ret` means a rule dropped the packet; the sender gets it (EPERM). A packet flagged IPSKB_REROUTED skips the hook: it passed it before an xfrm reroute.",
          zh: "NF_HOOK_COND：POST_ROUTING 已执行（钩子上有链时由 nf_hook_slow 执行）。`ret` 为 1 表示放行或没有链，接下来是 ip_finish_output；`ret` 为负表示被规则丢弃，发送者会得到这个错误（EPERM）。带 IPSKB_REROUTED 标志的报文跳过钩子：它在 xfrm 重路由前已经过一次。",
        },
        leave: {
          en: "`ret`: ip_finish_output's result, or the hook's when it did not accept.",
          zh: "`ret`：ip_finish_output 的结果；钩子没有放行时则是钩子的结果。",
        },
      },
    },

    ip_mc_output: {
      summary: {
        en: "The output function of broadcast and joined multicast routes: loop a copy back to this host, then POST_ROUTING.",
        zh: "广播和已加入组播路由的输出函数：给本机环回一份拷贝，再经过 POST_ROUTING。",
      },
      text: {
        en: "Like ip_output, plus the copies for this host. A multicast route with IP_MULTICAST_LOOP on (the default) loops a clone, which passes POST_ROUTING on its own and is delivered here (4.9: dev_loopback_xmit; 6.x: ip_mc_finish_output, which reroutes the copy onto lo, then dev_loopback_xmit); a TTL of 0 keeps the original on the host. A broadcast route always loops a clone. The copies are made before fragmentation, so local members get the whole datagram. 4.9 counts OutRequests and OutOctets here, as in ip_output.",
        zh: "与 ip_output 相同，另外负责给本机的拷贝。组播路由在 IP_MULTICAST_LOOP 打开（默认打开）时环回一份克隆，它单独经过 POST_ROUTING 后递交本机（4.9 用 dev_loopback_xmit；6.x 用 ip_mc_finish_output，先把拷贝的路由改到 lo 上，再调用 dev_loopback_xmit）；TTL 为 0 时原报文留在本机。广播路由总是环回一份克隆。拷贝在分片之前生成，所以本机成员收到的是完整数据报。4.9 和 ip_output 一样在这里计 OutRequests 和 OutOctets。",
      },
      steps: {
        enter: {
          en: "`rt` is a broadcast or multicast route flagged RTCF_LOCAL; `dev` its device.",
          zh: "`rt` 是带 RTCF_LOCAL 标志的广播或组播路由；`dev` 是它的设备。",
        },
        mc_loop: {
          en: "Multicast with IP_MULTICAST_LOOP (`mc_loop`) and a member on this host: skb_clone makes the copy that goes back up the stack. Next, if the datagram's `ttl` is 0, the original is freed and never leaves the host.",
          zh: "组播，IP_MULTICAST_LOOP 打开（`mc_loop`）且本机有成员：skb_clone 生成送回协议栈的拷贝。接下来，如果数据报的 `ttl` 为 0，原报文被释放，不会离开本机。",
        },
        bc_loop: {
          en: "Broadcast: a clone is always looped back (no socket option turns it off) and the original carries on to the wire.",
          zh: "广播：总是环回一份克隆（没有 socket 选项能关掉），原报文继续发往线路。",
        },
        nf_hook: {
          en: "POST_ROUTING for the original, as in ip_output: `ret` 1 goes on to ip_finish_output, a negative `ret` is a drop.",
          zh: "原报文的 POST_ROUTING，与 ip_output 相同：`ret` 为 1 继续进入 ip_finish_output，为负表示被丢弃。",
        },
        leave: {
          en: "`ret`: ip_finish_output's result, the hook's, or 0 when a TTL of 0 kept the datagram on the host.",
          zh: "`ret`：ip_finish_output 的结果、钩子的结果，或 TTL 为 0 把数据报留在本机时的 0。",
        },
      },
    },

    ip_mc_finish_output: {
      summary: {
        en: "6.x: the looped copy of a multicast or broadcast datagram, rerouted onto lo and delivered to this host.",
        zh: "6.x：组播或广播数据报的环回拷贝，路由改到 lo 后递交本机。",
      },
      text: {
        en: "Runs the cgroup BPF egress program (kpath attaches none, so it passes), replaces the copy's route with a clone of it on the loopback device (rt_iif 0) and calls dev_loopback_xmit. 4.9 has no such function: its NF_HOOK calls dev_loopback_xmit directly.",
        zh: "先执行 cgroup BPF egress 程序（kpath 不挂程序，所以放行），把拷贝的路由换成它在 loopback 设备上的克隆（rt_iif 为 0），然后调用 dev_loopback_xmit。4.9 没有这个函数：它的 NF_HOOK 直接调用 dev_loopback_xmit。",
      },
      steps: {
        enter: {
          en: "The clone ip_mc_output made, after its own POST_ROUTING.",
          zh: "ip_mc_output 生成的克隆，已经单独经过 POST_ROUTING。",
        },
        leave: {
          en: "dev_loopback_xmit's result, 0: a looped copy never reports congestion.",
          zh: "dev_loopback_xmit 的结果 0：环回拷贝不会报告拥塞。",
        },
      },
    },

    ip_finish_output: {
      summary: {
        '4.9': {
          en: "After POST_ROUTING: the xfrm reroute, the MTU, then GSO, fragmentation or ip_finish_output2.",
          zh: "POST_ROUTING 之后：xfrm 重路由、取 MTU，然后走 GSO、分片或 ip_finish_output2。",
        },
        '6.18': {
          en: "6.x: runs the cgroup BPF egress program, then __ip_finish_output.",
          zh: "6.x：先执行 cgroup BPF egress 程序，再调用 __ip_finish_output。",
        },
      },
      text: {
        '4.9': {
          en: "The classic ip_finish_output. With netfilter and xfrm built in, a packet whose route NAT turned into an IPsec route is flagged IPSKB_REROUTED and sent through dst_output again (never in kpath, which has no xfrm). Then `mtu = ip_skb_dst_mtu()`: a GSO skb goes to ip_finish_output_gso, which checks its segments rather than the skb; a packet longer than the MTU, or flagged IPSKB_FRAG_PMTU, goes to ip_fragment; everything else to ip_finish_output2. TCP builds segments that fit the MSS (or GSO skbs), so IP fragmentation is mostly UDP's and raw sockets'; the receiver reassembles the fragments. 6.x moved this body into __ip_finish_output.",
          zh: "经典的 ip_finish_output。编译了 netfilter 和 xfrm 时，路由被 NAT 变成 IPsec 路由的报文会打上 IPSKB_REROUTED 标志，重新走 dst_output（kpath 没有 xfrm，所以不会发生）。然后 `mtu = ip_skb_dst_mtu()`：GSO skb 交给 ip_finish_output_gso，由它检查分段而不是整个 skb；比 MTU 长、或带 IPSKB_FRAG_PMTU 标志的报文交给 ip_fragment；其余交给 ip_finish_output2。TCP 按 MSS 组织报文段（或用 GSO skb），所以 IP 分片基本上是 UDP 和原始套接字的事；分片由接收方重组。6.x 把这段函数体移到了 __ip_finish_output。",
        },
        '6.18': {
          en: "In 6.x ip_finish_output first runs the cgroup BPF egress program (BPF_CGROUP_RUN_PROG_INET_EGRESS): success or congestion go on to __ip_finish_output, anything else frees the packet (reason BPF_CGROUP_EGRESS). kpath attaches no program, so it always goes on. The old 4.9 body (xfrm, MTU, GSO, fragmentation) is in __ip_finish_output.",
          zh: "6.x 的 ip_finish_output 先执行 cgroup BPF egress 程序（BPF_CGROUP_RUN_PROG_INET_EGRESS）：成功或拥塞时继续调用 __ip_finish_output，其他结果释放报文（原因 BPF_CGROUP_EGRESS）。kpath 不挂程序，所以总是继续。4.9 原来的函数体（xfrm、MTU、GSO、分片）在 __ip_finish_output 里。",
        },
      },
      steps: {
        enter: {
          '4.9': {
            en: "POST_ROUTING accepted the packet (or was skipped). `mtu` is not known yet.",
            zh: "POST_ROUTING 已放行报文（或被跳过）。`mtu` 还没有取。",
          },
          '6.18': {
            en: "POST_ROUTING accepted the packet. `ret` will hold the cgroup BPF program's verdict.",
            zh: "POST_ROUTING 已放行报文。`ret` 将保存 cgroup BPF 程序的结果。",
          },
        },
        xfrm: XFRM,
        mtu: MTU,
        gso: GSO,
        fragment: {
          en: "skb->len > mtu, or IPSKB_FRAG_PMTU (set by reassembly when the largest fragment had DF): ip_fragment decides whether the packet may be cut (DF) and ip_do_fragment cuts it; each fragment then passes ip_finish_output2 on its own. 6.x tests IPCB(skb)->frag_max_size instead of IPSKB_FRAG_PMTU.",
          zh: "skb->len > mtu，或带 IPSKB_FRAG_PMTU 标志（重组时最大的分片带 DF 就会置上）：由 ip_fragment 判断能否切分（看 DF），ip_do_fragment 负责切；每个分片再各自经过 ip_finish_output2。6.x 检查的是 IPCB(skb)->frag_max_size 而不是 IPSKB_FRAG_PMTU。",
        },
        leave: {
          '4.9': FINISH_LEAVE,
          '6.18': {
            en: "`ret` is NET_XMIT_SUCCESS (no program attached); the function returns __ip_finish_output's result.",
            zh: "`ret` 为 NET_XMIT_SUCCESS（没有挂程序）；函数返回 __ip_finish_output 的结果。",
          },
        },
      },
    },

    __ip_finish_output: {
      summary: {
        en: "6.x: the old ip_finish_output body: the xfrm reroute, the MTU, then GSO, fragmentation or ip_finish_output2.",
        zh: "6.x：原来 ip_finish_output 的函数体：xfrm 重路由、取 MTU，然后走 GSO、分片或 ip_finish_output2。",
      },
      text: {
        en: "What 4.9's ip_finish_output did, in a function of its own since 5.x: the xfrm reroute (never in kpath), `mtu = ip_skb_dst_mtu()`, GSO skbs to ip_finish_output_gso, packets longer than the MTU to ip_fragment, the rest to ip_finish_output2. 6.x also fragments a packet whose frag_max_size is set (a reassembled packet being forwarded is cut to its original sizes again) where 4.9 tested IPSKB_FRAG_PMTU.",
        zh: "也就是 4.9 的 ip_finish_output 所做的事，5.x 起独立成一个函数：xfrm 重路由（kpath 中不会发生）、`mtu = ip_skb_dst_mtu()`、GSO skb 交给 ip_finish_output_gso、比 MTU 长的报文交给 ip_fragment、其余交给 ip_finish_output2。6.x 对设置了 frag_max_size 的报文（转发的重组报文要按原来的大小重新切分）也做分片，4.9 检查的则是 IPSKB_FRAG_PMTU。",
      },
      steps: {
        enter: {
          en: "Called by ip_finish_output once the BPF egress program let the packet through. `mtu` is not known yet.",
          zh: "BPF egress 程序放行后由 ip_finish_output 调用。`mtu` 还没有取。",
        },
        xfrm: XFRM,
        mtu: MTU,
        gso: GSO,
        fragment: {
          en: "skb->len > mtu, or IPCB(skb)->frag_max_size set (a forwarded packet that was reassembled): ip_fragment decides whether it may be cut (DF) and ip_do_fragment cuts it; each fragment passes ip_finish_output2 on its own. 4.9 tested IPSKB_FRAG_PMTU here.",
          zh: "skb->len > mtu，或设置了 IPCB(skb)->frag_max_size（转发的重组报文）：由 ip_fragment 判断能否切分（看 DF），ip_do_fragment 负责切；每个分片各自经过 ip_finish_output2。4.9 在这里检查的是 IPSKB_FRAG_PMTU。",
        },
        leave: FINISH_LEAVE,
      },
    },

    ip_finish_output_gso: {
      summary: {
        en: "A GSO skb: on whole when every segment fits the MTU, else segmented in software and each segment fragmented.",
        zh: "GSO skb：每个分段都放得下 MTU 时整体继续发送，否则先软件分段，再对每个分段做分片。",
      },
      text: {
        en: "A GSO skb stands for several packets of gso_size bytes of payload each. The test is per segment: network and transport headers plus gso_size must fit the MTU (skb_gso_validate_network_len in 6.x, skb_gso_validate_mtu in 4.9). Usually they do, and the whole skb goes to ip_finish_output2: the device, or validate_xmit_skb, cuts it later. Otherwise it is segmented now (skb_gso_segment, which also completes the checksum), and each segment goes through ip_fragment; the first error is returned. In kpath GSO skbs come from 4.9's UFO only.",
        zh: "GSO skb 代表多个报文，每个带 gso_size 字节净荷。检查按分段进行：网络层和传输层头加上 gso_size 必须不超过 MTU（6.x 用 skb_gso_validate_network_len，4.9 用 skb_gso_validate_mtu）。通常都放得下，整个 skb 交给 ip_finish_output2，之后由设备或 validate_xmit_skb 切分。否则就地分段（skb_gso_segment，同时补完校验和），每个分段再经过 ip_fragment；返回第一个错误。kpath 中 GSO skb 只来自 4.9 的 UFO。",
      },
      steps: {
        enter: {
          en: "A GSO skb and the `mtu` ip_finish_output took. `ret` starts at 0.",
          zh: "一个 GSO skb，以及 ip_finish_output 取到的 `mtu`。`ret` 初始为 0。",
        },
        seglen: {
          en: "`seglen`: one segment as IP would send it, headers plus gso_size. `seglen` <= `mtu`: the skb goes on whole to ip_finish_output2. Otherwise: segment and fragment.",
          zh: "`seglen`：一个分段作为 IP 报文的长度，即头部加 gso_size。`seglen` <= `mtu` 时整个 skb 交给 ip_finish_output2，否则分段再分片。",
        },
        segment: {
          en: "Segment `i` (`len` bytes) goes to ip_fragment: with DF clear it is fragmented; with DF set the result is ICMP fragmentation needed and -EMSGSIZE. `err` is the previous segment's result; `ret` keeps the first error.",
          zh: "第 `i` 个分段（`len` 字节）交给 ip_fragment：DF 清零时被分片；DF 置位时产生 ICMP fragmentation needed 并返回 -EMSGSIZE。`err` 是上一个分段的结果；`ret` 保存第一个错误。",
        },
        leave: {
          en: "`ret`: ip_finish_output2's result for a whole skb, or the first error of the segments (0 if none). `err` is the last segment's result, NULL when the skb went on whole.",
          zh: "`ret`：整体发送时是 ip_finish_output2 的结果，否则是各分段的第一个错误（没有则为 0）。`err` 是最后一个分段的结果，整体发送时为 NULL。",
        },
      },
    },

    ip_fragment: {
      summary: {
        en: "Refuses to cut a DF packet that may not be fragmented (ICMP fragmentation needed), else ip_do_fragment.",
        zh: "不允许分片的 DF 报文被拒绝（ICMP fragmentation needed），其余交给 ip_do_fragment。",
      },
      text: {
        en: "DF clear: ip_do_fragment cuts the packet. DF set and the packet may not be fragmented (skb->ignore_df false, or frag_max_size above the MTU): FragFails +1, an ICMP destination unreachable / fragmentation needed (type 3 code 4) carrying the MTU goes to the sender, the packet is freed by a plain kfree_skb (reason NOT_SPECIFIED, in 6.x too) and -EMSGSIZE returned. DF set but ignore_df (the socket allows local fragmentation): fragmented anyway. A local datagram rarely gets here with DF: __ip_append_data refused it already.",
        zh: "DF 清零：由 ip_do_fragment 切分。DF 置位且不允许分片（skb->ignore_df 为假，或 frag_max_size 大于 MTU）：FragFails 加一，向发送方发一个带 MTU 的 ICMP 目的不可达 / 需要分片（类型 3 代码 4），用普通的 kfree_skb 释放报文（6.x 中原因也是 NOT_SPECIFIED）并返回 -EMSGSIZE。DF 置位但 ignore_df 为真（socket 允许本地分片）：照样分片。本机的数据报很少带着 DF 走到这里：__ip_append_data 已经拒绝过了。",
      },
      steps: {
        enter: {
          en: "A packet longer than `mtu` (or one that must be cut again to its original sizes).",
          zh: "一个比 `mtu` 长的报文（或需要按原来大小重新切分的报文）。",
        },
        df: {
          en: "`df`: the packet's IP_DF bit. `ignore_df`: the socket lets the stack fragment locally even with DF. `max`: IPCB(skb)->frag_max_size (0 for local packets). They decide: cut, or refuse with ICMP.",
          zh: "`df`：报文的 IP_DF 位。`ignore_df`：socket 允许协议栈即使有 DF 也在本地分片。`max`：IPCB(skb)->frag_max_size（本机报文为 0）。由这三个值决定：切分，还是用 ICMP 拒绝。",
        },
        leave: {
          en: "0 or the first fragment error from ip_do_fragment, or -EMSGSIZE after the ICMP error.",
          zh: "返回 0 或 ip_do_fragment 遇到的第一个分片错误，或发出 ICMP 错误后的 -EMSGSIZE。",
        },
      },
    },

    ip_do_fragment: {
      summary: {
        en: "Cuts the packet into fragments that fit the MTU and sends each through ip_finish_output2, in offset order.",
        zh: "把报文切成不超过 MTU 的分片，按偏移顺序逐个经 ip_finish_output2 发出。",
      },
      text: {
        en: "A transport checksum left to the hardware is completed first: fragments cannot be offloaded. The data space per fragment is MTU − header length, and every fragment but the last carries a multiple of 8 bytes. The fast path reuses the frag_list __ip_append_data built when its geometry already fits; the slow path allocates and copies a new skb per fragment. Each fragment gets a copy of the header (later ones keep only the options with the copied bit), its offset and MF, its tot_len and a new checksum, and the datagram's ID. FragCreates counts each fragment sent, FragOKs or FragFails the datagram. 6.x splits this into helpers (ip_fraglist_init, ip_frag_init, ip_frag_next, ...) with the same result.",
        zh: "交给硬件计算的传输层校验和要先补完：分片不能卸载校验和。每个分片的数据空间是 MTU 减去头长，除最后一片外每片数据都是 8 的倍数。快速路径在 __ip_append_data 构造的 frag_list 尺寸合适时直接复用它；慢速路径为每个分片新分配 skb 并拷贝。每个分片得到一份 IP 头拷贝（后面的分片只保留带 copied 位的选项）、自己的偏移和 MF、tot_len 和新的校验和，ID 与原数据报相同。每发出一个分片 FragCreates 加一，整个数据报计 FragOKs 或 FragFails。6.x 把它拆成了几个辅助函数（ip_fraglist_init、ip_frag_init、ip_frag_next 等），结果相同。",
      },
      steps: {
        enter: {
          en: "The packet to cut: DF clear, or ignore_df.",
          zh: "要切分的报文：DF 清零，或 ignore_df 为真。",
        },
        geometry: {
          en: "`mtu`, `hlen` (the IP header), `data_space` = mtu − hlen, and the number of `fragments`. The frag_list fast path applies when the pieces already fit: the head's data and every member within data_space, multiples of 8 but the last.",
          zh: "`mtu`、`hlen`（IP 头长）、`data_space` = mtu − hlen，以及分片数 `fragments`。frag_list 已经合适时走快速路径：头 skb 的数据和每个成员都不超过 data_space，且除最后一个外都是 8 的倍数。",
        },
        output: {
          en: "Fragment `fragment` goes out through output(), that is ip_finish_output2 (`offset` is the low byte of its fragment field). An error stops the loop: the remaining fragments are freed, never sent, and FragFails counts the datagram.",
          zh: "第 `fragment` 个分片经 output()（即 ip_finish_output2）发出（`offset` 是其分片字段的低字节）。出错时循环停止：剩下的分片被释放、不再发送，数据报计入 FragFails。",
        },
        leave: {
          en: "0 when every fragment went out (FragOKs +1), else the first error (FragFails +1).",
          zh: "所有分片都发出时返回 0（FragOKs 加一），否则返回第一个错误（FragFails 加一）。",
        },
      },
    },

    ip_finish_output2: {
      summary: {
        en: "The last IP step: counters, room for the link header, the next hop's neighbour entry, and neighbour output.",
        zh: "IP 层的最后一步：计数、为链路层头留空间、找下一跳的邻居项、交给邻居子系统输出。",
      },
      text: {
        en: "Per packet that arrives here, so per fragment: the multicast and broadcast counters (6.x also OutTransmits and OutOctets, before ARP, so a packet that dies in the ARP queue later was counted). If the headroom is too small for the link header, 4.9 makes a new skb (skb_realloc_headroom) and 6.x grows this one (skb_expand_head). The next hop is the route's gateway, or the destination itself when it is on the link (4.9 rt_nexthop, 6.x ip_neigh_for_gw); its entry in arp_tbl is looked up and created when missing. Then 4.9 dst_neigh_output, 6.x neigh_output send the packet through the neighbour layer. When no entry can be made the packet is dropped: 4.9 returns -EINVAL, 6.x the error itself (e.g. -ENOBUFS, reason NEIGH_CREATEFAIL).",
        zh: "每个到达这里的报文（也就是每个分片）计数一次：组播和广播计数器（6.x 还有 OutTransmits 和 OutOctets，在 ARP 之前计，所以之后死在 ARP 队列里的报文也被计过）。头部空间放不下链路层头时，4.9 重新分配一个 skb（skb_realloc_headroom），6.x 就地扩展这个 skb（skb_expand_head）。下一跳是路由的网关，目的地址就在链路上时则是目的地址本身（4.9 用 rt_nexthop，6.x 用 ip_neigh_for_gw）；在 arp_tbl 中查找它的邻居项，没有就创建。然后 4.9 的 dst_neigh_output、6.x 的 neigh_output 把报文交给邻居子系统。建不出邻居项时丢弃报文：4.9 返回 -EINVAL，6.x 返回错误本身（如 -ENOBUFS，原因 NEIGH_CREATEFAIL）。",
      },
      steps: {
        enter: {
          en: "`rt` is the packet's route and `dev` its output device (rt->dst.dev). Each fragment comes here on its own.",
          zh: "`rt` 是报文的路由，`dev` 是出口设备（rt->dst.dev）。每个分片都单独来到这里。",
        },
        stats: {
          en: "`hh_len` = LL_RESERVED_SPACE(dev): the room the link header needs in front of the IP header, a multiple of 16 (16 on Ethernet, whose header is 14 bytes).",
          zh: "`hh_len` = LL_RESERVED_SPACE(dev)：IP 头前面链路层头需要的空间，按 16 对齐（以太网头 14 字节，所以是 16）。",
        },
        mcast: {
          en: "A multicast route: OutMcastPkts +1 and OutMcastOctets += skb->len (IP_UPD_PO_STATS), per packet, in both versions.",
          zh: "组播路由：OutMcastPkts 加一，OutMcastOctets 加上 skb->len（IP_UPD_PO_STATS），按报文计，两个版本都有。",
        },
        bcast: {
          en: "A broadcast route: OutBcastPkts +1 and OutBcastOctets += skb->len, per packet, in both versions.",
          zh: "广播路由：OutBcastPkts 加一，OutBcastOctets 加上 skb->len，按报文计，两个版本都有。",
        },
        headroom: {
          en: "skb_headroom(skb) (`headroom`) < hh_len on a device with header_ops: the link header would not fit. A datagram built for this device always has the room; this happens when the device changed after the skb was built, for example a copy of nft `dup` (headroom 16, made for an Ethernet device) sent out of a VLAN device whose hard_header_len is 18 (hh_len 32). (A reroute in LOCAL_OUT does not get here: ip_route_me_harder already grew the headroom to the new device's hard_header_len.) 4.9: skb_realloc_headroom makes a new skb with room (skb_clone and pskb_expand_head by SKB_DATA_ALIGN of the shortfall, so 64 bytes), charged to the socket if the old one had one, and the old skb is consumed. 6.x: skb_expand_head grows an skb charged to a socket in place and charges the growth to it; any other (the dup copy has no socket) is cloned first and the original consumed. If the allocation failed, the packet would be freed (kfree_skb) and -ENOMEM returned; kpath's allocations never fail.",
          zh: "设备有 header_ops 而 skb_headroom(skb)（`headroom`）< hh_len：链路层头放不下。为本设备构造的数据报总是留够了空间；只有 skb 构造之后设备变了才会出现这种情况，例如 nft `dup` 的副本（头部空间 16，按以太网设备构造）从 hard_header_len 为 18 的 VLAN 设备发出（hh_len 为 32）。（LOCAL_OUT 中的重路由不会走到这里：ip_route_me_harder 已经把头部空间扩到新设备的 hard_header_len。）4.9：skb_realloc_headroom 生成一个有足够空间的新 skb（skb_clone 后 pskb_expand_head，扩展量为差额按 SKB_DATA_ALIGN 对齐，即 64 字节），原 skb 有 socket 时把新 skb 记到该 socket 上，旧 skb 被 consume。6.x：skb_expand_head 对记在 socket wmem 上的 skb 就地扩展，并把增长部分记到 socket 上；其他 skb（dup 副本没有 socket）先克隆，再 consume 原 skb。若内存分配失败，报文会被释放（kfree_skb）并返回 -ENOMEM；kpath 的分配从不失败。",
        },
        nexthop: {
          en: "`nexthop`: the gateway (rt_gw4) when the route has one, else the packet's destination, on loopback and point-to-point devices too (only the lookup key inside __ipv4_neigh_lookup_noref is 0.0.0.0: one entry per device). The ARP entry is keyed on it: with a gateway, ARP asks for the gateway, not for the final destination. Next: __ipv4_neigh_lookup_noref, and __neigh_create when there is no entry.",
          zh: "`nexthop`：路由有网关时是网关（rt_gw4），否则是报文的目的地址，loopback 和点对点设备上也一样（只有 __ipv4_neigh_lookup_noref 内部的查找键为 0.0.0.0：每个设备一个邻居项）。ARP 表项以它为键：有网关时 ARP 问的是网关而不是最终目的地址。接下来是 __ipv4_neigh_lookup_noref，查不到就 __neigh_create。",
        },
        no_neigh: {
          en: "No neighbour entry could be made (`neigh` is an error pointer: the table is full, __neigh_create returned -ENOBUFS). The packet is freed (6.x reason NEIGH_CREATEFAIL); 4.9 returns -EINVAL, 6.x the error itself.",
          zh: "建不出邻居项（`neigh` 是错误指针：表已满，__neigh_create 返回 -ENOBUFS）。报文被释放（6.x 原因为 NEIGH_CREATEFAIL）；4.9 返回 -EINVAL，6.x 返回错误本身。",
        },
        neigh: {
          en: "`neigh` is the next hop's entry, found or just created, with its state (`nud_state`). Next: 6.x neigh_output, 4.9 dst_neigh_output: the cached header when the entry is CONNECTED and the cache is filled, else neigh->output (`output`, neigh_resolve_output on Ethernet), which may have to resolve first.",
          zh: "`neigh` 是下一跳的邻居项（查到的或刚创建的），`nud_state` 是它的状态。接下来 6.x 调用 neigh_output、4.9 调用 dst_neigh_output：表项处于 CONNECTED 且头部缓存已填好时用缓存的头，否则调用 neigh->output（`output`，以太网上为 neigh_resolve_output），它可能要先做解析。",
        },
        leave: {
          en: "The neighbour layer's result: 0 when sent or queued for ARP, a positive qdisc code, or a negative errno.",
          zh: "邻居子系统的结果：发出或进了 ARP 队列时为 0，也可能是正的 qdisc 返回码或负的 errno。",
        },
      },
    },
  };
}
