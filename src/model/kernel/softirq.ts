// kernel/softirq.c: the bh-disable count (local_bh_disable, local_bh_enable) and the softirq run
// at the local_bh_enable that brings it to zero (do_softirq -> __do_softirq), whose only softirq
// here is NET_RX (net_rx_action over the backlog, dev.ts). Work left after MAX_SOFTIRQ_RESTART
// passes goes to ksoftirqd: a later event.

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import { net_rx_action } from './dev';

/** MAX_SOFTIRQ_RESTART: the passes __do_softirq makes while softirqs are raised again. */
export const MAX_SOFTIRQ_RESTART = 10;

/** local_bh_disable (and the _bh lock and RCU variants): one more level of bh-disabled section. */
export function local_bh_disable(k: Kernel): void {
  k.bh++;
}

/**
 * local_bh_enable: leaving the outermost section in task context runs the pending softirq now
 * (in softirq context the count stays at SOFTIRQ_OFFSET, so nothing runs).
 */
export function local_bh_enable(k: Kernel): void {
  const due = softirqDue(k);
  k.bh--;
  if (due) do_softirq(k);
}

/** Whether the next local_bh_enable ends the outermost section with packets on the backlog, and so runs do_softirq. */
export function softirqDue(k: Kernel): boolean {
  return k.bh === 1 && k.backlog.length !== 0;
}

/** do_softirq -> __do_softirq in the task that enabled bottom halves: NET_RX passes, in softirq context. */
export function do_softirq(k: Kernel): void {
  const w = k.w;
  if (w) w.enter('do_softirq', null, { pending: 'NET_RX' }, { max_restart: MAX_SOFTIRQ_RESTART, backlog: k.backlog.length });
  const ctx = k.ctx;
  k.ctx = 'softirq';
  k.bh = 1;
  softirq_passes(k);
  k.bh = 0;
  k.ctx = ctx;
  if (w) w.leave(null);
}

/**
 * __do_softirq's loop: NET_RX runs again while it is raised again, up to MAX_SOFTIRQ_RESTART
 * passes; then wakeup_softirqd leaves the rest to ksoftirqd (an event at the same instant, after
 * what is already due). Also the end of every event run in softirq context (a timer, a frame
 * from a link): what it put on the backlog is handled in the same softirq run.
 */
export function softirq_passes(k: Kernel): void {
  let restart = MAX_SOFTIRQ_RESTART;
  while (k.backlog.length !== 0) {
    net_rx_action(k);
    if (k.backlog.length !== 0 && --restart === 0) {
      if (k.w) k.w.note(l10n.t('{0} passes: wakeup_softirqd, {1} frames left to ksoftirqd', MAX_SOFTIRQ_RESTART, k.backlog.length));
      k.later(k.now, 'ksoftirqd', run_ksoftirqd, [k]);
      return;
    }
  }
}

/** run_ksoftirqd: the per-CPU thread runs the softirqs left pending. */
function run_ksoftirqd(k: Kernel): void {
  softirq_passes(k);
}
