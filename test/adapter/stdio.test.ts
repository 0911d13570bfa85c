// The adapter's stdout: what the session sends while handling one request leaves in one write,
// in order, and nothing is lost when the stream ends.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { BatchedWrites } from '../../src/adapter/stdio';

function recorder(): { out: Writable; writes: string[] } {
  const writes: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      writes.push(chunk.toString('utf8'));
      done();
    },
  });
  return { out, writes };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BatchedWrites', () => {
  it('writes what one turn of the event loop sent as one write, in order', async () => {
    const { out, writes } = recorder();
    const b = new BatchedWrites(out);
    b.write('Content-Length: 2\r\n\r\n{}');
    b.write('Content-Length: 3\r\n\r\n[1]');
    b.write(Buffer.from('tail'));
    assert.deepEqual(writes, [], 'nothing is written before the turn ends');
    await tick();
    assert.deepEqual(writes, ['Content-Length: 2\r\n\r\n{}Content-Length: 3\r\n\r\n[1]tail']);
    b.write('next');
    await tick();
    assert.deepEqual(writes.slice(1), ['next'], 'a later turn gets a write of its own');
  });

  it('multi-byte text stays whole', async () => {
    const { out, writes } = recorder();
    const b = new BatchedWrites(out);
    b.write('丢弃 ');
    b.write(Buffer.from('网络栈', 'utf8'));
    await tick();
    assert.equal(writes.join(''), '丢弃 网络栈');
  });

  it('end() writes what is pending', async () => {
    const { out, writes } = recorder();
    const b = new BatchedWrites(out);
    b.write('last words');
    await new Promise<void>((resolve) => b.end(resolve));
    assert.deepEqual(writes, ['last words']);
  });
});
