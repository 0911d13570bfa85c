// The adapter's two threads: the task that makes the socket calls, and softirq (timers, receive).

import type { Stop } from '../debugger/types';

export const TASK_THREAD = 1;
export const SOFTIRQ_THREAD = 2;

/** The thread a stop is on. */
export function threadOf(stop: Stop): number {
  return stop.context === 'task' ? TASK_THREAD : SOFTIRQ_THREAD;
}
