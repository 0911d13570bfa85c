// The Wire view's model (src/extension/wire/model.ts) against the adapter's own request handlers
// and a real runtime, in one process: rows in pages, frames and drops in the order they happened,
// the list following the position (forward, back), rows announced by events kept after the end,
// and memory bounded by its limits.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '../../src/model/scenario/parse';
import { Runtime } from '../../src/debugger/runtime';
import { CUSTOM_REQUESTS } from '../../src/adapter/requests';
import { frameBody } from '../../src/adapter/frames';
import { dropBody } from '../../src/adapter/drops';
import { frameDetail } from '../../src/adapter/detail';
import { WireModel, FrameEvent, DropEvent } from '../../src/extension/wire/model';
import type { WireRow } from '../../src/extension/webview/protocol';
import { REPO_ROOT } from '../helpers/cli';

const DEFAULT = path.join(REPO_ROOT, 'media', 'scenarios', 'default.kpath');
const DROPS_BETWEEN = path.join(REPO_ROOT, 'test', 'adapter', 'fixtures', 'drops-between.kpath');

/** A runtime for a scenario, and a request function that answers as the adapter does, counting requests. */
function setup(file: string, text?: string) {
  const rt = new Runtime(parseScenario(text ?? fs.readFileSync(file, 'utf8'), file));
  const calls: string[] = [];
  const request = async (command: string, args: object): Promise<unknown> => {
    calls.push(`${command} ${JSON.stringify(args)}`);
    return CUSTOM_REQUESTS[command]({ runtime: rt, listings: null, kernelSource: null, frameIndex: () => undefined }, args as Record<string, unknown>);
  };
  return { rt, request, calls };
}

const label = (r: WireRow | null | undefined): string => (!r ? String(r) : r.kind === 'frame' ? `${r.index}:${r.protocol}` : `drop ${r.index}:${r.reason}`);

test('the rows follow the position: forward adds, back removes, and nothing past the position is shown', async () => {
  const { rt, request } = setup(DEFAULT);
  rt.setFunctionBreakpoints([{ id: 1, name: 'ip_finish_output2' }]);
  const m = new WireModel(request);
  const at = () => m.position(rt.current!.frameCount, rt.current!.dropCount, rt.current!.time);
  rt.start(false);
  at();
  assert.equal(m.total, 0);
  assert.deepEqual(await m.rows(0, 10), []);
  rt.continue();
  at();
  assert.deepEqual((await m.rows(0, 10))!.map(label), ['0:ARP', '1:ARP', '2:UDP']);
  rt.continue();
  rt.continue();
  at();
  assert.deepEqual((await m.rows(0, 10))!.map(label), ['0:ARP', '1:ARP', '2:UDP', '3:IPv4', '4:IPv4']);
  // Step back to the first stop: the rows after it are gone, from the answer and from the cache.
  rt.reverseContinue();
  rt.reverseContinue();
  rt.reverseContinue();
  at();
  assert.equal(m.total, 0);
  assert.deepEqual(m.cached(0, 10), []);
  assert.equal(m.stats().rows, 0);
  rt.continue();
  at();
  assert.deepEqual((await m.rows(0, 10))!.map(label), ['0:ARP', '1:ARP', '2:UDP']);
  assert.equal(m.keepRows, 0, 'nothing was kept from the stop before, which had no rows');
});

test('an answer that comes back after the position moved is not used', async () => {
  const { rt, request } = setup(DEFAULT);
  rt.setFunctionBreakpoints([{ id: 1, name: 'ip_finish_output2' }]);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow = async (command: string, args: object): Promise<unknown> => {
    await gate;
    return request(command, args);
  };
  const m = new WireModel(slow);
  rt.start(false);
  rt.continue();
  rt.continue();
  m.position(rt.current!.frameCount, rt.current!.dropCount, rt.current!.time);
  const pending = m.rows(0, 10);
  // Meanwhile the user steps back.
  rt.reverseContinue();
  m.position(rt.current!.frameCount, rt.current!.dropCount, rt.current!.time);
  release();
  assert.equal(await pending, undefined, 'asked again by the view, at the new position');
  assert.equal(m.stats().rows, 0);
  assert.deepEqual((await m.rows(0, 10))!.map(label), ['0:ARP', '1:ARP', '2:UDP']);
});

test('frames and drops in the order they happened, from kpath/wire and from events alike', async () => {
  const { rt, request } = setup(DROPS_BETWEEN);
  const m = new WireModel(request);
  rt.hooks = {
    onFrame: (time, dev, dir, bytes, packet, index) => {
      const f = { time, dev, dir, bytes, packet };
      m.frameEvent({ ...frameBody(f, index), layers: frameDetail(f, index).layers } as unknown as FrameEvent);
    },
    onDrop: (drop, index) => m.dropEvent(dropBody(drop, index) as unknown as DropEvent),
  };
  rt.start(true);
  m.position(rt.current!.frameCount, rt.current!.dropCount, rt.current!.time);
  assert.equal(rt.continue().stop, null, 'runs to the end');
  m.end(rt.frames(0, 0).total, rt.drops(0, 0).total, 0);
  const fromEvents = m.cached(0, 10);
  assert.deepEqual(fromEvents.map(label), ['0:UDP', 'drop 0:NETFILTER_DROP', '1:IPv4', '2:IPv4', '3:IPv4']);
  // The same rows as the adapter's kpath/wire.
  const fresh = new WireModel(request);
  fresh.end(4, 1, 0);
  assert.deepEqual(await fresh.rows(0, 10), fromEvents);
  // Once the session is gone, what the events brought stays, details included.
  m.detach();
  assert.deepEqual((await m.rows(0, 10))!.map(label), fromEvents.map(label));
  const d = await m.detail(3);
  assert.ok(d && d.layers.length >= 3, 'the details an event carried');
  assert.equal(await m.detail(7), null);
});

test('events that skip a frame (past the event limit) are not used, and rows not fetched before the end are not available', async () => {
  const m = new WireModel(null);
  m.position(0, 0, 0);
  const frame = (index: number): FrameEvent => ({ index, time: index, dev: 'eth0', dir: 'tx', len: 60, src: 'a', dst: 'b', protocol: 'UDP', info: '', packet: index + 1 });
  m.frameEvent(frame(0));
  m.frameEvent(frame(1));
  m.frameEvent(frame(3));
  m.frameEvent(frame(4));
  m.dropEvent({ index: 0, time: 9, packet: 9, function: 'f', reason: 'R', len: 1, frame: 5 });
  m.end(5, 1, 0);
  m.detach();
  assert.deepEqual((await m.rows(0, 6))!.map(label), ['0:UDP', '1:UDP', 'null', 'null', 'null', 'null']);
});

test('a long run is read in pages, and the rows kept stay within the limit', async () => {
  const text = [
    'link add eth0 mtu 1500 address 02:00:00:00:00:01',
    'addr add 192.0.2.1/24 dev eth0',
    'neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0',
    'at 0ms send udp to 192.0.2.2:9000 size 100 count 5000 every 1us socket s',
    '',
  ].join('\n');
  const { rt, request, calls } = setup('long.kpath', text);
  rt.start(true);
  assert.equal(rt.continue().stop, null);
  const m = new WireModel(request, { pageSize: 100, maxRows: 1000 });
  m.end(5000, 0, 0);
  const last = await m.rows(4990, 20);
  assert.deepEqual(last!.map((r) => r!.index), [4990, 4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999]);
  assert.deepEqual(calls, ['kpath/wire {"start":4900,"count":100}'], 'one page, where the rows are');
  for (let start = 0; start < 5000; start += 250) await m.rows(start, 250);
  assert.ok(m.stats().rows <= 1000, `${m.stats().rows} rows kept`);
  // A row seen recently is at hand; the first page was forgotten.
  assert.ok(m.cached(4999, 1)[0]);
  assert.equal(m.cached(0, 1)[0], undefined);
  const before = calls.length;
  await m.rows(4999, 1);
  assert.equal(calls.length, before, 'a kept row costs no request');
});

test('a restart forgets everything', async () => {
  const { rt, request } = setup(DEFAULT);
  const m = new WireModel(request);
  rt.start(true);
  rt.continue();
  m.end(6, 0, 0);
  await m.rows(0, 6);
  await m.detail(0);
  const g = m.generation;
  m.reset();
  assert.ok(m.generation > g);
  assert.deepEqual(m.stats(), { rows: 0, pages: 0, details: 0 });
  assert.equal(m.total, 0);
});
