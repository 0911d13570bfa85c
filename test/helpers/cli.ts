// Runs the bundled command (dist/cli.js) as a user would, with paths resolved from the repository
// root so that the tests do not depend on the directory they are started from.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root: the nearest directory above this file whose package.json is kpath's. */
export const REPO_ROOT = findRoot(__dirname);
/** The bundled command. */
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
/** The bundled default scenario. */
export const DEFAULT_SCENARIO = path.join(REPO_ROOT, 'media', 'scenarios', 'default.kpath');
/** The default scenario as `npm start` names it (relative to the repository root). */
export const DEFAULT_SCENARIO_REL = 'media/scenarios/default.kpath';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kpath') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no kpath package.json above ${start}`);
    dir = up;
  }
}

export interface KpathRun {
  /** Exit status (null if killed by a signal). */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The arguments, for messages. */
  args: string[];
}

export interface KpathOptions {
  /** Working directory; os.tmpdir() unless given, so that nothing relies on running from the repository. */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** Runs `node dist/cli.js ARGS...` and waits for it. */
export function kpath(args: string[], opts: KpathOptions = {}): KpathRun {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} does not exist: build first (npm run build)`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  // The test runner marks its children; the command is not a test file.
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? os.tmpdir(),
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, args };
}

/** Like kpath(), with stdout as raw bytes (for byte-for-byte comparisons). */
export function kpathBytes(args: string[], opts: KpathOptions = {}): { status: number | null; stdout: Buffer; stderr: string } {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} does not exist: build first (npm run build)`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? os.tmpdir(),
    env,
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** A one-paragraph account of a run, for assertion messages. */
export function describeRun(r: KpathRun): string {
  const cut = (s: string) => (s.length > 2000 ? s.slice(0, 2000) + `... (${s.length} chars)` : s);
  return `kpath ${r.args.join(' ')}\nexit ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}\n--- stdout ---\n${cut(r.stdout)}\n--- stderr ---\n${cut(r.stderr)}`;
}

/** Temporary folders made by makeTempDir: each test file runs in a process of its own, which removes them. */
const made: string[] = [];

/** A fresh temporary directory, removed when the test process exits (or before, with removeTempDir). */
export function makeTempDir(prefix = 'kpath-test-'): string {
  if (!made.length) process.once('exit', () => made.forEach(removeTempDir));
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Lines of a stack trace ("    at f (file:1:2)"): a user-facing error must have none. */
export function stackLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+at /.test(l));
}

/** Writes `text` to a fresh file atomically: a temporary name in the same directory, then rename. */
export function writeFileAtomic(target: string, text: string): void {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
