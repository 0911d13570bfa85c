// compare() on small hand-made sides: what agrees, what differs, and the rules for the fields a
// real kernel randomises (IP IDs, ephemeral ports, TCP sequence numbers, timer phases).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compare, formatComparison, wheelGranularity, type CmpFrame, type CmpSide, type CmpSend } from '../../src/capture/compare';

const MS = 1_000_000;
const HOST_MAC = '02:00:00:00:00:01';
const PEER_MAC = '02:00:00:00:00:02';
const HOST = '192.0.2.1';
const PEER = '192.0.2.2';

function arp(time: number, op: 1 | 2, tpa = PEER): CmpFrame {
  const req = op === 1;
  return {
    time, dev: 'veth0', dir: req ? 'tx' : 'rx', len: 42,
    decoded: {
      eth: { dst: req ? 'ff:ff:ff:ff:ff:ff' : HOST_MAC, src: req ? HOST_MAC : PEER_MAC, type: 0x0806 },
      arp: req
        ? { op, sha: HOST_MAC, spa: HOST, tha: '00:00:00:00:00:00', tpa }
        : { op, sha: PEER_MAC, spa: tpa, tha: HOST_MAC, tpa: HOST },
      problems: [],
    },
  };
}

interface UdpOpts { id?: number; sport?: number; dport?: number; size?: number; df?: boolean; mf?: boolean; off?: number; ttl?: number; dst?: string }

function udp(time: number, o: UdpOpts = {}): CmpFrame {
  const size = o.size ?? 100;
  const off = o.off ?? 0;
  const first = off === 0;
  const ipLen = 20 + (first ? 8 : 0) + size;
  return {
    time, dev: 'veth0', dir: 'tx', len: 14 + ipLen,
    decoded: {
      eth: { dst: PEER_MAC, src: HOST_MAC, type: 0x0800 },
      ip: {
        version: 4, ihl: 5, tos: 0, totLen: ipLen, id: o.id ?? 1000, df: o.df ?? true, mf: o.mf ?? false, fragOffset: off,
        ttl: o.ttl ?? 64, protocol: 17, check: 0, checkOk: true, src: HOST, dst: o.dst ?? PEER,
      },
      ...(first ? { udp: { sport: o.sport ?? 46602, dport: o.dport ?? 9000, len: 8 + size, check: 1, ...(o.mf ? {} : { checkOk: true }) } } : {}),
      payloadLen: size,
      problems: [],
    },
  };
}

function tcp(time: number, dir: 'tx' | 'rx', flags: string, seq: number, ack: number, sport: number, ts?: number): CmpFrame {
  const tx = dir === 'tx';
  return {
    time, dev: 'veth0', dir, len: tx ? 74 : 54,
    decoded: {
      eth: { dst: tx ? PEER_MAC : HOST_MAC, src: tx ? HOST_MAC : PEER_MAC, type: 0x0800 },
      ip: { version: 4, ihl: 5, tos: 0, totLen: tx ? 60 : 40, id: tx ? 5 : 0, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: 6, check: 0, checkOk: true, src: tx ? HOST : PEER, dst: tx ? PEER : HOST },
      tcp: {
        sport: tx ? sport : 80, dport: tx ? 80 : sport, seq, ack, flags, window: tx ? 64240 : 0, check: 0, checkOk: true,
        options: ts === undefined ? [] : ['mss 1460', 'sackOK', `TS val ${ts} ecr 0`, 'nop', 'wscale 10'],
      },
      payloadLen: 0,
      problems: [],
    },
  };
}

function send(index: number, time: number, result = 'ok', extra: Partial<CmpSend> = {}): CmpSend {
  return { index, line: 10 + index, time, socket: 's', result, proto: 'udp', to: `${PEER}:9000`, ...extra };
}

function side(frames: CmpFrame[], sends: CmpSend[], more: Partial<CmpSide> = {}): CmpSide {
  return { frames, sends, ...more };
}

/** The usual first exchange: request, reply, datagram, all at the call's instant in the model. */
function firstExchange(t0: number, dt: (i: number) => number = () => 0, id = 1000, sport = 46602): CmpFrame[] {
  return [arp(t0 + dt(0), 1), arp(t0 + dt(1), 2), udp(t0 + dt(2), { id, sport })];
}

describe('compare: agreement and plain differences', () => {
  it('identical sides agree', () => {
    const s = side(firstExchange(0), [send(0, 0)]);
    const c = compare(s, s);
    assert.equal(c.agree, true);
    assert.deepEqual(c.differences, []);
    assert.equal(c.rows.length, 3);
    assert.match(formatComparison(c, s, s), /agree/);
  });

  it('a frame only one side sent is missing or extra, and the rest still pairs up', () => {
    const model = side([...firstExchange(0), udp(100 * MS, { id: 1001 })], [send(0, 0), send(1, 100 * MS)]);
    const kernel = side([...firstExchange(0, (i) => i * 0.05 * MS), udp(100 * MS, { id: 1002 }), udp(100.01 * MS, { id: 1003, dport: 9001 })], [send(0, 0), send(1, 100 * MS)]);
    const c = compare(model, kernel);
    assert.deepEqual(c.differences.map((d) => [d.kind, d.field]), [['extra', 'frame']]);
    assert.equal(c.differences[0].kernelFrame, 4);
  });

  it('a header field that differs is named, with both values', () => {
    const model = side([udp(0, { ttl: 64 })], [send(0, 0)]);
    const kernel = side([udp(0.1 * MS, { ttl: 5 })], [send(0, 0)]);
    const d = compare(model, kernel).differences;
    assert.deepEqual(d.map((x) => [x.field, x.model, x.kernel]), [['ip.ttl', '64', '5']]);
  });

  it('send results and refused options are compared call by call', () => {
    const model = side([], [send(0, 0, 'EMSGSIZE'), send(1, 0, 'ok', { setsockopt: [{ option: 'IP_TTL', result: 'EINVAL' }] })]);
    const kernel = side([], [send(0, 0, 'ok'), send(1, 0, 'ok')]);
    const d = compare(model, kernel).differences;
    assert.deepEqual(d.map((x) => [x.kind, x.field, x.model, x.kernel]), [
      ['send', 'result', 'EMSGSIZE', 'ok'],
      ['send', 'setsockopt', '["IP_TTL EINVAL"]', '[]'],
    ]);
  });

  it('counters: a real kernel keeps part of Ip in IpExt; devices and the neighbour table (NOARP entries aside)', () => {
    const model = side([], [], {
      counters: { Ip: { OutRequests: 1, OutOctets: 128 } },
      devices: { veth0: { tx_packets: 2 } },
      neighbours: [
        { dev: 'veth0', dst: PEER, lladdr: PEER_MAC, state: 'REACHABLE', probes: 4 },
        { dev: 'veth0', dst: '239.1.2.3', lladdr: '01:00:5e:01:02:03', state: 'NOARP', probes: 0 },
      ],
    });
    const kernel = side([], [], {
      counters: { Ip: { OutRequests: 1 }, IpExt: { OutOctets: 128 } },
      devices: { veth0: { tx_packets: 3 } },
      neighbours: [{ dev: 'veth0', dst: PEER, lladdr: PEER_MAC, state: 'STALE', probes: 4 }],
    });
    const d = compare(model, kernel).differences;
    assert.deepEqual(d.map((x) => [x.kind, x.field, x.model, x.kernel]), [
      ['device', 'link.tx_packets', '2', '3'],
      ['neighbour', 'state', 'REACHABLE', 'STALE'],
    ]);
  });

  it("lo's entries are compared only when both tables come from `ip neigh show nud all`", () => {
    const lo = (dst: string) => ({ dev: 'lo', dst, lladdr: '00:00:00:00:00:00', state: 'NOARP', probes: 0 });
    const model = side([], [], { neighbours: [lo('127.0.0.1')], neighboursAll: true });
    const older = side([], [], { neighbours: [] });
    assert.deepEqual(compare(model, older).differences, []);
    const kernel = side([], [], { neighbours: [lo('0.0.0.0')], neighboursAll: true });
    const d = compare(model, kernel).differences;
    // 127.0.0.1 only in the model, 0.0.0.0 only in the kernel.
    assert.equal(d.length, 2, JSON.stringify(d));
    assert.ok(d.every((x) => x.kind === 'neighbour'), JSON.stringify(d));
  });

  it('error queues are compared entry by entry', () => {
    const e = { errno: 'EMSGSIZE', origin: 'local', type: 0, code: 0, info: 1500, offender: '0.0.0.0', payloadLen: 0 };
    const model = side([], [], { sockets: [{ name: 's', errqueue: [{ ...e, offender: PEER }] }] });
    const kernel = side([], [], { sockets: [{ name: 's', errqueue: [e] }] });
    const d = compare(model, kernel).differences;
    assert.equal(d.length, 1);
    assert.equal(d[0].field, 'errqueue');
    assert.match(d[0].model, /offender 192\.0\.2\.2/);
  });

  it('frames of protocols the model does not produce are set aside and counted', () => {
    const igmp = udp(5 * MS);
    igmp.decoded = { ...igmp.decoded, ip: { ...igmp.decoded.ip!, protocol: 2, dst: '224.0.0.22' } };
    delete igmp.decoded.udp;
    const v6: CmpFrame = { time: 6 * MS, dev: 'veth0', dir: 'tx', len: 70, decoded: { eth: { dst: '33:33:00:00:00:02', src: HOST_MAC, type: 0x86dd }, payloadLen: 56, problems: [] } };
    const c = compare(side([udp(0)], [send(0, 0)]), side([udp(0.1 * MS), igmp, v6], [send(0, 0)]));
    assert.equal(c.agree, true);
    assert.deepEqual(c.ignored.map((i) => [i.why, i.model, i.kernel]), [['IGMP (not modeled)', 0, 1], ['IPv6 (not modeled)', 0, 1]]);
  });
});

describe('compare: IP IDs by their relations', () => {
  it('0 on one side must be 0 on the other', () => {
    const d = compare(side([udp(0, { id: 0 })], [send(0, 0)]), side([udp(0.1 * MS, { id: 4711 })], [send(0, 0)])).differences;
    assert.deepEqual(d.map((x) => [x.kind, x.field]), [['ip-id', 'ip.id']]);
  });

  it('a counter that passes through 0 gives the next ID, not an ID of 0', () => {
    // The hashed generator's counter of a real kernel wrapped in the middle of a burst.
    const calls = [0, 1, 2].map((t, i) => send(i, t * 0.03 * MS));
    const model = side([100, 101, 102].map((id, i) => udp(i * 0.03 * MS, { id })), calls);
    assert.deepEqual(compare(model, side([65535, 0, 1].map((id, i) => udp(0.1 * MS + i * 0.03 * MS, { id })), calls)).differences, []);
    // A 0 that does not follow from the ID before it is an ID of 0.
    const d = compare(model, side([4711, 0, 4713].map((id, i) => udp(0.1 * MS + i * 0.03 * MS, { id })), calls)).differences;
    assert.deepEqual(d.map((x) => [x.kind, x.kernelFrame, x.rule]), [['ip-id', 1, 'an IP ID of 0 on one side must be 0 on the other']]);
  });

  it('fragments of one datagram share their ID on both sides; values may differ', () => {
    const frags = (id: number, t: number): CmpFrame[] => [
      udp(t, { id, size: 1472, mf: true, df: false }), udp(t, { id, size: 1480, off: 1480, mf: true, df: false }), udp(t, { id, size: 48, off: 2960, df: false }),
    ];
    assert.equal(compare(side(frags(100, 0), [send(0, 0)]), side(frags(9000, 0.1 * MS), [send(0, 0)])).agree, true);
    const broken = frags(9000, 0.1 * MS);
    broken[2].decoded.ip!.id = 9001;
    const d = compare(side(frags(100, 0), [send(0, 0)]), side(broken, [send(0, 0)])).differences;
    assert.deepEqual(d.map((x) => [x.kind, x.kernelFrame]), [['ip-id', 2]]);
    assert.match(d[0].model, /the same ID/);
    assert.match(d[0].kernel, /the next ID/);
  });

  it('ascending IDs may step by more than 1 on one side (the jiffies that passed) but not jump', () => {
    const calls = [send(0, 0), send(1, 100 * MS)];
    const model = side([udp(0, { id: 10 }), udp(100 * MS, { id: 11 })], calls);
    assert.equal(compare(model, side([udp(0.1 * MS, { id: 500 }), udp(100.1 * MS, { id: 520 })], calls)).agree, true, '20 within 100 ms (25 jiffies)');
    const d = compare(model, side([udp(0.1 * MS, { id: 500 }), udp(100.1 * MS, { id: 900 })], calls)).differences;
    assert.deepEqual(d.map((x) => x.kind), ['ip-id']);
  });

  it('datagrams that waited for ARP are bounded by the time between their calls, not between the frames', () => {
    // Five calls 10 ms apart, the frames leave together after the reply: the hashed generator may
    // have moved on by a few between calls.
    const calls = [0, 10, 20, 30, 40].map((t, i) => send(i, t * MS));
    const frames = (ids: number[], t: number): CmpFrame[] => [arp(0, 1), arp(t - 0.01 * MS, 1), arp(t, 2), ...ids.map((id, i) => udp(t + i * 0.002 * MS, { id }))];
    const model = side(frames([100, 102, 104, 107, 108], 1004 * MS), calls);
    const kernel = side(frames([13655, 13657, 13658, 13661, 13662], 1003.9 * MS), calls);
    const c = compare(model, kernel);
    assert.deepEqual(c.differences.filter((d) => d.kind === 'ip-id'), []);
  });

  it('copies (nft dup) share their datagram\'s ID and are bounded by its call, on a second link', () => {
    // Three calls 100 ms apart; each copy leaves on veth1 at once, the originals wait for ARP on
    // veth0 and leave together at 1 s. The kernel's IDs step by up to the jiffies between calls.
    const calls = [0, 100, 200].map((t, i) => send(i, t * MS));
    const copy = (t: number, id: number): CmpFrame => ({ ...udp(t, { id }), dev: 'veth1' });
    const frames = (ids: number[], dt: number): CmpFrame[] => [
      ...ids.map((id, i) => copy(i * 100 * MS + dt, id)),
      ...ids.map((id, i) => udp(1000 * MS + dt + i * 0.002 * MS, { id })),
    ];
    const model = side(frames([100, 101, 102], 0), calls);
    const c = compare(model, side(frames([7000, 7010, 7030], 0.1 * MS), calls));
    assert.deepEqual(c.differences, []);
    assert.equal(c.rows.filter((r) => r.model !== undefined && r.kernel !== undefined).length, 6);
    // An original whose ID is not its copy's differs.
    const broken = frames([7000, 7010, 7030], 0.1 * MS);
    broken[4].decoded.ip!.id = 7011;
    const d = compare(model, side(broken, calls)).differences;
    assert.equal(d[0].kernelFrame, 4);
    assert.match(d[0].model, /^101: a copy of frame #2 \(ID 101\)$/);
    assert.match(d[0].kernel, /^7011: a datagram of its own$/);
  });

  it('the frames of one call keep their order across devices; frames of timers at one instant need not', () => {
    const calls = [send(0, 0)];
    const onDev = (f: CmpFrame, dev: string): CmpFrame => ({ ...f, dev });
    // The model: the copy's ARP on veth1, then the original's ARP on veth0, then the copy.
    const model = side([onDev(arp(0, 1, '198.51.100.9'), 'veth1'), arp(0, 1), onDev(udp(0, { id: 7 }), 'veth1')], calls);
    const same = side([onDev(arp(0.1 * MS, 1, '198.51.100.9'), 'veth1'), arp(0.2 * MS, 1), onDev(udp(0.3 * MS, { id: 9 }), 'veth1')], calls);
    assert.deepEqual(compare(model, same).differences, []);
    // The kernel sent the copy before the original's ARP.
    const swapped = side([onDev(arp(0.1 * MS, 1, '198.51.100.9'), 'veth1'), onDev(udp(0.2 * MS, { id: 9 }), 'veth1'), arp(0.3 * MS, 1)], calls);
    const d = compare(model, swapped).differences;
    assert.deepEqual(d.map((x) => [x.kind, x.modelFrame, x.kernelFrame]), [['order', 2, 1]]);
    assert.match(d[0].model, /after model #2 \(ARP Who has 192\.0\.2\.2/);
    // At an instant no call made (two ARP retransmit timers), the order is free.
    const tm = side([...firstExchange(0), arp(1000 * MS, 1, '192.0.2.7'), onDev(arp(1000 * MS, 1, '198.51.100.9'), 'veth1')], calls);
    const tk = side([...firstExchange(0.1 * MS), onDev(arp(1000.1 * MS, 1, '198.51.100.9'), 'veth1'), arp(1000.2 * MS, 1, '192.0.2.7')], calls);
    assert.deepEqual(compare(tm, tk).differences.filter((x) => x.kind === 'order'), []);
  });

  it('a new random start (a connected socket) is unrelated on both sides', () => {
    const calls = [send(0, 0), send(1, 1 * MS)];
    const model = side([udp(0, { id: 10 }), udp(1 * MS, { id: 30000 })], calls);
    assert.equal(compare(model, side([udp(0.1 * MS, { id: 2000 }), udp(1.1 * MS, { id: 61000 })], calls)).agree, true);
    const d = compare(model, side([udp(0.1 * MS, { id: 2000 }), udp(1.1 * MS, { id: 2001 })], calls)).differences;
    assert.deepEqual(d.map((x) => x.kind), ['ip-id']);
  });
});

describe('compare: ports, echo identifiers and TCP numbers by consistency', () => {
  it('an ephemeral port stands for one port on the other side, throughout', () => {
    const calls = [send(0, 0), send(1, 100 * MS)];
    const model = side([udp(0, { sport: 46602, id: 1 }), udp(100 * MS, { sport: 46602, id: 2 })], calls);
    assert.equal(compare(model, side([udp(0.1 * MS, { sport: 58444, id: 7 }), udp(100.1 * MS, { sport: 58444, id: 8 })], calls)).agree, true);
    const d = compare(model, side([udp(0.1 * MS, { sport: 58444, id: 7 }), udp(100.1 * MS, { sport: 58445, id: 8 })], calls)).differences;
    assert.deepEqual(d.map((x) => [x.kind, x.field]), [['port', 'udp.sport']]);
  });

  it('a port the scenario chose must be equal', () => {
    const bound = compare(side([udp(0, { sport: 40000 })], [send(0, 0)]), side([udp(0.1 * MS, { sport: 40001 })], [send(0, 0)]), { fixedPorts: [40000] }).differences;
    assert.deepEqual(bound.map((x) => [x.field, x.model, x.kernel]), [['udp.sport', '40000', '40001']]);
    const low = compare(side([udp(0, { sport: 1000 })], [send(0, 0)]), side([udp(0.1 * MS, { sport: 1001 })], [send(0, 0)])).differences;
    assert.deepEqual(low.map((x) => [x.field, x.model, x.kernel]), [['udp.sport', '1000', '1001']]);
  });

  it('TCP: sequence numbers and timestamps keep one offset per direction; the RST acknowledges the SYN', () => {
    const calls = [send(0, 0, 'ok', { proto: 'tcp', to: `${PEER}:80` })];
    const model = side([tcp(0, 'tx', 'SYN', 1000, 0, 46602, 77), tcp(0, 'rx', 'RST|ACK', 0, 1001, 46602)], calls);
    assert.equal(compare(model, side([tcp(0.1 * MS, 'tx', 'SYN', 5000000, 0, 51234, 123456), tcp(0.2 * MS, 'rx', 'RST|ACK', 0, 5000001, 51234)], calls)).agree, true);
    const d = compare(model, side([tcp(0.1 * MS, 'tx', 'SYN', 5000000, 0, 51234, 123456), tcp(0.2 * MS, 'rx', 'RST|ACK', 0, 5000002, 51234)], calls)).differences;
    assert.deepEqual(d.map((x) => [x.kind, x.field]), [['tcp', 'tcp.ack']]);
  });
});

describe('compare: times by their cause', () => {
  it('a frame the model sends at once must follow its cause within 5 ms', () => {
    const model = side(firstExchange(0), [send(0, 0)]);
    assert.equal(compare(model, side(firstExchange(0, (i) => (0.1 + i * 0.03) * MS), [send(0, 0)])).agree, true);
    const d = compare(model, side(firstExchange(0, (i) => (i === 2 ? 9 : 0.1) * MS), [send(0, 0)])).differences;
    assert.deepEqual(d.map((x) => [x.kind, x.kernelFrame]), [['time', 2]]);
    assert.match(d[0].rule!, /within 5\.000 ms/);
  });

  it('ARP retransmits: 1000..1032 ms after the request, then 1024 ms; the model\'s phase may differ', () => {
    const model = side([arp(0, 1), arp(1004 * MS, 1), arp(2028 * MS, 1)], [send(0, 0)]);
    const at = (a: number, b: number): CmpSide => side([arp(0.2 * MS, 1), arp(a * MS, 1), arp(b * MS, 1)], [send(0, 0)]);
    assert.equal(compare(model, at(1003.9, 2027.9)).agree, true);
    assert.equal(compare(model, at(1031.5, 2055.5)).agree, true, 'the slowest first retransmit');
    const late = compare(model, at(1045, 2069)).differences;
    assert.deepEqual(late.map((x) => [x.kind, x.kernelFrame]), [['time', 1]]);
    const gap = compare(model, at(1004, 2080)).differences;
    assert.deepEqual(gap.map((x) => [x.kind, x.kernelFrame]), [['time', 2]], 'a later gap must stay 1024 ms');
  });

  it('an ARP retransmit keeps its delay after the request, however long the calls queued after it took', () => {
    // 50 calls to an unresolved neighbour: the first sends the request and arms the timer, the
    // others queue. One run sends them over 39 ms, the other over 7 ms.
    const calls = (spacing: number): CmpSend[] => Array.from({ length: 50 }, (_, i) => send(i, i * spacing * MS));
    const model = side([arp(0, 1), arp(1014 * MS, 1)], calls(0.8));
    const at = (retransmit: number): CmpSide => side([arp(0.05 * MS, 1), arp(retransmit * MS, 1)], calls(0.15));
    // 1031.4 ms after the request, as 1014 ms was: agreed, though it is 1024 ms after the last call
    // on one side and 975 ms on the other (more than the wheel's granularity apart).
    assert.equal(compare(model, at(1031.4)).agree, true);
    // After neither the request nor the last call: flagged.
    const late = compare(model, at(1070)).differences;
    assert.deepEqual(late.map((x) => [x.kind, x.kernelFrame]), [['time', 1]]);
    assert.match(late[0].model, /after call 49/);
  });

  it('the timer wheel\'s granularity grows by 8 per level of 64 slots', () => {
    assert.equal(wheelGranularity(0), 1);
    assert.equal(wheelGranularity(63), 1);
    assert.equal(wheelGranularity(64), 8);
    assert.equal(wheelGranularity(250), 8);
    assert.equal(wheelGranularity(511), 8);
    assert.equal(wheelGranularity(512), 64);
    assert.equal(wheelGranularity(1250), 64);
    assert.equal(wheelGranularity(4096), 512);
  });
});
