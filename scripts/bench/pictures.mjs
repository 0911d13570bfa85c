// What the sk_buff and path pictures cost the adapter, as the extension asks for them at a stop:
// kpath/skb and kpath/path over stdio, at stops deep in a long run, and for a packet that waited
// for ARP while thousands of others went (its path joins two events far apart). The first
// kpath/path at a stop re-executes the packet's events; asked again for another frame of the same
// stop, it is answered from what the first one found.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Dap, launch } from './dap-client.mjs';
import { HOST, ms, percentile, ROOT, round2 } from './measure.mjs';

function scenario(ctx, name, lines) {
  const file = path.join(ctx.tmp, name);
  fs.writeFileSync(file, [...lines, ''].join('\n'));
  return file;
}

async function timed(f) {
  const t0 = process.hrtime.bigint();
  await f();
  return ms(t0);
}

async function stack(dap) {
  return (await dap.request('stackTrace', { threadId: dap.thread, startFrame: 0, levels: 20 })).body.stackFrames;
}

async function next(dap, command) {
  const stopped = dap.event('stopped');
  await dap.request(command, { threadId: dap.thread });
  await stopped;
}

/** Stops at ip_finish_output2 from `at` ns on in a run of `count` sends: skb, path first and again. */
async function deep(ctx, count, at, stops) {
  const file = scenario(ctx, `pictures-${count}.kpath`, [...HOST, `at 0ms send udp to 192.0.2.2:9000 size 100 count ${count} every 10us socket s1`]);
  const dap = new Dap(path.join(ROOT, 'dist/dap.js'), ctx.env);
  const out = { skb: [], first: [], again: [] };
  try {
    await launch(dap, { scenario: file, stopOnEntry: false }, [{ name: 'ip_finish_output2', condition: `now >= ${at}` }]);
    await dap.request('setFunctionBreakpoints', { breakpoints: [{ name: 'ip_finish_output2' }] });
    for (let i = 0; i < stops; i++) {
      const frames = await stack(dap);
      out.skb.push(await timed(() => dap.request('kpath/skb', { frameId: frames[0].id })));
      out.first.push(await timed(() => dap.request('kpath/path', { frameId: frames[0].id })));
      out.again.push(await timed(() => dap.request('kpath/path', { frameId: frames[1].id })));
      await next(dap, 'continue');
    }
  } finally {
    await dap.close();
  }
  return out;
}

/** The path of a datagram that waited 50 ms for ARP while `count` others went, at stops around its leaving. */
async function waited(ctx, count, stops) {
  const file = scenario(ctx, `pictures-waited-${count}.kpath`, [
    'link add eth0 mtu 1500',
    'addr add 192.0.2.1/24 dev eth0',
    'neigh add 192.0.2.3 lladdr 02:00:00:00:00:03 dev eth0 nud permanent',
    'peer 192.0.2.2 lladdr 02:00:00:00:00:02 reply-delay 50ms',
    'peer 192.0.2.3 lladdr 02:00:00:00:00:03',
    'at 0ms send udp to 192.0.2.2:9000 size 100',
    `at 1ms send udp to 192.0.2.3:9000 size 100 count ${count} every ${Math.max(1, Math.floor(45_000 / count))}us socket s1`,
  ]);
  const dap = new Dap(path.join(ROOT, 'dist/dap.js'), ctx.env);
  const times = [];
  try {
    await launch(dap, { scenario: file, stopOnEntry: false }, [{ name: 'neigh_update' }]);
    await dap.request('setFunctionBreakpoints', { breakpoints: [{ name: 'dev_queue_xmit' }] });
    await next(dap, 'continue');
    // Each a new stop (a step forward, a step back, ...): each kpath/path re-executes the two events.
    for (let i = 0; i < stops; i++) {
      const frames = await stack(dap);
      times.push(await timed(() => dap.request('kpath/path', { frameId: frames[0].id })));
      await next(dap, i % 2 ? 'stepBack' : 'next');
    }
  } finally {
    await dap.close();
  }
  return times;
}

export async function pictures(ctx) {
  const { results, quick } = ctx;
  const stops = quick ? 10 : 40;
  const sends = quick ? 3000 : 30_000;
  const d = await deep(ctx, sends, (sends - 1000) * 10_000, stops);
  const w = await waited(ctx, quick ? 2000 : 20_000, stops);
  const p99 = (xs) => round2(percentile(xs, 99));
  results.pictureSkbP99Ms = p99(d.skb);
  results.picturePathP99Ms = p99(d.first);
  results.picturePathAgainP99Ms = p99(d.again);
  results.pictureWaitedPathP99Ms = p99(w);
  ctx.notes.push(`pictures: ${stops} stops at ip_finish_output2 among ${sends.toLocaleString('en-US')} sends, and ${stops} around a datagram that waited for ARP`);
}
