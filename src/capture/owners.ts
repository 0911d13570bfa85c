// Which network namespaces this machine's kpath made, and whether the process that made each is
// gone: a record per namespace in a folder only root can write (/run/kpath/netns), naming the
// process by its pid, its start time and its PID namespace. A namespace without a record, or made
// from another PID namespace (a container, another machine sharing /run), is never touched.

import * as l10n from '@vscode/l10n';
import fs = require('node:fs');
import path = require('node:path');

/** The folder of the records: /run is cleared at boot, as the namespaces are. */
export const OWNERS_DIR = '/run/kpath/netns';

/** The names kpath gives its namespaces (plan.ts): `kpath-<pid>-<seq>-h` and `-p<n>`. */
export const OWN_NS_RE = /^kpath-(\d+)-\d+-(?:h|p\d+)$/;

export interface Owner {
  pid: number;
  /** Field 22 of /proc/PID/stat: tells this process from a later one given the same pid. */
  start: string;
  /** /proc/self/ns/pid, e.g. `pid:[4026531836]`. */
  pidns: string;
  /** /proc/sys/kernel/random/boot_id: a record from before a reboot names no live process. */
  boot: string;
}

/** The start time of process `pid` in this PID namespace, or undefined when there is none. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: the 22nd field is the 20th of these.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

/** This process, as a record names it. */
export function selfOwner(): Owner {
  let pidns = '';
  try {
    pidns = fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    // no /proc: such a record matches no PID namespace, so nothing is removed by it
  }
  return { pid: process.pid, start: processStart(process.pid) ?? '', pidns, boot: readText('/proc/sys/kernel/random/boot_id') };
}

/**
 * Whether the namespace of this record was left by a process that is gone: same machine (boot)
 * and PID namespace, and its pid names no process or a process started at another time.
 */
export function ownerGone(o: Owner | undefined, self: Owner, startOf: (pid: number) => string | undefined = processStart): boolean {
  if (!o || !self.pidns || o.pidns !== self.pidns) return false;
  if (o.boot && self.boot && o.boot !== self.boot) return true;
  const start = startOf(o.pid);
  return start === undefined || start !== o.start;
}

/** The records' folder, made if need be; refused unless it is a real folder of this user that no one else may write. */
export function ownersDir(dir = OWNERS_DIR): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  const uid = typeof process.geteuid === 'function' ? process.geteuid() : st.uid;
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) {
    throw new Error(l10n.t('{0} is not a folder of this user that only it can write: kpath keeps its namespaces\' records there', dir));
  }
  return dir;
}

/** Writes the record of namespace `ns` (a new file: never through a link planted there). */
export function recordOwner(dir: string, ns: string, o: Owner): void {
  if (!OWN_NS_RE.test(ns)) throw new Error(l10n.t('not a kpath namespace name: {0}', ns));
  const file = path.join(dir, ns);
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, JSON.stringify(o) + '\n', { flag: 'wx', mode: 0o600 });
}

/** The record of namespace `ns`, or undefined (none, not a regular file, not a record). */
export function readOwner(dir: string, ns: string): Owner | undefined {
  if (!OWN_NS_RE.test(ns)) return undefined;
  const file = path.join(dir, ns);
  try {
    if (!fs.lstatSync(file).isFile()) return undefined;
    const o = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Owner>;
    if (typeof o.pid !== 'number' || typeof o.start !== 'string' || typeof o.pidns !== 'string' || typeof o.boot !== 'string') return undefined;
    if (Number(OWN_NS_RE.exec(ns)![1]) !== o.pid) return undefined;
    return { pid: o.pid, start: o.start, pidns: o.pidns, boot: o.boot };
  } catch {
    return undefined;
  }
}

export function forgetOwner(dir: string, ns: string): void {
  if (OWN_NS_RE.test(ns)) fs.rmSync(path.join(dir, ns), { force: true });
}

/** Names of the records in the folder. */
export function recordedNamespaces(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => OWN_NS_RE.test(n));
  } catch {
    return [];
  }
}
