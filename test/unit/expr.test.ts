// The debugger's expression language, over a small fake environment shaped like the model's:
// an skb with len/data_len/dev->mtu, ip_hdr(skb)->ttl, a neighbour whose nud_state is a string,
// and the drop reason of an exception.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExprEnv, ExprError, ObjectValue, Value,
  checkHitCondition, complete, evaluate, formatValue, interpolate, parseExpr, truthy,
} from '../../src/debugger/expr';

function obj(typeName: string, fields: Record<string, Value>, elements?: Value[]): ObjectValue {
  const o: ObjectValue = {
    kind: 'object',
    typeName,
    get: (f) => (Object.prototype.hasOwnProperty.call(fields, f) ? fields[f] : undefined),
    fields: () => Object.keys(fields),
    display: () => `{${Object.entries(fields).map(([k, v]) => `${k}=${v !== null && typeof v === 'object' ? '...' : String(v)}`).join(', ')}}`,
  };
  if (elements) {
    o.index = (i) => elements[i];
    o.length = elements.length;
  }
  return o;
}

const dev = obj('struct net_device *', { name: 'eth0', mtu: 1400 });
const frag = obj('struct sk_buff *', { len: 1400 });
const skb = obj('struct sk_buff *', {
  len: 1500, data_len: 0, protocol: 0x0800, dev, sk: null, frags: obj('frags', {}, [frag, frag]),
});
const iph = obj('struct iphdr *', { ttl: 64, protocol: 17, saddr: '198.51.100.7', daddr: '192.0.2.1' });
const neigh = obj('struct neighbour *', { nud_state: 'REACHABLE', ha: '52:54:00:12:34:56' });

/** A fake environment; `looked` records every name looked up, to observe short-circuiting. */
function makeEnv(): ExprEnv & { looked: string[] } {
  const vars: Record<string, Value> = { skb, neigh, reason: 'NEIGH_FAILED', mtu: 1500, __flags: 0, empty: '' };
  const looked: string[] = [];
  return {
    looked,
    lookup(name) {
      looked.push(name);
      return Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
    },
    names: () => Object.keys(vars),
    functions: () => ['ip_hdr', 'ntohs'],
    call(fn, args) {
      if (fn === 'ip_hdr') {
        if (args.length !== 1) throw new ExprError('ip_hdr expects 1 argument');
        if (args[0] !== skb) throw new ExprError('ip_hdr expects an sk_buff');
        return iph;
      }
      if (fn === 'ntohs') {
        const x = args[0];
        if (args.length !== 1 || typeof x !== 'number') throw new ExprError('ntohs expects 1 number');
        return ((x & 0xff) << 8) | ((x >> 8) & 0xff);
      }
      return undefined;
    },
  };
}

const ev = (text: string): Value => evaluate(text, makeEnv());

/** Asserts that `text` fails with an ExprError whose message matches and, if given, at `col`. */
function fails(text: string, message: RegExp | string, col?: number): void {
  let err: unknown;
  try {
    ev(text);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ExprError, `${text}: expected an ExprError, got ${String(err)}`);
  if (typeof message === 'string') assert.equal(err.message, message, text);
  else assert.match(err.message, message, text);
  if (col !== undefined) assert.equal(err.col, col, `${text}: column of "${err.message}"`);
}

test('arithmetic follows C precedence and associativity', () => {
  const cases: [string, Value][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['1 << 2 + 1', 8],
    ['1 | 2 ^ 3 & 4', 3],
    ['1 < 2 == 1', true],
    ['2 + 3 == 5 && 1', true],
    ['1 || 0 && 0', true],
    ['-2 * 3', -6],
    ['!0 + 1', 2],
    ['~0', 4294967295],
    ['-~0', -4294967295],
    ['7 / 2', 3],
    ['-7 / 2', -3],
    ['-7 % 3', -1],
    ['0xffffffff + 1', 4294967296],
    ['1 << 31', 2147483648],
    ['0x80000000 >> 31', 1],
    ['0xC0 & 0xF0 | 0x0F', 0xcf],
    ['1 ? 2 : 3 ? 4 : 5', 2],
    ['0 ? 2 : 0 ? 4 : 5', 5],
    ['0 ? 1 : 2 + 3', 5],
    ['1400U + 0x10UL', 1416],
  ];
  for (const [text, want] of cases) assert.equal(ev(text), want, text);
});

test('logical operators short-circuit and give booleans', () => {
  const env = makeEnv();
  assert.equal(evaluate('0 && nosuch', env), false);
  assert.equal(evaluate('1 || nosuch->x', env), true);
  assert.equal(evaluate('1 ? 2 : nosuch', env), 2);
  assert.equal(evaluate('skb->sk != NULL && skb->sk->sk_mark == 1', env), false);
  assert.deepEqual(env.looked.filter((n) => n === 'nosuch'), []);
  assert.equal(ev('2 && 3'), true);
  assert.equal(ev('"" || 0'), false);
  assert.equal(ev('!skb'), false);
});

test('member chains, calls and indexing over the environment', () => {
  assert.equal(ev('skb->len'), 1500);
  assert.equal(ev('skb.len'), 1500);
  assert.equal(ev('skb->len > 1400'), true);
  assert.equal(ev('skb->len > skb->dev->mtu'), true);
  assert.equal(ev('skb->dev.name'), 'eth0');
  assert.equal(ev('skb->data_len == 0'), true);
  assert.equal(ev('ip_hdr(skb)->ttl'), 64);
  assert.equal(ev('ip_hdr(skb)->ttl - 1 > 0 ? ip_hdr(skb)->protocol : -1'), 17);
  assert.equal(ev('ntohs(skb->protocol)'), 0x0008);
  assert.equal(ev('skb->frags[1]->len'), 1400);
  assert.equal(ev('neigh->nud_state == "REACHABLE"'), true);
  assert.equal(ev('neigh->nud_state != "FAILED"'), true);
  assert.equal(ev('reason == "NEIGH_FAILED"'), true);
  assert.equal(ev('__flags'), 0);
  assert.equal(ev('skb->sk == NULL'), true);
  assert.equal(ev('skb->sk == 0'), true);
  assert.equal(ev('skb == skb'), true);
  assert.equal(ev('skb == skb->dev'), false);
  assert.equal(ev('skb != NULL'), true);
});

test('literals: strings with escapes, booleans, NULL', () => {
  assert.equal(ev('"a\\"b\\\\c\\n\\x41"'), 'a"b\\c\nA');
  assert.equal(ev('true'), true);
  assert.equal(ev('false == 0'), true);
  assert.equal(ev('NULL'), null);
  assert.equal(formatValue('a"b\n\x01'), '"a\\"b\\n\\x01"');
  assert.equal(formatValue(ev('"a\\"b\\\\c\\n\\x41"')), '"a\\"b\\\\c\\nA"');
  assert.equal(formatValue(1500), '1500');
  assert.equal(formatValue(-0), '0');
  assert.equal(formatValue(null), 'NULL');
  assert.equal(formatValue(true), 'true');
  assert.equal(formatValue(dev), '{name=eth0, mtu=1400}');
});

test('truthy follows C', () => {
  for (const v of [0, null, false, '']) assert.equal(truthy(v), false, String(v));
  for (const v of [1, -1, true, 'x', '0', skb]) assert.equal(truthy(v), true, String(v));
});

test('IPv4 literals are dotted strings that also compare as 32-bit integers', () => {
  assert.equal(ev('192.0.2.1'), '192.0.2.1');
  assert.equal(ev('192.0.2.1 == "192.0.2.1"'), true);
  assert.equal(ev('192.0.2.1 == 0xC0000201'), true);
  assert.equal(ev('0xC0000201 == 192.0.2.1'), true);
  assert.equal(ev('192.0.2.1 != 0xC0000202'), true);
  assert.equal(ev('ip_hdr(skb)->daddr == 192.0.2.1'), true);
  assert.equal(ev('ip_hdr(skb)->saddr == 192.0.2.1'), false);
  assert.equal(ev('(ip_hdr(skb)->daddr & 0xffffff00) == 192.0.2.0'), true);
  assert.equal(ev('192.0.2.1 < 192.0.2.10'), true);
  assert.equal(ev('"10.0.0.1" > 9.255.255.255'), true);
  assert.equal(ev('0.0.0.0'), '0.0.0.0');
  assert.equal(ev('255.255.255.255 == ~0'), true);
  fails('256.1.1.1', /above 255/, 1);
  fails('1.2.3', /IPv4 address a\.b\.c\.d/, 1);
  fails('x == 1.2.3.4.5', /malformed IPv4 address "1\.2\.3\.4\.5"/, 6);
  fails('10.0.0.01', /leading zero/, 1);
});

test('errors name the problem and point at its column', () => {
  fails('skbb->len', 'unknown name "skbb" (did you mean "skb"?)', 1);
  fails('mtu + nosuchthing', 'unknown name "nosuchthing"', 7);
  fails('skb->lenn > 0', /^skb has no field "lenn" \(did you mean "len"\? fields: len, data_len, protocol, dev, sk, frags\)$/, 6);
  fails('ip_hdr(skb)->tll', /^ip_hdr\(skb\) has no field "tll" \(did you mean "ttl"\?/, 14);
  fails('skb->sk->sk_mark', 'cannot read "sk_mark": skb->sk is NULL', 10);
  fails('skb->len->x', 'cannot read "x": skb->len is a number, not a struct', 11);
  fails('skb->len > 0 &&', 'expected an expression after "&&"', 16);
  fails('skb->len > 0 && )', 'expected an expression after "&&"', 17);
  fails('skb->len)', 'unexpected ")"', 9);
  fails(')', 'unexpected ")"', 1);
  fails('', 'empty expression', 1);
  fails('(1 + 2', 'missing ")" to close "(" at column 1', 7);
  fails('skb->frags[0', 'missing "]" to close "[" at column 11', 13);
  fails('skb->', 'expected a field name after "->"', 6);
  fails('1 ? 2', /expected ":" for the "\?" at column 3/, 6);
  fails('reason == 1', 'cannot compare a string with a number', 8);
  fails('1 != reason', 'cannot compare a number with a string', 3);
  fails('reason < "Z"', /orders numbers and IPv4 addresses, not strings/, 8);
  fails('skb == 1', /cannot compare an object \(struct sk_buff \*\) with a number/, 5);
  fails('skb->len / (skb->data_len)', 'division by zero', 10);
  fails('1 % 0', 'division by zero', 3);
  fails('reason + 1', 'cannot apply "+" to a string', 8);
  fails('1 << 32', /shift count 32/, 3);
  fails('ip_hdr()', 'ip_hdr expects 1 argument', 1);
  fails('mtu + ip_hdr(skb, skb)', 'ip_hdr expects 1 argument', 7);
  fails('ip_hdrr(skb)', 'unknown function "ip_hdrr" (did you mean "ip_hdr"? functions: ip_hdr, ntohs)', 1);
  fails('ip_hdr', 'ip_hdr is a function; call it as ip_hdr(...)', 1);
  fails('skb->len(1)', 'only a function name can be called', 9);
  fails('skb[0]', /cannot index skb: it is an object/, 4);
  fails('skb->frags[2]', 'index 2 is out of range for skb->frags (it has 2 elements)', 11);
  fails('skb->frags[-1]', /whole number 0 or more, not -1/, 11);
  fails('mtu = 1', 'assignment ("=") is not supported; use == to compare', 5);
  fails('mtu++', /"\+\+" is not supported/, 4);
  fails('*skb', /dereference is not supported/, 1);
  fails("reason == 'x'", 'strings are written in double quotes', 11);
  fails('"abc', 'unterminated string', 1);
  fails('"\\q"', 'unknown escape "\\q"', 2);
  fails('mtu @ 1', 'unexpected character "@"', 5);
  fails('010', /octal numbers are not supported/, 1);
  fails('12ab', 'malformed number "12ab"', 1);
  fails('1.5', /numbers are whole/, 1);
  fails('0x', /needs hex digits/, 1);
  fails('99999999999999999999', /too large/, 1);
  fails('mtu 1', 'unexpected "1"', 5);
  fails('('.repeat(500) + '1' + ')'.repeat(500), 'expression is nested too deeply');
  fails('1' + '+1'.repeat(3000), /too long/);
});

test('long but flat expressions evaluate', () => {
  assert.equal(ev('1' + '+1'.repeat(2000)), 2001);
  assert.equal(ev('!'.repeat(100) + '1'), true);
});

test('parseExpr keeps columns of operators, fields and names', () => {
  const e = parseExpr('a->b + f(c)[2]');
  assert.equal(e.kind, 'binary');
  if (e.kind !== 'binary') return;
  assert.equal(e.col, 6);
  assert.deepEqual(
    { kind: e.left.kind, col: e.left.col },
    { kind: 'member', col: 4 },
  );
  assert.equal(e.right.kind, 'index');
  if (e.right.kind !== 'index') return;
  assert.equal(e.right.col, 12);
  assert.equal(e.right.object.kind, 'call');
  assert.equal(e.right.object.col, 8);
});

test('completion after -> and . lists the fields of the evaluated prefix', () => {
  const env = makeEnv();
  assert.deepEqual(
    complete('skb->', 5, env).map((c) => c.label),
    ['len', 'data_len', 'protocol', 'dev', 'sk', 'frags'],
  );
  assert.deepEqual(complete('skb->d', 6, env), [
    { label: 'data_len', type: 'field', start: 5, length: 1 },
    { label: 'dev', type: 'field', start: 5, length: 1 },
  ]);
  assert.deepEqual(complete('x > 1 && skb->dev.m', 19, env), [{ label: 'mtu', type: 'field', start: 18, length: 1 }]);
  assert.deepEqual(complete('ip_hdr(skb)->t', 14, env).map((c) => c.label), ['ttl']);
  assert.deepEqual(complete('skb->frags[0]->', 15, env).map((c) => c.label), ['len']);
  assert.deepEqual(complete('(skb->dev)->', 12, env).map((c) => c.label), ['name', 'mtu']);
  // The cursor may sit before the end of the text.
  assert.deepEqual(complete('skb->l > 0', 6, env).map((c) => c.label), ['len']);
  // Nothing for a non-object, an unknown prefix, inside a string or a number.
  assert.deepEqual(complete('skb->len->', 10, env), []);
  assert.deepEqual(complete('nosuch->', 8, env), []);
  assert.deepEqual(complete('reason == "NE', 13, env), []);
  assert.deepEqual(complete('192.0.', 6, env), []);
  assert.deepEqual(complete('mtu + 14', 8, env), []);
});

test('completion of names, functions and keywords by prefix', () => {
  const env = makeEnv();
  assert.deepEqual(complete('s', 1, env), [{ label: 'skb', type: 'variable', start: 0, length: 1 }]);
  assert.deepEqual(complete('mtu > 0 && n', 12, env), [
    { label: 'neigh', type: 'variable', start: 11, length: 1 },
    { label: 'ntohs', type: 'function', start: 11, length: 1 },
  ]);
  assert.deepEqual(complete('ip', 2, env).map((c) => [c.label, c.type]), [['ip_hdr', 'function']]);
  assert.deepEqual(complete('skb == N', 8, env).map((c) => [c.label, c.type]), [['NULL', 'keyword']]);
  assert.deepEqual(complete('__', 2, env).map((c) => c.label), ['__flags']);
  const all = complete('', 0, env).map((c) => c.label);
  assert.ok(all.includes('skb') && all.includes('ip_hdr') && all.includes('true'), all.join(' '));
});

test('logpoint interpolation: expressions, escaped braces, inline errors', () => {
  const env = makeEnv();
  assert.equal(interpolate('len={skb->len} mtu={skb->dev->mtu}', env), 'len=1500 mtu=1400');
  assert.equal(interpolate('to {ip_hdr(skb)->daddr} via {skb->dev->name}', env), 'to 192.0.2.1 via eth0');
  assert.equal(interpolate('{{literal}} {{{mtu}}}', env), '{literal} {1500}');
  assert.equal(interpolate('big: {skb->len > 1400}, sk {skb->sk}', env), 'big: true, sk NULL');
  assert.equal(interpolate('brace in string: {reason == "}"}', env), 'brace in string: false');
  assert.equal(interpolate('dev {skb->dev}', env), 'dev {name=eth0, mtu=1400}');
  assert.equal(interpolate('x={skbb->len}!', env), 'x=<error: unknown name "skbb" (did you mean "skb"?)>!');
  assert.equal(interpolate('a {} b', env), 'a <error: empty expression> b');
  assert.equal(interpolate('open {skb->len', env), 'open <error: missing "}">');
  assert.equal(interpolate('lone } stays', env), 'lone } stays');
  const throwing: ExprEnv = { lookup: () => { throw new Error('boom'); }, names: () => [] };
  assert.equal(interpolate('{x}', throwing), '<error: x: boom>');
});

test('hit conditions', () => {
  const stops = (cond: string): number[] => [1, 2, 3, 4, 5, 6].filter((h) => checkHitCondition(cond, h));
  assert.deepEqual(stops('3'), [3]);
  assert.deepEqual(stops('==3'), [3]);
  assert.deepEqual(stops(' = 3 '), [3]);
  assert.deepEqual(stops('>=3'), [3, 4, 5, 6]);
  assert.deepEqual(stops('> 3'), [4, 5, 6]);
  assert.deepEqual(stops('<3'), [1, 2]);
  assert.deepEqual(stops('<=3'), [1, 2, 3]);
  assert.deepEqual(stops('%2'), [2, 4, 6]);
  for (const bad of ['', 'abc', '>', '3 + 1', '=>3', '%0', '-1']) {
    assert.throws(() => checkHitCondition(bad, 1), ExprError, bad);
  }
});

test('errors from the environment become ExprErrors at the right column', () => {
  const env: ExprEnv = {
    lookup: (n) => (n === 'bad' ? obj('t', {}) : n === 'x' ? 1 : undefined),
    names: () => ['bad', 'x'],
    call: () => {
      throw new TypeError('broken');
    },
    functions: () => ['f'],
  };
  assert.throws(() => evaluate('x + f(1)', env), (e: unknown) => e instanceof ExprError && e.col === 5 && /f: broken/.test(e.message));
  assert.throws(() => evaluate('bad->y', env), (e: unknown) => e instanceof ExprError && e.message === 'bad has no field "y" (it has no fields)');
  const noCalls: ExprEnv = { lookup: () => undefined, names: () => [] };
  assert.throws(() => evaluate('f(1)', noCalls), /unknown function "f" \(no functions are available\)/);
});

test('fuzz: parse and evaluate throw nothing but ExprError, and finish', () => {
  // mulberry32: a small seeded generator, so a failure reproduces.
  let seed = 0x6b70617468;
  const rand = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pieces = [
    'skb', 'len', 'dev', 'mtu', 'ip_hdr', 'reason', 'NULL', 'true', 'x', '_', '->', '.', '(', ')', '[', ']',
    ',', '?', ':', '!', '-', '~', '+', '*', '/', '%', '<<', '>>', '<', '<=', '>', '>=', '==', '!=', '&', '^',
    '|', '&&', '||', '=', '++', '"', '"s"', '\\', "'", '0', '1', '0x', '0xff', '010', '255', '256', '.1',
    '192.0.2.1', '1.2', ' ', '  ', '@', '{', '}', '\n', '\u00e9', '\ud83d', 'U', 'L', '"\\x4', '99999999999999999999',
  ];
  const env = makeEnv();
  const started = Date.now();
  for (let n = 0; n < 20000; n++) {
    let text = '';
    const count = 1 + Math.floor(rand() * 14);
    for (let k = 0; k < count; k++) {
      text += rand() < 0.1 ? String.fromCharCode(Math.floor(rand() * 128)) : pieces[Math.floor(rand() * pieces.length)];
    }
    for (const run of [() => parseExpr(text), () => evaluate(text, env), () => complete(text, Math.floor(rand() * (text.length + 1)), env)]) {
      try {
        run();
      } catch (e) {
        assert.ok(e instanceof ExprError, `${JSON.stringify(text)} threw ${String(e)}`);
        assert.ok(e.col >= 1 && e.col <= text.length + 1, `${JSON.stringify(text)}: column ${e.col} of "${e.message}"`);
      }
    }
    assert.doesNotThrow(() => interpolate(`{${text}}`, env));
  }
  assert.ok(Date.now() - started < 20000, 'fuzz took too long');
});
