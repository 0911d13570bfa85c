// A million packets through the command, as someone runs it in a terminal: `kpath run` of a
// scenario of 1,000,000 sends with --pcap to disk. The time it takes, its peak memory, and its
// progress bar (shown on a terminal's stderr: here stderr is a pipe that the command is told is a
// terminal): how soon it appears and the longest wait between two updates.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HOST, ms, ROOT, round2 } from './measure.mjs';

export async function millionPackets({ quick, tmp, results, notes }) {
  const total = quick ? 200_000 : 1_000_000;
  const file = path.join(tmp, 'million.kpath');
  const sends = ['at 0ms send udp to 192.0.2.2:9000 size 100 socket s1', `at 1ms send udp to 192.0.2.2:9000 size 100 count ${total - 1} every 1us socket s1`];
  fs.writeFileSync(file, [...HOST, ...sends, ''].join('\n'));
  const pcap = path.join(tmp, 'million.pcap');
  const wrapper = `
    Object.defineProperty(process.stderr, 'isTTY', { value: true });
    process.argv = [process.argv[0], 'kpath', 'run', ${JSON.stringify(file)}, '--pcap', ${JSON.stringify(pcap)}];
    process.on('exit', () => require('fs').writeSync(2, '\\nBENCH-RSS ' + process.resourceUsage().maxRSS + '\\n'));
    require(${JSON.stringify(path.join(ROOT, 'dist/cli.js'))});
  `;
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, ['-e', wrapper], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const updates = [];
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    const s = d.toString();
    stderr += s;
    // One chunk may hold several updates of the bar; they count as one: the screen shows the last.
    if (/\r\[[#.]+\]/.test(s)) updates.push(ms(t0));
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  const total_ms = ms(t0);
  if (code !== 0) throw new Error(`kpath run (a million packets) failed: ${stderr}`);
  const frames = Number(/Wrote (\d+) frames/.exec(stdout)?.[1]);
  const size = fs.statSync(pcap).size;
  fs.rmSync(pcap, { force: true });
  if (frames !== total + 2) throw new Error(`a million packets: ${frames} frames (expected ${total} datagrams and the ARP exchange)`);
  results.millionPacketsSeconds = round2(total_ms / 1000);
  results.millionPacketsPeakRssMb = Math.round(Number(/BENCH-RSS (\d+)/.exec(stderr)[1]) / 1024);
  results.millionPacketsPcapMb = Math.round(size / 1e6);
  if (updates.length === 0) {
    notes.push('kpath run showed no progress bar');
    return;
  }
  const marks = [...updates, total_ms];
  let gap = 0;
  for (let i = 1; i < marks.length; i++) gap = Math.max(gap, marks[i] - marks[i - 1]);
  results.millionPacketsFirstProgressMs = round2(updates[0]);
  results.millionPacketsProgressGapMs = round2(gap);
  notes.push(`kpath run: ${total.toLocaleString('en-US')} packets, ${updates.length} updates of its progress bar`);
}
