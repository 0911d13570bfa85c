// DAP messages read from a byte stream (stdin) before the DAP library sees them: each message is
// passed on as it came, and what is not one is dropped. A body that is not JSON may be a message
// shorter than its Content-Length that took the start of the next ones: reading goes on at the
// first "Content-Length:" inside it, so that the messages after it are still answered.

import { Transform, type TransformCallback } from 'node:stream';

const SEPARATOR = Buffer.from('\r\n\r\n', 'ascii');
const HEADER = Buffer.from('Content-Length:', 'ascii');
/** A header longer than this is not one. */
const MAX_HEADER = 1024;
/** A length above this is not a message's (the largest, a launch with a scenario object, is far smaller). */
export const MAX_BODY = 64 * 1024 * 1024;

export class DapFraming extends Transform {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly dropped: (why: string) => void = () => {}) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    this.drain();
    done();
  }

  private drain(): void {
    for (;;) {
      // A message begins at "Content-Length:"; whatever comes before one is not a message.
      const at = this.buf.indexOf(HEADER);
      if (at < 0) {
        if (this.buf.length >= HEADER.length) this.skip(this.buf.length - HEADER.length + 1, 'bytes without a header');
        return;
      }
      if (at > 0) this.skip(at, 'bytes without a header');
      const end = this.buf.indexOf(SEPARATOR);
      if (end < 0 && this.buf.length <= MAX_HEADER) return; // the rest of the header is to come
      if (end < 0 || end > MAX_HEADER) {
        this.skip(HEADER.length, 'a header too long');
        continue;
      }
      const lines = this.buf.subarray(0, end).toString('latin1').split('\r\n');
      const m = lines.map((l) => /^Content-Length: *(\d+) *$/.exec(l)).find((x) => x !== null);
      if (!m || Number(m[1]) > MAX_BODY) {
        this.skip(HEADER.length, 'a header without a length');
        continue;
      }
      const start = end + SEPARATOR.length;
      const len = Number(m[1]);
      if (this.buf.length < start + len) return;
      const body = this.buf.subarray(start, start + len);
      if (isJson(body)) {
        this.push(Buffer.from(`Content-Length: ${len}\r\n\r\n`, 'ascii'));
        this.push(Buffer.from(body));
        this.buf = this.buf.subarray(start + len);
        continue;
      }
      // Not a message: start again at a header inside it, if there is one.
      const next = body.indexOf(HEADER);
      this.skip(next >= 0 ? start + next : start + len, 'a body that is not JSON');
    }
  }

  private skip(n: number, why: string): void {
    this.buf = this.buf.subarray(n);
    this.dropped(why);
  }
}

function isJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
