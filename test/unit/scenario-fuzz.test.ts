// Property-based tests of the scenario language: random text, random mutations of every scenario
// that ships or that the tests use, and random scenario objects. The parser and the object checks
// never throw anything but ScenarioError, always end (inputs are bounded in size, the test in
// time), answer with a scenario or with errors at a line and column of the input, and quote bad
// input without a control character. Cases: fuzzParams (KPATH_FUZZ_SCALE runs more, docs/testing.md).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatScenario, parseScenario, parseScenarioAll, ScenarioError } from '../../src/model/scenario/parse';
import { validateScenario, validateScenarioAll } from '../../src/model/scenario/validate';
import type { Scenario } from '../../src/model/scenario/types';
import { allScenarioFiles, fuzzParams, fuzzTimeout } from '../helpers/fuzz';

const FILES = allScenarioFiles();

/** A character a message must never carry raw: C0/C1 controls, DEL, bidi controls, line separators. */
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

/** Words of the language and values near its edges, to build lines a parser must think about. */
const WORDS = [
  'kernel', '6.18', '4.9', 'link', 'add', 'eth0', 'eth1', 'veth0', 'lo', 'type', 'veth', 'ethernet', 'mtu', 'address', 'qdisc',
  'noqueue', 'pfifo_fast', 'txqueuelen', 'offload', 'on', 'off', 'down', 'addr', 'dev', 'route', 'default', 'via', 'src', 'neigh',
  'lladdr', 'nud', 'permanent', 'reachable', 'stale', 'noarp', 'sysctl', 'net.ipv4.ip_default_ttl', 'net.ipv4.neigh.eth0.retrans_time_ms',
  'net.ipv4.ip_no_pmtu_disc', '=', 'nft', 'rule', 'ip', 'filter', 'nat', 'mangle', 'postrouting', 'udp', 'tcp', 'icmp', 'dport', 'sport',
  'saddr', 'daddr', 'meta', 'mark', 'set', 'oif', 'oifname', 'accept', 'drop', 'counter', 'snat', 'to', 'masquerade', 'ttl', 'dscp',
  'peer', 'silent', 'up-at', 'reply-delay', 'join', 'at', 'send', 'echo', 'syn', 'from', 'size', 'df', 'do', 'dont', 'want', 'probe',
  'tos', 'count', 'every', 'socket', 's1', 'connected', 'broadcast', 'bind-dev', 'multicast-if', 'multicast-ttl', 'multicast-loop',
  'recverr', 'ip-options', 'ra', 'rr', 'ra,rr', 'run',
  '0', '1', '-1', '68', '67', '1500', '65535', '65536', '4294967295', '4294967296', '9007199254740993', '1e3', '0x10', '0xZZ', 'NaN',
  'Infinity', '00', '1.5', '0ms', '1ms', '10us', '5s', '1ns', '-1ms', '99999999999s', '1h', 'ms',
  '192.0.2.1/24', '192.0.2.2', '192.0.2.254', '192.0.2.2:9000', '192.0.2.2:0', '192.0.2.2:65536', '198.51.100.0/24', '0.0.0.0/0',
  '1.2.3.4/33', '255.255.255.255', '224.0.0.1', '239.1.2.3:9000', '127.0.0.1', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4',
  '02:00:00:00:00:01', '02:00:00:00:00:fe', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '02:00:00:00:00', 'zz:00:00:00:00:00',
  '"eth0"', '"', '""', '"a\\"b"', '#', '# comment', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '\u0000', '\u001b[31m',
  '\u202e', '\u2028', '\u00a0', '\ufeff', '\t', 'é', '网卡', '😀', '$(reboot)', '`id`', ';', '|', '&&', '../../etc/passwd', 'a'.repeat(300),
];

const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.nat().map(String) },
);
const line = fc.array(word, { maxLength: 14 }).map((ws) => ws.join(' '));
const eol = fc.constantFrom('\n', '\r\n', '\r', '\n\n');
/** A scenario-like text: lines of the language's words and of noise. */
const wordText = fc.array(fc.tuple(line, eol), { maxLength: 30 }).map((ls) => ls.map(([l, e]) => l + e).join(''));
/** Any text at all, control characters included. */
const anyText = fc.string({ maxLength: 400, unit: 'binary' });

type Mutation = (lines: string[], r: () => number) => void;
const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)];
const MUTATIONS: Mutation[] = [
  (ls, r) => void ls.splice(Math.floor(r() * ls.length), 1),
  (ls, r) => {
    const i = Math.floor(r() * ls.length);
    ls.splice(i, 0, ls[i] ?? '');
  },
  (ls, r) => {
    const i = Math.floor(r() * ls.length);
    const j = Math.floor(r() * ls.length);
    [ls[i], ls[j]] = [ls[j], ls[i]];
  },
  // A word replaced, removed, doubled, or a character put inside it.
  (ls, r) => editWords(ls, r, (ws, k) => void (ws[k] = pick(WORDS, r))),
  (ls, r) => editWords(ls, r, (ws, k) => void ws.splice(k, 1)),
  (ls, r) => editWords(ls, r, (ws, k) => void ws.splice(k, 0, ws[k])),
  (ls, r) => editWords(ls, r, (ws, k) => {
    const w = ws[k];
    const at = Math.floor(r() * (w.length + 1));
    ws[k] = w.slice(0, at) + pick(['\u0000', '\u001b', '"', '#', '=', ':', '/', '.', '-', '9', '\u202e', ' '], r) + w.slice(at);
  }),
  // A number pushed to an edge.
  (ls, r) => editWords(ls, r, (ws, k) => void (ws[k] = ws[k].replace(/\d+/, pick(['0', '65535', '65536', '4294967296', '99999999999999999999'], r)))),
  // A line from another scenario.
  (ls, r) => {
    const other = pick(FILES, r).text.split('\n');
    ls.splice(Math.floor(r() * (ls.length + 1)), 0, pick(other, r));
  },
];

function editWords(ls: string[], r: () => number, f: (ws: string[], k: number) => void): void {
  if (!ls.length) return;
  const i = Math.floor(r() * ls.length);
  const ws = ls[i].split(' ');
  f(ws, Math.floor(r() * ws.length));
  ls[i] = ws.join(' ');
}

/** A shipped or test scenario with 1..6 random mutations, or cut short. */
const mutatedText = fc
  .tuple(fc.nat({ max: FILES.length - 1 }), fc.array(fc.nat({ max: MUTATIONS.length - 1 }), { minLength: 1, maxLength: 6 }), fc.integer(), fc.option(fc.nat()))
  .map(([f, muts, seed, cut]) => {
    const r = mulberry(seed);
    const lines = FILES[f].text.split('\n');
    for (const m of muts) MUTATIONS[m](lines, r);
    const text = lines.join('\n');
    return cut === null ? text : text.slice(0, cut % (text.length + 1));
  });

/** A small deterministic generator for the mutations' choices (fast-check gives the seed). */
function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The lines of a text as the lexer counts them. */
function linesOf(text: string): string[] {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/);
}

/** The checks every answer of the parser or of the object checks must pass. */
function checkAnswer(r: { scenario?: Scenario; errors: ScenarioError[] }, text: string | null): void {
  assert.equal(Array.isArray(r.errors), true);
  if (r.scenario) assert.equal(r.errors.length, 0, 'a scenario comes back only without errors');
  else assert.ok(r.errors.length > 0, 'no scenario and no error');
  const lines = text === null ? null : linesOf(text);
  for (const e of r.errors) {
    assert.ok(e instanceof ScenarioError, `not a ScenarioError: ${String(e)}`);
    assert.ok(Number.isInteger(e.line) && e.line >= 1, `line ${e.line}`);
    assert.ok(Number.isInteger(e.col) && e.col >= 1, `col ${e.col}`);
    if (lines) {
      assert.ok(e.line <= Math.max(1, lines.length), `line ${e.line} past the text's ${lines.length} lines: ${e.message}`);
      assert.ok(e.col <= lines[e.line - 1].length + 1, `col ${e.col} past the end of line ${e.line}: ${e.message}`);
    }
    assert.doesNotMatch(e.message, RAW_CONTROL, 'a raw control character in the message');
    assert.ok(e.message.length < 4000, `a message of ${e.message.length} characters`);
  }
}

/** A scenario without positions and nft rule texts (what formatScenario does not keep). */
function strip(s: Scenario): unknown {
  return JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === 'pos' || k === 'text' || k === 'file' ? undefined : v)));
}

function checkText(text: string): void {
  let r: ReturnType<typeof parseScenarioAll>;
  try {
    r = parseScenarioAll(text, 'fuzz.kpath');
  } catch (e) {
    assert.fail(`parseScenarioAll threw ${(e as Error)?.stack ?? String(e)}`);
  }
  checkAnswer(r, text);
  try {
    parseScenario(text, 'fuzz.kpath');
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `parseScenario threw ${(e as Error)?.stack ?? String(e)}`);
  }
  if (r.scenario) {
    // The object form accepts what the text form accepted, and the text written back reads the same.
    const again = validateScenarioAll(JSON.parse(JSON.stringify(r.scenario)));
    assert.deepEqual(again.errors.map((e) => e.message), []);
    const round = parseScenarioAll(formatScenario(r.scenario), 'fuzz.kpath');
    assert.deepEqual(round.errors.map((e) => e.message), [], formatScenario(r.scenario));
    assert.deepEqual(strip(round.scenario!), strip(r.scenario));
  }
}

describe('scenario text, fuzzed', () => {
  test('every shipped and test scenario parses (the mutations start from good text)', () => {
    assert.ok(FILES.length > 40, `only ${FILES.length} scenarios found`);
    for (const f of FILES) assert.deepEqual(parseScenarioAll(f.text, f.file).errors.map((e) => e.message), [], f.file);
  });

  test('mutations of every scenario', { timeout: fuzzTimeout(120_000) }, () => {
    fc.assert(fc.property(mutatedText, checkText), fuzzParams(600));
  });

  test('lines of the language\'s words and noise', { timeout: fuzzTimeout(60_000) }, () => {
    fc.assert(fc.property(wordText, checkText), fuzzParams(400));
  });

  test('any text', { timeout: fuzzTimeout(60_000) }, () => {
    fc.assert(fc.property(anyText, checkText), fuzzParams(300));
  });

  test('large inputs end: a long word, a long line, many lines', { timeout: fuzzTimeout(60_000) }, () => {
    const base = FILES[0].text;
    for (const text of [
      `lnk${'x'.repeat(200_000)} add eth0\n`,
      `link add eth0 ${'mtu 1500 '.repeat(20_000)}\n`,
      `"${'\\'.repeat(100_000)}\n`,
      base + 'at 0ms send udp to 192.0.2.2:9000\n'.repeat(20_000),
      base + 'link add eth0\n'.repeat(5_000),
      '\u0000'.repeat(100_000),
    ]) checkText(text);
  });
});

// ---------------------------------------------------------------------------------------------
// The object form (a scenario given inline in a launch configuration)

const PARSED = FILES.map((f) => parseScenario(f.text, f.file));
const ARRAYS = ['links', 'addrs', 'routes', 'neighs', 'sysctls', 'nft', 'peers', 'joins', 'sends'] as const;
const ODD_VALUES: unknown[] = [
  null, undefined, true, 0, -1, 1.5, 2 ** 53, NaN, Infinity, '', 'x', '\u0000\u001b[2J', '__proto__', [], {}, [[]], { line: 0, col: 0 },
  '192.0.2.1', '02:00:00:00:00:01', 'eth0', 'lo', '5s', '-1ms', 65536, 4294967296,
];
const jsonish = fc.oneof(fc.constantFrom(...ODD_VALUES), fc.jsonValue({ maxDepth: 2 }));

/** A parsed scenario as JSON, with one field of one item (or of the top) set to an odd value. */
const mutatedObject = fc
  .tuple(fc.nat({ max: PARSED.length - 1 }), fc.array(fc.tuple(fc.constantFrom(...ARRAYS, 'top'), fc.nat(), fc.string({ maxLength: 12 }), jsonish, fc.boolean()), { minLength: 1, maxLength: 4 }))
  .map(([i, edits]) => {
    const o = JSON.parse(JSON.stringify(PARSED[i])) as Record<string, unknown>;
    for (const [where, n, key, value, useOwnKey] of edits) {
      const target = where === 'top' ? o : (o[where] as Record<string, unknown>[] | undefined)?.[n % Math.max(1, (o[where] as unknown[] | undefined)?.length ?? 1)];
      if (!target || typeof target !== 'object') {
        o[where] = value;
        continue;
      }
      const keys = Object.keys(target);
      const k = useOwnKey && keys.length ? keys[n % keys.length] : key;
      if (value === undefined) delete target[k];
      else target[k] = value;
    }
    return o;
  });

/** Objects whose keys are the names of Object.prototype's members, as JSON.parse makes them. */
const PROTO_OBJECTS = [
  '{"__proto__": {"links": [{"name": "eth0"}]}}',
  '{"links": [{"name": "eth0", "__proto__": {"mtu": 9000}}], "sends": {"length": 3}}',
  '{"constructor": 1, "toString": 2, "hasOwnProperty": 3, "valueOf": {}}',
  '{"links": [{"name": "toString"}], "addrs": [{"address": "192.0.2.1", "prefix": 24, "dev": "toString"}]}',
  '{"sysctls": [{"key": "__proto__", "value": 1}, {"key": "constructor", "value": 1}]}',
  '{"nft": [{"table": "constructor", "chain": "postrouting", "matches": [{"kind": "__proto__"}], "statements": [{"kind": "toString"}]}]}',
  '{"sends": [{"at": 0, "proto": "udp", "to": "192.0.2.2", "port": 9000, "socket": "__proto__"}, {"at": 0, "proto": "udp", "to": "192.0.2.2", "port": 9000, "socket": "constructor"}]}',
].map((t) => JSON.parse(t) as unknown);

function checkObject(input: unknown): void {
  let r: ReturnType<typeof validateScenarioAll>;
  try {
    r = validateScenarioAll(input);
  } catch (e) {
    assert.fail(`validateScenarioAll threw ${(e as Error)?.stack ?? String(e)}`);
  }
  checkAnswer(r, null);
  try {
    validateScenario(input);
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `validateScenario threw ${(e as Error)?.stack ?? String(e)}`);
  }
  if (r.scenario) {
    // Checking a checked scenario again changes nothing.
    const again = validateScenarioAll(JSON.parse(JSON.stringify(r.scenario)));
    assert.deepEqual(again.errors.map((e) => e.message), []);
    assert.deepEqual(again.scenario, JSON.parse(JSON.stringify(r.scenario)));
  }
}

describe('scenario objects, fuzzed', () => {
  test('parsed scenarios with odd fields', { timeout: fuzzTimeout(60_000) }, () => {
    fc.assert(fc.property(mutatedObject, checkObject), fuzzParams(500));
  });

  test('any JSON value', { timeout: fuzzTimeout(60_000) }, () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), checkObject), fuzzParams(200));
    fc.assert(fc.property(fc.anything({ maxDepth: 3 }), checkObject), fuzzParams(200));
  });

  test('keys named like Object.prototype\'s members', () => {
    for (const o of PROTO_OBJECTS) checkObject(o);
  });
});
