// The folder a capture is written to (OUTDIR), checked before the capture starts so that nothing
// is found out after it: made if missing, a folder this process can write to, and not holding a
// capture already unless the user says to replace it. The files go in through AtomicFile (a
// temporary created exclusively, then renamed), so a link planted in OUTDIR is replaced, never
// followed.

import * as l10n from '@vscode/l10n';
import fs = require('node:fs');
import path = require('node:path');
import type { CaptureDoc } from './capture-doc';
import { formatCaptureDoc } from './capture-doc';
import { PcapWriter } from '../model/wire/pcap';
import { AtomicFile } from '../io/files';

export const CAPTURE_FILES = ['capture.pcap', 'result.json'] as const;

/** A folder that cannot take a capture. */
export class OutDirError extends Error {}

/** Checks (and makes) OUTDIR; throws OutDirError saying what is wrong. */
export function prepareOutDir(dir: string, force: boolean): void {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutDirError(l10n.t('{0}: {1}', dir, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  if (st && !st.isDirectory()) throw new OutDirError(l10n.t('{0} is not a folder: the capture needs a folder to write capture.pcap and result.json in', dir));
  if (!st) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new OutDirError(l10n.t('cannot make {0}: {1}', dir, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
    }
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw new OutDirError(l10n.t('cannot write in {0}', dir));
  }
  const there = CAPTURE_FILES.filter((f) => fs.existsSync(path.join(dir, f)) || isLink(path.join(dir, f)));
  if (there.length && !force) throw new OutDirError(l10n.t('{0} already holds a capture ({1}); --force replaces it', dir, there.join(', ')));
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Writes OUTDIR/capture.pcap and OUTDIR/result.json (and OUTDIR/trace.txt, given the kernel's trace), each complete or not at all. */
export function writeCaptureFiles(dir: string, frames: Uint8Array[], doc: CaptureDoc, trace?: string): void {
  const pcap = new AtomicFile(path.join(dir, 'capture.pcap'));
  const json = new AtomicFile(path.join(dir, 'result.json'));
  const txt = trace === undefined ? null : new AtomicFile(path.join(dir, 'trace.txt'));
  try {
    const w = new PcapWriter((c) => pcap.write(c));
    frames.forEach((f, i) => w.write(doc.frames[i].time, f));
    w.flush();
    json.write(formatCaptureDoc(doc));
    if (txt) txt.write(trace!);
    pcap.commit();
    json.commit();
    if (txt) txt.commit();
  } catch (e) {
    pcap.abort();
    json.abort();
    txt?.abort();
    throw e;
  }
}
