// The .kpath parser: scenario text -> the scenario object of types.ts, or errors that say
// FILE:LINE:COL and what was expected there. Each line is one statement; a line with an error is
// reported and skipped, and the whole file is then checked with the same semantic checks that a
// scenario given inline as JSON goes through (validate.ts). A scenario with any error is never
// returned, so nothing runs half-way.

import * as l10n from '@vscode/l10n';
import { lex, type LexedLine, type Token } from './lexer';
import { emptyScenario } from './types';
import type {
  Addr,
  Join,
  KernelProfile,
  Link,
  NftMatch,
  NftRule,
  NftStatement,
  Peer,
  PmtuDisc,
  Pos,
  Route,
  Rule,
  Scenario,
  Send,
  StaticNeigh,
  Sysctl,
} from './types';
import { findSysctl } from './sysctl';
import { formatIpv4, parseIpv4 } from '../wire/addr';
import { newContext, type CheckContext, type ItemKind } from './context';
import { ScenarioError, sortErrors } from './errors';
import { LINK_ORDER, orderKeys, ROUTE_ORDER, RULE_ORDER, SEND_ORDER } from './key-order';
import { formatNftRule, isVerdict, nftStatementTableProblem } from './nft';
import { checkSemantics } from './semantics';
import { checkLimits, textTooLong } from './limits';
import {
  canonicalMac,
  durationValue,
  formatDuration,
  gatewayProblem,
  groupProblem,
  hostAddrProblem,
  hostBitsProblem,
  linkMacProblem,
  linkNameProblem,
  macExpected,
  dscpExpected,
  neighbourAddrProblem,
  parseIntText,
  rangeProblem,
  sendSizeProblem,
  gsoProblem,
  socketNameProblem,
  sysctlKeyProblem,
  linkOptionProblem,
  tableProblem,
} from './values';
import {
  defaultMac,
  defaultQdisc,
  defaultSize,
  DEFAULTS,
  DSCP_NAMES,
  dscpName,
  KERNELS,
  LIMITS,
  LINK_TYPES,
  NFT_CHAINS,
  NUD_STATES,
  OUTPUT_TABLES,
  TABLE_MAIN,
  PMTU_MODES,
  QDISCS,
} from './vocabulary';
import { ADDR_WORDS, LINK_WORDS, NEIGH_WORDS, NFT_RULE_WORDS, PEER_WORDS, ROUTE_WORDS, RULE_WORDS, SEND_WORDS, STATEMENT_WORDS, wordsOf, type StatementWord } from './words';
import { didYouMean } from '../../text/closest';

export { ScenarioError } from './errors';
export { parseDuration, formatDuration } from './values';
export { validateScenario, validateScenarioAll } from './validate';

// The words of the statements and their options are the keys of words.ts's tables, where their
// documentation is.
/** The words a statement may start with, in the order the reference lists them. */
export const STATEMENTS = wordsOf(STATEMENT_WORDS);

export const LINK_OPTIONS = wordsOf(LINK_WORDS);
export const ROUTE_OPTIONS = wordsOf(ROUTE_WORDS);
export const RULE_OPTIONS = wordsOf(RULE_WORDS);
export const NEIGH_OPTIONS = wordsOf(NEIGH_WORDS);
export const PEER_OPTIONS = wordsOf(PEER_WORDS);
export const SEND_OPTIONS = wordsOf(SEND_WORDS);
/** Send options that take no value. */
const SEND_FLAGS = new Set<string>(SEND_OPTIONS.filter((w) => !('takes' in SEND_WORDS[w])));

export const NFT_WORDS = wordsOf(NFT_RULE_WORDS);

const KIND_OF = new Map<string, ItemKind>([
  ['link', 'links'],
  ['addr', 'addrs'],
  ['route', 'routes'],
  ['rule', 'rules'],
  ['neigh', 'neighs'],
  ['sysctl', 'sysctls'],
  ['nft', 'nft'],
  ['peer', 'peers'],
  ['join', 'joins'],
  ['at', 'sends'],
]);

// ---------------------------------------------------------------------------------------------
// Reading one line

/** Thrown inside a line; becomes a ScenarioError at that line. */
class LineFail {
  constructor(
    readonly col: number,
    readonly problem: string,
  ) {}
}

/** How a token appears in a message. */
function found(tok: Token | undefined): string {
  if (!tok) return l10n.t('the end of the line');
  if (tok.kind === 'string') return l10n.t('the string {0}', tok.text);
  return `"${tok.text}"`;
}

/** "a", "a or b", "a, b or c". */
function orList(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : l10n.t('{0} or {1}', words.slice(0, -1).join(', '), words[words.length - 1]);
}

function unknownWord(tok: Token, allowed: readonly string[]): string {
  if (tok.kind === 'word') return l10n.t('unknown word "{0}"; {1}expected one of: {2}', tok.text, didYouMean(tok.text, allowed), allowed.join(', '));
  return l10n.t('expected one of: {0}, found {1}', allowed.join(', '), found(tok));
}

class Cursor {
  private i = 0;

  constructor(readonly ln: LexedLine) {}

  peek(): Token | undefined {
    return this.ln.tokens[this.i];
  }

  next(): Token | undefined {
    const t = this.ln.tokens[this.i];
    if (t) this.i++;
    return t;
  }

  /** Puts the last token back. */
  back(): void {
    if (this.i > 0) this.i--;
  }

  /** The last token taken. */
  last(): Token | undefined {
    return this.ln.tokens[this.i - 1];
  }

  fail(tok: Token | undefined, problem: string, offset = 0): never {
    throw new LineFail(tok ? tok.col + offset : this.ln.endCol, problem);
  }

  /** The next token, which must exist and be a plain word. */
  word(expected: string): Token {
    const t = this.next();
    if (!t || t.kind !== 'word') this.fail(t, l10n.t('expected {0}, found {1}', expected, found(t)));
    return t;
  }

  /** The next token, which must be exactly `w`. */
  keyword(w: string, hint = ''): Token {
    const t = this.next();
    if (!t || t.kind !== 'word' || t.text !== w) this.fail(t, l10n.t('expected {0}, found {1}', w + hint, found(t)));
    return t;
  }

  /** One of a fixed set of words. */
  oneOf<T extends string>(expected: string, values: readonly T[]): T {
    const t = this.next();
    if (!t || t.kind !== 'word' || !(values as readonly string[]).includes(t.text)) {
      this.fail(t, l10n.t('expected {0} ({1}), found {2}', expected, orList(values), found(t)));
    }
    return t.text as T;
  }

  end(): void {
    const t = this.next();
    if (t) this.fail(t, t.kind === 'word' ? l10n.t('unknown word "{0}"; expected the end of the line', t.text) : l10n.t('expected the end of the line, found {0}', found(t)));
  }

  /** Options in any order, each at most once. */
  options(allowed: readonly string[], handle: (word: string, tok: Token) => void): Set<string> {
    const seen = new Set<string>();
    for (let t = this.next(); t; t = this.next()) {
      if (t.kind !== 'word' || !allowed.includes(t.text)) this.fail(t, unknownWord(t, allowed));
      if (seen.has(t.text)) this.fail(t, l10n.t('the option {0} is given twice', t.text));
      seen.add(t.text);
      handle(t.text, t);
    }
    return seen;
  }

  int(what: string, [min, max]: readonly [number, number], hex = false): number {
    const t = this.next();
    const v = t && t.kind === 'word' ? parseIntText(t.text, hex) : undefined;
    if (!t || v === undefined) this.fail(t, l10n.t('expected a number {0}..{1} for {2}, found {3}', min, max, what, found(t)));
    const p = rangeProblem(what, v, min, max, t.text);
    if (p) this.fail(t, p);
    return Number(v);
  }

  duration(): number {
    const t = this.next();
    if (!t || t.kind !== 'word') this.fail(t, l10n.t('expected a duration like 10ms, found {0}', found(t)));
    const r = durationValue(t.text);
    if ('problem' in r) this.fail(t, r.problem);
    return r.ns;
  }

  /** An IPv4 address written as `text` at `offset` in `tok`, in canonical form. */
  addressIn(tok: Token, text: string, offset = 0, check?: (a: number, text: string) => string | undefined): string {
    const a = parseIpv4(text);
    if (a === undefined) this.fail(tok, l10n.t('expected an IPv4 address, found {0}', `"${text}"`), offset);
    const canon = formatIpv4(a);
    const p = check?.(a, canon);
    if (p) this.fail(tok, p, offset);
    return canon;
  }

  address(check?: (a: number, text: string) => string | undefined): { address: string; tok: Token } {
    const t = this.next();
    if (!t || t.kind !== 'word') this.fail(t, l10n.t('expected an IPv4 address, found {0}', found(t)));
    return { address: this.addressIn(t, t.text, 0, check), tok: t };
  }

  /** `A/PREFIX`, or a bare `A` meaning /32 when `bare` is allowed. */
  prefixed(bare: boolean, check?: (a: number, text: string) => string | undefined): { address: string; prefix: number; tok: Token } {
    const t = this.next();
    const example = l10n.t('an address with a prefix length like 192.0.2.1/24');
    if (!t || t.kind !== 'word') this.fail(t, l10n.t('expected {0}, found {1}', example, found(t)));
    const slash = t.text.indexOf('/');
    if (slash < 0 && !bare) this.fail(t, l10n.t('expected {0}, found {1}', example, `"${t.text}"`));
    const addrText = slash < 0 ? t.text : t.text.slice(0, slash);
    const address = this.addressIn(t, addrText, 0, check);
    let prefix = 32;
    if (slash >= 0) {
      const pt = t.text.slice(slash + 1);
      const off = slash + 1;
      if (!/^\d+$/.test(pt)) this.fail(t, l10n.t('expected a prefix length 0..32, found {0}', `"${pt}"`), off);
      if (Number(pt) > 32 || (pt.length > 1 && pt.startsWith('0'))) this.fail(t, l10n.t('expected a prefix length 0..32, found {0}', pt), off);
      prefix = Number(pt);
    }
    return { address, prefix, tok: t };
  }

  mac(): string {
    const t = this.next();
    const m = t && t.kind === 'word' ? canonicalMac(t.text) : undefined;
    if (!t || m === undefined) this.fail(t, l10n.t('expected {0}, found {1}', macExpected(), found(t)));
    return m;
  }

  /** The name of a link (or lo): its spelling here, its existence in the semantic checks. */
  devName(): Token {
    const t = this.next();
    if (!t || t.kind !== 'word' || !/^[A-Za-z0-9_.-]{1,15}$/.test(t.text)) {
      this.fail(t, l10n.t('expected a link name, found {0}', found(t)));
    }
    return t;
  }
}

function posOf(tok: Token, offset = 0): Pos {
  return { line: tok.line, col: tok.col + offset };
}

interface Builder {
  s: Scenario;
  ctx: CheckContext;
  kernelLine?: number;
  runLine?: number;
}

/** Adds an item with the positions of its words. */
function add<T extends object>(b: Builder, list: T[], item: T, fields: Record<string, Pos>): void {
  list.push(item);
  b.ctx.fieldPos.set(item, fields);
}

// ---------------------------------------------------------------------------------------------
// Statements

function parseKernel(c: Cursor, b: Builder, first: Token): void {
  if (b.kernelLine !== undefined) c.fail(first, l10n.t('kernel is given twice (line {0})', b.kernelLine));
  const k = c.oneOf<KernelProfile>(l10n.t('a kernel profile'), KERNELS);
  c.end();
  b.s.kernel = k;
  b.kernelLine = first.line;
}

function parseLink(c: Cursor, b: Builder, first: Token): void {
  c.keyword('add', ' (link add NAME ...)');
  const nameTok = c.word(l10n.t('a link name'));
  const np = linkNameProblem(nameTok.text);
  if (np) c.fail(nameTok, np);
  let type: Link['type'] = DEFAULTS.linkType;
  let mtu: number | undefined;
  let address: string | undefined;
  let qdisc: Link['qdisc'] | undefined;
  let txqueuelen: number = DEFAULTS.txqueuelen;
  let offload = false;
  let up = true;
  let parent: string | undefined;
  let vlanId: number | undefined;
  const fields: Record<string, Pos> = { name: posOf(nameTok) };
  const optionToks: [string, Token][] = [];
  c.options(LINK_OPTIONS, (w, tok) => {
    const field = w === 'down' ? 'up' : w === 'link' ? 'parent' : w === 'id' ? 'vlanId' : w;
    fields[field] = posOf(w === 'down' ? tok : c.peek() ?? tok);
    optionToks.push([w, tok]);
    switch (w) {
      case 'type':
        type = c.oneOf(l10n.t('a link type'), LINK_TYPES);
        break;
      case 'link':
        parent = c.devName().text;
        break;
      case 'id':
        vlanId = c.int('id', LIMITS.vlanId);
        break;
      case 'mtu':
        mtu = c.int('mtu', LIMITS.mtu);
        break;
      case 'address': {
        address = c.mac();
        const p = linkMacProblem(address);
        if (p) c.fail(c.last(), p);
        break;
      }
      case 'qdisc':
        qdisc = c.oneOf(l10n.t('a qdisc'), QDISCS);
        break;
      case 'txqueuelen':
        txqueuelen = c.int('txqueuelen', LIMITS.txqueuelen);
        break;
      case 'offload':
        offload = c.oneOf(l10n.t('a value for {0}', 'offload'), ['on', 'off'] as const) === 'on';
        break;
      case 'down':
        up = false;
        break;
    }
  });
  for (const [w, tok] of optionToks) {
    const p = linkOptionProblem(type, w);
    if (p) c.fail(tok, p);
  }
  if (type === 'vlan') {
    if (parent === undefined) c.fail(undefined, l10n.t('expected {0}, found the end of the line', 'link PARENT'));
    if (vlanId === undefined) c.fail(undefined, l10n.t('expected {0}, found the end of the line', 'id N'));
  }
  // A VLAN takes its parent's MTU and MAC unless given (vlan_newlink, vlan_dev_init).
  const parentLink = parent !== undefined ? b.s.links.find((l) => l.name === parent) : undefined;
  const link: Link = orderKeys<Link>({
    name: nameTok.text,
    type,
    parent,
    vlanId,
    mtu: mtu ?? parentLink?.mtu ?? DEFAULTS.mtu,
    address: address ?? parentLink?.address ?? defaultMac(b.s.links.length),
    qdisc: qdisc ?? defaultQdisc(type),
    txqueuelen,
    offload,
    up,
    pos: posOf(first),
  }, LINK_ORDER);
  add(b, b.s.links, link, fields);
}

function parseAddr(c: Cursor, b: Builder, first: Token): void {
  c.keyword('add', ' (addr add A/PREFIX dev NAME)');
  const { address, prefix, tok } = c.prefixed(true, hostAddrProblem);
  const fields: Record<string, Pos> = { address: posOf(tok) };
  let dev: string | undefined;
  c.options(wordsOf(ADDR_WORDS), () => {
    const t = c.devName();
    fields.dev = posOf(t);
    dev = t.text;
  });
  if (dev === undefined) c.fail(undefined, l10n.t('expected {0}, found the end of the line', 'dev NAME'));
  const addr: Addr = { address, prefix, dev, pos: posOf(first) };
  add(b, b.s.addrs, addr, fields);
}

function parseRoute(c: Cursor, b: Builder, first: Token): void {
  c.keyword('add', ' (route add PREFIX|default via A | dev NAME)');
  const dstTok = c.peek();
  let dst: string;
  let prefix: number;
  if (dstTok?.kind === 'word' && dstTok.text === 'default') {
    c.next();
    dst = '0.0.0.0';
    prefix = 0;
  } else {
    const t = c.next();
    if (!t || t.kind !== 'word') c.fail(t, l10n.t('expected a destination (PREFIX/LEN, an address or default), found {0}', found(t)));
    const slash = t.text.indexOf('/');
    const addrText = slash < 0 ? t.text : t.text.slice(0, slash);
    if (parseIpv4(addrText) === undefined) {
      c.fail(t, l10n.t('expected a destination (PREFIX/LEN, an address or default), found {0}', `"${addrText}"`));
    }
    // Same reading as an address with an optional prefix; then host bits must be clear.
    c.back();
    const r = c.prefixed(true);
    dst = r.address;
    prefix = r.prefix;
    const p = hostBitsProblem(parseIpv4(dst) ?? 0, prefix, `${dst}/${prefix}`);
    if (p) c.fail(t, p);
  }
  const fields: Record<string, Pos> = { dst: posOf(dstTok as Token) };
  const route: Route = { dst, prefix, pos: posOf(first) };
  c.options(ROUTE_OPTIONS, (w, tok) => {
    fields[w] = posOf(c.peek() ?? tok);
    switch (w) {
      case 'table': {
        const table = tableWord(c, 'table');
        if (table !== TABLE_MAIN) route.table = table;
        break;
      }
      case 'via':
        route.via = c.address(gatewayProblem).address;
        break;
      case 'dev':
        route.dev = c.devName().text;
        break;
      case 'mtu':
        route.mtu = c.int('mtu', LIMITS.mtu);
        break;
      case 'src':
        route.src = c.address().address;
        break;
    }
  });
  if (route.via === undefined && route.dev === undefined) c.fail(undefined, l10n.t('a route needs via A or dev NAME, found the end of the line'));
  add(b, b.s.routes, orderKeys(route, ROUTE_ORDER), fields);
}

/** A table: a number 1..4294967295 other than 255, or main (254). */
function tableWord(c: Cursor, what: string): number {
  if (c.peek()?.kind === 'word' && c.peek()?.text === 'main') {
    c.next();
    return TABLE_MAIN;
  }
  const table = c.int(what, LIMITS.table);
  const p = tableProblem(table);
  if (p) c.fail(c.last(), p);
  return table;
}

function parseRule(c: Cursor, b: Builder, first: Token): void {
  c.keyword('add', ' (rule add ... lookup N)');
  const fields: Record<string, Pos> = {};
  const rule: Partial<Rule> & { pos: Pos } = { pos: posOf(first) };
  c.options(RULE_OPTIONS, (w, tok) => {
    fields[w === 'lookup' ? 'table' : w] = posOf(c.peek() ?? tok);
    switch (w) {
      case 'priority':
        rule.priority = c.int('priority', LIMITS.priority);
        break;
      case 'fwmark': {
        const t = c.next();
        if (!t || t.kind !== 'word') c.fail(t, l10n.t('expected a mark like 7 or 0x7/0xff, found {0}', found(t)));
        const slash = t.text.indexOf('/');
        const markText = slash < 0 ? t.text : t.text.slice(0, slash);
        const [min, max] = LIMITS.mark;
        const mark = parseIntText(markText, true);
        if (mark === undefined) c.fail(t, l10n.t('expected a mark like 7 or 0x7/0xff, found {0}', `"${t.text}"`));
        const mp = rangeProblem('fwmark', mark, min, max, markText);
        if (mp) c.fail(t, mp);
        rule.fwmark = Number(mark);
        if (slash >= 0) {
          const maskText = t.text.slice(slash + 1);
          const mask = parseIntText(maskText, true);
          if (mask === undefined) c.fail(t, l10n.t('expected a mask like 0xff, found {0}', `"${maskText}"`), slash + 1);
          const kp = rangeProblem('fwmark mask', mask, min, max, maskText);
          if (kp) c.fail(t, kp, slash + 1);
          if (Number(mask) !== 0xffffffff) rule.fwmask = Number(mask);
        }
        break;
      }
      case 'from':
      case 'to': {
        const r = c.prefixed(true);
        const p = hostBitsProblem(parseIpv4(r.address) ?? 0, r.prefix, `${r.address}/${r.prefix}`);
        if (p) c.fail(r.tok, p);
        rule[w] = { address: r.address, prefix: r.prefix };
        break;
      }
      case 'oif':
        rule.oif = c.devName().text;
        break;
      case 'lookup':
        rule.table = tableWord(c, 'lookup');
        break;
    }
  });
  if (rule.table === undefined) c.fail(undefined, l10n.t('expected {0}, found the end of the line', 'lookup N'));
  add(b, b.s.rules, orderKeys(rule as Rule, RULE_ORDER), fields);
}

function parseNeigh(c: Cursor, b: Builder, first: Token): void {
  c.keyword('add', ' (neigh add A lladdr MAC dev NAME)');
  const { address, tok } = c.address(neighbourAddrProblem);
  const fields: Record<string, Pos> = { address: posOf(tok) };
  let lladdr: string | undefined;
  let dev: string | undefined;
  let nud: StaticNeigh['nud'] = DEFAULTS.nud;
  c.options(NEIGH_OPTIONS, (w, tok) => {
    fields[w] = posOf(c.peek() ?? tok);
    if (w === 'lladdr') lladdr = c.mac();
    else if (w === 'dev') dev = c.devName().text;
    else nud = c.oneOf(l10n.t('a nud state'), NUD_STATES);
  });
  if (lladdr === undefined) c.fail(undefined, l10n.t('expected {0}, found the end of the line', 'lladdr MAC'));
  if (dev === undefined) c.fail(undefined, l10n.t('expected {0}, found the end of the line', 'dev NAME'));
  add(b, b.s.neighs, { address, lladdr, dev, nud, pos: posOf(first) }, fields);
}

function parseSysctl(c: Cursor, b: Builder, first: Token): void {
  if (c.peek()?.text === '-w') c.next();
  const keyTok = c.word('KEY=VALUE');
  const kp = sysctlKeyProblem(keyTok.text);
  if (kp) c.fail(keyTok, kp);
  const eq = c.next();
  if (!eq || eq.kind !== 'equals') c.fail(eq, l10n.t('expected = after {0}, found {1}', keyTok.text, found(eq)));
  const spec = findSysctl(keyTok.text)!.spec;
  const value = c.int(keyTok.text, [spec.min, spec.max]);
  c.end();
  const sc: Sysctl = { key: keyTok.text, value, pos: posOf(first) };
  add(b, b.s.sysctls, sc, { key: posOf(keyTok) });
}

function parseNft(c: Cursor, b: Builder, first: Token): void {
  c.keyword('add', ' (nft add rule ip TABLE postrouting|output ...)');
  c.keyword('rule');
  const fam = c.next();
  if (!fam || fam.text !== 'ip') c.fail(fam, l10n.t('expected the family ip (only IPv4 is modeled), found {0}', found(fam)));
  const tableTok = c.peek();
  const table = c.oneOf(l10n.t('a table'), ['filter', 'nat', 'mangle'] as const);
  const chainTok = c.peek();
  const chain = c.oneOf(l10n.t('a chain'), NFT_CHAINS);
  if (chain === 'output' && !(OUTPUT_TABLES as readonly string[]).includes(table)) {
    c.fail(chainTok, l10n.t('the output chain is modeled in the filter and mangle tables, not in {0}', table));
  }
  const matches: NftMatch[] = [];
  const statements: NftStatement[] = [];
  const fields: Record<string, Pos> = {};
  let lastStatement: Token | undefined;

  const statement = (tok: Token, st: NftStatement): void => {
    const p = nftStatementTableProblem(st.kind, table);
    if (p) c.fail(tok, p);
    fields[`statements[${statements.length}]`] = posOf(tok);
    statements.push(st);
    lastStatement = tok;
  };
  const match = (tok: Token, m: NftMatch): void => {
    if (lastStatement) c.fail(tok, l10n.t('a match must come before the statements; found "{0}" after "{1}"', tok.text, lastStatement.text));
    matches.push(m);
  };

  for (let t = c.next(); t; t = c.next()) {
    const prev = statements[statements.length - 1];
    if (prev && isVerdict(prev.kind)) c.fail(t, l10n.t('a verdict must be last; found {0} after {1}', found(t), prev.kind));
    if (t.kind !== 'word') c.fail(t, unknownWord(t, NFT_WORDS));
    switch (t.text) {
      case 'udp':
      case 'tcp': {
        const field = c.oneOf(l10n.t('a port field'), ['dport', 'sport'] as const);
        const value = c.int(`${t.text} ${field}`, LIMITS.nftPort);
        match(t, { kind: 'l4port', proto: t.text, field, value });
        break;
      }
      case 'ip': {
        const what = c.oneOf(l10n.t('a word after {0}', 'ip'), ['daddr', 'saddr', 'protocol', 'ttl', 'dscp'] as const);
        if (what === 'daddr' || what === 'saddr') {
          const r = c.prefixed(true);
          const p = hostBitsProblem(parseIpv4(r.address) ?? 0, r.prefix, `${r.address}/${r.prefix}`);
          if (p) c.fail(r.tok, p);
          match(t, { kind: 'addr', field: what, address: r.address, prefix: r.prefix });
        } else if (what === 'protocol') {
          match(t, { kind: 'protocol', value: c.oneOf(l10n.t('a protocol'), ['udp', 'tcp', 'icmp'] as const) });
        } else if (what === 'ttl') {
          c.keyword('set', ' (ip ttl set N)');
          statement(t, { kind: 'ttl-set', value: c.int('ip ttl set', LIMITS.ttl) });
        } else {
          c.keyword('set', ' (ip dscp set NAME|N)');
          const v = c.next();
          let value: number | undefined = v && v.kind === 'word' ? DSCP_NAMES[v.text] : undefined;
          if (v && value === undefined && v.kind === 'word') {
            const n = parseIntText(v.text, true);
            if (n !== undefined) {
              const p = rangeProblem('ip dscp set', n, LIMITS.dscp[0], LIMITS.dscp[1], v.text);
              if (p) c.fail(v, p);
              value = Number(n);
            }
          }
          if (value === undefined) c.fail(v, l10n.t('expected {0}, found {1}', dscpExpected(), found(v)));
          statement(t, { kind: 'dscp-set', value });
        }
        break;
      }
      case 'meta': {
        const what = c.oneOf(l10n.t('a word after {0}', 'meta'), ['mark', 'l4proto'] as const);
        if (what === 'l4proto') {
          match(t, { kind: 'protocol', value: c.oneOf(l10n.t('a protocol'), ['udp', 'tcp', 'icmp'] as const) });
          break;
        }
        markWord(t);
        break;
      }
      case 'mark':
        markWord(t);
        break;
      case 'oif':
      case 'oifname': {
        const n = c.next();
        if (!n || !(n.kind === 'word' || (t.text === 'oifname' && n.kind === 'string')) || !/^[A-Za-z0-9_.-]{1,15}$/.test(n.value)) {
          c.fail(n, l10n.t('expected a link name, found {0}', found(n)));
        }
        fields[`matches[${matches.length}]`] = posOf(n);
        match(t, { kind: 'oif', name: n.value });
        break;
      }
      case 'accept':
      case 'drop':
      case 'counter':
      case 'masquerade':
        statement(t, { kind: t.text });
        break;
      case 'dup': {
        c.keyword('to', ' (dup to A [device NAME])');
        const address = c.address(neighbourAddrProblem).address;
        let dev: string | undefined;
        if (c.peek()?.kind === 'word' && c.peek()?.text === 'device') {
          c.next();
          const n = c.next();
          if (!n || !(n.kind === 'word' || n.kind === 'string') || !/^[A-Za-z0-9_.-]{1,15}$/.test(n.value)) {
            c.fail(n, l10n.t('expected a link name, found {0}', found(n)));
          }
          fields[`statements[${statements.length}].dev`] = posOf(n);
          dev = n.value;
        }
        statement(t, dev === undefined ? { kind: 'dup', address } : { kind: 'dup', address, dev });
        break;
      }
      case 'snat': {
        if (c.peek()?.text === 'ip') c.next();
        c.keyword('to', ' (snat to A)');
        statement(t, { kind: 'snat', address: c.address(hostAddrProblem).address });
        break;
      }
      default:
        c.fail(t, unknownWord(t, NFT_WORDS));
    }
  }
  if (statements.length === 0) {
    c.fail(undefined, l10n.t('a rule needs at least one statement ({0}), found the end of the line', 'accept, drop, counter, snat to A, masquerade, meta mark set N, ip ttl set N, ip dscp set V, dup to A'));
  }
  const last = c.last() as Token;
  const start = (tableTok as Token).col - 1;
  const text = c.ln.text.slice(start, last.col - 1 + last.text.length);
  const rule: NftRule = { table, chain, matches, statements, text, pos: posOf(first) };
  add(b, b.s.nft, rule, fields);

  /** `[meta] mark N` (a match) or `[meta] mark set N` (a statement). */
  function markWord(t: Token): void {
    if (c.peek()?.text === 'set') {
      c.next();
      statement(t, { kind: 'mark-set', value: c.int('meta mark set', LIMITS.mark, true) });
    } else {
      match(t, { kind: 'mark', value: c.int('meta mark', LIMITS.mark, true) });
    }
  }
}

function parsePeer(c: Cursor, b: Builder, first: Token): void {
  const { address, tok } = c.address(neighbourAddrProblem);
  const fields: Record<string, Pos> = { address: posOf(tok) };
  let lladdr: string | undefined;
  let dev = '';
  let silent = false;
  let upAt = 0;
  let replyDelay = 0;
  c.options(PEER_OPTIONS, (w, tok) => {
    const field = w === 'up-at' ? 'upAt' : w === 'reply-delay' ? 'replyDelay' : w;
    fields[field] = posOf(w === 'silent' ? tok : c.peek() ?? tok);
    switch (w) {
      case 'lladdr':
        lladdr = c.mac();
        break;
      case 'dev':
        dev = c.devName().text;
        break;
      case 'silent':
        silent = true;
        break;
      case 'up-at':
        upAt = c.duration();
        break;
      case 'reply-delay':
        replyDelay = c.duration();
        break;
    }
  });
  if (lladdr === undefined) c.fail(undefined, l10n.t('expected {0}, found the end of the line', 'lladdr MAC'));
  const peer: Peer = { address, lladdr, dev, silent, upAt, replyDelay, pos: posOf(first) };
  add(b, b.s.peers, peer, fields);
}

function parseJoin(c: Cursor, b: Builder, first: Token): void {
  const { address: group, tok } = c.address(groupProblem);
  c.keyword('dev', ' NAME');
  const devTok = c.devName();
  c.end();
  const j: Join = { group, dev: devTok.text, pos: posOf(first) };
  add(b, b.s.joins, j, { group: posOf(tok), dev: posOf(devTok) });
}

function parseAt(c: Cursor, b: Builder, first: Token): void {
  const atTok = c.peek();
  const at = c.duration();
  const fields: Record<string, Pos> = { at: posOf(atTok as Token) };
  c.keyword('send');
  const pt = c.next();
  let proto: Send['proto'];
  if (pt?.kind === 'word' && pt.text === 'udp') proto = 'udp';
  else if (pt?.kind === 'word' && pt.text === 'icmp') {
    c.keyword('echo', ' (icmp echo)');
    proto = 'icmp';
  } else if (pt?.kind === 'word' && pt.text === 'tcp') {
    c.keyword('syn', ' (tcp syn)');
    proto = 'tcp';
  } else c.fail(pt, l10n.t('expected {0}, found {1}', orList(['udp', 'icmp echo', 'tcp syn']), found(pt)));
  c.keyword('to');

  const dt = c.next();
  let to: string;
  let port = 0;
  if (proto === 'icmp') {
    if (!dt || dt.kind !== 'word') c.fail(dt, l10n.t('expected an IPv4 address, found {0}', found(dt)));
    const colon = dt.text.indexOf(':');
    if (colon >= 0 && parseIpv4(dt.text.slice(0, colon)) !== undefined) {
      c.fail(dt, l10n.t('an icmp echo has no port; expected an IPv4 address, found "{0}"', dt.text), colon);
    }
    to = c.addressIn(dt, dt.text);
  } else {
    const example = l10n.t('an address and port like 192.0.2.2:9000');
    if (!dt || dt.kind !== 'word') c.fail(dt, l10n.t('expected {0}, found {1}', example, found(dt)));
    const colon = dt.text.lastIndexOf(':');
    const addrText = colon < 0 ? dt.text : dt.text.slice(0, colon);
    to = c.addressIn(dt, addrText);
    if (colon < 0) c.fail(dt, l10n.t('expected {0}, found {1}', example, `"${dt.text}"`));
    port = portIn(c, dt, dt.text.slice(colon + 1), colon + 1);
  }

  let from: string | undefined;
  let fromPort: number | undefined;
  let size = defaultSize(proto);
  let df: PmtuDisc = DEFAULTS.df;
  let ttl: number | undefined;
  let tos: number | undefined;
  let mark: number | undefined;
  let count: number = DEFAULTS.count;
  let every: number = DEFAULTS.every;
  let socket: string | undefined;
  let connected = false;
  let broadcast = false;
  let bindDev: string | undefined;
  let multicastIf: string | undefined;
  let multicastTtl: number | undefined;
  let multicastLoop: boolean | undefined;
  let recverr = false;
  let ipOptions: ('ra' | 'rr')[] | undefined;
  let gso: number | undefined;
  c.options(SEND_OPTIONS, (w, tok) => {
    const field = w.replace(/-(\w)/g, (_, ch: string) => ch.toUpperCase());
    fields[field] = posOf(SEND_FLAGS.has(w) ? tok : c.peek() ?? tok);
    switch (w) {
      case 'from': {
        const ft = c.next();
        if (!ft || ft.kind !== 'word') c.fail(ft, l10n.t('expected an IPv4 address, found {0}', found(ft)));
        const colon = ft.text.indexOf(':');
        from = c.addressIn(ft, colon < 0 ? ft.text : ft.text.slice(0, colon));
        if (colon >= 0) {
          if (proto === 'icmp') c.fail(ft, l10n.t('an icmp echo has no port; expected an IPv4 address, found "{0}"', ft.text), colon);
          fromPort = portIn(c, ft, ft.text.slice(colon + 1), colon + 1);
        }
        break;
      }
      case 'size': {
        size = c.int('size', LIMITS.size);
        const p = sendSizeProblem(proto, size);
        if (p) c.fail(c.last(), p);
        break;
      }
      case 'df':
        df = c.oneOf(l10n.t('a df mode'), PMTU_MODES);
        break;
      case 'ttl':
        ttl = c.int('ttl', LIMITS.ttl);
        break;
      case 'tos':
        tos = c.int('tos', LIMITS.tos, true);
        break;
      case 'mark':
        mark = c.int('mark', LIMITS.mark, true);
        break;
      case 'count':
        count = c.int('count', LIMITS.count);
        break;
      case 'every':
        every = c.duration();
        break;
      case 'socket': {
        const st = c.word(l10n.t('a socket name'));
        const p = socketNameProblem(st.text);
        if (p) c.fail(st, p);
        socket = st.text;
        break;
      }
      case 'connected':
        connected = true;
        break;
      case 'broadcast':
        broadcast = true;
        break;
      case 'bind-dev':
        bindDev = c.devName().text;
        break;
      case 'multicast-if':
        multicastIf = c.address().address;
        break;
      case 'multicast-ttl':
        multicastTtl = c.int('multicast-ttl', LIMITS.ttl);
        break;
      case 'multicast-loop':
        multicastLoop = c.oneOf(l10n.t('a value for {0}', 'multicast-loop'), ['on', 'off'] as const) === 'on';
        break;
      case 'recverr':
        recverr = true;
        break;
      case 'ip-options': {
        const lt = c.next();
        if (!lt || lt.kind !== 'word') c.fail(lt, l10n.t('expected a list of ra and rr like ra,rr, found {0}', found(lt)));
        const list: ('ra' | 'rr')[] = [];
        let off = 0;
        for (const part of lt.text.split(',')) {
          if (part !== 'ra' && part !== 'rr') c.fail(lt, l10n.t('expected {0}, found {1}', orList(['ra', 'rr']), `"${part}"`), off);
          if (list.includes(part)) c.fail(lt, l10n.t('the ip option {0} is given twice', part), off);
          list.push(part);
          off += part.length + 1;
        }
        ipOptions = list;
        break;
      }
      case 'gso':
        gso = c.int('gso', LIMITS.gso);
        if (proto !== 'udp') c.fail(c.last(), gsoProblem(proto));
        break;
    }
  });
  // orderKeys leaves out the options not given.
  const send = orderKeys<Send>({
    at, proto, to, port, from, fromPort, size, df, ttl, tos, mark, count, every, socket, connected, broadcast,
    bindDev, multicastIf, multicastTtl, multicastLoop, recverr, ipOptions, gso, pos: posOf(first),
  }, SEND_ORDER);
  add(b, b.s.sends, send, fields);
}

function portIn(c: Cursor, tok: Token, text: string, offset: number): number {
  const [min, max] = LIMITS.port;
  const v = parseIntText(text);
  if (v === undefined) c.fail(tok, l10n.t('expected a port {0}..{1}, found {2}', min, max, `"${text}"`), offset);
  const p = rangeProblem('port', v, min, max, text);
  if (p) c.fail(tok, p, offset);
  return Number(v);
}

function parseRun(c: Cursor, b: Builder, first: Token): void {
  if (b.runLine !== undefined) c.fail(first, l10n.t('run is given twice (line {0})', b.runLine));
  const run = c.duration();
  c.end();
  b.s.run = run;
  b.runLine = first.line;
}

const PARSERS: Record<StatementWord, (c: Cursor, b: Builder, first: Token) => void> = {
  kernel: parseKernel,
  link: parseLink,
  addr: parseAddr,
  route: parseRoute,
  rule: parseRule,
  neigh: parseNeigh,
  sysctl: parseSysctl,
  nft: parseNft,
  peer: parsePeer,
  join: parseJoin,
  at: parseAt,
  run: parseRun,
};

function parseLine(ln: LexedLine, b: Builder): void {
  const c = new Cursor(ln);
  const first = c.next() as Token;
  if (first.kind === 'word' && first.text === 'send') {
    c.fail(first, l10n.t('expected at DURATION before send, like: {0}', 'at 0ms send udp to 192.0.2.2:9000'));
  }
  if (first.kind !== 'word' || !(STATEMENTS as readonly string[]).includes(first.text)) {
    c.fail(first, unknownWord(first, STATEMENTS));
  }
  PARSERS[first.text as StatementWord](c, b, first);
}

/** Edit distance, to guess which statement a misspelled first word meant. */
function distance(a: string, b: string): number {
  // At least the difference in length: a long word is far from every statement, at no cost.
  if (Math.abs(a.length - b.length) > 2) return Math.abs(a.length - b.length);
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** Remembers which kind of item a failed line would have made, so that cascades stay quiet. */
function noteFailed(ln: LexedLine, ctx: CheckContext): void {
  const w = ln.tokens[0]?.value ?? '';
  const kind = KIND_OF.get(w);
  if (kind) {
    ctx.failed.add(kind);
    return;
  }
  if ((STATEMENTS as readonly string[]).includes(w)) return;
  // A misspelled statement word: it may have been meant as any nearby statement.
  for (const [word, k] of KIND_OF) if (distance(w, word) <= 2) ctx.failed.add(k);
}

// ---------------------------------------------------------------------------------------------
// Entry points

/**
 * Parses a scenario and reports every problem found (one per line at most, then the checks
 * between items), sorted by position. `scenario` is present only when there is no error.
 */
export function parseScenarioAll(text: string, file = '<input>'): { scenario?: Scenario; errors: ScenarioError[] } {
  const ctx = newContext(file, 'text');
  const s: Scenario = file === '<input>' ? emptyScenario() : { file, ...emptyScenario() };
  const b: Builder = { s, ctx };
  const long = textTooLong(text);
  if (long) return { errors: [new ScenarioError(file, 1, 1, long)] };
  for (const ln of lex(text)) {
    if (ln.problem) {
      ctx.errors.push(new ScenarioError(file, ln.line, ln.problem.col, ln.problem.problem));
      noteFailed(ln, ctx);
      continue;
    }
    try {
      parseLine(ln, b);
    } catch (e) {
      if (!(e instanceof LineFail)) throw e;
      ctx.errors.push(new ScenarioError(file, ln.line, e.col, e.problem));
      noteFailed(ln, ctx);
    }
  }
  checkSemantics(s, ctx);
  checkLimits(s, ctx);
  const errors = sortErrors(ctx.errors);
  return errors.length ? { errors } : { scenario: s, errors };
}

/**
 * Parses a scenario; throws the first ScenarioError (by position) when there is any, so a
 * scenario with an error never runs half-way.
 */
export function parseScenario(text: string, file = '<input>'): Scenario {
  const r = parseScenarioAll(text, file);
  if (!r.scenario) throw r.errors[0];
  return r.scenario;
}

// ---------------------------------------------------------------------------------------------
// Writing a scenario back as text

/**
 * The scenario as .kpath text: one statement per line, options only where they differ from the
 * defaults. Parsing the result gives the same scenario (positions and nft `text` aside).
 */
export function formatScenario(s: Scenario): string {
  const out: string[] = [`kernel ${s.kernel}`];
  s.links.forEach((l, i) => {
    let t = `link add ${l.name}`;
    const parent = l.type === 'vlan' ? s.links.slice(0, i).find((p) => p.name === l.parent) : undefined;
    if (l.type === 'vlan') t += ` link ${l.parent} type vlan id ${l.vlanId}`;
    else if (l.type !== DEFAULTS.linkType) t += ` type ${l.type}`;
    if (l.mtu !== (parent?.mtu ?? DEFAULTS.mtu)) t += ` mtu ${l.mtu}`;
    if (l.address !== (parent?.address ?? defaultMac(i))) t += ` address ${l.address}`;
    if (l.qdisc !== defaultQdisc(l.type)) t += ` qdisc ${l.qdisc}`;
    if (l.txqueuelen !== DEFAULTS.txqueuelen) t += ` txqueuelen ${l.txqueuelen}`;
    if (l.offload) t += ' offload on';
    if (!l.up) t += ' down';
    out.push(t);
  });
  for (const a of s.addrs) out.push(`addr add ${a.address}/${a.prefix} dev ${a.dev}`);
  for (const r of s.routes) {
    let t = `route add ${r.prefix === 0 && r.dst === '0.0.0.0' ? 'default' : `${r.dst}/${r.prefix}`}`;
    if (r.via !== undefined) t += ` via ${r.via}`;
    if (r.dev !== undefined) t += ` dev ${r.dev}`;
    if (r.mtu !== undefined) t += ` mtu ${r.mtu}`;
    if (r.src !== undefined) t += ` src ${r.src}`;
    if (r.table !== undefined && r.table !== TABLE_MAIN) t += ` table ${r.table}`;
    out.push(t);
  }
  for (const r of s.rules) {
    let t = 'rule add';
    if (r.priority !== undefined) t += ` priority ${r.priority}`;
    if (r.fwmark !== undefined) t += ` fwmark ${hex(r.fwmark)}${r.fwmask !== undefined && r.fwmask !== 0xffffffff ? `/${hex(r.fwmask)}` : ''}`;
    if (r.from) t += ` from ${r.from.address}/${r.from.prefix}`;
    if (r.to) t += ` to ${r.to.address}/${r.to.prefix}`;
    if (r.oif !== undefined) t += ` oif ${r.oif}`;
    t += ` lookup ${r.table === TABLE_MAIN ? 'main' : r.table}`;
    out.push(t);
  }
  for (const n of s.neighs) {
    out.push(`neigh add ${n.address} lladdr ${n.lladdr} dev ${n.dev}${n.nud !== DEFAULTS.nud ? ` nud ${n.nud}` : ''}`);
  }
  for (const sc of s.sysctls) out.push(`sysctl ${sc.key}=${sc.value}`);
  for (const r of s.nft) out.push(`nft add rule ip ${formatNftRule(r)}`);
  for (const p of s.peers) {
    let t = `peer ${p.address} lladdr ${p.lladdr}`;
    if (p.dev) t += ` dev ${p.dev}`;
    if (p.silent) t += ' silent';
    if (p.upAt) t += ` up-at ${formatDuration(p.upAt)}`;
    if (p.replyDelay) t += ` reply-delay ${formatDuration(p.replyDelay)}`;
    out.push(t);
  }
  for (const j of s.joins) out.push(`join ${j.group} dev ${j.dev}`);
  for (const x of s.sends) {
    let t = `at ${formatDuration(x.at)} send `;
    t += x.proto === 'udp' ? `udp to ${x.to}:${x.port}` : x.proto === 'icmp' ? `icmp echo to ${x.to}` : `tcp syn to ${x.to}:${x.port}`;
    if (x.from !== undefined) t += ` from ${x.from}${x.fromPort !== undefined ? `:${x.fromPort}` : ''}`;
    if (x.size !== defaultSize(x.proto)) t += ` size ${x.size}`;
    if (x.df !== DEFAULTS.df) t += ` df ${x.df}`;
    if (x.ttl !== undefined) t += ` ttl ${x.ttl}`;
    if (x.tos !== undefined) t += ` tos 0x${x.tos.toString(16).padStart(2, '0')}`;
    if (x.mark !== undefined) t += ` mark ${x.mark}`;
    if (x.count !== DEFAULTS.count) t += ` count ${x.count}`;
    if (x.every !== DEFAULTS.every) t += ` every ${formatDuration(x.every)}`;
    if (x.socket !== undefined) t += ` socket ${x.socket}`;
    if (x.connected) t += ' connected';
    if (x.broadcast) t += ' broadcast';
    if (x.bindDev !== undefined) t += ` bind-dev ${x.bindDev}`;
    if (x.multicastIf !== undefined) t += ` multicast-if ${x.multicastIf}`;
    if (x.multicastTtl !== undefined) t += ` multicast-ttl ${x.multicastTtl}`;
    if (x.multicastLoop !== undefined) t += ` multicast-loop ${x.multicastLoop ? 'on' : 'off'}`;
    if (x.recverr) t += ' recverr';
    if (x.ipOptions?.length) t += ` ip-options ${x.ipOptions.join(',')}`;
    if (x.gso !== undefined) t += ` gso ${x.gso}`;
    out.push(t);
  }
  if (s.run !== undefined) out.push(`run ${formatDuration(s.run)}`);
  return out.join('\n') + '\n';
}

/** A mark as `ip rule` prints it: 0x hex. */
function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

// Names used by the docs and the editor's completion.
export { dscpName, DSCP_NAMES };
