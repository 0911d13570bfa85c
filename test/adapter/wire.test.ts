// The Wire view's requests through a real DAP client over stdio: kpath/wire (frames and drops in
// the order they happened, up to the current position), kpath/drops, kpath/frameDetail (layers
// and fields with their bytes), kpath/packet (which stack frame holds a packet), kpath/exportPcap
// (a pcap tshark reads cleanly), and the events beside them (dropCount in kpath/position, a limit
// on kpath/drop events, kpath/ended).

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DapSession, DEFAULT_SCENARIO, FIXTURES, errorOf } from '../helpers/dap';
import { readPcap } from '../../src/model/wire/pcap';
import { tsharkAvailable, tsharkCheck } from '../helpers/tshark';

const DROPS_BETWEEN = path.join(FIXTURES, 'drops-between.kpath');

interface Row {
  kind: 'frame' | 'drop';
  index: number;
  time: number;
  protocol?: string;
  info?: string;
  reason?: string;
  function?: string;
  packet: number;
  frame?: number;
  len: number;
}
interface WirePage {
  frames: number;
  drops: number;
  total: number;
  rows: Row[];
}
interface Node {
  label: string;
  value: string;
  offset: number;
  length: number;
  mask?: number;
  children?: Node[];
}

let s: DapSession;
let tmp = '';
beforeEach(async () => {
  s = await new DapSession().start();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-wire-'));
});
afterEach(async () => {
  await s.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function wire(start = 0, count = 1000): Promise<WirePage> {
  return (await s.dc.customRequest('kpath/wire', { start, count })).body as WirePage;
}

const kinds = (p: WirePage): string[] => p.rows.map((r) => (r.kind === 'frame' ? `${r.protocol}` : `drop ${r.reason}`));

/** Launches the default scenario with a function breakpoint on ip_finish_output2. */
async function atIpFinishOutput2() {
  return s.launch({ scenario: DEFAULT_SCENARIO }, async () => {
    await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2' }] });
  });
}

describe('kpath/wire', () => {
  it('lists what happened up to the current position: nothing, then ARP and the datagram, and less again after stepping back', async () => {
    let st = await atIpFinishOutput2();
    assert.ok(st);
    assert.deepEqual(await wire(), { frames: 0, drops: 0, total: 0, rows: [] });
    st = await s.exec('continue');
    assert.ok(st);
    const page = await wire();
    assert.deepEqual(kinds(page), ['ARP', 'ARP', 'UDP']);
    assert.deepEqual(page.rows.map((r) => r.index), [0, 1, 2]);
    assert.match(page.rows[0].info!, /Who has 192\.0\.2\.2\? Tell 192\.0\.2\.1/);
    assert.deepEqual(page.rows.map((r) => r.packet), [2, 0, 1], 'the ARP request is packet #2, the reply comes from the peer, the datagram is #1');
    // kpath/position says the same.
    const pos = s.eventsOf('kpath/position').at(-1)!.body;
    assert.deepEqual([pos.frameCount, pos.dropCount], [3, 0]);
    // Back to the previous breakpoint: the list shrinks with the position.
    st = await s.exec('reverseContinue');
    assert.ok(st);
    assert.equal((await wire()).total, 0);
    st = await s.exec('continue');
    st = st && (await s.exec('continue'));
    assert.deepEqual(kinds(await wire()), ['ARP', 'ARP', 'UDP', 'IPv4']);
    assert.deepEqual((await wire(1, 2)).rows.map((r) => r.index), [1, 2], 'a page from the middle');
  });

  it('puts each drop after the frames before it, with its reason; kpath/drops pages the drops alone', async () => {
    const since = s.mark();
    assert.equal(await s.launch({ scenario: DROPS_BETWEEN }), null);
    const ended = s.eventsOf('kpath/ended', since);
    assert.deepEqual(ended.map((e) => e.body), [{ frameCount: 4, dropCount: 1 }]);
    // After the end (before disconnect) the whole run.
    const page = await wire();
    assert.deepEqual(kinds(page), ['UDP', 'drop NETFILTER_DROP', 'IPv4', 'IPv4', 'IPv4']);
    assert.deepEqual([page.frames, page.drops, page.total], [4, 1, 5]);
    const drop = page.rows[1];
    assert.deepEqual({ ...drop }, { kind: 'drop', index: 0, time: 1e6, packet: 2, function: 'nf_hook_slow', reason: 'NETFILTER_DROP', len: 48, frame: 1 });
    assert.deepEqual(page.rows.map((r) => r.time), [0, 1e6, 2e6, 2e6, 2e6]);
    const drops = (await s.dc.customRequest('kpath/drops', {})).body;
    assert.deepEqual(drops, { total: 1, drops: [{ index: 0, time: 1e6, packet: 2, function: 'nf_hook_slow', reason: 'NETFILTER_DROP', len: 48, frame: 1 }] });
    // The event carries the same.
    assert.deepEqual(s.eventsOf('kpath/drop', since).map((e) => e.body), drops.drops);
  });

  it('stopped on a drop, the list ends with it; the dropped packet is in the stack', async () => {
    const st = await s.launch({ scenario: DROPS_BETWEEN }, async () => {
      await s.dc.setExceptionBreakpointsRequest({ filters: ['drop'] });
    });
    assert.ok(st);
    assert.equal(st.body.reason, 'exception');
    assert.deepEqual(kinds(await wire()), ['UDP', 'drop NETFILTER_DROP']);
    const pos = s.eventsOf('kpath/position').at(-1)!.body;
    assert.deepEqual([pos.frameCount, pos.dropCount], [1, 1]);
    const where = (await s.dc.customRequest('kpath/packet', { id: 2 })).body;
    const names = await s.stackNames(st);
    assert.equal(where.stopped, true);
    assert.equal(where.threadId, st.body.threadId);
    assert.equal(typeof where.frame, 'number');
    assert.equal(names[where.frame], where.function);
    assert.equal(where.function, 'nf_hook_slow');
  });

  it('bad arguments get error responses', async () => {
    assert.match(await errorOf(s.dc.customRequest('kpath/wire', {})), /no scenario is running/);
    await atIpFinishOutput2();
    for (const bad of [{ start: -1 }, { start: 0.5 }, { count: 1001 }, { count: 'x' }]) {
      assert.match(await errorOf(s.dc.customRequest('kpath/wire', bad)), /kpath\/wire: (start|count) must be an integer/);
      assert.match(await errorOf(s.dc.customRequest('kpath/drops', bad)), /kpath\/drops: (start|count) must be an integer/);
    }
    assert.match(await errorOf(s.dc.customRequest('kpath/frameDetail', {})), /kpath\/frameDetail: index must be an integer/);
    assert.match(await errorOf(s.dc.customRequest('kpath/frameDetail', { index: 0 })), /there is no frame 0 at this position \(0 so far\)/);
    assert.match(await errorOf(s.dc.customRequest('kpath/packet', { id: 0 })), /kpath\/packet: id must be an integer/);
    assert.match(await errorOf(s.dc.customRequest('kpath/exportPcap', { path: 'relative.pcap' })), /path must be an absolute file name/);
    assert.match(await errorOf(s.dc.customRequest('kpath/exportPcap', { path: path.join(tmp, 'no', 'such', 'dir', 'x.pcap') })), /cannot write .*ENOENT/);
  });
});

describe('kpath/drop events', () => {
  it('stop after a limit between two stops; kpath/drops pages through all of them', async () => {
    const file = path.join(tmp, 'many-drops.kpath');
    fs.writeFileSync(file, [
      'link add eth0 mtu 1500 address 02:00:00:00:00:01',
      'addr add 192.0.2.1/24 dev eth0',
      'neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0',
      'nft add rule ip filter postrouting udp dport 9999 counter drop',
      'at 0ms send udp to 192.0.2.2:9999 size 10 count 1500 every 1us socket s',
      'at 5ms send udp to 192.0.2.2:9000 size 10',
      '',
    ].join('\n'));
    assert.equal(await s.launch({ scenario: file }), null);
    const events = s.eventsOf('kpath/drop');
    assert.equal(events.length, 1000);
    assert.deepEqual(events.slice(0, 2).map((e) => e.body.index), [0, 1]);
    const page = (await s.dc.customRequest('kpath/drops', { start: 1495, count: 10 })).body;
    assert.equal(page.total, 1500);
    assert.deepEqual(page.drops.map((d: { index: number }) => d.index), [1495, 1496, 1497, 1498, 1499]);
    const last = await wire(1499, 10);
    assert.deepEqual(kinds(last), ['drop NETFILTER_DROP', 'UDP']);
    assert.deepEqual(s.eventsOf('kpath/ended').map((e) => e.body), [{ frameCount: 1, dropCount: 1500 }]);
  });
});

describe('kpath/frameDetail', () => {
  it('a fragment: the frame, then Ethernet, IPv4 with its flags and fragment offset, data; each field over its bytes', async () => {
    assert.equal(await s.launch({ scenario: DEFAULT_SCENARIO }), null);
    const d = (await s.dc.customRequest('kpath/frameDetail', { index: 4 })).body;
    assert.deepEqual([d.index, d.len, d.dev, d.dir, d.packet], [4, 1514, 'eth0', 'tx', 4]);
    assert.equal(d.hex.length, 2 * 1514);
    const layers = d.layers as Node[];
    assert.deepEqual(layers.map((l) => l.label.split(',')[0]), ['Frame 5: 1514 bytes on eth0 (tx)', 'Ethernet II', 'Internet Protocol Version 4', 'Data']);
    assert.match(layers[2].label, /Source Address: 192\.0\.2\.1, Destination Address: 192\.0\.2\.2/);
    const byLabel = (list: Node[], label: string): Node => {
      const n = list.find((x) => x.label === label);
      assert.ok(n, `no ${label} among ${list.map((x) => x.label).join(', ')}`);
      return n;
    };
    const ip = layers[2].children!;
    const bytes = Buffer.from(d.hex, 'hex');
    const src = byLabel(ip, 'Source Address');
    assert.equal([...bytes.subarray(src.offset, src.offset + src.length)].join('.'), src.value);
    const flags = byLabel(ip, 'Flags');
    assert.deepEqual(flags.children!.map((c) => `${c.label}: ${c.value}`), ['Reserved bit: Not set', "Don't fragment: Not set", 'More fragments: Set']);
    assert.equal(byLabel(ip, 'Fragment Offset').value, '1480');
    assert.match(byLabel(ip, 'Header Checksum').value, /^0x[0-9a-f]{4} \[correct\]$/);
    assert.equal(byLabel(layers[0].children!, 'Packet').value, '#4');
    assert.deepEqual(d.problems, []);
    // Every node lies within the frame.
    const walk = (list: Node[]): void => {
      for (const n of list) {
        assert.ok(n.offset >= 0 && n.offset + n.length <= 1514, `${n.label} at ${n.offset}+${n.length}`);
        if (n.children) walk(n.children);
      }
    };
    walk(layers);
  });

  it('speaks Chinese when the adapter does', async () => {
    await s.stop();
    s = await new DapSession(undefined, { KPATH_LANGUAGE: 'zh-cn' }).start();
    assert.equal(await s.launch({ scenario: DEFAULT_SCENARIO }), null);
    const d = (await s.dc.customRequest('kpath/frameDetail', { index: 3 })).body;
    const ip = (d.layers as Node[])[2];
    assert.match(ip.label, /[\u4e00-\u9fff]/);
    assert.ok(ip.children!.some((c) => /生存时间/.test(c.label)), ip.children!.map((c) => c.label).join(', '));
  });
});

describe('kpath/packet', () => {
  it('names the innermost frame that holds the packet, or none', async () => {
    const st = await atIpFinishOutput2();
    assert.ok(st);
    const names = await s.stackNames(st);
    assert.deepEqual((await s.dc.customRequest('kpath/packet', { id: 1 })).body, { id: 1, stopped: true, threadId: st.body.threadId, frame: 0, function: names[0] });
    assert.equal(names[0], 'ip_finish_output2');
    assert.deepEqual((await s.dc.customRequest('kpath/packet', { id: 99 })).body, { id: 99, stopped: true, threadId: st.body.threadId, frame: null, function: null });
  });
});

describe('kpath/exportPcap', () => {
  it('writes the frames up to the current position; tshark reads them with no malformed packet and valid checksums', async () => {
    let st = await atIpFinishOutput2();
    for (let i = 0; i < 3 && st; i++) st = await s.exec('continue');
    assert.ok(st, 'stopped at the last fragment');
    const target = path.join(tmp, 'wire.pcap');
    const r = (await s.dc.customRequest('kpath/exportPcap', { path: target })).body;
    assert.deepEqual([r.path, r.frames], [target, 5]);
    const bytes = fs.readFileSync(target);
    assert.equal(r.bytes, bytes.length);
    const packets = readPcap(bytes);
    const page = await wire();
    assert.deepEqual(packets.map((p) => p.frame.length), page.rows.map((x) => x.len));
    assert.deepEqual(packets.map((p) => p.timeNs), page.rows.map((x) => x.time));
    assert.deepEqual(fs.readdirSync(tmp), ['wire.pcap'], 'no temporary file left behind');
    if (tsharkAvailable()) {
      const t = tsharkCheck(target);
      assert.equal(t.frames, 5);
      assert.deepEqual(t.problems, []);
    }
  });
});
