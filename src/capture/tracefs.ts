// The kernel's tracepoints during a capture, through tracefs: a trace instance of the capture's
// own (instances/kpath-<pid>-<seq>, with its own buffer, so that nothing else tracing on the
// machine is disturbed), the neighbour, drop, transmit and qdisc tracepoints enabled in it with
// filters on the capture's devices where the event names a device, the kernel's trace clock set
// to CLOCK_MONOTONIC (the helper's clock), and the instance removed on every way out. Function
// tracing is never used: tracepoints only. What the trace says is read by trace-events.ts.

import * as l10n from '@vscode/l10n';
import fs = require('node:fs');
import path = require('node:path');
import { spawnSync } from 'node:child_process';

/** The tracepoints a capture records (subsystem/event), in the order they are enabled. */
export const TRACEPOINTS = [
  'neigh/neigh_create', 'neigh/neigh_update', 'neigh/neigh_update_done', 'neigh/neigh_timer_handler',
  'neigh/neigh_event_send_done', 'neigh/neigh_event_send_dead',
  'skb/kfree_skb', 'net/net_dev_queue', 'net/net_dev_xmit', 'qdisc/qdisc_enqueue', 'qdisc/qdisc_dequeue',
] as const;

/** Where tracefs is mounted on most machines. */
export const TRACEFS = '/sys/kernel/tracing';

/** Per-CPU buffer of the instance, in KiB: a capture's events with room for the machine's other drops. */
const BUFFER_KB = 8192;

export interface TraceInstance {
  /** instances/NAME under the tracefs mount. */
  dir: string;
  /** The tracepoints enabled. */
  enabled: string[];
  /** The tracepoints this kernel does not have. */
  missing: string[];
}

/**
 * The tracefs mount (mounting it at /sys/kernel/tracing when nothing is mounted there), or
 * throws with the reason it cannot be used.
 */
export function tracefsRoot(): string {
  for (const dir of [TRACEFS, '/sys/kernel/debug/tracing']) {
    if (fs.existsSync(path.join(dir, 'instances'))) return dir;
  }
  if (!fs.existsSync(TRACEFS)) throw new Error(l10n.t('{0} does not exist (a kernel without tracefs)', TRACEFS));
  const r = spawnSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0 || !fs.existsSync(path.join(TRACEFS, 'instances'))) {
    throw new Error(l10n.t('cannot mount tracefs at {0}: {1}', TRACEFS, (r.stderr ?? '').trim() || r.error?.message || `exit status ${r.status}`));
  }
  return TRACEFS;
}

function write(file: string, value: string): void {
  fs.writeFileSync(file, value);
}

/**
 * Creates instances/NAME with the tracepoints enabled and `filters` (tracepoint -> filter
 * expression) set, its trace clock CLOCK_MONOTONIC, and tracing still off (startTrace turns it
 * on). Throws with the reason; an instance it made before failing is removed.
 */
export function openTrace(root: string, name: string, filters: Record<string, string>): TraceInstance {
  const dir = path.join(root, 'instances', name);
  fs.mkdirSync(dir);
  const t: TraceInstance = { dir, enabled: [], missing: [] };
  try {
    write(path.join(dir, 'tracing_on'), '0');
    const clocks = fs.readFileSync(path.join(dir, 'trace_clock'), 'utf8');
    if (!/\bmono\b/.test(clocks)) throw new Error(l10n.t('this kernel\'s trace has no mono clock ({0})', clocks.trim()));
    write(path.join(dir, 'trace_clock'), 'mono');
    write(path.join(dir, 'buffer_size_kb'), String(BUFFER_KB));
    for (const tp of TRACEPOINTS) {
      const ev = path.join(dir, 'events', tp);
      if (!fs.existsSync(ev)) {
        t.missing.push(tp);
        continue;
      }
      const f = filters[tp];
      if (f) {
        try {
          write(path.join(ev, 'filter'), f);
        } catch (e) {
          throw new Error(l10n.t('the filter "{0}" on {1} was refused ({2})', f, tp, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
        }
      }
      write(path.join(ev, 'enable'), '1');
      t.enabled.push(tp);
    }
    return t;
  } catch (e) {
    closeTrace(t);
    throw e;
  }
}

export function startTrace(t: TraceInstance): void {
  write(path.join(t.dir, 'tracing_on'), '1');
}

export function stopTrace(t: TraceInstance): void {
  write(path.join(t.dir, 'tracing_on'), '0');
}

/** The instance's trace as text, and how many events the kernel could not keep (full buffers). */
export function readTrace(t: TraceInstance): { text: string; lost: number } {
  const text = fs.readFileSync(path.join(t.dir, 'trace'), 'utf8');
  let lost = 0;
  const perCpu = path.join(t.dir, 'per_cpu');
  for (const cpu of fs.existsSync(perCpu) ? fs.readdirSync(perCpu) : []) {
    try {
      const stats = fs.readFileSync(path.join(perCpu, cpu, 'stats'), 'utf8');
      for (const m of stats.matchAll(/^(?:overrun|dropped events): (\d+)$/gm)) lost += Number(m[1]);
    } catch {
      // a CPU that went offline
    }
  }
  return { text, lost };
}

/** Turns the instance's events off and removes it. Never throws: it runs on every way out. */
export function closeTrace(t: TraceInstance): void {
  // Only files the kernel made: a folder that is not (or no longer) an instance gets nothing written.
  for (const f of [path.join(t.dir, 'tracing_on'), path.join(t.dir, 'events', 'enable')]) {
    try {
      fs.writeFileSync(f, '0', { flag: 'r+' });
    } catch {
      // already gone, or never complete
    }
  }
  for (let i = 0; i < 5; i++) {
    try {
      fs.rmdirSync(t.dir);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      // EBUSY while a reader still has the trace open: wait a moment.
      spawnSync('sleep', ['0.05']);
    }
  }
}

/** Instances named kpath-<pid>-<seq> (a capture's) that `stale` says were left by a process that is gone. */
export function staleInstances(root: string, stale: (name: string) => boolean): string[] {
  const dir = path.join(root, 'instances');
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => /^kpath-\d+-\d+$/.test(n) && stale(n)).map((n) => path.join(dir, n));
}
