// net/core/neighbour.c as kpath models it: creating an entry, the slow output path that resolves
// first, the state machine (__neigh_event_send, neigh_timer_handler, neigh_update) on the virtual
// clock, the queue of packets that wait for resolution, and what happens when it fails.
// Each function writes the new state in one place, so that a step point shows every change.

import type { ListingFile } from './types';
import { fn, BOTH } from './dsl';

export const NEIGHBOUR: ListingFile = {
  path: 'net/core/neighbour.c',
  functions: [
    fn('__neigh_create', BOTH, `
      struct neighbour *__neigh_create(struct neigh_table *tbl, const void *pkey, struct net_device *dev, bool want_ref)  @@enter
      {
          struct neighbour *n;

          /* neigh_alloc: at gc_thresh3 a forced GC must free an entry first */
          if (tbl->entries >= tbl->gc_thresh3 && !neigh_forced_gc(tbl)) {
              NEIGH_CACHE_STAT_INC(tbl, table_fulls);
              net_info_ratelimited("neighbor table overflow!");
              return ERR_PTR(-ENOBUFS);
          }
          n = neigh_alloc(tbl, dev);       /* NUD_NONE; output neigh_blackhole drops until constructed */  @@alloc
          /* updated = used = now; confirmed = now - 2 * base_reachable_time: never confirmed */
          tbl->constructor(n);             /* arp_constructor: state, ha and output by address type */
          hash n into tbl under (pkey, dev);
          return n;
      }  @@leave
    `),

    fn('neigh_resolve_output', BOTH, `
      int neigh_resolve_output(struct neighbour *neigh, struct sk_buff *skb)  @@enter
      {
          struct net_device *dev = neigh->dev;
          int rc = 0;

          /* neigh_event_send: neigh->used = now; only states other than CONNECTED, DELAY */
          /* and PROBE need __neigh_event_send */
          if (neigh_event_send(neigh, skb))    /* queued on arp_queue (or dropped) */
              return 0;                        /* not an error for IP: the packet waits */
          if (dev->header_ops->cache && !neigh->hh.hh_len)
              neigh_hh_init(neigh);            /* fill the header cache for the fast path */  @@hh_init
          __skb_pull(skb, skb_network_offset(skb));   /* back to the IP header */
          dev_hard_header(skb, dev, ETH_P_IP, neigh->ha, NULL, skb->len);   /* vlan_dev_hard_header: on a VLAN; else eth_header, 14 bytes */  @@header
          rc = dev_queue_xmit(skb);
          return rc;
      }  @@leave
    `),

    fn('__neigh_event_send', BOTH, `
      int __neigh_event_send(struct neighbour *neigh, struct sk_buff *skb)  @@enter
      {
          u8 state = neigh->nud_state, new_state = state;   /* parms below by their sysctl names */
          bool immediate_probe = false;
          int rc = 0;

          write_lock_bh(&neigh->lock);         /* bottom halves off until local_bh_enable below */
          if (neigh->dead && !(state & NUD_STALE))
              return 1;                        /* unlinked from the table: skb dropped (NEIGH_DEAD) */
          if (!(state & (NUD_STALE | NUD_INCOMPLETE))) {    /* NONE or FAILED: start resolving */
              if (mcast_solicit + app_solicit) {
                  atomic_set(&neigh->probes, ucast_solicit);  /* no MAC yet: skip the unicast probes */
                  new_state = NUD_INCOMPLETE;
                  immediate_probe = true;      /* the first request goes now */
              } else
                  new_state = NUD_FAILED;      /* not allowed to ask at all */
          } else if (state & NUD_STALE)
              new_state = NUD_DELAY;           /* send with the old MAC now, check it later */
          if (new_state != state) {
              neigh_del_timer(neigh);
              WRITE_ONCE(neigh->nud_state, new_state);  @@nud_state
              if (new_state == NUD_FAILED)
                  return 1;                    /* skb dropped (NEIGH_FAILED) */
              next = new_state == NUD_DELAY ? delay_first_probe_time : max(retrans_time, HZ / 100);  @6.18
              next = new_state == NUD_DELAY ? delay_first_probe_time : max(retrans_time, HZ / 2);  @4.9
              neigh_add_timer(neigh, jiffies + next);
          }
          if (neigh->nud_state == NUD_INCOMPLETE && skb) {
              while (neigh->arp_queue_len_bytes + skb->truesize > unres_qlen_bytes)
                  drop the oldest queued skb (NEIGH_QUEUEFULL), unres_discards++;
              __skb_queue_tail(&neigh->arp_queue, skb);   /* it waits for the reply */  @@queued
          }
          if (neigh->nud_state == NUD_INCOMPLETE)
              rc = 1;                          /* queued: IP must not send it now */
          if (immediate_probe)
              neigh_probe(neigh);              /* write_unlock, then the request */
          else
              write_unlock(&neigh->lock);
          local_bh_enable();                   /* the outermost one runs do_softirq: the reply may flush the queue */  @@bh_enable
          trace_neigh_event_send_done(neigh, rc);  @6.18
          return rc;
      }  @@leave
    `),

    fn('neigh_probe', BOTH, `
      static void neigh_probe(struct neighbour *neigh)  @@enter
      {
          /* the newest queued packet: arp_solicit takes its source address as the ARP sender IP */
          struct sk_buff *skb = skb_peek_tail(&neigh->arp_queue);

          neigh->ops->solicit(neigh, skb);     /* arp_solicit */
          atomic_inc(&neigh->probes);
      }  @@leave
    `),

    fn('neigh_timer_handler', BOTH, `
      static void neigh_timer_handler(struct timer_list *t)  @@enter
      {
          unsigned long now = jiffies, next = now + HZ;
          u8 state = neigh->nud_state, new_state = state;   /* parms below by their sysctl names */

          if (!(state & NUD_IN_TIMER))
              return;
          if ((state & NUD_REACHABLE) && time_before_eq(now, neigh->confirmed + reachable_time))
              next = neigh->confirmed + reachable_time;      /* confirmed lately: stay */
          else if ((state & NUD_REACHABLE) && time_before_eq(now, neigh->used + delay_first_probe_time))
              new_state = NUD_DELAY, next = now + delay_first_probe_time;   /* in use: confirm it soon */
          else if (state & NUD_REACHABLE)
              new_state = NUD_STALE;                         /* idle: keep the MAC, no timer */
          else if ((state & NUD_DELAY) && time_before_eq(now, neigh->confirmed + delay_first_probe_time))
              new_state = NUD_REACHABLE, next = neigh->confirmed + reachable_time;   /* confirmed meanwhile */
          else if (state & NUD_DELAY)                        /* no answer: ask the old MAC by unicast */
              new_state = NUD_PROBE, neigh->probes = 0, next = now + max(retrans_time, HZ / 100);  @6.18
              new_state = NUD_PROBE, neigh->probes = 0, next = now + max(retrans_time, HZ / 2);  @4.9
          else
              next = now + retrans_time;                     /* INCOMPLETE or PROBE: the next probe */
          if ((new_state & (NUD_INCOMPLETE | NUD_PROBE)) && neigh->probes >= neigh_max_probes(neigh))
              new_state = NUD_FAILED;          /* ucast + app + mcast (re)solicit probes all used */
          if (new_state != state)              /* updated = now; DELAY, STALE: output = resolve */
              WRITE_ONCE(neigh->nud_state, new_state);  @@nud_state
          if (new_state == NUD_FAILED) {
              neigh_invalidate(neigh);         /* ICMP host unreachable for each queued packet */
              return;
          }
          if (new_state & NUD_IN_TIMER)
              mod_timer(&neigh->timer, max(next, now + HZ / 100));  @6.18 @@mod_timer
              mod_timer(&neigh->timer, max(next, now + HZ / 2));  @4.9 @@mod_timer
          if (new_state & (NUD_INCOMPLETE | NUD_PROBE))
              neigh_probe(neigh);
      }  @@leave
    `),

    fn('neigh_update', BOTH, `
      int neigh_update(struct neighbour *neigh, const u8 *lladdr, u8 new, u32 flags, u32 nlmsg_pid)  @@enter
      {
          u8 old = neigh->nud_state;
          bool same = !lladdr || ((old & NUD_VALID) && !memcmp(lladdr, neigh->ha, dev->addr_len));

          if (!(flags & NEIGH_UPDATE_F_ADMIN) && (old & (NUD_NOARP | NUD_PERMANENT)))
              return -EPERM;                   /* static entries change only by admin */
          if (new & NUD_CONNECTED)
              neigh->confirmed = jiffies;      /* an answer proves the neighbour is there */
          if (old & NUD_VALID) {
              if (!same && !(flags & NEIGH_UPDATE_F_OVERRIDE))
                  return 0;                    /* another MAC within locktime: keep ours */
              if (same && new == NUD_STALE && !(flags & NEIGH_UPDATE_F_ADMIN))
                  new = old;                   /* nothing learned: keep the state */
          }
          if (new != old) {                    /* (updated = now also when only the MAC changes) */
              neigh_del_timer(neigh);
              if (new & NUD_IN_TIMER)          /* REACHABLE: for reachable_time */
                  neigh_add_timer(neigh, jiffies + (new & NUD_REACHABLE ? neigh->parms->reachable_time : 0));
              WRITE_ONCE(neigh->nud_state, new);  @@nud_state
              neigh->output = new & NUD_CONNECTED ? neigh->ops->connected_output : neigh->ops->output;  /* arp_hh_ops: both neigh_resolve_output */
          }
          if (!same) {
              memcpy(neigh->ha, lladdr, dev->addr_len);   /* the MAC from the ARP packet */  @@lladdr
              neigh_update_hhs(neigh);         /* a cached header gets the new MAC too */
          }
          if (new != old && !(old & NUD_VALID))    /* usable at last: the waiting packets leave, in order */
              while ((new & NUD_VALID) && (skb = __skb_dequeue(&neigh->arp_queue)))
                  neigh->output(neigh, skb);   /* neigh_resolve_output; a VLAN's: neigh_connected_output */  @@flush
          return 0;
      }  @@leave
    `),

    fn('neigh_invalidate', BOTH, `
      static void neigh_invalidate(struct neighbour *neigh)  @@enter
      {
          struct sk_buff *skb;

          NEIGH_CACHE_STAT_INC(neigh->tbl, res_failed);
          while (neigh->nud_state == NUD_FAILED && (skb = __skb_dequeue(&neigh->arp_queue))) {
              neigh->arp_queue_len_bytes -= skb->truesize;
              neigh->ops->error_report(neigh, skb);   /* arp_error_report: ICMP host unreachable */  @@error_report
          }
          __skb_queue_purge(&neigh->arp_queue);
          neigh->arp_queue_len_bytes = 0;
      }  @@leave
    `),

    fn('neigh_connected_output', BOTH, `
      int neigh_connected_output(struct neighbour *neigh, struct sk_buff *skb)  @@enter
      {
          /* devices without a header cache (a VLAN): build the link header every time */
          __skb_pull(skb, skb_network_offset(skb));
          dev_hard_header(skb, neigh->dev, ETH_P_IP, neigh->ha, NULL, skb->len);  /* vlan_dev_hard_header: on a VLAN */
          return dev_queue_xmit(skb);
      }  @@leave
    `),
  ],
};
