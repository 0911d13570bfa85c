// The model's fast path: the whole transmit path with nothing watching, every frame written to a
// pcap, as `kpath run` does it. 100-byte datagrams to a resolved neighbour (packets/s, compared
// with the real kernel's), and 3000-byte datagrams that fragment in three (datagrams/s).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { built, HOST, median, ms } from './measure.mjs';

const { parseScenario } = built('src/model/scenario/parse.js');
const { createKernel, runKernel } = built('src/model/run.js');
const { PcapWriter } = built('src/model/wire/pcap.js');

/** One run of `count` back-to-back sends of `size` bytes, its pcap written to `dir`; seconds and frames. */
function modelRun(dir, size, count) {
  const text = [...HOST, 'neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent', `at 0ms send udp to 192.0.2.2:9000 size ${size} count ${count} socket s1`, ''].join('\n');
  const s = parseScenario(text, 'bench.kpath');
  const file = path.join(dir, 'model.pcap');
  const fd = fs.openSync(file, 'w');
  try {
    const t0 = process.hrtime.bigint();
    const w = new PcapWriter((c) => fs.writeSync(fd, c), 1 << 20, true);
    const k = createKernel(s, { record: 'counts', frameSinks: [(t, _d, _dir, f) => w.write(t, f)] });
    runKernel(k, s.run);
    w.flush();
    const secs = ms(t0) / 1000;
    if (k.callCount !== count) throw new Error(`${k.callCount} of ${count} calls made`);
    return { secs, frames: k.frameCount };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

/**
 * The pcap goes to tmpfs when there is one: gigabytes written in a few seconds would otherwise
 * measure the disk's write-back rather than the model.
 */
function pcapDir(tmp) {
  try {
    return { dir: fs.mkdtempSync('/dev/shm/kpath-bench-'), where: 'a file on tmpfs (/dev/shm)' };
  } catch {
    return { dir: tmp, where: `a file under ${os.tmpdir()}` };
  }
}

export function fastPath({ quick, tmp, results, notes }) {
  const rounds = quick ? 3 : 5;
  const { dir, where } = pcapDir(tmp);
  try {
    const n = quick ? 200_000 : 1_000_000;
    modelRun(dir, 100, 50_000); // the JIT's first pass
    const pps = [];
    for (let i = 0; i < rounds; i++) {
      const r = modelRun(dir, 100, n);
      pps.push(r.frames / r.secs);
    }
    results.fastPathPps = Math.round(median(pps));
    const fn = quick ? 60_000 : 300_000;
    modelRun(dir, 3000, 10_000);
    const dps = [];
    for (let i = 0; i < rounds; i++) {
      const r = modelRun(dir, 3000, fn);
      if (r.frames !== fn * 3) throw new Error(`3000-byte datagrams gave ${r.frames} frames, not ${fn * 3}`);
      dps.push(fn / r.secs);
    }
    results.fragmentPps = Math.round(median(dps));
    notes.push(`model: median of ${rounds} runs of ${n.toLocaleString('en-US')} packets (${fn.toLocaleString('en-US')} datagrams of 3000 bytes), its pcap written to ${where}`);
  } finally {
    if (dir !== tmp) fs.rmSync(dir, { recursive: true, force: true });
  }
}
