// What the two pictures cost the debug adapter, as VS Code asks for them: kpath/skb and kpath/path
// over stdio (dist/dap.js), at stops deep in a long run, and for a packet that waited for ARP
// while thousands of others went (its path joins two events far apart).
//
//   npm run build && node scripts/pictures-cost.mjs [--quick]
//
// Each row: the median and the worst of the requests' round trips, in ms; "first" is the first
// kpath/path at a stop (it re-executes the packet's events), "again" the same request for another
// frame of the same stop (answered from what the first one found).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { DebugClient } = require('@vscode/debugadapter-testsupport');
const QUICK = process.argv.includes('--quick');
const STOPS = QUICK ? 10 : 40;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-pictures-cost-'));
const env = { ...process.env };
delete env.NODE_TEST_CONTEXT;

function scenario(name, lines) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function session() {
  const dc = new DebugClient(process.execPath, path.join(ROOT, 'dist', 'dap.js'), 'kpath', { cwd: tmp, env });
  dc.defaultTimeout = 600_000;
  await dc.start();
  await dc.initializeRequest({ adapterID: 'kpath', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  return dc;
}

async function launchTo(dc, file, breakpoints) {
  const stopped = dc.waitForEvent('stopped', 600_000);
  await dc.launchRequest({ scenario: file, stopOnEntry: false });
  await dc.setFunctionBreakpointsRequest({ breakpoints });
  await dc.configurationDoneRequest();
  return stopped;
}

async function frames(dc, threadId = 1) {
  return (await dc.stackTraceRequest({ threadId })).body.stackFrames;
}

async function timed(f) {
  const t = process.hrtime.bigint();
  const r = await f();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, r };
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const max = (a) => Math.max(...a);
const row = (name, a) => console.log(`${name.padEnd(58)} median ${median(a).toFixed(2).padStart(7)} ms   worst ${max(a).toFixed(2).padStart(7)} ms   (${a.length})`);

async function deep(count, at) {
  const file = scenario(`deep-${count}.kpath`, [
    'link add eth0 mtu 1500 address 02:00:00:00:00:01',
    'addr add 192.0.2.1/24 dev eth0',
    'peer 192.0.2.2 lladdr 02:00:00:00:00:02',
    `at 0ms send udp to 192.0.2.2:9000 size 100 count ${count} every 10us socket s1`,
  ]);
  const dc = await session();
  try {
    const positions = [];
    dc.on('kpath/position', (e) => positions.push(e.body.step));
    await launchTo(dc, file, [{ name: 'ip_finish_output2', condition: `now >= ${at}` }]);
    const depth = positions[positions.length - 1];
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2' }] });
    const skb = [];
    const first = [];
    const again = [];
    for (let i = 0; i < STOPS; i++) {
      const stack = await frames(dc);
      skb.push((await timed(() => dc.customRequest('kpath/skb', { frameId: stack[0].id }))).ms);
      first.push((await timed(() => dc.customRequest('kpath/path', { frameId: stack[0].id }))).ms);
      again.push((await timed(() => dc.customRequest('kpath/path', { frameId: stack[1].id }))).ms);
      const stopped = dc.waitForEvent('stopped');
      await dc.continueRequest({ threadId: 1 });
      await stopped;
    }
    console.log(`\n${count} sends, stops at ip_finish_output2 from step ${depth.toLocaleString('en-US')} on:`);
    row('kpath/skb', skb);
    row('kpath/path, first at a stop', first);
    row('kpath/path, again (another frame)', again);
  } finally {
    await dc.stop().catch(() => undefined);
  }
}

async function waited(count) {
  // The first datagram waits 50 ms for the ARP reply while `count` datagrams go to a known
  // neighbour; the stop is where it leaves, after the reply.
  const file = scenario(`waited-${count}.kpath`, [
    'link add eth0 mtu 1500',
    'addr add 192.0.2.1/24 dev eth0',
    'neigh add 192.0.2.3 lladdr 02:00:00:00:00:03 dev eth0 nud permanent',
    'peer 192.0.2.2 lladdr 02:00:00:00:00:02 reply-delay 50ms',
    'peer 192.0.2.3 lladdr 02:00:00:00:00:03',
    'at 0ms send udp to 192.0.2.2:9000 size 100',
    `at 1ms send udp to 192.0.2.3:9000 size 100 count ${count} every ${Math.max(1, Math.floor(45_000 / count))}us socket s1`,
  ]);
  const dc = await session();
  try {
    await launchTo(dc, file, [{ name: 'neigh_update' }]);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'dev_queue_xmit' }] });
    let stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    let thread = (await stopped).body.threadId;
    // At that stop and the ones around it (a step forward, a step back, ...): each a new stop, so
    // each kpath/path re-executes the datagram's two events.
    const times = [];
    let skipped = 0;
    for (let i = 0; i < STOPS; i++) {
      const stack = await frames(dc, thread);
      const t = await timed(() => dc.customRequest('kpath/path', { frameId: stack[0].id }));
      times.push(t.ms);
      skipped = t.r.body.skipped;
      stopped = dc.waitForEvent('stopped');
      await (i % 2 ? dc.stepBackRequest({ threadId: thread }) : dc.nextRequest({ threadId: thread }));
      thread = (await stopped).body.threadId;
    }
    console.log(`\nA datagram that waited for ARP while ${count} others went (${skipped} events between left out):`);
    row('kpath/path, first at a stop', times);
  } finally {
    await dc.stop().catch(() => undefined);
  }
}

try {
  await deep(3000, 29_000_000);
  if (!QUICK) await deep(30_000, 299_000_000);
  // The events between run on the fast path (under 100,000 steps), or are left out (over).
  await waited(2000);
  if (!QUICK) await waited(20_000);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
