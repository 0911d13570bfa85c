// `kpath compare FILE.kpath [--capture DIR] [--json]`: the model against the real kernel, frame by
// frame (src/capture/compare.ts). Without --capture it captures live first (root, namespaces).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario } from '../model/run';
import { readCapture, scenarioDigest } from '../capture/capture-doc';
import { compare, formatComparison } from '../capture/compare';
import { sideFromCapture, sideFromRun } from '../capture/sides';
import { captureEnd, captureScenario, CaptureEnvironmentError, preflight, preflightMessage } from '../capture/live';
import { loadScenarioFile, reportError } from './capture';
import { UsageError } from './args';

interface CompareArgs {
  file: string;
  capture?: string;
  json: boolean;
  keep?: string;
}

function parseCompareArgs(argv: string[]): CompareArgs {
  const a: CompareArgs = { file: '', json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--capture') a.capture = value();
    else if (arg.startsWith('--capture=')) a.capture = arg.slice(10);
    else if (arg === '--keep') a.keep = value();
    else if (arg.startsWith('--keep=')) a.keep = arg.slice(7);
    else if (arg === '--json') a.json = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg} (see kpath compare --help)`);
    else if (!a.file) a.file = arg;
    else throw new UsageError(`one scenario file at a time ("${a.file}" and "${arg}")`);
  }
  if (!a.file) throw new UsageError('kpath compare needs a scenario file (see kpath compare --help)');
  if (a.capture && a.keep) throw new UsageError('--keep saves a live capture; with --capture nothing is captured');
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
        throw new CaptureEnvironmentError(`${preflightMessage(pre)}\n(or compare with a stored capture: --capture DIR)`);
      }
      if (a.keep) dir = a.keep;
      else dir = tmp = fs.mkdtempSync(path.join(os.tmpdir(), `kpath-compare-${process.pid}-`));
      const log = (l: string): void => void process.stderr.write(`kpath compare: ${l}\n`);
      await captureScenario(scenario, dir, { end: captureEnd(scenario, result.endTime), scenarioPath: a.file, log });
    }
    let stored;
    try {
      stored = readCapture(dir);
    } catch (e) {
      throw new UsageError((e as Error).message);
    } finally {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    }
    if (stored.doc.scenarioDigest !== scenarioDigest(scenario)) {
      process.stderr.write(`kpath compare: warning: ${dir} was captured from another version of ${a.file}\n`);
    }
    const model = sideFromRun(result);
    const kernel = sideFromCapture(stored);
    const c = compare(model, kernel, { fixedPorts: scenario.sends.flatMap((x) => (x.fromPort ? [x.fromPort] : [])) });
    if (a.json) {
      write(JSON.stringify({ agree: c.agree, kernel: stored.doc.kernel, differences: c.differences, ignored: c.ignored, eventsCompared: c.eventsCompared, rows: c.rows.map((r) => ({ model: r.model, kernel: r.kernel, differ: r.differences.length > 0 })) }, null, 2) + '\n');
    } else {
      write(`Model (kernel profile ${scenario.kernel}) against ${stored.doc.kernel} (${a.capture ? dir : 'captured now'}), ${a.file}\n\n`);
      write(formatComparison(c, model, kernel) + '\n');
      for (const n of stored.doc.notes) write(`Note on the capture: ${n}\n`);
    }
    return c.agree ? 0 : 1;
  } catch (e) {
    return reportError(e);
  }
}
