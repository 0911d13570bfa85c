// Explanations of the kernel/softirq.c listing: bottom halves and the backlog (docs/kernel.md).

import type { FileNotes } from './types';

export default function notes(): FileNotes {
  return {
    do_softirq: {
      summary: {
        en: "Bottom halves are on again: the pending NET_RX softirq runs now, in the task that enabled them.",
        zh: "下半部重新打开：挂起的 NET_RX 软中断此刻就在打开它的任务里运行。",
      },
      text: {
        en: "local_bh_disable (and rcu_read_lock_bh, write_lock_bh, spin_lock_bh) counts up in preempt_count; local_bh_enable counts down, and the one that brings the count to zero runs the softirqs raised meanwhile (do_softirq -> __do_softirq), in softirq context but in the sending task, before the function that enabled them goes on. A veth's peer answers with __netif_rx: the frame goes on this CPU's backlog and NET_RX_SOFTIRQ is raised, so the answer (an ARP reply, an echo reply, a RST) is received here, inside the socket call. net_rx_action runs while it is raised again, up to MAX_SOFTIRQ_RESTART (10) passes; what is still left goes to ksoftirqd. In softirq context (a timer, a frame from a link) a local_bh_enable runs nothing: the frames wait for the net_rx_action of the same softirq run.",
        zh: "local_bh_disable（以及 rcu_read_lock_bh、write_lock_bh、spin_lock_bh）使 preempt_count 中的计数加一；local_bh_enable 减一，把计数减到零的那一次会运行期间触发的软中断（do_softirq -> __do_softirq），处于软中断上下文，但仍在发送的任务里，在打开下半部的函数继续之前。veth 的对端用 __netif_rx 应答：帧进入本 CPU 的 backlog，并触发 NET_RX_SOFTIRQ，所以应答（ARP 应答、回显应答、RST）就在这里、在 socket 调用之内被接收。只要 NET_RX 又被触发，net_rx_action 就再运行一次，最多 MAX_SOFTIRQ_RESTART（10）轮；剩下的交给 ksoftirqd。在软中断上下文中（定时器、来自链路的帧），local_bh_enable 什么也不运行：帧等待同一次软中断运行中的 net_rx_action。",
      },
      steps: {
        enter: {
          en: "`backlog`: frames waiting on this CPU's backlog; `max_restart`: the passes __do_softirq may make.",
          zh: "`backlog`：在本 CPU 的 backlog 上等待的帧；`max_restart`：__do_softirq 最多运行的轮数。",
        },
        leave: {
          en: "Nothing is returned: the backlog is empty, or what is left waits for ksoftirqd.",
          zh: "没有返回值：backlog 已空，或者剩下的等待 ksoftirqd。",
        },
      },
    },
  };
}
