// Files kpath writes. Each is written under a temporary name beside its target, created
// exclusively (never through a link someone planted), and renamed into place only when complete;
// an interrupted write leaves neither half a file under the name nor the temporary behind.

import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import * as l10n from '@vscode/l10n';

/** Temporary files being written, and temporary folders, removed if the process exits before they are done with. */
const pending = new Set<string>();
const pendingDirs = new Set<string>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', removePending);
}

function removePending(): void {
  for (const f of pending) {
    try {
      fs.unlinkSync(f);
    } catch {
      // already gone
    }
  }
  pending.clear();
  for (const d of pendingDirs) fs.rmSync(d, { recursive: true, force: true });
  pendingDirs.clear();
}

function track(tmp: string): void {
  pending.add(tmp);
  installCleanup();
}

/**
 * Ends the process on SIGINT, SIGTERM and SIGHUP with the status their default action gives
 * (128 + the signal's number), through process.exit, so that the temporaries above are removed
 * (the default action would leave them). For commands; a long job must yield now and then for
 * the signal to be handled.
 */
export function exitOnSignals(): void {
  installCleanup();
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(sig, () => process.exit(code));
  }
}

/** A new folder of this user's only (mode 0700, a fresh name), removed when the process exits unless removed before. */
export function tempDir(prefix: string): string {
  installCleanup();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  pendingDirs.add(dir);
  return dir;
}

/** Removes a folder made by tempDir. */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  pendingDirs.delete(dir);
}

/** A new temporary name beside `target`, opened exclusively for writing. */
function openTemp(target: string, mode: number): { tmp: string; fd: number } {
  const dir = path.dirname(path.resolve(target));
  for (;;) {
    // Unpredictable enough that nobody can plant it ahead; 'wx' refuses anything already there.
    const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
    try {
      const fd = fs.openSync(tmp, 'wx', mode);
      track(tmp);
      return { tmp, fd };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** A file written in chunks (a streamed pcap) that appears under its name only on commit(). */
export class AtomicFile {
  private readonly fd: number;
  private readonly tmp: string;
  private done = false;

  constructor(readonly target: string, mode = 0o644) {
    ({ tmp: this.tmp, fd: this.fd } = openTemp(target, mode));
  }

  write(chunk: Uint8Array | string): void {
    fs.writeFileSync(this.fd, chunk);
  }

  commit(): void {
    if (this.done) return;
    this.done = true;
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      fs.renameSync(this.tmp, this.target);
      pending.delete(this.tmp);
    } catch (e) {
      this.remove();
      throw e;
    }
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    this.remove();
  }

  private remove(): void {
    try {
      fs.unlinkSync(this.tmp);
    } catch {
      // already gone
    }
    pending.delete(this.tmp);
  }
}

/** Writes `data` to `target` atomically. */
export function writeFileAtomic(target: string, data: Uint8Array | string, mode = 0o644): void {
  const f = new AtomicFile(target, mode);
  try {
    f.write(data);
  } catch (e) {
    f.abort();
    throw e;
  }
  f.commit();
}

/**
 * `dir`, made if need be, checked to be this user's own: a real folder (not a link), owned by this
 * user, that no one else can write to. Its parents are made as usual; `dir` itself gets mode 0700.
 */
export function privateDir(dir: string): string {
  let st = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (!st) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    st = fs.lstatSync(dir);
  }
  const uid = process.getuid?.();
  if (!st.isDirectory()) throw new Error(l10n.t('{0} is not a folder (a link or a file is in its place); remove it and try again', dir));
  if (uid !== undefined && st.uid !== uid) throw new Error(l10n.t('{0} belongs to another user (uid {1}); remove it or set {2} to a folder of your own', dir, st.uid, 'XDG_CACHE_HOME'));
  if (st.mode & 0o022) throw new Error(l10n.t('{0} can be written by other users (mode {1}); {2} it', dir, (st.mode & 0o777).toString(8), 'chmod 700'));
  return dir;
}

/** kpath's private cache folder: $XDG_CACHE_HOME/kpath, or ~/.cache/kpath. */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return privateDir(path.join(base, 'kpath'));
}
