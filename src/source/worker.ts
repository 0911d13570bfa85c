// The worker thread that parses a tree (dist/source-worker.js): it gets the files' bytes, computes
// the mapping and posts it back (load.ts), its failures in the language of the thread that started it.

import { parentPort, workerData } from 'node:worker_threads';
import { computeSourceMap } from './compute';
import { useLanguage } from '../l10n';

const { files, version, language } = workerData as { files: [string, Uint8Array | null][]; version: string; language: string };
useLanguage(language);
computeSourceMap(new Map(files.map(([p, b]) => [p, b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : null])), version).then(
  (data) => parentPort!.postMessage({ data }),
  (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) }),
);
