// `kpath compare FILE.kpath [--capture DIR] [--json]`: the model against the real kernel, frame by
// frame (src/capture/compare.ts). Without --capture it captures live first (root, namespaces).

import * as l10n from '@vscode/l10n';
import { runScenario } from '../model/run';
import { readCapture, scenarioDigest } from '../capture/capture-doc';
import { compare, formatComparison } from '../capture/compare';
import { sideFromCapture, sideFromRun } from '../capture/sides';
import { captureEnd, captureScenario, CaptureEnvironmentError, preflight, preflightMessage } from '../capture/live';
import { loadScenarioFile, reportError } from './capture';
import { oneScenario, readArgs, UsageError } from './args';
import { prepareOutDir } from '../capture/outdir';
import { tempDir, removeTempDir } from '../io/files';

interface CompareArgs {
  file: string;
  capture?: string;
  json: boolean;
  keep?: string;
  force: boolean;
}

function parseCompareArgs(argv: string[]): CompareArgs {
  const spec = { capture: { type: 'string' }, keep: { type: 'string' }, json: { type: 'boolean' }, force: { type: 'boolean' } } as const;
  const { options: o, operands } = readArgs(argv, spec, 'kpath compare --help');
  const a: CompareArgs = { file: oneScenario(operands, 'kpath compare'), capture: o.capture, keep: o.keep, json: o.json ?? false, force: o.force ?? false };
  if (a.capture && a.keep) throw new UsageError(l10n.t('{0} saves a live capture; with {1} nothing is captured', '--keep', '--capture'));
  if (a.force && !a.keep) throw new UsageError(l10n.t('{0} replaces a capture kept with {1}; without {2} nothing is replaced', '--force', '--keep DIR', '--keep'));
  return a;
}

export async function compareCommand(argv: string[], write: (s: string) => void): Promise<number> {
  try {
    const a = parseCompareArgs(argv);
    const { scenario } = loadScenarioFile(a.file);
    const result = runScenario(scenario, { events: true });
    let dir = a.capture;
    let tmp: string | null = null;
    if (!dir) {
      const pre = preflight(scenario);
      if (pre.problems.length || pre.missing.length) {
        throw new CaptureEnvironmentError(`${preflightMessage(pre)}\n(${l10n.t('or compare with a stored capture: {0}', '--capture DIR')})`);
      }
      if (a.keep) {
        prepareOutDir(a.keep, a.force);
        dir = a.keep;
      } else {
        // Private, and removed on every way out (an error, Ctrl-C) as well as below.
        dir = tmp = tempDir(`kpath-compare-${process.pid}-`);
      }
    }
    let stored;
    try {
      if (!a.capture) {
        const log = (l: string): void => void process.stderr.write(`kpath compare: ${l}\n`);
        await captureScenario(scenario, dir!, { end: captureEnd(scenario, result.endTime), scenarioPath: a.file, log });
      }
      try {
        stored = readCapture(dir!);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    } finally {
      if (tmp) removeTempDir(tmp);
    }
    if (stored.doc.scenarioDigest !== scenarioDigest(scenario)) {
      process.stderr.write(`kpath compare: ${l10n.t('warning: {0} was captured from another version of {1}', dir, a.file)}\n`);
    }
    const model = sideFromRun(result);
    const kernel = sideFromCapture(stored);
    const c = compare(model, kernel, { fixedPorts: scenario.sends.flatMap((x) => (x.fromPort ? [x.fromPort] : [])) });
    if (a.json) {
      write(JSON.stringify({ agree: c.agree, kernel: stored.doc.kernel, differences: c.differences, ignored: c.ignored, eventsCompared: c.eventsCompared, rows: c.rows.map((r) => ({ model: r.model, kernel: r.kernel, differ: r.differences.length > 0 })) }, null, 2) + '\n');
    } else {
      write(`${l10n.t('Model (kernel profile {0}) against {1} ({2}), {3}', scenario.kernel, stored.doc.kernel, a.capture ? dir : l10n.t('captured now'), a.file)}\n\n`);
      write(formatComparison(c, model, kernel) + '\n');
      for (const n of stored.doc.notes) write(`${l10n.t('Note on the capture: {0}', n)}\n`);
    }
    return c.agree ? 0 : 1;
  } catch (e) {
    return reportError(e);
  }
}
