// What every part of the bench shares: where the built code is, timing and the statistics of a
// sample, and a line on stderr to say what is running.

import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const require = createRequire(import.meta.url);

/** A module of the compiled tree (out/), by its path under out/. */
export function built(file) {
  return require(path.join(ROOT, 'out', file));
}

export const log = (s) => process.stderr.write(s + '\n');

/** Milliseconds since `t0` (a process.hrtime.bigint()). */
export const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The nearest-rank percentile: the smallest value at or above `p`% of the sample. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function round2(x) {
  return Math.round(x * 100) / 100;
}

/** The lines of a scenario whose host has eth0 (192.0.2.1/24) and a peer 192.0.2.2 that answers ARP. */
export const HOST = [
  'link add eth0 mtu 1500 address 02:00:00:00:00:01',
  'addr add 192.0.2.1/24 dev eth0',
  'peer 192.0.2.2 lladdr 02:00:00:00:00:02',
];
