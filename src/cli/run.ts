// `kpath run`: parse the scenario, run it with the requested watchers and sinks, print the result.

import * as fs from 'node:fs';
import { parseScenarioAll, ScenarioError } from '../model/scenario/parse';
import { createKernel, runKernel, resultOf } from '../model/engine/run';
import { Tracer, formatTraceLine, TraceLine } from '../model/engine/trace';
import { findFunction, MODELED_FUNCTIONS } from '../model/kernel/functions';
import { PcapWriter } from '../model/wire/pcap';
import { AtomicFile } from './files';
import { RunArgs, UsageError } from './args';
import { formatReport } from './format';

export function runCommand(a: RunArgs, write: (s: string) => void): number {
  let text: string;
  try {
    text = fs.readFileSync(a.file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${a.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const parsed = parseScenarioAll(text, a.file);
  if (!parsed.scenario) throw new ScenarioErrors(parsed.errors);
  const scenario = parsed.scenario;
  if (a.kernel) scenario.kernel = a.kernel;
  for (const b of a.breaks) {
    const f = findFunction(b);
    if (!f) throw new UsageError(`--break ${b}: not a modeled function; modeled: ${MODELED_FUNCTIONS.map((x) => x.name).join(', ')}`);
    if (!f.profiles.includes(scenario.kernel)) throw new UsageError(`--break ${b}: ${b} is not on the ${scenario.kernel} path (it runs in ${f.profiles.join(', ')})`);
  }

  let pcap: AtomicFile | null = null;
  if (a.pcap) {
    try {
      pcap = new AtomicFile(a.pcap);
    } catch (e) {
      throw new UsageError(`cannot write ${a.pcap}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  try {
    const writer = pcap ? new PcapWriter((chunk) => pcap.write(chunk), 1 << 20) : null;
    const traceLines: TraceLine[] = [];
    const watching = a.trace || a.breaks.length > 0;
    let k: ReturnType<typeof createKernel> | null = null;
    const tracer = watching
      ? new Tracer(() => k!.now, (l) => (a.json ? traceLines.push(l) : write(formatTraceLine(l) + '\n')), new Set(a.breaks), a.trace)
      : null;
    k = createKernel(scenario, {
      watcher: tracer ?? undefined,
      frameSinks: writer ? [(t, _dev, _dir, frame) => writer.write(t, frame)] : [],
    });
    if (tracer && !a.json && a.trace) write(`Trace (time, context, packet, function, len, decision):\n`);
    runKernel(k, scenario.run);
    tracer?.flush();
    writer?.flush();
    const result = resultOf(k, scenario);
    if (pcap) {
      try {
        pcap.commit();
      } catch (e) {
        throw new UsageError(`cannot write ${a.pcap}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    if (a.json) {
      const doc: Record<string, unknown> = { ...result };
      if (tracer) doc.trace = traceLines;
      if (a.breaks.length) doc.breaks = Object.fromEntries(a.breaks.map((b) => [b, tracer!.breakHits().get(b) ?? 0]));
      write(JSON.stringify(doc, null, 2) + '\n');
    } else {
      if (a.trace) write('\n');
      if (a.breaks.length) {
        write(`Breakpoints: ${a.breaks.map((b) => `${b} hit ${tracer!.breakHits().get(b) ?? 0} times`).join(', ')}\n\n`);
      }
      write(formatReport(result) + '\n');
      if (a.pcap) write(`\nWrote ${result.frames.length} frames to ${a.pcap}\n`);
    }
    return 0;
  } catch (e) {
    pcap?.abort();
    throw e;
  }
}

/** Every error of a scenario, so that one run shows them all. */
export class ScenarioErrors extends Error {
  constructor(readonly errors: ScenarioError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

export { ScenarioError };
