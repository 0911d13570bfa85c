// The shape of `kpath run --json`, as docs/json.md documents it, checked against real documents.
// The validator is written by hand from the documentation: objects must have exactly the documented
// keys (a missing, extra or renamed key fails), with the documented types and value sets. A change
// of shape therefore fails here until docs/json.md, this file and (if needed) the `kpath` version
// number in the document are changed together.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SCENARIO, REPO_ROOT, describeRun, kpath, makeTempDir, removeTempDir } from '../helpers/cli';
import { RICH, writeScenario } from '../helpers/scenarios';

// ---- a small shape language ----

type Shape =
  | { t: 'string'; enum?: readonly string[]; pattern?: RegExp }
  | { t: 'int'; min?: number; max?: number }
  | { t: 'bool' }
  | { t: 'null' }
  | { t: 'literal'; value: string | number }
  | { t: 'array'; of: Shape }
  | { t: 'object'; keys: Record<string, Shape>; optional: readonly string[] }
  | { t: 'map'; of: Shape; key?: RegExp }
  | { t: 'oneOf'; of: Shape[] };

const str = (o: { enum?: readonly string[]; pattern?: RegExp } = {}): Shape => ({ t: 'string', ...o });
const int = (min = 0, max = Number.MAX_SAFE_INTEGER): Shape => ({ t: 'int', min, max });
const bool: Shape = { t: 'bool' };
const nul: Shape = { t: 'null' };
const lit = (value: string | number): Shape => ({ t: 'literal', value });
const arr = (of: Shape): Shape => ({ t: 'array', of });
const obj = (keys: Record<string, Shape>, optional: readonly string[] = []): Shape => ({ t: 'object', keys, optional });
const map = (of: Shape, key?: RegExp): Shape => ({ t: 'map', of, key });
const oneOf = (...of: Shape[]): Shape => ({ t: 'oneOf', of });

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const ERRNO = /^E[A-Z0-9]+$/;
const HEX = /^([0-9a-f]{2})*$/;
const FUNC = /^[a-z_][a-z0-9_]*$/;

const TIME = int(); // ns from the scenario's start
const U8 = int(0, 255);
const U16 = int(0, 65535);
const U32 = int(0, 0xffffffff);

/** Reports where a value differs from a shape; records which optional keys were seen. */
function check(v: unknown, s: Shape, at: string, errors: string[], seen: Set<string>): void {
  const fail = (msg: string): void => {
    errors.push(`${at}: ${msg} (found ${JSON.stringify(v)?.slice(0, 80)})`);
  };
  switch (s.t) {
    case 'string':
      if (typeof v !== 'string') return fail('expected a string');
      if (s.enum && !s.enum.includes(v)) return fail(`expected one of ${s.enum.join(', ')}`);
      if (s.pattern && !s.pattern.test(v)) return fail(`expected a string matching ${s.pattern}`);
      return;
    case 'int':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return fail('expected an integer');
      if (v < (s.min ?? -Infinity) || v > (s.max ?? Infinity)) return fail(`expected ${s.min}..${s.max}`);
      return;
    case 'bool':
      if (typeof v !== 'boolean') fail('expected true or false');
      return;
    case 'null':
      if (v !== null) fail('expected null');
      return;
    case 'literal':
      if (v !== s.value) fail(`expected ${JSON.stringify(s.value)}`);
      return;
    case 'array':
      if (!Array.isArray(v)) return fail('expected an array');
      v.forEach((x, i) => check(x, s.of, `${at}[${i}]`, errors, seen));
      return;
    case 'map':
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('expected an object');
      for (const [k, x] of Object.entries(v)) {
        if (s.key && !s.key.test(k)) errors.push(`${at}: key "${k}" does not match ${s.key}`);
        check(x, s.of, `${at}.${k}`, errors, seen);
      }
      return;
    case 'object': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('expected an object');
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) if (!(k in s.keys)) errors.push(`${at}: undocumented key "${k}"`);
      for (const [k, ks] of Object.entries(s.keys)) {
        if (!(k in o)) {
          if (!s.optional.includes(k)) errors.push(`${at}: missing key "${k}"`);
          continue;
        }
        if (s.optional.includes(k)) seen.add(`${at.replace(/\[\d+\]/g, '[]')}.${k}`);
        check(o[k], ks, `${at}.${k}`, errors, seen);
      }
      return;
    }
    case 'oneOf': {
      for (const alt of s.of) {
        const e: string[] = [];
        check(v, alt, at, e, seen);
        if (!e.length) return;
      }
      fail('matches none of the documented forms');
      return;
    }
  }
}

// ---- the shape, as docs/json.md describes it ----

const SEND = obj(
  {
    index: int(),
    line: int(1),
    time: TIME,
    proto: str({ enum: ['udp', 'icmp', 'tcp'] }),
    to: str({ pattern: /^[\d.]+(:\d+)?$/ }),
    size: int(0, 65535),
    socket: str(),
    result: oneOf(lit('ok'), str({ pattern: ERRNO })),
    setsockopt: arr(obj({ option: str({ pattern: /^(IP|SO)_[A-Z_]+$/ }), result: str({ pattern: ERRNO }) })),
    packets: arr(int(1)),
  },
  ['setsockopt'],
);

const DECODED = obj(
  {
    eth: obj({ dst: str({ pattern: MAC }), src: str({ pattern: MAC }), type: U16 }),
    arp: obj({ op: U16, sha: str({ pattern: MAC }), spa: str({ pattern: IPV4 }), tha: str({ pattern: MAC }), tpa: str({ pattern: IPV4 }) }),
    ip: obj(
      {
        version: int(0, 15),
        ihl: int(0, 15),
        tos: U8,
        totLen: U16,
        id: U16,
        df: bool,
        mf: bool,
        fragOffset: int(0, 65528),
        ttl: U8,
        protocol: U8,
        check: U16,
        checkOk: bool,
        src: str({ pattern: IPV4 }),
        dst: str({ pattern: IPV4 }),
        options: str({ pattern: HEX }),
      },
      ['options'],
    ),
    udp: obj({ sport: U16, dport: U16, len: U16, check: U16, checkOk: bool }, ['checkOk']),
    icmp: obj({ type: U8, code: U8, check: U16, checkOk: bool, id: U16, seq: U16, mtu: U16 }, ['checkOk', 'id', 'seq', 'mtu']),
    tcp: obj(
      {
        sport: U16,
        dport: U16,
        seq: U32,
        ack: U32,
        flags: str({ pattern: /^((FIN|SYN|RST|PSH|ACK|URG|ECE|CWR|AE)(\|(FIN|SYN|RST|PSH|ACK|URG|ECE|CWR|AE))*)?$/ }),
        window: U16,
        check: U16,
        checkOk: bool,
        options: arr(str()),
      },
      ['checkOk'],
    ),
    payloadLen: int(),
    problems: arr(str()),
  },
  ['eth', 'arp', 'ip', 'udp', 'icmp', 'tcp', 'payloadLen'],
);

const FRAME = obj({
  index: int(),
  time: TIME,
  dev: str(),
  dir: str({ enum: ['tx', 'rx'] }),
  len: int(),
  hex: str({ pattern: HEX }),
  src: str(),
  dst: str(),
  protocol: str(),
  info: str(),
  decoded: DECODED,
  packet: int(),
});

const DROP = obj({ time: TIME, packet: int(), function: str({ pattern: FUNC }), reason: str({ pattern: /^[A-Z][A-Z0-9_]*$/ }), len: int() });

const ICMP = obj({
  time: TIME,
  type: U8,
  code: U8,
  name: str(),
  from: str({ pattern: IPV4 }),
  to: str({ pattern: IPV4 }),
  info: U32,
  about: int(),
});

const DELIVERED = obj({
  time: TIME,
  dev: str(),
  via: str({ enum: ['loopback', 'multicast-loop', 'broadcast-loop'] }),
  src: str({ pattern: IPV4 }),
  dst: str({ pattern: IPV4 }),
  protocol: U8,
  len: U16,
  accepted: bool,
});

const ADDR_PORT = /^[\d.]+:\d+$/;
const SOCKET = obj(
  {
    name: str(),
    protocol: str({ enum: ['udp', 'icmp', 'tcp'] }),
    local: str({ pattern: ADDR_PORT }),
    remote: str({ pattern: ADDR_PORT }),
    pendingError: str({ pattern: ERRNO }),
    errqueue: arr(
      obj({
        time: TIME,
        errno: str({ pattern: ERRNO }),
        origin: str({ enum: ['local', 'icmp'] }),
        type: U8,
        code: U8,
        info: U32,
        offender: str({ pattern: IPV4 }),
        payloadLen: int(),
      }),
    ),
  },
  ['remote', 'pendingError'],
);

const counters = (names: string[]): Shape => obj(Object.fromEntries(names.map((n) => [n, int()])));
const COUNTERS = obj({
  Ip: counters([
    'InReceives', 'InDelivers', 'OutRequests', 'OutTransmits', 'OutOctets', 'OutDiscards', 'OutNoRoutes', 'FragOKs', 'FragFails',
    'FragCreates', 'OutMcastPkts', 'OutBcastPkts', 'OutMcastOctets', 'OutBcastOctets', 'InMcastPkts', 'InBcastPkts',
  ]),
  Icmp: counters(['InMsgs', 'InDestUnreachs', 'InEchoReps', 'OutMsgs', 'OutDestUnreachs', 'OutEchos']),
  Udp: counters(['InDatagrams', 'NoPorts', 'OutDatagrams', 'SndbufErrors', 'IgnoredMulti']),
  Tcp: counters(['ActiveOpens', 'AttemptFails', 'OutSegs', 'InSegs', 'OutRsts']),
  ArpCache: counters(['allocs', 'destroys', 'lookups', 'hits', 'res_failed', 'unresolved_discards', 'table_fulls']),
  devices: map(counters(['tx_packets', 'tx_bytes', 'tx_dropped', 'rx_packets', 'rx_bytes'])),
});

const NEIGHBOUR = obj({
  dev: str(),
  dst: str({ pattern: IPV4 }),
  lladdr: oneOf(str({ pattern: MAC }), nul),
  state: str({ enum: ['NONE', 'INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'NOARP', 'PERMANENT'] }),
  probes: int(),
  queued: int(),
});

const NETFILTER = obj({ table: str({ enum: ['filter', 'nat', 'mangle'] }), rule: str(), packets: int(), bytes: int() });

const TRACE_LINE = obj({
  time: TIME,
  context: str({ enum: ['task', 'softirq'] }),
  packet: int(),
  depth: int(),
  function: str({ pattern: FUNC }),
  len: int(-1),
  decision: str(),
  hit: int(),
});

const TOTALS = obj({
  calls: int(),
  frames: int(),
  lines: arr(obj({
    line: int(1),
    proto: str({ enum: ['udp', 'icmp', 'tcp'] }),
    to: str({ pattern: /^[\d.]+(:\d+)?$/ }),
    size: int(0, 65535),
    calls: int(),
    results: map(int(1), /^(ok|E[A-Z0-9]+)$/),
  })),
  drops: int(),
  dropReasons: map(int(1), /^[A-Z_]+$/),
  icmp: int(),
  delivered: int(),
});

const DOCUMENT = obj(
  {
    kpath: lit(1),
    kernel: str({ enum: ['6.18', '4.9'] }),
    scenario: str(),
    endTime: TIME,
    sends: arr(SEND),
    frames: arr(FRAME),
    drops: arr(DROP),
    icmp: arr(ICMP),
    delivered: arr(DELIVERED),
    sockets: arr(SOCKET),
    counters: COUNTERS,
    neighbours: arr(NEIGHBOUR),
    netfilter: arr(NETFILTER),
    trace: arr(TRACE_LINE),
    breaks: map(int(), FUNC),
    totals: TOTALS,
  },
  ['scenario', 'trace', 'breaks', 'totals'],
);

/** Every key name the shape mentions. */
function keyNames(s: Shape, into = new Set<string>()): Set<string> {
  if (s.t === 'object') {
    for (const [k, v] of Object.entries(s.keys)) {
      into.add(k);
      keyNames(v, into);
    }
  } else if (s.t === 'array' || s.t === 'map') keyNames(s.of, into);
  else if (s.t === 'oneOf') s.of.forEach((x) => keyNames(x, into));
  return into;
}

function validate(doc: unknown, seen = new Set<string>()): string[] {
  const errors: string[] = [];
  check(doc, DOCUMENT, '$', errors, seen);
  return errors;
}

// ---- facts the documentation states beyond types ----

interface Doc {
  endTime: number;
  sends: { index: number; time: number; packets: number[] }[];
  frames: { index: number; time: number; len: number; hex: string; dir: string; packet: number; decoded: { problems: string[]; eth?: { src: string; dst: string } } }[];
  drops: { time: number }[];
  icmp: { time: number }[];
  trace?: { time: number; hit: number; function: string }[];
  breaks?: Record<string, number>;
  counters: { devices: Record<string, unknown> };
  neighbours: { dev: string; state: string; lladdr: string | null }[];
}

function invariants(d: Doc, breaks: string[]): string[] {
  const e: string[] = [];
  d.sends.forEach((s, i) => s.index !== i && e.push(`sends[${i}].index is ${s.index}`));
  d.frames.forEach((f, i) => {
    if (f.index !== i) e.push(`frames[${i}].index is ${f.index}`);
    if (f.hex.length !== 2 * f.len) e.push(`frames[${i}]: hex has ${f.hex.length / 2} bytes, len is ${f.len}`);
    if (i && f.time < d.frames[i - 1].time) e.push(`frames[${i}] is earlier than frames[${i - 1}]`);
    if (f.time > d.endTime) e.push(`frames[${i}] is after endTime`);
    if (f.dir === 'rx' && f.packet !== 0) e.push(`frames[${i}]: a frame from a peer has packet ${f.packet}`);
    if (f.decoded.problems.length) e.push(`frames[${i}]: the model sent a frame with problems: ${f.decoded.problems.join('; ')}`);
  });
  for (const list of ['sends', 'drops', 'icmp'] as const) {
    d[list].forEach((x, i) => x.time > d.endTime && e.push(`${list}[${i}].time is after endTime`));
  }
  if (d.trace) {
    d.trace.forEach((l, i) => i && l.time < d.trace![i - 1].time && e.push(`trace[${i}] is earlier than trace[${i - 1}]`));
  }
  if (breaks.length) {
    if (!d.breaks) e.push('no "breaks" with --break');
    else {
      if (JSON.stringify(Object.keys(d.breaks)) !== JSON.stringify(breaks)) e.push(`breaks has keys ${Object.keys(d.breaks)}, not ${breaks}`);
      for (const b of breaks) {
        const marked = (d.trace ?? []).filter((l) => l.function === b && l.hit > 0);
        if (marked.length !== d.breaks[b]) e.push(`breaks.${b} is ${d.breaks[b]} but ${marked.length} trace lines are marked`);
        marked.forEach((l, i) => l.hit !== i + 1 && e.push(`the hits of ${b} are not numbered 1, 2, ...`));
      }
    }
  }
  for (const n of d.neighbours) {
    if (!(n.dev in d.counters.devices)) e.push(`neighbour on unknown device ${n.dev}`);
  }
  return e;
}

// ---- the tests ----

const dir = makeTempDir('kpath-json-');
after(() => removeTempDir(dir));

const RUNS: { name: string; args: (rich: string) => string[]; breaks: string[] }[] = [
  { name: 'default', args: () => ['run', DEFAULT_SCENARIO, '--json'], breaks: [] },
  { name: 'default --kernel 4.9', args: () => ['run', DEFAULT_SCENARIO, '--json', '--kernel', '4.9'], breaks: [] },
  { name: 'default --trace --break', args: () => ['run', DEFAULT_SCENARIO, '--json', '--trace', '--break', 'ip_finish_output2', '--break', '__neigh_create'], breaks: ['ip_finish_output2', '__neigh_create'] },
  { name: 'rich --trace', args: (rich) => ['run', rich, '--json', '--trace'], breaks: [] },
  { name: 'rich --kernel 4.9 --break', args: (rich) => ['run', rich, '--json', '--kernel', '4.9', '--break', 'neigh_invalidate'], breaks: ['neigh_invalidate'] },
  { name: 'rich --counts', args: (rich) => ['run', rich, '--json', '--counts'], breaks: [] },
];

const seen = new Set<string>();

for (const run of RUNS) {
  test(`--json (${run.name}) has the documented shape`, () => {
    const rich = writeScenario(dir, 'rich.kpath', RICH);
    const r = kpath(run.args(rich));
    assert.equal(r.status, 0, describeRun(r));
    const doc = JSON.parse(r.stdout) as unknown;
    const errors = validate(doc, seen);
    assert.deepEqual(errors, [], `${run.name}: ${errors.length} shape error(s)`);
    const inv = invariants(doc as Doc, run.breaks);
    assert.deepEqual(inv, [], run.name);
  });
}

test('the documents above exercise every optional part of the shape (except icmp.mtu)', () => {
  // icmp.mtu needs a "fragmentation needed" message on the wire, which no bundled scenario sends.
  const expected = [
    '$.scenario', '$.trace', '$.breaks',
    '$.sends[].setsockopt',
    '$.frames[].decoded.eth', '$.frames[].decoded.arp', '$.frames[].decoded.ip', '$.frames[].decoded.udp',
    '$.frames[].decoded.icmp', '$.frames[].decoded.tcp', '$.frames[].decoded.payloadLen',
    '$.frames[].decoded.ip.options', '$.frames[].decoded.udp.checkOk', '$.frames[].decoded.icmp.checkOk',
    '$.frames[].decoded.icmp.id', '$.frames[].decoded.icmp.seq', '$.frames[].decoded.tcp.checkOk',
    '$.sockets[].remote', '$.sockets[].pendingError', '$.totals',
  ];
  const missing = expected.filter((p) => !seen.has(p));
  assert.deepEqual(missing, [], `not exercised (did a test above fail?): ${missing.join(', ')}`);
});

test('the validator rejects a changed shape', () => {
  const r = kpath(['run', DEFAULT_SCENARIO, '--json']);
  const good = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(validate(good), []);
  const mutate = (f: (d: Record<string, any>) => void): string[] => {
    const d = JSON.parse(r.stdout) as Record<string, any>;
    f(d);
    return validate(d);
  };
  assert.match(mutate((d) => (d.extra = 1)).join(), /undocumented key "extra"/);
  assert.match(mutate((d) => delete d.drops).join(), /missing key "drops"/);
  assert.match(mutate((d) => (d.endTime = '10ms')).join(), /\$\.endTime: expected an integer/);
  assert.match(mutate((d) => (d.kpath = 2)).join(), /\$\.kpath: expected 1/);
  assert.match(mutate((d) => (d.frames[0].decoded.eth.src = '02-00-00-00-00-01')).join(), /decoded\.eth\.src/);
  assert.match(mutate((d) => (d.sends[0].result = 'error')).join(), /\$\.sends\[0\]\.result/);
  assert.match(mutate((d) => (d.counters.Ip.OutFoo = 1)).join(), /undocumented key "OutFoo"/);
  assert.match(mutate((d) => (d.neighbours[0].state = 'reachable')).join(), /neighbours\[0\]\.state/);
});

// ---- docs/json.md ----

const DOC_PATH = path.join(REPO_ROOT, 'docs', 'json.md');

test('docs/json.md names every key of the shape', () => {
  const md = fs.readFileSync(DOC_PATH, 'utf8');
  const missing = [...keyNames(DOCUMENT)].filter((k) => !md.includes('`' + k + '`'));
  assert.deepEqual(missing, [], 'keys the validator knows but docs/json.md does not mention (as `key`)');
});

test('the example in docs/json.md is valid JSON of the documented shape, from a real run', () => {
  const md = fs.readFileSync(DOC_PATH, 'utf8');
  const m = /## Example[\s\S]*?```json\n([\s\S]*?)\n```/.exec(md);
  assert.ok(m, 'docs/json.md has an "## Example" section with a ```json block');
  const example = JSON.parse(m[1]) as Doc & Record<string, unknown>;
  assert.deepEqual(validate(example), []);
  // The example is trimmed, not invented: it must still agree with the command it names. Details
  // that any change of the model moves (IP IDs, ports, checksums) are not compared.
  const cmd = /`(kpath run [^`]+)`/.exec(md.slice(md.indexOf('## Example')));
  assert.ok(cmd, 'the example names the command that produced it');
  const r = kpath(cmd[1].split(/\s+/).slice(1), { cwd: REPO_ROOT });
  assert.equal(r.status, 0, describeRun(r));
  const real = JSON.parse(r.stdout) as Doc & Record<string, unknown>;
  const refresh = `; refresh the example in docs/json.md from \`${cmd[1]}\``;
  const frameKey = (f: Doc['frames'][number]) => `${f.time} ${f.dir} ${f.len} ${f.packet}`;
  const realFrames = new Set(real.frames.map(frameKey));
  for (const f of example.frames) assert.ok(realFrames.has(frameKey(f)), `example frame ${f.index} (${frameKey(f)}) is not in the real run${refresh}`);
  assert.deepEqual(Object.keys(example), Object.keys(real), `the example's keys${refresh}`);
  assert.equal(example.sends.length, real.sends.length, `the example's sends${refresh}`);
  assert.deepEqual(example.counters, real.counters, `the example's counters${refresh}`);
  assert.deepEqual(example.neighbours, real.neighbours, `the example's neighbours${refresh}`);
  assert.deepEqual(example.breaks, real.breaks, `the example's breaks${refresh}`);
});
