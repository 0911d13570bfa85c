// kpath/exportPcap {path}: the frames on the wire up to the current position written to a classic
// pcap file (the format `kpath run --pcap` writes), under a temporary name renamed into place when
// complete. The adapter writes it, in chunks, so a million frames never cross the protocol.

import path = require('node:path');
import { PcapWriter } from '../model/wire/pcap';
import { AtomicFile } from '../io/files';
// Imported from the package itself: @vscode/l10n-dev exports only the strings of files that do.
import * as l10n from '@vscode/l10n';
import type { RequestContext } from './requests';

/** Frames taken from the runtime at a time. */
const BATCH = 4096;

export function exportPcapRequest(ctx: RequestContext, args: { path?: unknown }): object {
  const target = args.path;
  if (typeof target !== 'string' || !target || !path.isAbsolute(target)) throw new Error(l10n.t('kpath/exportPcap: path must be an absolute file name'));
  const rt = ctx.runtime;
  if (!rt) throw new Error(l10n.t('no scenario is running (launch first)'));
  let file: AtomicFile;
  try {
    file = new AtomicFile(target);
  } catch (e) {
    throw new Error(l10n.t('cannot write {0}: {1}', target, errorCode(e)));
  }
  let frames = 0;
  let bytes = 0;
  try {
    // The file is written synchronously, so the writer may lend it its buffer.
    const writer = new PcapWriter((chunk) => {
      file.write(chunk);
      bytes += chunk.length;
    }, 1 << 20, true);
    for (let start = 0; ; start += BATCH) {
      const page = rt.frames(start, BATCH);
      for (const f of page.frames) writer.write(f.time, f.bytes);
      frames += page.frames.length;
      if (start + BATCH >= page.total) break;
    }
    writer.flush();
    file.commit();
  } catch (e) {
    file.abort();
    throw new Error(l10n.t('cannot write {0}: {1}', target, errorCode(e)));
  }
  return { path: target, frames, bytes };
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}
