// The virtual clock. Time is in nanoseconds from the scenario's start; jiffies tick at HZ.
// The reference kernel (Debian's x86-64 build) runs at HZ = 250, so a jiffy is 4 ms, and its
// timer wheel rounds expiry times up to the granularity of the wheel level a timer lands in:
// that is why a 1000 ms ARP retransmit is seen 1024 ms apart on a real machine.

export const HZ = 250;
export const NS_PER_JIFFY = 1_000_000_000 / HZ;
/**
 * Jiffies at t = 0. Any value is a real kernel's; this one puts the first retransmit of an
 * ARP request 1004 ms after the first (as in the reference capture: 1003.9 ms), and every
 * later one 1024 ms apart.
 */
export const JIFFIES_AT_START = 5;

export function nsToJiffies(t: number): number {
  return JIFFIES_AT_START + Math.floor(t / NS_PER_JIFFY);
}

export function jiffiesToNs(j: number): number {
  return (j - JIFFIES_AT_START) * NS_PER_JIFFY;
}

export function msToJiffies(ms: number): number {
  return Math.floor((ms * HZ) / 1000);
}

// Timer wheel levels (kernel/time/timer.c): 64 buckets per level, each level 8x coarser.
const LVL_CLK_SHIFT = 3;
const LVL_BITS = 6;
const LVL_DEPTH = 9;

function lvlStart(n: number): number {
  return ((1 << LVL_BITS) - 1) << ((n - 1) * LVL_CLK_SHIFT);
}

/**
 * The jiffy at which a timer armed at `now` for `expires` really runs: the wheel stores it in a
 * bucket whose time is rounded up past `expires` at the level's granularity.
 */
export function wheelExpiry(now: number, expires: number): number {
  const delta = expires - now;
  if (delta < 0) return now + 1;
  let lvl = 0;
  while (lvl < LVL_DEPTH - 1 && delta >= lvlStart(lvl + 1)) lvl++;
  const shift = lvl * LVL_CLK_SHIFT;
  return (Math.floor(expires / 2 ** shift) + 1) * 2 ** shift;
}
