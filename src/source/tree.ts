// A Linux source tree as kpath needs it: is it one (a Makefile with VERSION and PATCHLEVEL, and
// net/ipv4/ip_output.c), which kernel it is, which files the mapping reads, and a hash of their
// bytes that names the cached mapping.

import fs = require('node:fs');
import path = require('node:path');
import { wantedNames } from './match';
import { anchors } from './anchors';
import { SOURCE_MAP_FORMAT } from './types';
// Imported from @vscode/l10n itself so that npm run l10n finds the strings; src/l10n sets its language.
import * as l10n from '@vscode/l10n';

/** The kernel files the mapping reads, sorted. */
export function mappedFiles(): string[] {
  return [...wantedNames().keys()].sort();
}

/** The kernel version of a tree, or why it is not a Linux tree. */
export function checkTree(root: string): { version: string } | { problem: string } {
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch (e) {
    return { problem: l10n.t('{0} does not exist ({1})', root, (e as NodeJS.ErrnoException).code ?? (e as Error).message) };
  }
  if (!st.isDirectory()) return { problem: l10n.t('{0} is not a folder', root) };
  let makefile: string;
  try {
    makefile = fs.readFileSync(path.join(root, 'Makefile'), 'utf8').slice(0, 4096);
  } catch {
    return { problem: l10n.t('{0} is not a Linux source tree: it has no Makefile', root) };
  }
  const field = (name: string) => new RegExp(`^${name}\\s*=\\s*(\\d*)`, 'm').exec(makefile)?.[1];
  const version = field('VERSION');
  const patchlevel = field('PATCHLEVEL');
  if (!version || !patchlevel) return { problem: l10n.t('{0} is not a Linux source tree: its Makefile has no VERSION and PATCHLEVEL', root) };
  if (!fs.existsSync(path.join(root, 'net', 'ipv4', 'ip_output.c'))) return { problem: l10n.t('{0} is not a Linux source tree: it has no net/ipv4/ip_output.c', root) };
  const sub = field('SUBLEVEL');
  return { version: `${version}.${patchlevel}${sub ? '.' + sub : ''}` };
}

/** The bytes of the files the mapping reads (null: missing), keyed by kernel path. */
export function readTree(root: string): Map<string, Buffer | null> {
  const out = new Map<string, Buffer | null>();
  for (const p of mappedFiles()) {
    try {
      out.set(p, fs.readFileSync(path.join(root, ...p.split('/'))));
    } catch {
      out.set(p, null);
    }
  }
  return out;
}

/**
 * The name of a tree's mapping: a hash of the files' bytes (and of which are missing), the
 * Makefile's version lines, the anchor table and the format, so that any change to either side
 * computes it again.
 */
export function treeKey(files: Map<string, Buffer | null>, version: string): string {
  // node:crypto is required only here: loading it costs every adapter's start several milliseconds.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const h = createHash('sha256');
  h.update(`kpath-source-map ${SOURCE_MAP_FORMAT}\n${version}\n${tableText()}\n`);
  for (const [p, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    h.update(`${p} ${bytes ? bytes.length : -1}\n`);
    if (bytes) h.update(bytes);
  }
  return h.digest('hex').slice(0, 32);
}

let table: string | null = null;

/** The anchor table as text (RegExps by their source), so that editing it changes the key. */
function tableText(): string {
  table ??= JSON.stringify(anchors(), (_k, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : typeof v === 'function' ? String((v as () => string)()) : v));
  return table;
}
