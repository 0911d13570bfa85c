// What kernelSource costs the first stop: the adapter (dist/dap.js) started as VS Code starts it,
// the default scenario launched with stopOnEntry, timed from the launch request to the answer of
// the first stack trace; without kernelSource, with it and the tree's mapping cached, and with it
// and no cached mapping (the tree is parsed in the adapter's worker: the first stop shows the
// model listing, and the real lines follow with an 'invalidated' event, timed too). Median of N
// runs each.
//
//   node scripts/first-stop-source.mjs /path/to/linux [N]

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const tree = process.argv[2];
const runs = Number(process.argv[3] ?? 10);
if (!tree) {
  console.error('usage: node scripts/first-stop-source.mjs /path/to/linux [N]');
  process.exit(2);
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-first-stop-'));
fs.chmodSync(cache, 0o700);

/** One session: milliseconds from the launch request to the first stack trace's answer. */
function firstStop(kernelSource) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'dap.js')], { env: { ...process.env, XDG_CACHE_HOME: cache }, stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = Buffer.alloc(0);
    let seq = 1;
    let t0 = 0;
    let stopMs = 0;
    let stopSource = '';
    const done = (linesMs) => {
      child.stdin.end();
      child.kill();
      resolve({ ms: stopMs, source: stopSource, linesMs });
    };
    const send = (command, args) => {
      const body = JSON.stringify({ seq: seq++, type: 'request', command, arguments: args });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    child.stdout.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const h = buf.indexOf('\r\n\r\n');
        if (h < 0) return;
        const len = Number(/Content-Length: (\d+)/.exec(buf.subarray(0, h).toString())[1]);
        if (buf.length < h + 4 + len) return;
        const m = JSON.parse(buf.subarray(h + 4, h + 4 + len).toString());
        buf = buf.subarray(h + 4 + len);
        if (m.type === 'event' && m.event === 'initialized') send('configurationDone', {});
        if (m.type === 'event' && m.event === 'stopped') send('stackTrace', { threadId: m.body.threadId });
        if (m.type === 'response' && m.command === 'stackTrace') {
          stopMs = performance.now() - t0;
          stopSource = m.body.stackFrames[0]?.source?.path;
          // Done when the frame is in the real file, or when there is no tree to wait for.
          if (!kernelSource || stopSource.startsWith(kernelSource)) done(stopMs);
        }
        // The mapping arrived after the stop: the client fetches the stack again.
        if (m.type === 'event' && m.event === 'invalidated') done(performance.now() - t0);
        if (m.type === 'response' && !m.success) reject(new Error(m.message));
      }
    });
    send('initialize', { adapterID: 'kpath', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsInvalidatedEvent: true });
    t0 = performance.now();
    send('launch', { scenario: path.join(root, 'media', 'scenarios', 'default.kpath'), stopOnEntry: true, ...(kernelSource ? { kernelSource } : {}) });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const [name, ks, cold] of [['without kernelSource', null, false], ['kernelSource, mapping cached', tree, false], ['kernelSource, no cached mapping', tree, true]]) {
  await firstStop(ks); // warms the adapter's V8 code cache (and the mapping, for the cached case)
  const times = [];
  const lines = [];
  let where = '';
  for (let i = 0; i < runs; i++) {
    if (cold) fs.rmSync(path.join(cache, 'kpath', 'source-map'), { recursive: true, force: true });
    const r = await firstStop(ks);
    times.push(r.ms);
    lines.push(r.linesMs);
    where = r.source;
  }
  rows.push({ name, median: median(times), min: Math.min(...times), max: Math.max(...times), lines: median(lines), where });
}
for (const r of rows) console.log(`${r.name.padEnd(34)} first stop: median ${r.median.toFixed(0).padStart(5)} ms (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)}), in ${r.where.replace(cache, '$XDG_CACHE_HOME')}; real lines after ${r.lines.toFixed(0)} ms`);
fs.rmSync(cache, { recursive: true, force: true });
