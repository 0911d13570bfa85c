// The .kpath editor's help, as plain functions of the text and a position: the problems of a file
// (the parser's own errors, as `kpath run` reports them), the words that fit where the cursor is,
// and the documentation of the word under it. Lines and columns are 1-based, columns in UTF-16
// code units, as the parser counts them.

import { lex, type LexedLine, type Token } from '../model/scenario/lexer';
import { parseScenarioAll } from '../model/scenario/parse';
import { findSysctl, SYSCTLS } from '../model/scenario/sysctl';
import { STATEMENT_WORDS, type OptionDoc, type ValueKind, type WordDoc } from '../model/scenario/words';
import { parseIpv4 } from '../model/wire/addr';
import { language } from '../l10n';
import { analyse, type Slot } from './line';

/** A problem of the file: the parser's message, and the span of the word it points at. */
export interface Problem {
  line: number;
  col: number;
  /** Column just after the span. */
  endCol: number;
  message: string;
}

/** Every problem `kpath run` would report, each spanning the word at its position. */
export function diagnose(text: string, file = '<input>'): Problem[] {
  const { errors } = parseScenarioAll(text, file);
  if (errors.length === 0) return [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  return errors.map((e) => {
    const lineText = lines[e.line - 1] ?? '';
    const [col, endCol] = spanAt(lineText, e.line, e.col);
    return { line: e.line, col, endCol, message: e.problem };
  });
}

/** The span of the word at `col` (from `col` to the end of its token); past the last token, the last token. */
function spanAt(lineText: string, line: number, col: number): [number, number] {
  const tokens = lex(lineText)[0]?.tokens ?? [];
  for (const t of tokens) {
    const end = t.col + t.text.length;
    if (col >= t.col && col < end) return [col, end];
  }
  const last = tokens[tokens.length - 1];
  if (last && col >= last.col + last.text.length) return [last.col, last.col + last.text.length];
  return [col, Math.max(col + 1, lineText.length + 1)];
}

/** A word to offer. */
export interface CompletionItem {
  label: string;
  kind: 'statement' | 'keyword' | 'option' | 'value' | 'device' | 'address' | 'sysctl';
  /** One line: the syntax or the kernel name. */
  detail?: string;
  /** The documentation, in the display language (markdown). */
  documentation?: string;
}

/** What was defined on the lines before `line`: links, the host's addresses, peers and neighbours. */
export interface Defined {
  devices: string[];
  addresses: string[];
  peers: string[];
}

export function definedBefore(lines: readonly LexedLine[], line: number): Defined {
  const d: Defined = { devices: ['lo'], addresses: [], peers: [] };
  for (const ln of lines) {
    if (ln.line >= line) break;
    const [a, b, c] = ln.tokens.map((t) => t.text);
    if (a === 'link' && b === 'add' && c) d.devices.push(c);
    else if (a === 'addr' && b === 'add' && c) d.addresses.push(c.split('/')[0]);
    else if (a === 'peer' && b) d.peers.push(b);
    else if (a === 'neigh' && b === 'add' && c) d.peers.push(c);
  }
  const uniq = (xs: string[]): string[] => [...new Set(xs.filter((x) => x === 'lo' || /^[A-Za-z0-9_.-]+$/.test(x)))];
  return { devices: uniq(d.devices), addresses: uniq(d.addresses.filter((x) => parseIpv4(x) !== undefined)), peers: uniq(d.peers.filter((x) => parseIpv4(x) !== undefined)) };
}

/** The words that fit at (line, col): the slot of the word being typed, or of the next one. */
export function complete(text: string, line: number, col: number): CompletionItem[] {
  const lines = lex(text);
  const lineText = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)[line - 1] ?? '';
  const before = lineText.slice(0, col - 1);
  if (before.includes('#')) return [];
  const tokens = lex(before)[0]?.tokens ?? [];
  // A word touching the cursor is being typed: its slot is the one after the words before it.
  const typing = tokens.length > 0 && !/\s$/.test(before) && tokens[tokens.length - 1].kind !== 'equals';
  const { next } = analyse(typing ? tokens.slice(0, -1) : tokens);
  return itemsFor(next, definedBefore(lines, line));
}

function itemsFor(slot: Slot, defined: Defined): CompletionItem[] {
  const out: CompletionItem[] = [];
  const kindOfWord: CompletionItem['kind'] = slot.option ? 'value' : slot.words === STATEMENT_WORDS ? 'statement' : 'keyword';
  for (const [w, doc] of Object.entries(slot.words ?? {})) out.push(item(w, kindOfWord, doc));
  for (const [w, doc] of Object.entries(slot.options ?? {})) out.push(item(w, 'option', doc));
  out.push(...valueItems(slot.value, slot.option, defined));
  return out;
}

function valueItems(value: Slot['value'], option: string | undefined, d: Defined): CompletionItem[] {
  const items = (labels: string[], kind: CompletionItem['kind']): CompletionItem[] => labels.map((label) => ({ label, kind }));
  switch (value) {
    case 'dev':
      return items(d.devices, 'device');
    case 'addr':
      // A gateway is a peer; a source or an interface address is the host's own.
      return option === 'via' || option === undefined ? items(d.peers, 'address') : items(d.addresses, 'address');
    case 'addr-port':
      return option === 'from' ? items(d.addresses, 'address') : items(d.peers.map((p) => `${p}:9000`), 'address');
    case 'key': {
      const devs = [...d.devices.filter((x) => x !== 'lo'), 'default'];
      return SYSCTLS.flatMap((s) => (s.key.includes('DEV') ? devs.map((dev) => s.key.replace('DEV', dev)) : [s.key])).map((label) => ({
        label,
        kind: 'sysctl' as const,
        detail: `${findSysctl(label)?.spec.min}..${findSysctl(label)?.spec.max}`,
        documentation: sysctlHelp(label),
      }));
    }
    default:
      return [];
  }
}

function item(label: string, kind: CompletionItem['kind'], doc: WordDoc | OptionDoc): CompletionItem {
  const it: CompletionItem = { label, kind, documentation: docText(doc) };
  const detail = doc.syntax ?? doc.kernel;
  if (detail) it.detail = detail;
  return it;
}

/** A word's documentation in the display language. */
export function docText(doc: WordDoc): string {
  return language() === 'zh-cn' ? doc.zh : doc.en;
}

function sysctlHelp(key: string): string | undefined {
  const f = findSysctl(key);
  if (!f) return undefined;
  return language() === 'zh-cn' ? f.spec.zh : f.spec.help;
}

/** The hover of the word at (line, col): markdown, and the span of the word. */
export interface HoverText {
  markdown: string;
  col: number;
  endCol: number;
}

const KIND_WORDS: Record<ValueKind, [string, string]> = {
  int: ['a number', '数值'],
  dev: ['a link name', '链路名'],
  addr: ['an IPv4 address', 'IPv4 地址'],
  'addr-port': ['an address and port like 192.0.2.2:9000', '地址和端口，如 192.0.2.2:9000'],
  mac: ['a MAC address like 02:00:00:00:00:01', 'MAC 地址，如 02:00:00:00:00:01'],
  duration: ['a duration like 10ms (ns, us, ms, s)', '时长，如 10ms（单位 ns、us、ms、s）'],
  name: ['a name', '名称'],
  list: ['a list like ra,rr', '列表，如 ra,rr'],
  enum: ['one of the values', '可选值之一'],
};

export function hover(text: string, line: number, col: number): HoverText | undefined {
  const ln = lex(text).find((l) => l.line === line);
  if (!ln) return undefined;
  const { roles } = analyse(ln.tokens);
  const role = roles.find((r) => col >= r.token.col && col <= r.token.col + r.token.text.length);
  if (!role) return undefined;
  const span = { col: role.token.col, endCol: role.token.col + role.token.text.length };
  const zh = language() === 'zh-cn';
  if (role.statement === 'sysctl' && role.kind === 'value' && findSysctl(role.token.text)) {
    const spec = findSysctl(role.token.text)!.spec;
    return { ...span, markdown: `**${code(spec.key)}** ${spec.min}..${spec.max}\n\n${sysctlHelp(role.token.text)}` };
  }
  if (!role.doc) return undefined;
  const parts = [`**${code(role.token.text)}**`];
  if (role.doc.syntax && role.doc.syntax !== role.token.text) parts.push(` ${code(role.doc.syntax)}`);
  if (role.doc.kernel) parts.push(zh ? ` — 内核：${code(role.doc.kernel)}` : ` — kernel: ${code(role.doc.kernel)}`);
  let md = `${parts.join('')}\n\n${docText(role.doc)}`;
  const takes = (role.doc as OptionDoc).takes;
  if (role.kind === 'option' && takes) {
    const [en, cn] = KIND_WORDS[takes];
    md += zh ? `\n\n后接：${cn}` : `\n\nTakes: ${en}`;
  }
  return { ...span, markdown: md };
}

function code(s: string): string {
  return '`' + s + '`';
}

/** The token at a position of a lexed text (for tests and the editor's word ranges). */
export function tokenAt(text: string, line: number, col: number): Token | undefined {
  return lex(text).find((l) => l.line === line)?.tokens.find((t) => col >= t.col && col < t.col + t.text.length);
}
