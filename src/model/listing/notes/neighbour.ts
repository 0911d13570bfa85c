// Explanations of the net/core/neighbour.c listing: creating an entry, the slow output path, the
// state machine, the queue of packets waiting for resolution and failure (docs/kernel.md §5).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    __neigh_create: {
      summary: {
        en: "Creates a neighbour entry: allocate it, construct it (arp_constructor), hash it into the table.",
        zh: "创建邻居项：分配、构造（arp_constructor）、插入哈希表。",
      },
      text: {
        en: "neigh_alloc: at gc_thresh3 entries (1024) a forced garbage collection must free one first, or the table is full: table_fulls +1, \"neighbor table overflow!\" in the log, -ENOBUFS. The new entry starts NUD_NONE with output neigh_blackhole, and confirmed = now − 2 × base_reachable_time (never confirmed). The table's constructor, arp_constructor, sets its state, MAC and output from the address; then it is hashed in under (key, device). 6.x does the work in ___neigh_create.",
        zh: "neigh_alloc：表项数达到 gc_thresh3（1024）时必须先强制垃圾回收释放一个，否则表已满：table_fulls 加一，日志打印 \"neighbor table overflow!\"，返回 -ENOBUFS。新表项初始为 NUD_NONE，输出函数为 neigh_blackhole，confirmed = now − 2 × base_reachable_time（表示从未确认过）。表的构造函数 arp_constructor 根据地址设置状态、MAC 和输出函数，然后以（键，设备）插入哈希表。6.x 中实际工作在 ___neigh_create 里。",
      },
      steps: {
        enter: {
          en: "`pkey` is the next hop, `dev` the device: there is no entry for them yet.",
          zh: "`pkey` 是下一跳，`dev` 是设备：还没有对应的表项。",
        },
        alloc: {
          en: "`n` is the new entry: NUD_NONE, output neigh_blackhole (it would drop packets) until it is constructed. Next: arp_constructor.",
          zh: "`n` 是新表项：NUD_NONE，构造完成前输出函数为 neigh_blackhole（会丢弃报文）。下一步是 arp_constructor。",
        },
        leave: {
          en: "`n`: the entry, now in arp_tbl, or ERR_PTR(-ENOBUFS) when the table is full.",
          zh: "`n`：已加入 arp_tbl 的表项，或表满时的 ERR_PTR(-ENOBUFS)。",
        },
      },
    },

    neigh_resolve_output: {
      summary: {
        en: "The slow path: resolve the neighbour if needed (the packet waits in a queue), else build the header and transmit.",
        zh: "慢速路径：需要时先解析邻居（报文在队列里等待），否则构造链路层头并发送。",
      },
      text: {
        en: "neigh_event_send marks the entry used and, unless it is CONNECTED, DELAY or PROBE, calls __neigh_event_send; for an entry that is not resolved yet the packet is queued on arp_queue and the function returns 0: to IP the send succeeded. Otherwise the header cache is filled the first time (neigh_hh_init), the Ethernet header built with the entry's MAC (dev_hard_header) and the packet goes to dev_queue_xmit. On Ethernet (arp_hh_ops) this is the output function of every state. The same in 4.9 and 6.18.",
        zh: "neigh_event_send 记录表项被使用，状态不是 CONNECTED、DELAY、PROBE 时调用 __neigh_event_send；表项还没解析好时报文被放进 arp_queue，函数返回 0：对 IP 来说发送成功了。否则第一次时填好头部缓存（neigh_hh_init），用表项的 MAC 构造以太网头（dev_hard_header），报文交给 dev_queue_xmit。以太网（arp_hh_ops）上任何状态的输出函数都是它。4.9 与 6.18 相同。",
      },
      steps: {
        enter: {
          en: "`dev` is the entry's device; `rc` starts at 0, which is also what a queued packet returns.",
          zh: "`dev` 是表项的设备；`rc` 初始为 0，报文进队列时返回的也是它。",
        },
        hh_init: {
          en: "The header cache was empty: neigh_hh_init fills it (destination = neigh->ha, source = the device's MAC, type 0x0800; `hh_len` 14), so later packets can take neigh_hh_output while the entry is CONNECTED.",
          zh: "头部缓存是空的：neigh_hh_init 把它填好（目的 = neigh->ha，源 = 设备 MAC，类型 0x0800；`hh_len` 为 14），之后表项处于 CONNECTED 时报文就能走 neigh_hh_output。",
        },
        header: {
          en: "dev_hard_header pushed the 14-byte Ethernet header in front of the IP header, to `h_dest` (the entry's MAC); `len` now counts it. Next: dev_queue_xmit.",
          zh: "dev_hard_header 在 IP 头前 push 了 14 字节以太网头，目的地址为 `h_dest`（表项的 MAC）；`len` 已包含它。下一步是 dev_queue_xmit。",
        },
        leave: {
          en: "`rc`: dev_queue_xmit's result, or 0 when the packet was queued for resolution (or dropped from the queue).",
          zh: "`rc`：dev_queue_xmit 的结果；报文进了解析队列（或在队列里被丢弃）时为 0。",
        },
      },
    },

    __neigh_event_send: {
      summary: {
        en: "A packet meets an entry that cannot be used as is: start resolution, move STALE to DELAY, queue the packet.",
        zh: "报文遇到不能直接使用的表项：开始解析、STALE 转 DELAY、把报文放进队列。",
      },
      text: {
        en: "NONE or FAILED with mcast_solicit + app_solicit > 0: the entry becomes INCOMPLETE, probes starts at ucast_solicit (there is no MAC to unicast to), the timer is armed at max(retrans_time, floor) and the first ARP request goes at once. STALE: DELAY, the packet is sent now with the old MAC and the MAC checked after delay_first_probe_time. While INCOMPLETE the packet is queued on arp_queue, limited in bytes of truesize (unres_qlen_bytes: 65536 in 4.9, 212992 in 6.x): the oldest packets are dropped to make room (NEIGH_QUEUEFULL). The timer floor is HZ/2 in 4.9 and HZ/100 in 6.x.",
        zh: "NONE 或 FAILED 且 mcast_solicit + app_solicit > 0：表项变为 INCOMPLETE，probes 从 ucast_solicit 开始（还没有 MAC 可以单播），定时器设为 max(retrans_time, 下限)，第一个 ARP 请求立即发出。STALE：变为 DELAY，报文用旧 MAC 立即发出，过 delay_first_probe_time 后再确认 MAC。INCOMPLETE 期间报文进 arp_queue，队列按 truesize 字节数限制（unres_qlen_bytes：4.9 为 65536，6.x 为 212992），满了就丢弃最老的报文腾出空间（NEIGH_QUEUEFULL）。定时器下限 4.9 为 HZ/2，6.x 为 HZ/100。",
      },
      steps: {
        enter: {
          en: "`state` and `new_state`: the entry's state as the packet arrives; `immediate_probe` is false until resolution starts.",
          zh: "`state` 和 `new_state`：报文到达时表项的状态；开始解析之前 `immediate_probe` 为 false。",
        },
        nud_state: {
          en: "The entry's new state (`nud_state`, was `from`): INCOMPLETE (resolution starts, `immediate_probe`: a request goes out at once), DELAY (from STALE: send now, confirm later) or FAILED (not allowed to ask: the packet is dropped, NEIGH_FAILED). The timer is re-armed for the new state.",
          zh: "表项的新状态（`nud_state`，原为 `from`）：INCOMPLETE（开始解析，`immediate_probe`：立即发请求）、DELAY（从 STALE 来：现在发，稍后确认）或 FAILED（不允许发请求：报文被丢弃，NEIGH_FAILED）。定时器按新状态重新设置。",
        },
        queued: {
          en: "The packet waits on arp_queue for the reply: `queued` packets, `arp_queue_len_bytes` of truesize against the limit `queue_len_bytes`. When the queue was full, the oldest packets were dropped (NEIGH_QUEUEFULL, unresolved_discards) before this one was added.",
          zh: "报文在 arp_queue 上等待应答：队列中共 `queued` 个报文，truesize 合计 `arp_queue_len_bytes`，上限 `queue_len_bytes`。队列满时，先丢掉最老的报文（NEIGH_QUEUEFULL，unresolved_discards）再加入这个。",
        },
        bh_enable: {
          en: "local_bh_enable ends the outermost bh-disabled section and the request's answer waits on the backlog: do_softirq receives the ARP reply now, neigh_update makes the entry REACHABLE and sends the queued packet, before this function returns. The next fragment finds the entry REACHABLE.",
          zh: "local_bh_enable 结束了最外层的关下半部区段，而请求的应答正在 backlog 上等待：do_softirq 现在就接收 ARP 应答，neigh_update 把表项变为 REACHABLE 并发出排队的报文，都在本函数返回之前。下一个分片看到的表项已是 REACHABLE。",
        },
        leave: {
          en: "1: the packet was queued (or dropped) and must not be sent now. 0: send it (STALE became DELAY, or the entry is usable).",
          zh: "1：报文已进队列（或被丢弃），现在不能发送。0：可以发送（STALE 已转 DELAY，或表项可用）。",
        },
      },
    },

    neigh_probe: {
      summary: {
        en: "Sends one probe (an ARP request) for the entry and counts it.",
        zh: "为表项发一次探测（ARP 请求）并计数。",
      },
      text: {
        en: "The newest queued packet (skb_peek_tail) goes to neigh->ops->solicit, arp_solicit, which takes its source address as the ARP sender address; then probes +1. The kernel passes a clone of the packet; the model passes the packet itself, which it does not change.",
        zh: "把队列里最新的报文（skb_peek_tail）交给 neigh->ops->solicit，即 arp_solicit，它用这个报文的源地址作为 ARP 发送方地址；然后 probes 加一。内核传的是报文的克隆，模型直接传报文本身（不会修改它）。",
      },
      steps: {
        enter: {
          en: "`skb`: the newest packet on arp_queue (NULL when none waits, as for a unicast probe in PROBE).",
          zh: "`skb`：arp_queue 上最新的报文（没有报文在等时为 NULL，比如 PROBE 状态下的单播探测）。",
        },
        leave: {
          en: "The request is on its way; probes has grown by one.",
          zh: "请求已发出；probes 加了一。",
        },
      },
    },

    neigh_timer_handler: {
      summary: {
        en: "The entry's timer: ages REACHABLE, checks DELAY, retransmits probes, declares FAILED.",
        zh: "表项的定时器：REACHABLE 老化、DELAY 检查、重发探测、判定 FAILED。",
      },
      text: {
        en: "Runs in softirq when the entry's timer expires. REACHABLE confirmed within reachable_time stays; otherwise DELAY when used recently, else STALE (no timer). DELAY confirmed meanwhile goes back to REACHABLE, otherwise PROBE (unicast probes to the known MAC). INCOMPLETE and PROBE send the next probe after retrans_time until probes reaches ucast_solicit + app_solicit + mcast_solicit (mcast_resolicit in PROBE): then FAILED, and neigh_invalidate reports the queued packets. The timer is never re-armed closer than the floor: HZ/2 in 4.9, HZ/100 in 6.x.",
        zh: "表项定时器到期时在软中断中运行。REACHABLE 且在 reachable_time 内被确认过的保持不变；否则最近用过的转 DELAY，没用过的转 STALE（不再设定时器）。DELAY 期间被确认的回到 REACHABLE，否则转 PROBE（向已知 MAC 单播探测）。INCOMPLETE 和 PROBE 每隔 retrans_time 发下一次探测，直到 probes 达到 ucast_solicit + app_solicit + mcast_solicit（PROBE 状态用 mcast_resolicit）：然后变为 FAILED，由 neigh_invalidate 处理队列里的报文。重设定时器不会早于下限：4.9 为 HZ/2，6.x 为 HZ/100。",
      },
      steps: {
        enter: {
          en: "`now` = jiffies, `next` = now + HZ by default; `state` is the entry's state when the timer fired.",
          zh: "`now` = jiffies，`next` 默认为 now + HZ；`state` 是定时器触发时表项的状态。",
        },
        nud_state: {
          en: "The state changes to `new_state` (was `from`): DELAY, STALE, REACHABLE, PROBE or FAILED, by the branches above; `next` is when the timer should run again. FAILED: neigh_invalidate follows.",
          zh: "状态变为 `new_state`（原为 `from`）：按上面的分支为 DELAY、STALE、REACHABLE、PROBE 或 FAILED；`next` 是定时器下次运行的时间。FAILED 时接下来调用 neigh_invalidate。",
        },
        mod_timer: {
          en: "The timer is re-armed for `next` (never closer than the floor); `runs_at_ms` is when the timer wheel will really run it (jiffies of 4 ms at HZ 250, rounded to the wheel's granularity). Next: INCOMPLETE and PROBE send another probe.",
          zh: "定时器重设为 `next`（不早于下限）；`runs_at_ms` 是时间轮实际运行它的时刻（HZ 为 250 时一个 jiffy 4 ms，再按时间轮的粒度取整）。接下来 INCOMPLETE 和 PROBE 再发一次探测。",
        },
        leave: {
          en: "Done until the timer fires again, or for good (FAILED, STALE).",
          zh: "本次处理结束，等定时器再次触发；FAILED、STALE 则不再触发。",
        },
      },
    },

    neigh_update: {
      summary: {
        en: "An answer (or an administrator) updates the entry: new state and MAC; then the queued packets leave.",
        zh: "收到应答（或管理员修改）时更新表项：新状态和 MAC，然后排队的报文发出。",
      },
      text: {
        en: "__neigh_update (neigh_update in 4.9). Static entries (NOARP, PERMANENT) change only by admin (-EPERM otherwise). A CONNECTED new state confirms the entry (confirmed = now). A valid entry keeps its MAC against a different one unless OVERRIDE (the last update is older than locktime); a STALE update that learns nothing keeps the state. The state is written and the timer re-armed (REACHABLE: reachable_time); a new MAC is copied and the cached header updated. If the entry was not valid before, the packets on arp_queue leave in order through neigh->output: everything queued goes before anything sent later.",
        zh: "即 __neigh_update（4.9 中为 neigh_update）。静态表项（NOARP、PERMANENT）只能由管理员修改（否则 -EPERM）。新状态属于 CONNECTED 时确认表项（confirmed = now）。有效表项遇到不同的 MAC 时保留原 MAC，除非带 OVERRIDE（上次更新早于 locktime）；什么也没学到的 STALE 更新保持原状态。写入新状态并重设定时器（REACHABLE 为 reachable_time）；新 MAC 拷进表项并更新缓存的头。表项之前无效的，arp_queue 上的报文按顺序经 neigh->output 发出：排队的报文都先于之后发送的报文。",
      },
      steps: {
        enter: {
          en: "`old` is the entry's state, `new` the proposed one, `same`: the MAC is unchanged (or none was given).",
          zh: "`old` 是表项当前状态，`new` 是提议的新状态，`same`：MAC 没变（或没有给出 MAC）。",
        },
        nud_state: {
          en: "The state is written (`nud_state`, was `from`). REACHABLE re-arms the timer for reachable_time; the output becomes the connected one (neigh_resolve_output on Ethernet either way).",
          zh: "写入新状态（`nud_state`，原为 `from`）。REACHABLE 时定时器重设为 reachable_time；输出函数改为 connected 的那个（以太网上两者都是 neigh_resolve_output）。",
        },
        lladdr: {
          en: "The MAC from the ARP packet is stored (`ha`) and a cached header gets it too (neigh_update_hhs).",
          zh: "保存 ARP 报文里的 MAC（`ha`），缓存的头也一起更新（neigh_update_hhs）。",
        },
        flush: {
          en: "The entry became valid: each queued `skb` leaves, oldest first, through neigh->output; `left` are still waiting.",
          zh: "表项变为有效：排队的 `skb` 从最老的开始逐个经 neigh->output 发出；还有 `left` 个在等待。",
        },
        leave: {
          en: "0, or -EPERM for a non-admin update of a static entry.",
          zh: "返回 0；非管理员修改静态表项时返回 -EPERM。",
        },
      },
    },

    neigh_invalidate: {
      summary: {
        en: "The entry failed: each queued packet is reported (ICMP host unreachable) and freed.",
        zh: "表项解析失败：队列里的每个报文都被报告（ICMP 主机不可达）并释放。",
      },
      text: {
        en: "res_failed +1; while the entry is FAILED, each packet on arp_queue, oldest first, goes to neigh->ops->error_report (arp_error_report: an ICMP host unreachable to its source, then freed with reason NEIGH_FAILED); then the queue is emptied. The next packet to a FAILED entry starts resolution again at once.",
        zh: "res_failed 加一；表项处于 FAILED 时，arp_queue 上的报文从最老的开始逐个交给 neigh->ops->error_report（arp_error_report：向其源地址发 ICMP 主机不可达，然后以 NEIGH_FAILED 原因释放）；最后清空队列。发往 FAILED 表项的下一个报文会立即重新开始解析。",
      },
      steps: {
        enter: {
          en: "The timer just set FAILED; `queued` packets wait.",
          zh: "定时器刚把状态设为 FAILED；有 `queued` 个报文在等待。",
        },
        error_report: {
          en: "Packet `skb` is reported; `left` are still queued. Next: arp_error_report.",
          zh: "报告报文 `skb`；队列中还剩 `left` 个。下一步是 arp_error_report。",
        },
        leave: {
          en: "The queue is empty; `skb` is NULL once the loop has ended.",
          zh: "队列已清空；循环结束后 `skb` 为 NULL。",
        },
      },
    },

    neigh_connected_output: {
      summary: {
        en: "For devices without a header cache: build the link header every time and transmit.",
        zh: "用于没有头部缓存的设备：每次都构造链路层头再发送。",
      },
      text: {
        en: "The connected output of arp_generic_ops (devices whose header_ops have no cache). It does not resolve: only states with a usable MAC use it. Ethernet has a header cache and uses arp_hh_ops; a VLAN device's header_ops (vlan_header_ops, vlan_passthru_header_ops) have none, so once its neighbour is resolved every packet comes here and the header is built again each time (dev_hard_header: vlan_dev_hard_header).",
        zh: "arp_generic_ops（header_ops 没有缓存的设备）的 connected 输出函数。它不做解析：只有 MAC 可用的状态才会用它。以太网有头部缓存，用的是 arp_hh_ops；VLAN 设备的 header_ops（vlan_header_ops、vlan_passthru_header_ops）没有缓存，所以它的邻居解析完成后，每个报文都走这里，每次重新构造链路层头（dev_hard_header：vlan_dev_hard_header）。",
      },
      steps: {
        enter: {
          en: "An entry with a usable MAC on a device without a header cache.",
          zh: "设备没有头部缓存，表项的 MAC 可用。",
        },
        leave: {
          en: "dev_queue_xmit's result.",
          zh: "dev_queue_xmit 的结果。",
        },
      },
    },
  };
}
