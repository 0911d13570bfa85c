// DapFraming: messages pass as they came, however the stream cuts them; what is not a message is
// dropped, and reading finds the next message after it, also inside a body that was too short.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DapFraming, MAX_BODY } from '../../src/adapter/framing';
import { frame } from '../helpers/raw-dap';
import { fuzzParams } from '../helpers/fuzz';

/** The messages DapFraming passes on for these chunks, and what it dropped. */
function through(chunks: (string | Buffer)[]): { messages: unknown[]; dropped: string[] } {
  const dropped: string[] = [];
  const f = new DapFraming((why) => dropped.push(why));
  const out: Buffer[] = [];
  f.on('data', (b: Buffer) => out.push(b));
  for (const c of chunks) f.write(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);
  f.end();
  // Read back with the plain rule: a header, then Content-Length bytes.
  let all = Buffer.concat(out);
  const messages: unknown[] = [];
  for (;;) {
    const end = all.indexOf('\r\n\r\n');
    if (end < 0) break;
    const len = Number(/^Content-Length: (\d+)$/.exec(all.subarray(0, end).toString('latin1'))![1]);
    messages.push(JSON.parse(all.subarray(end + 4, end + 4 + len).toString('utf8')));
    all = all.subarray(end + 4 + len);
  }
  assert.equal(all.length, 0, 'nothing left over in what passed');
  return { messages, dropped };
}

const req = (seq: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ seq, type: 'request', command: 'threads', ...extra });

describe('DapFraming', () => {
  test('messages pass unchanged, whatever the chunks', () => {
    const msgs = [req(1), req(2, { arguments: { text: 'Content-Length: 3\r\n\r\nx ünïcödé 中文' } }), req(3)];
    const bytes = Buffer.concat(msgs.map((m) => frame(JSON.stringify(m))));
    fc.assert(
      fc.property(fc.array(fc.nat({ max: bytes.length }), { maxLength: 8 }), (cuts) => {
        const points = [...new Set([0, ...cuts, bytes.length])].sort((a, b) => a - b);
        const chunks = points.slice(1).map((p, i) => bytes.subarray(points[i], p));
        assert.deepEqual(through(chunks), { messages: msgs, dropped: [] });
      }),
      fuzzParams(200),
    );
  });

  test('a body shorter than its Content-Length: the messages it swallowed still pass', () => {
    const r = through(['Content-Length: 60\r\n\r\n{"seq":1}', ...[2, 3, 4].map((n) => frame(JSON.stringify(req(n))))]);
    assert.deepEqual(r.messages, [req(2), req(3), req(4)]);
    assert.deepEqual(r.dropped, ['a body that is not JSON']);
  });

  test('bad headers and bodies are dropped; the messages around them pass', () => {
    const r = through([
      frame(JSON.stringify(req(1))),
      'Foo: bar\r\n\r\n',
      'Content-Length: abc\r\n\r\n',
      frame('hello'),
      `Content-Length: ${MAX_BODY + 1}\r\n\r\n`,
      'x'.repeat(5000),
      frame(JSON.stringify(req(2))),
      frame('null'),
      'Content-Length: 0\r\n\r\n',
      frame(JSON.stringify(req(3))),
    ]);
    // null is JSON: passed on, for the session to ignore.
    assert.deepEqual(r.messages, [req(1), req(2), null, req(3)]);
    assert.ok(r.dropped.length >= 4, r.dropped.join(', '));
  });

  test('random bytes between messages never lose a message that follows a complete one', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }).filter((b) => !Buffer.from(b).includes('Content-Length:')), { minLength: 1, maxLength: 4 }), (junk) => {
        // Junk, then a separator that ends whatever header the junk began, then a message.
        const chunks = junk.flatMap((j, i) => [Buffer.from(j), Buffer.from('\r\n\r\n'), frame(JSON.stringify(req(i + 1)))]);
        const got = through(chunks).messages as { seq: number }[];
        assert.deepEqual(got.map((m) => m.seq), junk.map((_, i) => i + 1));
      }),
      fuzzParams(200),
    );
  });
});
