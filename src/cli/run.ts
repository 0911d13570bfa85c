// `kpath run`: parse the scenario, run it with the requested watchers and sinks, print the result.

import * as l10n from '@vscode/l10n';
import fs = require('node:fs');
import { parseScenarioAll, ScenarioError } from '../model/scenario/parse';
import { createKernel, runKernelSlice, resultOf, totalCalls } from '../model/run';
import { Tracer, formatTraceLine, TraceLine } from '../model/trace';
import { findFunction, MODELED_FUNCTIONS } from '../model/kernel/functions';
import { PcapWriter } from '../model/wire/pcap';
import { AtomicFile } from '../io/files';
import { RunArgs, UsageError, AUTO_COUNTS_CALLS } from './args';
import { formatReport } from './format';

/** Where a trace line's function is in a Linux tree (`kpath run --kernel-source`): `path:line`, or undefined. */
export type SourceOf = (fn: string) => string | undefined;

export async function runCommand(a: RunArgs, write: (s: string) => void, sourceOf?: SourceOf): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(a.file, 'utf8');
  } catch (e) {
    throw new UsageError(l10n.t('cannot read {0}: {1}', a.file, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  const parsed = parseScenarioAll(text, a.file);
  if (!parsed.scenario) throw new ScenarioErrors(parsed.errors);
  const scenario = parsed.scenario;
  if (a.kernel) scenario.kernel = a.kernel;
  for (const b of a.breaks) {
    const f = findFunction(b);
    if (!f) throw new UsageError(l10n.t('--break {0}: not a modeled function; modeled: {1}', b, MODELED_FUNCTIONS.map((x) => x.name).join(', ')));
    if (!f.profiles.includes(scenario.kernel)) throw new UsageError(`--break ${b}: ${l10n.t('{0} is not on the {1} path (it runs in {2})', b, scenario.kernel, f.profiles.join(', '))}`);
  }

  let pcap: AtomicFile | null = null;
  if (a.pcap) {
    try {
      pcap = new AtomicFile(a.pcap);
    } catch (e) {
      throw new UsageError(l10n.t('cannot write {0}: {1}', a.pcap ?? '', (e as NodeJS.ErrnoException).code ?? (e as Error).message));
    }
  }
  try {
    // The file is written synchronously, so the writer may lend it its buffer.
    const writer = pcap ? new PcapWriter((chunk) => pcap.write(chunk), 1 << 20, true) : null;
    const calls = totalCalls(scenario);
    const record = a.record ?? (calls > AUTO_COUNTS_CALLS ? 'counts' : 'all');
    if (record === 'counts' && !a.record) {
      process.stderr.write(`kpath: ${a.pcap
        ? l10n.t('{0} socket calls: keeping totals per send line instead of a record per call and per frame (the pcap gets every frame); --records keeps them all', calls)
        : l10n.t('{0} socket calls: keeping totals per send line instead of a record per call and per frame; --records keeps them all', calls)}\n`);
    }
    const progress = process.stderr.isTTY ? new ProgressBar(process.stderr) : null;
    const traceLines: TraceLine[] = [];
    const watching = a.trace || a.breaks.length > 0;
    let k: ReturnType<typeof createKernel> | null = null;
    const tracer = watching
      ? new Tracer(() => k!.now, (l) => (a.json ? traceLines.push(l) : write(withSource(formatTraceLine(l), sourceOf?.(l.function)) + '\n')), new Set(a.breaks), a.trace)
      : null;
    k = createKernel(scenario, {
      watcher: tracer ?? undefined,
      frameSinks: writer ? [(t, _dev, _dir, frame) => writer.write(t, frame)] : [],
      record,
      progress: progress ? (done, total) => progress.show(done, total) : undefined,
    });
    if (tracer && !a.json && a.trace) write(`${l10n.t('Trace (time, context, packet, function, len, decision):')}\n`);
    try {
      // In slices, so that Ctrl-C (and SIGTERM) is handled during a long run and its temporaries removed.
      const done = { events: 0 };
      while (!runKernelSlice(k, scenario.run, SLICE_EVENTS, done)) await new Promise((r) => setImmediate(r));
    } finally {
      progress?.clear();
    }
    tracer?.flush();
    writer?.flush();
    const result = resultOf(k, scenario);
    if (pcap) {
      try {
        pcap.commit();
      } catch (e) {
        throw new UsageError(l10n.t('cannot write {0}: {1}', a.pcap ?? '', (e as NodeJS.ErrnoException).code ?? (e as Error).message));
      }
    }
    if (a.json) {
      const doc: Record<string, unknown> = { ...result };
      if (tracer) doc.trace = sourceOf ? traceLines.map((l) => ({ ...l, source: sourceOf(l.function) ?? null })) : traceLines;
      if (a.breaks.length) doc.breaks = Object.fromEntries(a.breaks.map((b) => [b, tracer!.breakHits().get(b) ?? 0]));
      write(JSON.stringify(doc, null, 2) + '\n');
    } else {
      if (a.trace) write('\n');
      if (a.breaks.length) {
        write(`${l10n.t('Breakpoints: {0}', a.breaks.map((b) => l10n.t('{0} hit {1} times', b, tracer!.breakHits().get(b) ?? 0)).join(', '))}\n\n`);
      }
      write(formatReport(result) + '\n');
      if (a.pcap) write(`\n${l10n.t('Wrote {0} frames to {1}', k.frameCount, a.pcap)}\n`);
    }
    return 0;
  } catch (e) {
    pcap?.abort();
    throw e;
  }
}

/** Events run between two looks at the event loop (signals): a few milliseconds' worth. */
const SLICE_EVENTS = 1 << 14;

/** A trace line with the function's place in the kernel source appended. */
function withSource(line: string, source: string | undefined): string {
  return source === undefined ? line : `${line.padEnd(110)}  ${source}`;
}

/**
 * A progress bar on a terminal's stderr for long runs: socket calls made out of all, at most ten
 * updates a second, erased when the run ends.
 */
class ProgressBar {
  private last = 0;
  private shown = false;
  private readonly start = Date.now();

  constructor(private readonly out: NodeJS.WriteStream) {}

  show(done: number, total: number): void {
    const now = Date.now();
    if (now - this.last < 100 || total <= 0) return;
    this.last = now;
    const width = 30;
    const frac = Math.min(1, done / total);
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    const secs = ((now - this.start) / 1000).toFixed(1);
    this.out.write(`\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  ${l10n.t('{0}/{1} socket calls', done, total)}  ${secs} s`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }
}

/** Every error of a scenario, so that one run shows them all. */
export class ScenarioErrors extends Error {
  constructor(readonly errors: ScenarioError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

export { ScenarioError };
