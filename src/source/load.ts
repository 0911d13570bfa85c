// Loading the mapping of a Linux tree: the files it reads are hashed, and the mapping computed for
// those bytes is kept in kpath's private cache folder (~/.cache/kpath/source-map/HASH.json), so a
// tree is parsed once. The folder keeps the KEEP mappings used last (a tree edited, or a new kpath,
// makes a new one). The parse runs in a worker thread: neither the debug adapter nor the editor
// that may host it waits on it.

import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import type { Worker as WorkerType } from 'node:worker_threads';
import type { ListingProfile } from '../model/listing';
import { cacheDir, privateDir, writeFileAtomic } from '../io/files';
import { checkTree, readTree, treeKey } from './tree';
import { KernelSourceMap } from './map';
import { SOURCE_MAP_FORMAT } from './types';
import type { SourceMapData } from './types';
import { language } from '../l10n';
// Imported from @vscode/l10n itself so that npm run l10n finds the strings; src/l10n sets its language.
import * as l10n from '@vscode/l10n';

/** How many mappings the cache folder keeps: a few trees and profiles, about 50 KB each. */
export const KEEP = 8;

export interface LoadOptions {
  /** kpath's cache folder (default: cacheDir()). */
  cache?: string;
  /** Compute with this instead of the worker (tests pass compute.ts's computeSourceMap). */
  compute?: (files: Map<string, Buffer | null>, version: string) => Promise<SourceMapData>;
  /** Called (before the returned promise settles) when there is no cached mapping and the tree is parsed. */
  onCompute?: () => void;
}

export type LoadResult =
  | { map: KernelSourceMap; cached: boolean; cacheFile: string | null }
  | { problem: string };

/** `~/x` and relative paths made absolute. */
export function resolveTreePath(root: string): string {
  const r = root === '~' || root.startsWith('~/') ? path.join(os.homedir(), root.slice(1)) : root;
  return path.resolve(r);
}

/**
 * The mapping of the tree at `root` for `profile`, from the cache or computed; or why there is none.
 * Everything up to the parse runs before this returns: a cached mapping is there a microtask later.
 */
export async function loadSourceMap(root: string, profile: ListingProfile, opts: LoadOptions = {}): Promise<LoadResult> {
  const abs = resolveTreePath(root);
  const tree = checkTree(abs);
  if ('problem' in tree) return tree;
  const files = readTree(abs);
  const key = treeKey(files, tree.version);
  let cacheFile: string | null = null;
  try {
    cacheFile = path.join(privateDir(path.join(opts.cache ?? cacheDir(), 'source-map')), `${key}.json`);
  } catch {
    // no private cache folder: compute every time
  }
  const cached = cacheFile ? readCache(cacheFile) : null;
  if (cached) {
    touch(cacheFile!);
    return { map: new KernelSourceMap(abs, cached, profile), cached: true, cacheFile };
  }
  let data: SourceMapData;
  opts.onCompute?.();
  try {
    data = await (opts.compute ?? computeInWorker)(files, tree.version);
  } catch (e) {
    return { problem: l10n.t('kpath could not read the C source of {0}: {1}', abs, (e as Error).message) };
  }
  if (cacheFile) {
    try {
      writeFileAtomic(cacheFile, JSON.stringify(data), 0o600);
      forgetOld(path.dirname(cacheFile));
    } catch {
      // the next session computes it again
    }
  }
  return { map: new KernelSourceMap(abs, data, profile), cached: false, cacheFile };
}

function readCache(file: string): SourceMapData | null {
  try {
    const d = JSON.parse(fs.readFileSync(file, 'utf8')) as SourceMapData;
    return d && d.format === SOURCE_MAP_FORMAT && d.profiles ? d : null;
  } catch {
    return null;
  }
}

/** Marks a mapping as used now, so that forgetOld keeps it. */
function touch(file: string): void {
  try {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    // kept or not, the mapping was read
  }
}

/** Removes all but the KEEP mappings used last. */
function forgetOld(dir: string): void {
  const maps = fs.readdirSync(dir).filter((f) => /^[0-9a-f]{32}\.json$/.test(f)).map((f) => {
    const file = path.join(dir, f);
    return { file, used: fs.statSync(file).mtimeMs };
  });
  maps.sort((a, b) => b.used - a.used);
  for (const m of maps.slice(KEEP)) fs.rmSync(m.file, { force: true });
}

/** The worker's script: beside the bundle (dist/source-worker.js), or compiled beside this file. */
function workerScript(): string {
  for (const f of [path.join(__dirname, 'source-worker.js'), path.join(__dirname, 'worker.js')]) if (fs.existsSync(f)) return f;
  throw new Error(l10n.t('the source worker is missing from {0}', __dirname));
}

function computeInWorker(files: Map<string, Buffer | null>, version: string): Promise<SourceMapData> {
  return new Promise((resolve, reject) => {
    const entries = [...files].map(([p, b]) => [p, b ? new Uint8Array(b) : null] as const);
    // Required here, not at the top: only a tree read for the first time needs a worker, and
    // loading worker_threads would lengthen every adapter's start.
    const { Worker } = require('node:worker_threads') as { Worker: typeof WorkerType };
    const w = new Worker(workerScript(), { workerData: { files: entries, version, language: language() } });
    let done = false;
    w.once('message', (m: { data?: SourceMapData; error?: string }) => {
      done = true;
      if (m.data) resolve(m.data);
      else reject(new Error(m.error ?? l10n.t('the worker answered nothing')));
      void w.terminate();
    });
    w.once('error', (e) => {
      done = true;
      reject(e);
    });
    w.once('exit', (code) => {
      if (!done) reject(new Error(l10n.t('the worker stopped (exit code {0})', code)));
    });
  });
}
