// Files the CLI writes. Every file is written to a temporary name beside its target and renamed
// into place only when complete, so an interrupted run never leaves half a file under the name.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** A file written in chunks (a streamed pcap) that appears under its name only on commit(). */
export class AtomicFile {
  private fd: number;
  private tmp: string;
  private done = false;

  constructor(readonly target: string) {
    const dir = path.dirname(path.resolve(target));
    this.tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.tmp`);
    this.fd = fs.openSync(this.tmp, 'w');
  }

  write(chunk: Uint8Array): void {
    fs.writeSync(this.fd, chunk);
  }

  commit(): void {
    if (this.done) return;
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      fs.renameSync(this.tmp, this.target);
    } catch (e) {
      try {
        fs.unlinkSync(this.tmp);
      } catch {
        // nothing left to remove
      }
      this.done = true;
      throw e;
    }
    this.done = true;
  }

  abort(): void {
    if (this.done) return;
    this.done = true;
    try {
      fs.closeSync(this.fd);
      fs.unlinkSync(this.tmp);
    } catch {
      // already gone
    }
  }
}
