// Where the annotations of a C file come from: the active kpath session (kpath/annotations), for
// the model listings and the files of its Linux tree; with no session, the listings alone, read
// by the adapter's code loaded into the extension host (dist/dap-core.js, only when such a file is
// shown). Answers are kept per session and file until something changes what they say.

import os = require('node:os');
import path = require('node:path');
import vscode = require('vscode');
import type { Annotations } from '../../adapter/annotations';
import { loadCore, type Core } from '../../adapter/core';

/** A file of kpath's model listings: ~/.cache/kpath/listings/PROFILE/... */
const LISTING = /[\\/]kpath[\\/]listings[\\/](?:6\.18|4\.9)[\\/]/;

export function isListing(file: string): boolean {
  return LISTING.test(file);
}

/** The Linux tree a kpath session uses, if any (its resolved launch configuration's kernelSource). */
export function treeOf(session: vscode.DebugSession): string | undefined {
  const root = session.configuration.kernelSource;
  if (typeof root !== 'string' || !root) return undefined;
  return path.resolve(root === '~' || root.startsWith('~/') ? path.join(os.homedir(), root.slice(1)) : root);
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export class AnnotationStore implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<Annotations | null>>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fired when annotations may have changed (a session started or ended, a tree was mapped). */
  readonly onDidChange = this.emitter.event;
  private core: Core | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The kpath session that answers: the active one, else any running. */
  session(): vscode.DebugSession | undefined {
    const s = vscode.debug.activeDebugSession;
    return s?.type === 'kpath' ? s : undefined;
  }

  /** The annotations of a document, or null when kpath has none for it. */
  get(doc: vscode.TextDocument): Promise<Annotations | null> {
    if (doc.uri.scheme !== 'file') return Promise.resolve(null);
    const file = doc.uri.fsPath;
    const session = this.session();
    const tree = session && treeOf(session);
    const asked = session && (isListing(file) || (tree !== undefined && inside(tree, file)));
    if (!asked && !isListing(file)) return Promise.resolve(null);
    const key = `${asked ? session!.id : '-'}:${file}`;
    let p = this.cache.get(key);
    if (!p) {
      p = asked ? this.fromSession(session!, file, key) : Promise.resolve(this.fromListing(file));
      this.cache.set(key, p);
    }
    return p;
  }

  private async fromSession(session: vscode.DebugSession, file: string, key: string): Promise<Annotations | null> {
    try {
      const a = (await session.customRequest('kpath/annotations', { path: file })) as Annotations;
      // The tree is still being mapped: ask again next time.
      if (a.pending) this.cache.delete(key);
      return a.functions ? a : null;
    } catch {
      this.cache.delete(key);
      return isListing(file) ? this.fromListing(file) : null;
    }
  }

  /** A listing's annotations without a session, from the adapter's own code. */
  private fromListing(file: string): Annotations | null {
    try {
      this.core ??= loadCore(path.join(this.extensionUri.fsPath, 'dist'));
      return this.core.listingAnnotations(file, this.core.noteLanguage(this.core.languageOf(vscode.env.language)));
    } catch {
      return null;
    }
  }

  /** Forget every answer (a session started or ended, a tree was mapped). */
  invalidate(): void {
    this.cache.clear();
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
