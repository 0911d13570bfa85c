// kernel/softirq.c as kpath models it: the softirq run at the local_bh_enable that ends the
// outermost bh-disabled section of a task; NET_RX is the only softirq kpath has.

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const SOFTIRQ: ListingFile = {
  path: 'kernel/softirq.c',
  functions: [
    fn('do_softirq', BOTH, `
      asmlinkage __visible void do_softirq(void)  @@enter
      {
          /* from __local_bh_enable_ip: the bh count reaches 0, a softirq is pending, not in interrupt */
          /* __do_softirq: */
          int max_restart = MAX_SOFTIRQ_RESTART;   /* 10 */
          __u32 pending = local_softirq_pending(); /* NET_RX: frames wait on the backlog */
      restart:
          set_softirq_pending(0);
          h->action(h);                        /* NET_RX_SOFTIRQ: net_rx_action */
          pending = local_softirq_pending();   /* raised again: frames left on the backlog */
          if (pending) {
              if (time_before(jiffies, end) && !need_resched() && --max_restart)
                  goto restart;
              wakeup_softirqd();               /* the rest to ksoftirqd: a later event */
          }
      }  @@leave
    `),
  ],
};
