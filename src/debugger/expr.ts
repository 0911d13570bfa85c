// The debugger's expression language: one small C-like language for watch expressions, hover, the
// debug console, breakpoint conditions (`skb->len > 1400`), logpoint messages and exception-filter
// conditions (`reason == "NEIGH_FAILED"`). It is lexed and parsed here and evaluated against an
// ExprEnv; it is never handed to JavaScript, and it has no assignment and no side effects.
//
// Values are numbers, strings, booleans, NULL and objects (structs the model exposes by C field
// name). Arithmetic works on JavaScript numbers, so it is exact up to 2^53 and neither wraps nor
// distinguishes signed from unsigned: `0xffffffff + 1` is 4294967296. `/` and `%` truncate toward
// zero as in C. The bitwise operators (`& | ^ ~ << >>`) work on the low 32 bits and give unsigned
// 32-bit results (`~0` is 4294967295, `>>` shifts in zeros), and a shift count must be 0..31.
//
// The model shows IPv4 addresses as dotted strings, so a literal `192.0.2.1` is the string
// "192.0.2.1". A dotted-address string also compares equal to the integer with the same value
// (`192.0.2.1 == 0xC0000201`), orders as that integer, and stands for it wherever a number is
// needed, so `(iph->daddr & 0xffffff00) == 192.0.2.0` tests a /24.

import * as l10n from '@vscode/l10n';
import { closest, didYouMean } from '../text/closest';

// ---------------------------------------------------------------------------------------------
// Values and environment

export interface ObjectValue {
  kind: 'object';
  typeName: string;
  /** field by C name */
  get(field: string): Value | undefined;
  /** field names, in display order */
  fields(): string[];
  /** short display, e.g. "{len=128, dev=eth0}" or a pointer-like "(struct sk_buff *) #3" */
  display(): string;
  /** optional element access for arrays */
  index?(i: number): Value | undefined;
  length?: number;
}

export type Value = number | string | boolean | null | ObjectValue;

export interface ExprEnv {
  /** The value of a variable, or undefined if there is no such name. */
  lookup(name: string): Value | undefined;
  /**
   * Calls a function of the model (`ip_hdr(skb)`). Returns undefined for an unknown function;
   * throws ExprError for bad arguments (`ip_hdr expects 1 argument`); an ExprError thrown with
   * col 0 is placed at the call.
   */
  call?(fn: string, args: Value[]): Value | undefined;
  /** Every variable name, for completion and "did you mean". */
  names(): string[];
  /** Every function name, for completion and for the unknown-function message. */
  functions?(): string[];
}

export class ExprError extends Error {
  /** 1-based column in the expression (0 while not yet known, e.g. thrown by an ExprEnv). */
  col: number;
  constructor(message: string, col = 0) {
    super(message);
    this.name = 'ExprError';
    this.col = col;
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax tree

export type UnaryOp = '!' | '-' | '~' | '+';
export type BinaryOp =
  | '*' | '/' | '%' | '+' | '-' | '<<' | '>>' | '<' | '<=' | '>' | '>='
  | '==' | '!=' | '&' | '^' | '|' | '&&' | '||';

/**
 * A parsed expression. `col` is the 1-based column that errors about the node point at: the
 * first character of a literal or name, the function name of a call, the field name of a member
 * access, and the operator of everything else.
 */
export type Expr =
  | { kind: 'literal'; value: number | string | boolean | null; col: number; /** written as a.b.c.d */ ipv4?: boolean }
  | { kind: 'name'; name: string; col: number }
  | { kind: 'member'; object: Expr; field: string; op: '->' | '.'; col: number }
  | { kind: 'index'; object: Expr; index: Expr; col: number }
  | { kind: 'call'; fn: string; args: Expr[]; col: number }
  | { kind: 'unary'; op: UnaryOp; operand: Expr; col: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; col: number }
  | { kind: 'conditional'; test: Expr; then: Expr; else: Expr; col: number };

// ---------------------------------------------------------------------------------------------
// Lexer

interface Token {
  kind: 'num' | 'str' | 'ip' | 'ident' | 'op' | 'eof';
  /** Source text (for operators and identifiers, the operator or name itself). */
  text: string;
  /** 0-based offset. */
  pos: number;
  value?: number | string;
}

// Longest first. Assignment and increment operators are recognised only to refuse them clearly.
const OPERATORS = [
  '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '|', '^', '?', ':', '(', ')', '[', ']', ',', '.',
];

/** Expressions longer than this are refused, which bounds the depth of the tree. */
const MAX_LENGTH = 4096;
/** Nesting of parentheses, unary operators and ternaries beyond this is refused. */
const MAX_DEPTH = 200;

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdentChar = (c: string): boolean => isIdentStart(c) || isDigit(c);

function lex(text: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (isDigit(c)) {
      i = lexNumber(text, i, toks);
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < text.length && isIdentChar(text[j])) j++;
      toks.push({ kind: 'ident', text: text.slice(i, j), pos: i });
      i = j;
    } else if (c === '"') {
      i = lexString(text, i, toks);
    } else if (c === "'") {
      throw new ExprError(l10n.t('strings are written in double quotes'), i + 1);
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op === undefined) throw new ExprError(l10n.t('unexpected character {0}', JSON.stringify(c)), i + 1);
      toks.push({ kind: 'op', text: op, pos: i });
      i += op.length;
    }
  }
  toks.push({ kind: 'eof', text: '', pos: text.length });
  return toks;
}

function lexNumber(text: string, i: number, toks: Token[]): number {
  const rest = text.slice(i);
  const col = i + 1;
  let len: number;
  let m: RegExpExecArray | null;
  if ((m = /^\d+\.\d+\.\d+\.\d+/.exec(rest))) {
    len = m[0].length;
    if (/^[\w.]/.test(rest.slice(len))) throw new ExprError(l10n.t('malformed IPv4 address "{0}"', /^[\w.]+/.exec(rest)![0]), col);
    for (const octet of m[0].split('.')) {
      if (octet.length > 1 && octet[0] === '0') throw new ExprError(l10n.t('IPv4 address "{0}" has an octet with a leading zero', m[0]), col);
      if (Number(octet) > 255) throw new ExprError(l10n.t('IPv4 address "{0}" has an octet above 255', m[0]), col);
    }
    toks.push({ kind: 'ip', text: m[0], pos: i, value: m[0] });
    return i + len;
  }
  let value: number;
  if ((m = /^0[xX]([0-9a-fA-F]*)/.exec(rest))) {
    if (m[1] === '') throw new ExprError(l10n.t('"0x" needs hex digits'), col);
    value = parseInt(m[1], 16);
  } else if (/^\d+\.\d/.test(rest)) {
    throw new ExprError(l10n.t('numbers are whole; a dotted number must be an IPv4 address a.b.c.d'), col);
  } else {
    m = /^\d+/.exec(rest)!;
    if (m[0].length > 1 && m[0][0] === '0') {
      throw new ExprError(l10n.t('octal numbers are not supported ("{0}"); write it in decimal or 0x hex', m[0]), col);
    }
    value = Number(m[0]);
  }
  len = m[0].length;
  // C integer suffixes (1400U, 0xffUL) are accepted and mean nothing here.
  len += /^[uUlL]*/.exec(rest.slice(len))![0].length;
  if (/^[\w.]/.test(rest.slice(len))) throw new ExprError(l10n.t('malformed number "{0}"', /^[\w.]+/.exec(rest)![0]), col);
  if (!Number.isSafeInteger(value)) throw new ExprError(l10n.t('number {0} is too large', m[0]), col);
  toks.push({ kind: 'num', text: rest.slice(0, len), pos: i, value });
  return i + len;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"', "'": "'" };

function lexString(text: string, i: number, toks: Token[]): number {
  let j = i + 1;
  let s = '';
  for (;;) {
    if (j >= text.length) throw new ExprError(l10n.t('unterminated string'), i + 1);
    const ch = text[j];
    if (ch === '"') break;
    if (ch !== '\\') {
      s += ch;
      j++;
      continue;
    }
    const e = text[j + 1];
    if (e === undefined) throw new ExprError(l10n.t('unterminated string'), i + 1);
    if (e === 'x') {
      const hex = /^[0-9a-fA-F]{2}/.exec(text.slice(j + 2));
      if (!hex) throw new ExprError(l10n.t('"\\x" needs two hex digits'), j + 1);
      s += String.fromCharCode(parseInt(hex[0], 16));
      j += 4;
    } else if (e in ESCAPES) {
      s += ESCAPES[e];
      j += 2;
    } else {
      throw new ExprError(l10n.t('unknown escape "{0}"', `\\${e}`), j + 1);
    }
  }
  toks.push({ kind: 'str', text: text.slice(i, j + 1), pos: i, value: s });
  return j + 1;
}

// ---------------------------------------------------------------------------------------------
// Parser: recursive descent for unary, postfix and primary expressions, precedence climbing for
// the binary operators, with C's precedence (all binary operators are left-associative; `?:`
// is right-associative).

const BINARY_PREC: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6,
  '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};
const ASSIGNMENTS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']);

const describeToken = (t: Token): string => (t.kind === 'eof' ? l10n.t('end of expression') : `"${t.text}"`);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.i];
  }
  private next(): Token {
    const t = this.toks[this.i];
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  private nest(col: number): void {
    if (++this.depth > MAX_DEPTH) throw new ExprError(l10n.t('expression is nested too deeply'), col);
  }
  /** Consumes the closing bracket that matches `open`, or explains what is missing. */
  private close(text: string, open: Token): void {
    if (this.isOp(text)) {
      this.next();
      return;
    }
    const t = this.peek();
    throw new ExprError(t.kind === 'eof'
      ? l10n.t('missing "{0}" to close "{1}" at column {2}', text, open.text, open.pos + 1)
      : l10n.t('expected "{0}" to close "{1}" at column {2}, found {3}', text, open.text, open.pos + 1, describeToken(t)), t.pos + 1);
  }

  parseAll(): Expr {
    if (this.peek().kind === 'eof') throw new ExprError(l10n.t('empty expression'), 1);
    const e = this.ternary();
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpected(t);
    return e;
  }

  private unexpected(t: Token): ExprError {
    if (t.kind === 'op' && ASSIGNMENTS.has(t.text)) {
      return new ExprError(l10n.t('assignment ("{0}") is not supported; use == to compare', t.text), t.pos + 1);
    }
    if (t.kind === 'op' && (t.text === '++' || t.text === '--')) {
      return new ExprError(l10n.t('"{0}" is not supported: expressions have no side effects', t.text), t.pos + 1);
    }
    return new ExprError(t.kind === 'eof' ? l10n.t('unexpected end of expression') : l10n.t('unexpected {0}', describeToken(t)), t.pos + 1);
  }

  private ternary(): Expr {
    this.nest(this.peek().pos + 1);
    const test = this.binary(1);
    let e = test;
    if (this.isOp('?')) {
      const q = this.next();
      const then = this.ternary();
      if (!this.isOp(':')) {
        const t = this.peek();
        throw new ExprError(l10n.t('expected ":" for the "?" at column {0}, found {1}', q.pos + 1, describeToken(t)), t.pos + 1);
      }
      this.next();
      e = { kind: 'conditional', test, then, else: this.ternary(), col: q.pos + 1 };
    }
    this.depth--;
    return e;
  }

  private binary(minPrec: number): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t.kind === 'op' ? BINARY_PREC[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.next();
      const right = this.binary(prec + 1);
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, col: t.pos + 1 };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'op') {
      if (t.text === '!' || t.text === '-' || t.text === '~' || t.text === '+') {
        this.next();
        this.nest(t.pos + 1);
        const operand = this.unary();
        this.depth--;
        return { kind: 'unary', op: t.text, operand, col: t.pos + 1 };
      }
      if (t.text === '*') throw new ExprError(l10n.t('"*" dereference is not supported; follow pointers with ->'), t.pos + 1);
      if (t.text === '&') throw new ExprError(l10n.t('"&" (address of) is not supported'), t.pos + 1);
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let e = this.primary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') return e;
      if (t.text === '->' || t.text === '.') {
        this.next();
        const f = this.peek();
        if (f.kind !== 'ident') throw new ExprError(l10n.t('expected a field name after "{0}"', t.text), f.pos + 1);
        this.next();
        e = { kind: 'member', object: e, field: f.text, op: t.text, col: f.pos + 1 };
      } else if (t.text === '[') {
        this.next();
        const index = this.operand(t);
        this.close(']', t);
        e = { kind: 'index', object: e, index, col: t.pos + 1 };
      } else if (t.text === '(') {
        if (e.kind !== 'name') throw new ExprError(l10n.t('only a function name can be called'), t.pos + 1);
        this.next();
        const args: Expr[] = [];
        if (!this.isOp(')')) {
          args.push(this.operand(t));
          while (this.isOp(',')) args.push(this.operand(this.next()));
        }
        this.close(')', t);
        e = { kind: 'call', fn: e.name, args, col: e.col };
      } else {
        return e;
      }
    }
  }

  /** A full expression that must follow `after` (an opening bracket or a comma). */
  private operand(after: Token): Expr {
    if (!this.startsExpression(this.peek())) {
      const t = this.peek();
      throw new ExprError(l10n.t('expected an expression after "{0}"', after.text), t.pos + 1);
    }
    return this.ternary();
  }

  private startsExpression(t: Token): boolean {
    if (t.kind === 'eof') return false;
    if (t.kind !== 'op') return true;
    return ['(', '!', '-', '~', '+', '*', '&'].includes(t.text);
  }

  private primary(): Expr {
    const t = this.peek();
    const col = t.pos + 1;
    switch (t.kind) {
      case 'num':
      case 'str':
        this.next();
        return { kind: 'literal', value: t.value!, col };
      case 'ip':
        this.next();
        return { kind: 'literal', value: t.value!, col, ipv4: true };
      case 'ident':
        this.next();
        if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true', col };
        if (t.text === 'NULL') return { kind: 'literal', value: null, col };
        return { kind: 'name', name: t.text, col };
      case 'op':
        if (t.text === '(') {
          this.next();
          const e = this.operand(t);
          this.close(')', t);
          return e;
        }
        break;
      case 'eof':
        break;
    }
    // Nothing here starts an expression: say what it should have followed, if anything.
    const prev = this.i > 0 ? this.toks[this.i - 1] : undefined;
    if (prev !== undefined && !(t.kind === 'op' && (ASSIGNMENTS.has(t.text) || t.text === '++' || t.text === '--'))) {
      throw new ExprError(l10n.t('expected an expression after "{0}"', prev.text), col);
    }
    throw this.unexpected(t);
  }
}

/** Parses an expression; throws ExprError (with a column) on a syntax error. */
export function parseExpr(text: string): Expr {
  if (text.length > MAX_LENGTH) {
    throw new ExprError(l10n.t('expression is too long ({0} characters, at most {1})', text.length, MAX_LENGTH), MAX_LENGTH + 1);
  }
  return new Parser(lex(text)).parseAll();
}

// ---------------------------------------------------------------------------------------------
// Evaluation

const isObject = (v: Value): v is ObjectValue => typeof v === 'object' && v !== null;

/** C truth: 0, NULL, false and "" are false; everything else (any object) is true. */
export function truthy(v: Value): boolean {
  if (isObject(v)) return true;
  return v !== 0 && v !== null && v !== false && v !== '';
}

/** The 32-bit value of a dotted IPv4 address, or undefined if `s` is not one. */
function ipv4Value(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let n = 0;
  for (let k = 1; k <= 4; k++) {
    const octet = Number(m[k]);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

function typeWord(v: Value): string {
  if (v === null) return 'NULL';
  if (isObject(v)) return l10n.t('an object ({0})', v.typeName);
  return typeof v === 'number' ? l10n.t('a number') : typeof v === 'string' ? l10n.t('a string') : typeof v === 'boolean' ? l10n.t('a boolean') : `a ${typeof v}`;
}

/** Source-like text of an expression for messages (`ip_hdr(skb)->ttl`), cut short if long. */
function brief(e: Expr): string {
  const s = show(e);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Source-like text of a parsed expression, with parentheses only where they are needed. */
export function exprText(e: Expr): string {
  return show(e);
}

function show(e: Expr): string {
  const wrap = (x: Expr): string => (x.kind === 'binary' || x.kind === 'conditional' || x.kind === 'unary' ? `(${show(x)})` : show(x));
  switch (e.kind) {
    case 'literal':
      if (typeof e.value === 'string') return e.ipv4 ? e.value : quote(e.value);
      return e.value === null ? 'NULL' : String(e.value);
    case 'name':
      return e.name;
    case 'member':
      return `${wrap(e.object)}${e.op}${e.field}`;
    case 'index':
      return `${wrap(e.object)}[${show(e.index)}]`;
    case 'call':
      return `${e.fn}(${e.args.map(show).join(', ')})`;
    case 'unary':
      return `${e.op}${wrap(e.operand)}`;
    case 'binary':
      return `${wrap(e.left)} ${e.op} ${wrap(e.right)}`;
    case 'conditional':
      return `${wrap(e.test)} ? ${show(e.then)} : ${show(e.else)}`;
  }
}

/** Runs a call into the environment, turning anything it throws into an ExprError at `col`. */
function guard<T>(col: number, what: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ExprError) {
      if (err.col === 0) err.col = col;
      throw err;
    }
    throw new ExprError(`${what}: ${err instanceof Error ? err.message : String(err)}`, col);
  }
}

function listOf(items: string[], max = 8): string {
  return items.length > max ? `${items.slice(0, max).join(', ')}, ...` : items.join(', ');
}

/** Evaluates a parsed expression; throws ExprError only. */
export function evalExpr(e: Expr, env: ExprEnv): Value {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'name':
      return evalName(e.name, e.col, env);
    case 'member': {
      const base = evalExpr(e.object, env);
      const what = brief(e.object);
      if (base === null) throw new ExprError(l10n.t('cannot read "{0}": {1} is NULL', e.field, what), e.col);
      if (!isObject(base)) throw new ExprError(l10n.t('cannot read "{0}": {1} is {2}, not a struct', e.field, what, typeWord(base)), e.col);
      const v = guard(e.col, `${what}${e.op}${e.field}`, () => base.get(e.field));
      if (v !== undefined) return v;
      const fields = guard(e.col, what, () => base.fields());
      const hint = didYouMean(e.field, fields);
      const known = fields.length > 0 ? l10n.t('fields: {0}', listOf(fields)) : l10n.t('it has no fields');
      throw new ExprError(l10n.t('{0} has no field "{1}" ({2})', what, e.field, hint + known), e.col);
    }
    case 'index': {
      const base = evalExpr(e.object, env);
      const i = evalExpr(e.index, env);
      const what = brief(e.object);
      if (!isObject(base) || base.index === undefined) {
        throw new ExprError(l10n.t('cannot index {0}: it is {1}, not an array', what, typeWord(base)), e.col);
      }
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0) {
        throw new ExprError(l10n.t('an index must be a whole number 0 or more, not {0}', formatValue(i)), e.col);
      }
      const v = i < (base.length ?? Infinity) ? guard(e.col, `${what}[${i}]`, () => base.index!(i)) : undefined;
      if (v === undefined) {
        const size = base.length === undefined ? '' : ` ${base.length === 1 ? l10n.t('(it has 1 element)') : l10n.t('(it has {0} elements)', base.length)}`;
        throw new ExprError(l10n.t('index {0} is out of range for {1}', i, what) + size, e.col);
      }
      return v;
    }
    case 'call':
      return evalCall(e.fn, e.args, e.col, env);
    case 'unary': {
      const v = evalExpr(e.operand, env);
      switch (e.op) {
        case '!':
          return !truthy(v);
        case '-':
          return -toNumber(v, '-', e.col);
        case '+':
          return toNumber(v, '+', e.col);
        case '~':
          return ~toNumber(v, '~', e.col) >>> 0;
      }
    }
    case 'binary':
      return evalBinary(e.op, e.left, e.right, e.col, env);
    case 'conditional':
      return truthy(evalExpr(e.test, env)) ? evalExpr(e.then, env) : evalExpr(e.else, env);
  }
}

function evalName(name: string, col: number, env: ExprEnv): Value {
  const v = guard(col, name, () => env.lookup(name));
  if (v !== undefined) return v;
  const fns = env.functions ? guard(col, name, () => env.functions!()) : [];
  if (fns.includes(name)) throw new ExprError(l10n.t('{0} is a function; call it as {0}(...)', name), col);
  const near = closest(name, guard(col, name, () => env.names()));
  throw new ExprError(near !== undefined ? l10n.t('unknown name "{0}" (did you mean "{1}"?)', name, near) : l10n.t('unknown name "{0}"', name), col);
}

function evalCall(fn: string, argExprs: Expr[], col: number, env: ExprEnv): Value {
  const known = env.functions ? guard(col, fn, () => env.functions!()) : undefined;
  const unknown = (): ExprError => {
    const list = known ?? [];
    const hint = didYouMean(fn, list);
    const avail = list.length > 0 ? l10n.t('functions: {0}', listOf(list)) : l10n.t('no functions are available');
    return new ExprError(l10n.t('unknown function "{0}" ({1})', fn, hint + avail), col);
  };
  if (env.call === undefined || (known !== undefined && !known.includes(fn))) throw unknown();
  const args = argExprs.map((a) => evalExpr(a, env));
  const v = guard(col, fn, () => env.call!(fn, args));
  if (v === undefined) throw unknown();
  return v;
}

/** The number a value stands for in arithmetic: booleans are 0/1, dotted IPv4 strings their value. */
function toNumber(v: Value, op: string, col: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const ip = ipv4Value(v);
    if (ip !== undefined) return ip;
  }
  throw new ExprError(l10n.t('cannot apply "{0}" to {1}', op, typeWord(v)), col);
}

function evalBinary(op: BinaryOp, le: Expr, re: Expr, col: number, env: ExprEnv): Value {
  // Short-circuit: the right side is not evaluated (no lookups, no errors) when it cannot matter.
  if (op === '&&') return truthy(evalExpr(le, env)) && truthy(evalExpr(re, env));
  if (op === '||') return truthy(evalExpr(le, env)) || truthy(evalExpr(re, env));
  const l = evalExpr(le, env);
  const r = evalExpr(re, env);
  switch (op) {
    case '==':
      return equals(l, r, col);
    case '!=':
      return !equals(l, r, col);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const a = orderKey(l, r, op, col);
      const b = orderKey(r, l, op, col);
      return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
    }
  }
  const a = toNumber(l, op, col);
  const b = toNumber(r, op, col);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new ExprError(l10n.t('division by zero'), col);
      return Math.trunc(a / b);
    case '%':
      if (b === 0) throw new ExprError(l10n.t('division by zero'), col);
      return Math.trunc(a) % Math.trunc(b);
    case '&':
      return (a & b) >>> 0;
    case '|':
      return (a | b) >>> 0;
    case '^':
      return (a ^ b) >>> 0;
    case '<<':
    case '>>':
      if (!Number.isInteger(b) || b < 0 || b > 31) throw new ExprError(l10n.t('shift count {0} is outside 0..31', b), col);
      return op === '<<' ? (a << b) >>> 0 : a >>> b;
  }
}

/**
 * C-like equality. NULL equals NULL, 0 and false; objects compare by what they point at (two
 * views of one device are the same pointer); strings by text;
 * a dotted IPv4 string equals the integer with its value. Other mixes of types are errors.
 */
function equals(l: Value, r: Value, col: number): boolean {
  if (l === null || r === null) {
    const other = l === null ? r : l;
    return other === null || other === 0 || other === false;
  }
  if (isObject(l) || isObject(r)) {
    if (isObject(l) && isObject(r)) return l === r || (l.typeName === r.typeName && targetOf(l) !== undefined && targetOf(l) === targetOf(r));
    throw new ExprError(l10n.t('cannot compare {0} with {1}', typeWord(l), typeWord(r)), col);
  }
  if (typeof l === 'string' && typeof r === 'string') return l === r;
  if (typeof l === 'string' || typeof r === 'string') {
    const [s, n] = typeof l === 'string' ? [l, r] : [r as string, l];
    const ip = ipv4Value(s);
    if (typeof n === 'number' && Number.isInteger(n) && ip !== undefined) return ip === n;
    throw new ExprError(l10n.t('cannot compare {0} with {1}', typeWord(l), typeWord(r)), col);
  }
  return toNumber(l, '==', col) === toNumber(r, '==', col);
}

/** The model object an object value shows, if it says. */
function targetOf(v: ObjectValue): unknown {
  return (v as { target?: unknown }).target;
}

/** The number `v` orders as in `<`-like comparisons: numbers, booleans, and IPv4 strings. */
function orderKey(v: Value, other: Value, op: string, col: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const ip = ipv4Value(v);
    if (ip !== undefined) return ip;
    if (typeof other === 'string') throw new ExprError(l10n.t('"{0}" orders numbers and IPv4 addresses, not strings', op), col);
  }
  throw new ExprError(l10n.t('cannot compare {0} with {1}', typeWord(v), typeWord(other)), col);
}

/** Parses and evaluates; throws ExprError only. */
export function evaluate(text: string, env: ExprEnv): Value {
  return evalExpr(parseExpr(text), env);
}

// ---------------------------------------------------------------------------------------------
// Display

/** A string in C syntax: double quotes, backslash escapes for quotes and control characters. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** Numbers in decimal, strings quoted, booleans as true/false, NULL, objects via display(). */
export function formatValue(v: Value): string {
  if (v === null) return 'NULL';
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? '0' : String(v);
    case 'string':
      return quote(v);
    case 'boolean':
      return String(v);
    default:
      return v.display();
  }
}

// ---------------------------------------------------------------------------------------------
// Debug-console completion

export interface Completion {
  label: string;
  type: 'variable' | 'field' | 'function' | 'keyword';
  /** 0-based offset in the text where the replaced word starts. */
  start: number;
  /** Length of the replaced word (from start to the cursor). */
  length: number;
}

const KEYWORDS = ['true', 'false', 'NULL'];

/**
 * Completions at `cursor` (a 0-based offset into `text`). After `x->` or `x.` the fields of x (the
 * prefix expression is evaluated, so it must be side-effect free, as every expression is);
 * otherwise variables, functions and keywords starting with the word being typed.
 */
export function complete(text: string, cursor: number, env: ExprEnv): Completion[] {
  try {
    return completeAt(text.slice(0, Math.max(0, Math.min(cursor, text.length))), env);
  } catch {
    // Half-typed input (an open string, a malformed number) has nothing to complete.
    return [];
  }
}

function completeAt(before: string, env: ExprEnv): Completion[] {
  const word = /[A-Za-z0-9_]*$/.exec(before)![0];
  if (word !== '' && isDigit(word[0])) return [];
  const start = before.length - word.length;
  const toks = lex(before.slice(0, start));
  toks.pop(); // eof
  const match = (label: string): boolean => label.startsWith(word);
  const item = (label: string, type: Completion['type']): Completion => ({ label, type, start, length: word.length });
  const last = toks[toks.length - 1];
  if (last !== undefined && last.kind === 'op' && (last.text === '->' || last.text === '.')) {
    const from = chainStart(toks, toks.length - 2);
    if (from < 0) return [];
    const base = evaluate(before.slice(from, last.pos), env);
    if (!isObject(base)) return [];
    return base.fields().filter(match).map((f) => item(f, 'field'));
  }
  const out: Completion[] = [];
  const seen = new Set<string>();
  const add = (labels: string[], type: Completion['type']): void => {
    for (const l of labels) {
      if (match(l) && !seen.has(l)) {
        seen.add(l);
        out.push(item(l, type));
      }
    }
  };
  add(env.names(), 'variable');
  add(env.functions ? env.functions() : [], 'function');
  add(KEYWORDS, 'keyword');
  return out;
}

/**
 * The offset where the postfix expression ending at token `i` starts (`ip_hdr(skb)->x[0]` as a
 * whole), or -1 if the tokens there do not end an operand.
 */
function chainStart(toks: Token[], i: number): number {
  const matchBack = (k: number): number => {
    let depth = 0;
    for (let j = k; j >= 0; j--) {
      const t = toks[j];
      if (t.kind !== 'op') continue;
      if (t.text === ')' || t.text === ']') depth++;
      else if ((t.text === '(' || t.text === '[') && --depth === 0) return j;
    }
    return -1;
  };
  for (;;) {
    if (i < 0) return -1;
    const t = toks[i];
    if (t.kind === 'op' && t.text === ']') {
      i = matchBack(i) - 1; // the array being indexed ends just before "["
      if (i < 0) return -1;
      continue;
    }
    let first: number;
    if (t.kind === 'op' && t.text === ')') {
      const open = matchBack(i);
      if (open < 0) return -1;
      first = open > 0 && toks[open - 1].kind === 'ident' ? open - 1 : open;
    } else if (t.kind !== 'op' && t.kind !== 'eof') {
      first = i;
    } else {
      return -1;
    }
    const before = toks[first - 1];
    if (before !== undefined && before.kind === 'op' && (before.text === '->' || before.text === '.')) {
      i = first - 2;
      continue;
    }
    return toks[first].pos;
  }
}

// ---------------------------------------------------------------------------------------------
// Logpoints and hit conditions

/**
 * A logpoint message: each `{expr}` is evaluated and formatted (strings without quotes, so
 * `dst {iph->daddr}` reads "dst 192.0.2.1"; everything else as formatValue), `{{` and `}}` are
 * literal braces, and an error shows inline as `<error: ...>`. Never throws.
 */
export function interpolate(template: string, env: ExprEnv): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      out += c;
      i += 2;
    } else if (c === '{') {
      const end = closingBrace(template, i + 1);
      if (end < 0) {
        out += '<error: missing "}">';
        break;
      }
      out += interpolateOne(template.slice(i + 1, end), env);
      i = end + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index of the `}` ending an embedded expression, skipping string literals; -1 if none. */
function closingBrace(s: string, i: number): number {
  let inString = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '}') {
      return i;
    }
  }
  return -1;
}

function interpolateOne(text: string, env: ExprEnv): string {
  try {
    const v = evaluate(text, env);
    return typeof v === 'string' ? v : formatValue(v);
  } catch (err) {
    return `<error: ${err instanceof Error ? err.message : String(err)}>`;
  }
}

/**
 * Whether a breakpoint with hit condition `cond` stops on its `hits`-th hit (counting from 1):
 * `N`, `=N` or `==N` on exactly the Nth hit; `>N`, `>=N`, `<N`, `<=N` compare the hit count with
 * N; `%N` on every Nth hit. Throws ExprError for anything else.
 */
export function checkHitCondition(cond: string, hits: number): boolean {
  const m = /^\s*(={0,3}|>=?|<=?|%)\s*(\d+)\s*$/.exec(cond);
  if (!m) {
    throw new ExprError(l10n.t('hit condition "{0}" must be N, ==N, >N, >=N, <N, <=N or %N', cond.trim()), 1);
  }
  const n = Number(m[2]);
  if (!Number.isSafeInteger(n)) throw new ExprError(l10n.t('hit count {0} is too large', m[2]), 1);
  switch (m[1]) {
    case '>':
      return hits > n;
    case '>=':
      return hits >= n;
    case '<':
      return hits < n;
    case '<=':
      return hits <= n;
    case '%':
      if (n === 0) throw new ExprError(l10n.t('"%0" never stops; use %1 or more'), 1);
      return hits % n === 0;
    default:
      return hits === n;
  }
}
