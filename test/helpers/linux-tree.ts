// Real and synthetic Linux trees for the kernel-source tests. The real one is Debian's
// linux-source-6.1 package (/usr/src/linux-source-6.1.tar.xz), unpacked outside the repository on
// first use (under /var/cache/kpath-test, or $KPATH_TEST_TREES); the synthetic ones are small
// kernel-like files a test writes into a temporary folder, removed when the test process exits.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from './cli';

export const LINUX_TARBALL = '/usr/src/linux-source-6.1.tar.xz';
const TREES = process.env.KPATH_TEST_TREES || '/var/cache/kpath-test';
const DONE = '.kpath-unpacked';

/** The unpacked 6.1 tree, or why there is none (the tests that need it skip with that reason). */
export function linux61(): { root: string; skip?: undefined } | { skip: string; root?: undefined } {
  const root = path.join(TREES, 'linux-source-6.1');
  if (fs.existsSync(path.join(root, DONE))) return { root };
  if (!fs.existsSync(LINUX_TARBALL)) return { skip: `${LINUX_TARBALL} is not installed (Debian package linux-source-6.1)` };
  try {
    fs.mkdirSync(TREES, { recursive: true });
    // Unpacked beside its final place and renamed when complete, so a half tree is never used.
    const tmp = fs.mkdtempSync(path.join(TREES, '.unpack-'));
    const r = spawnSync('tar', ['-xJf', LINUX_TARBALL, '-C', tmp], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) return { skip: `tar could not unpack ${LINUX_TARBALL}: ${r.stderr || r.error?.message}` };
    fs.writeFileSync(path.join(tmp, 'linux-source-6.1', DONE), '');
    try {
      fs.renameSync(path.join(tmp, 'linux-source-6.1'), root);
    } catch {
      // another test process got there first
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  } catch (e) {
    return { skip: `cannot unpack ${LINUX_TARBALL} under ${TREES}: ${(e as Error).message}` };
  }
  return fs.existsSync(path.join(root, DONE)) ? { root } : { skip: `${root} could not be prepared` };
}

/** A folder with `files` (kernel path -> text) and a Makefile for `version` ("4.9.0"). */
export function syntheticTree(version: string, files: Record<string, string>): string {
  const root = makeTempDir('kpath-tree-');
  const [v, p, s] = version.split('.');
  fs.writeFileSync(path.join(root, 'Makefile'), `# SPDX-License-Identifier: GPL-2.0\nVERSION = ${v}\nPATCHLEVEL = ${p}\nSUBLEVEL = ${s ?? 0}\nEXTRAVERSION =\nNAME = Test Tree\n`);
  for (const [p2, text] of Object.entries(files)) {
    const f = path.join(root, ...p2.split('/'));
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
  }
  return root;
}

/** The 1-based line `n` of a file of a tree. */
export function lineOf(root: string, kernelPath: string, n: number): string {
  return fs.readFileSync(path.join(root, ...kernelPath.split('/')), 'utf8').split('\n')[n - 1] ?? '';
}

/** A private cache folder for one test file. */
export function tempCache(): string {
  const d = makeTempDir('kpath-cache-');
  fs.chmodSync(d, 0o700);
  return d;
}
