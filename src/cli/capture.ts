// `kpath capture FILE.kpath OUTDIR`: the scenario on this machine's real kernel (src/capture).

import * as l10n from '@vscode/l10n';
import fs = require('node:fs');
import { parseScenarioAll, ScenarioError } from '../model/scenario/parse';
import { printable } from '../model/scenario/errors';
import type { Scenario } from '../model/scenario/types';
import { captureEnd, captureScenario, CaptureEnvironmentError, preflight, preflightMessage } from '../capture/live';
import { readArgs, UsageError } from './args';
import { LimitError } from '../model/scenario/limits';
import { OutDirError, prepareOutDir } from '../capture/outdir';
import { vlanProblems } from '../capture/vlan-support';
import { ScenarioErrors } from './run';

/** Reads and parses a scenario file; errors are UsageError (unreadable) or ScenarioError. */
export function loadScenarioFile(file: string): { scenario: Scenario; text: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(l10n.t('cannot read {0}: {1}', file, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  const parsed = parseScenarioAll(text, file);
  if (!parsed.scenario) throw parsed.errors[0];
  return { scenario: parsed.scenario, text };
}

/** Exit status for an error thrown by any command, after saying what it was. */
export function reportError(e: unknown): number {
  if (e instanceof ScenarioError || e instanceof ScenarioErrors || e instanceof CaptureEnvironmentError) {
    process.stderr.write(`${e instanceof CaptureEnvironmentError ? 'kpath: ' : ''}${printableLines(e.message)}\n`);
    return 2;
  }
  if (e instanceof UsageError || e instanceof LimitError || e instanceof OutDirError) {
    process.stderr.write(`kpath: ${printableLines(e.message)}\n`);
    return 2;
  }
  process.stderr.write(`kpath: ${printableLines(l10n.t('internal error: {0}', (e as Error)?.stack ?? String(e)))}\n`);
  return 1;
}

/** A message that may quote arguments or file contents, its lines kept and nothing in them a terminal would obey. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

export async function captureCommand(argv: string[], write: (s: string) => void): Promise<number> {
  try {
    const { options, operands: pos } = readArgs(argv, { force: { type: 'boolean' }, trace: { type: 'boolean' } }, 'kpath capture --help');
    const force = options.force ?? false;
    const keepTrace = options.trace ?? false;
    if (pos.length !== 2) throw new UsageError(l10n.t('{0} needs a scenario file and an output directory (see {1})', 'kpath capture', 'kpath capture --help'));
    const [file, outDir] = pos;
    const { scenario } = loadScenarioFile(file);
    // A kernel without 802.1Q cannot take a VLAN link: refused before OUTDIR is made.
    const vlan = vlanProblems(scenario);
    if (vlan.length) throw new CaptureEnvironmentError(vlan.join('\n'));
    // Before the capture: a result that could not be written would be lost after it.
    prepareOutDir(outDir, force);
    const pre = preflight(scenario);
    if (pre.problems.length || pre.missing.length) throw new CaptureEnvironmentError(preflightMessage(pre));
    const end = captureEnd(scenario);
    const log = (l: string): void => void process.stderr.write(`kpath capture: ${l}\n`);
    const doc = await captureScenario(scenario, outDir, { end, scenarioPath: file, log, keepTrace });
    write(`${l10n.t('Kernel {0}, {1}, ran to {2} ms', doc.kernel, file, (doc.endTime / 1e6).toFixed(3))}\n\n${l10n.t('Socket calls:')}\n`);
    for (const s of doc.sends) {
      write(`  ${(s.time / 1e6).toFixed(6).padStart(14)} ms  line ${String(s.line).padEnd(4)} ${s.proto} to ${s.to} size ${s.size} [${s.socket}] -> ${s.result}` +
        `${s.setsockopt ? ` (${s.setsockopt.map((x) => `${x.option}: ${x.result}`).join(', ')})` : ''}\n`);
    }
    if (doc.events) write(`\n${l10n.t("Kernel events: {0} for the host namespace", doc.events.length)}\n`);
    for (const n of doc.notes) write(`\n${l10n.t('Note: {0}', n)}\n`);
    write(`\n${l10n.t('Wrote {0} frames to {1} and the results to {2}', doc.frames.length, `${outDir}/capture.pcap`, `${outDir}/result.json`)}\n`);
    return 0;
  } catch (e) {
    return reportError(e);
  }
}
