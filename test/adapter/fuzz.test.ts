// The adapter fuzzed over a real stdio connection (node dist/dap.js): random sequences of requests
// (unknown commands, arguments of the wrong type or missing, references that do not exist,
// requests before launch and after terminate, huge counts) and garbage framing. Every request is
// answered, the process is still there at the end, and its resident memory stays bounded.
// Seeded and bounded here; KPATH_FUZZ_SCALE=N runs N times as many sessions (docs/testing.md).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { RawDap, frame } from '../helpers/raw-dap';
import { DEFAULT_SCENARIO, FIXTURES } from '../helpers/dap';
import { makeTempDir, removeTempDir } from '../helpers/cli';
import { fuzzParams, fuzzTimeout } from '../helpers/fuzz';
import { CUSTOM_REQUESTS } from '../../src/adapter/requests';

/** Resident memory the adapter may reach in a fuzzed session (a fresh one holds about 50 MiB). */
const RSS_LIMIT_KIB = 512 * 1024;

let tmp: string;
before(() => (tmp = makeTempDir('kpath-dap-fuzz-')));
after(() => removeTempDir(tmp));

const INITIALIZE = { adapterID: 'kpath', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true, supportsProgressReporting: true, supportsInvalidatedEvent: true };

/** Every request DAP defines, the adapter's own, and names it has never heard of. */
const COMMANDS = [
  'initialize', 'launch', 'attach', 'configurationDone', 'setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints',
  'setDataBreakpoints', 'setInstructionBreakpoints', 'dataBreakpointInfo', 'breakpointLocations', 'threads', 'stackTrace', 'scopes',
  'variables', 'setVariable', 'setExpression', 'source', 'evaluate', 'completions', 'continue', 'next', 'stepIn', 'stepOut', 'stepBack',
  'reverseContinue', 'stepInTargets', 'goto', 'gotoTargets', 'pause', 'restart', 'restartFrame', 'exceptionInfo', 'terminate',
  'terminateThreads', 'readMemory', 'writeMemory', 'disassemble', 'loadedSources', 'modules', 'cancel', 'locations',
  ...Object.keys(CUSTOM_REQUESTS),
  'frobnicate', 'kpath/frobnicate', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf',
];

/** Requests that move the run, asked with good arguments more often than the rest. */
const STEPS = ['next', 'stepIn', 'stepOut', 'stepBack', 'continue', 'reverseContinue', 'pause', 'restart'];

/** Names of argument fields the adapter reads, and a few it does not. */
const KEYS = [
  'source', 'path', 'name', 'breakpoints', 'lines', 'line', 'column', 'condition', 'hitCondition', 'logMessage', 'filters',
  'filterOptions', 'filterId', 'threadId', 'frameId', 'variablesReference', 'value', 'expression', 'context', 'startFrame', 'levels',
  'memoryReference', 'offset', 'count', 'start', 'index', 'text', 'scenario', 'stopOnEntry', 'kernel', 'knobs', 'kernelSource',
  'noDebug', 'trace', 'arguments', 'targetId', 'step', 'function', 'frame', 'packet', 'id', 'format', 'granularity',
  '__proto__', 'constructor', 'toString',
];

/** Values: references that exist (small ids) and do not, huge counts, wrong types, odd strings, paths. */
const scalar = fc.oneof(
  fc.constantFrom(
    0, 1, 2, 3, 5, 8, 1000, -1, 2 ** 31, 2 ** 32 + 1, 1e9, Number.MAX_SAFE_INTEGER, 1e308, 0.5, true, false, null,
    '', 'x', '0', '1', 'skb->len', 'skb->len > 1400', 'ip_finish_output2', '__neigh_create', 'drop', 'icmp', 'neigh-failed', 'nf-drop',
    'reason == "NEIGH_FAILED"', '1 +', '((((((((((', 'mtu', 'dev->mtu', '1500', '>= 2', '% 3', '__proto__', 'constructor', 'toString',
    '\u0000\u001b[2J', 'x'.repeat(5000), '6.18', '4.9', '2.6', 'link veth0 mtu 576', 'link eth0 mtu 99999',
    '/nonexistent/kpath-fuzz', 'relative/path.kpath', '../../etc/passwd', 'ip_output.c', 'model/ip_output.c',
  ),
  fc.integer(),
  fc.string({ maxLength: 20 }),
);
/** A value of any shape: scalars, arrays and objects of the known keys, nested a little. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('v'), { maxLength: 4 }), tie('o')),
  o: fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 5 }),
})).v;

/** Arguments a request of this command would take when well formed (so the run gets somewhere). */
function goodArgs(command: string, pcap: string): unknown {
  switch (command) {
    case 'launch': return { scenario: DEFAULT_SCENARIO, stopOnEntry: true };
    case 'setBreakpoints': return { source: { path: path.join(FIXTURES, '..', '..', '..', 'media', 'scenarios', 'default.kpath') }, breakpoints: [{ line: 3 }] };
    case 'setFunctionBreakpoints': return { breakpoints: [{ name: 'ip_finish_output2' }, { name: 'neigh_resolve_output', condition: 'skb->len > 0' }] };
    case 'setExceptionBreakpoints': return { filters: ['drop', 'icmp'] };
    case 'stackTrace': return { threadId: 1 };
    case 'scopes': return { frameId: 1000 };
    case 'variables': return { variablesReference: 1 };
    case 'evaluate': return { expression: 'skb->len', frameId: 1000, context: 'watch' };
    case 'kpath/exportPcap': return { path: pcap };
    case 'kpath/frames': return { start: 0, count: 1e9 };
    case 'readMemory': return { memoryReference: '1', offset: 0, count: 1e9 };
    default: return STEPS.includes(command) ? { threadId: 1 } : {};
  }
}

/** Bytes that are not a well-formed request, after which the stream is still in step. */
const GARBAGE: (string | Buffer)[] = [
  frame('hello'),
  frame('{}'),
  frame('[]'),
  frame('1'),
  frame('"request"'),
  frame('{"type":"request"}'),
  frame('{"type":"request","seq":"x","command":"threads"}'),
  frame('{"type":"request","seq":-1,"command":42}'),
  frame('{"type":"response","seq":9,"request_seq":1,"command":"runInTerminal","success":true}'),
  frame('{"type":"event","seq":9,"event":"stopped"}'),
  frame('{"type":"request","seq":7,"command":"threads","arguments":"notAnObject"}'),
  frame('{"__proto__":{"type":"request"},"seq":1}'),
  'Foo: bar\r\n\r\n',
  'Content-Length: abc\r\n\r\n',
  'Content-Length: -5\r\n\r\n',
  Buffer.concat([frame('{"type":"request","seq":1,"command":"threads"}').subarray(0, 10), Buffer.from('\r\n\r\n')]),
  Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]),
];

type Action =
  | { kind: 'request'; command: string; args: unknown; good: boolean; ref: number }
  | { kind: 'garbage'; index: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('request' as const), command: fc.constantFrom(...COMMANDS), args: fc.option(value, { nil: undefined }), good: fc.constant(false), ref: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('request' as const), command: fc.constantFrom(...COMMANDS, ...STEPS, ...STEPS, 'launch', 'configurationDone', 'stackTrace', 'scopes', 'variables'), args: fc.constant(undefined), good: fc.constant(true), ref: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), index: fc.nat({ max: GARBAGE.length - 1 }) }) },
);

/** A session: initialize or not, then the actions; the last request is always `threads`, to see the adapter still answers. */
const session = fc.record({ initialize: fc.boolean(), actions: fc.array(action, { minLength: 1, maxLength: 60 }) });

/** What JavaScript says when a handler trips over an argument it did not check. */
const JS_ERROR = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|must be of type|Invalid array length|Maximum call stack|\[object Object\]/;

/** Fields that hold a reference to something the adapter handed out. */
const REF_KEYS = ['frameId', 'variablesReference', 'memoryReference', 'threadId'] as const;

/**
 * References the adapter has handed out so far (frame ids, variable references, memory
 * references), so that a request may name one that exists, or one that existed at an earlier stop.
 */
class References {
  private readonly seen: Record<(typeof REF_KEYS)[number], (number | string)[]> = { frameId: [], variablesReference: [], memoryReference: [], threadId: [] };

  learn(body: unknown, depth = 0): void {
    if (!body || typeof body !== 'object' || depth > 6) return;
    for (const [k, v] of Object.entries(body)) {
      if (k === 'id' && typeof v === 'number') this.add('frameId', v);
      if ((REF_KEYS as readonly string[]).includes(k) && (typeof v === 'number' || typeof v === 'string')) this.add(k as (typeof REF_KEYS)[number], v);
      if (v && typeof v === 'object') this.learn(v, depth + 1);
    }
  }

  /** The arguments with each reference field set, two times in three, to a reference seen. */
  use(args: unknown, ref: number): unknown {
    if (!args || typeof args !== 'object' || Array.isArray(args) || ref % 3 === 0) return args;
    const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    for (const k of REF_KEYS) {
      const pool = this.seen[k];
      if (k in out && pool.length) out[k] = pool[ref % pool.length];
    }
    return out;
  }

  private add(k: (typeof REF_KEYS)[number], v: number | string): void {
    const pool = this.seen[k];
    if (!pool.includes(v)) pool.push(v);
    if (pool.length > 64) pool.shift();
  }
}

function describeActions(actions: Action[]): string {
  return actions.map((a) => (a.kind === 'garbage' ? `garbage #${a.index}` : `${a.command} ${a.good ? '(good)' : JSON.stringify(a.args)?.slice(0, 200)}`)).join('\n  ');
}

async function runSession(s: { initialize: boolean; actions: Action[] }): Promise<void> {
  const dap = new RawDap(tmp);
  const pcap = path.join(tmp, 'fuzz.pcap');
  const refs = new References();
  const seqs: number[] = [];
  const done: Action[] = [];
  const where = (): string => `\n  ${describeActions(done)}\nstderr: ${dap.stderr.slice(0, 2000)}`;
  // Each request waits for its answer: the next one may name what it handed out.
  const ask = async (command: string, args: unknown): Promise<void> => {
    const seq = dap.request(command, args);
    seqs.push(seq);
    const missing = await dap.answered([seq]);
    assert.equal(dap.exit, null, `the adapter exited (${JSON.stringify(dap.exit)}) after:${where()}`);
    assert.deepEqual(missing, [], `${command} never answered after:${where()}`);
    refs.learn(dap.responses.get(seq)!.body);
  };
  try {
    if (s.initialize) await ask('initialize', INITIALIZE);
    for (const a of s.actions) {
      done.push(a);
      if (a.kind === 'garbage') dap.raw(GARBAGE[a.index]);
      // A disconnect ends the session by design: it comes only at the end.
      else if (a.command !== 'disconnect') await ask(a.command, refs.use(a.good ? goodArgs(a.command, pcap) : a.args, a.ref));
    }
    await ask('threads', undefined);
    // Bad bytes would end the process a little after they are read (the DAP library's shutdown).
    if (s.actions.some((a) => a.kind === 'garbage')) assert.ok(await dap.stillUp(), `the adapter exited (${JSON.stringify(dap.exit)}) after:${where()}`);
    const rss = dap.rssKiB();
    assert.ok(rss !== undefined && rss < RSS_LIMIT_KIB, `resident memory ${rss} KiB after:${where()}`);
    // Each response answers its request, with a message when it fails.
    for (const seq of seqs) {
      const r = dap.responses.get(seq)!;
      if (!r.success) assert.ok(typeof r.message === 'string' && r.message.length > 0, `a failure without a message: ${JSON.stringify(r)}`);
      // A message for a person, not a JavaScript exception's.
      if (!r.success) assert.doesNotMatch(r.message!, JS_ERROR, `${r.command}: ${r.message}, after:${where()}`);
    }
  } finally {
    await dap.close();
  }
}

describe('the adapter, fuzzed over stdio', () => {
  test('random request sequences and garbage framing', { timeout: fuzzTimeout(240_000) }, async () => {
    await fc.assert(fc.asyncProperty(session, runSession), fuzzParams(10));
  });

  test('unknown commands fail, even those named like Object.prototype\'s members', async () => {
    const dap = new RawDap(tmp);
    try {
      const names = ['frobnicate', 'kpath/frobnicate', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
      const seqs = names.map((n) => dap.request(n, {}));
      assert.deepEqual(await dap.answered(seqs), []);
      for (const [i, seq] of seqs.entries()) assert.equal(dap.responses.get(seq)!.success, false, `${names[i]} answered as a success`);
    } finally {
      await dap.close();
    }
  });

  test('each kind of bad bytes: ignored, the next request answered, the process still there', async () => {
    const dap = new RawDap(tmp);
    try {
      for (const [i, g] of [...GARBAGE, frame('null'), frame('{"type":"request","seq":3,"command":"threads","arguments":null}')].entries()) {
        dap.raw(g);
        assert.deepEqual(await dap.answered([dap.request('threads')], 5000), [], `no answer after bad bytes #${i}: ${dap.stderr}`);
      }
      assert.ok(await dap.stillUp(), `the adapter exited (${JSON.stringify(dap.exit)}): ${dap.stderr}`);
    } finally {
      await dap.close();
    }
  });

  test('a body shorter than its Content-Length: the requests it took are answered all the same', async () => {
    const dap = new RawDap(tmp);
    try {
      dap.raw('Content-Length: 60\r\n\r\n{"seq":1}');
      const seqs = [1, 2, 3, 4, 5].map(() => dap.request('threads'));
      assert.deepEqual(await dap.answered(seqs, 5000), [], dap.stderr);
      assert.ok(await dap.stillUp(), `the adapter exited (${JSON.stringify(dap.exit)}): ${dap.stderr}`);
    } finally {
      await dap.close();
    }
  });

  test('regression: initialize, setBreakpoints with a non-string source path, launch', async () => {
    for (const bad of [42, {}, [], null, true]) {
      const dap = new RawDap(tmp);
      try {
        const seqs = [
          dap.request('initialize', INITIALIZE),
          dap.request('setBreakpoints', { source: { path: bad }, breakpoints: [{ line: 1 }] }),
          dap.request('launch', { scenario: DEFAULT_SCENARIO, stopOnEntry: true }),
          dap.request('configurationDone', {}),
        ];
        assert.deepEqual(await dap.answered(seqs), [], JSON.stringify(bad));
        assert.equal(dap.responses.get(seqs[1])!.success, false, `setBreakpoints took path ${JSON.stringify(bad)}`);
        assert.equal(dap.responses.get(seqs[2])!.success, true, `launch after a bad setBreakpoints: ${dap.responses.get(seqs[2])!.message}`);
        // The stop (or the launch's failure) has had its turn: the adapter still answers.
        const more = [dap.request('stackTrace', { threadId: 1 }), dap.request('next', { threadId: 1 }), dap.request('threads')];
        assert.deepEqual(await dap.answered(more), [], JSON.stringify(bad));
        assert.equal(dap.exit, null, `the adapter exited with path ${JSON.stringify(bad)}: ${dap.stderr}`);
      } finally {
        await dap.close();
      }
    }
  });
});
