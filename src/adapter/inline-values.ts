// kpath/inlineValues: the values to show at the end of source lines while stopped (`mtu = 1500`,
// `skb->len = 128`, `nexthop = 192.0.2.2`). The editor sends the text of the lines it shows of
// the stopped function; each name and member chain on them (`dev->mtu`, `ip_hdr(skb)->daddr`) is
// evaluated in the frame's environment, as a watch expression would be.

import { evaluate, formatValue } from '../debugger/expr';
import type { ExprEnv, Value } from '../debugger/expr';
import type { RequestContext } from './requests';
import { selectedFrame, stoppedAt } from './skb';
import * as l10n from '@vscode/l10n';

export interface InlineValue {
  /** 1-based line, as given. */
  line: number;
  /** 0-based column where the expression starts. */
  column: number;
  /** `expression = value`. */
  text: string;
}

/** At most this many lines per request, and characters per line. */
const MAX_LINES = 1000;
const MAX_TEXT = 2000;
/** At most this many values per line. */
const PER_LINE = 6;

/** A name, or a call of one name on one name (`ip_hdr(skb)`), then `->field` / `.field` any number of times. */
const CHAIN = /[A-Za-z_]\w*(?:\s*\(\s*[A-Za-z_]\w*\s*\))?(?:\s*(?:->|\.)\s*[A-Za-z_]\w*)*/g;
const KEYWORDS = new Set([
  'if', 'else', 'while', 'for', 'do', 'switch', 'case', 'default', 'return', 'goto', 'break', 'continue', 'sizeof',
  'struct', 'union', 'enum', 'const', 'static', 'inline', 'unsigned', 'signed', 'int', 'long', 'short', 'char', 'bool',
  'void', 'u8', 'u16', 'u32', 'u64', '__be16', '__be32', '__sum16', '__wsum', 'size_t', 'netdev_features_t', 'true', 'false', 'NULL',
]);

/** A declaration's type, at the start of a line: `struct net_device *`, `unsigned int`, `u32`. */
const DECLARATION = /^\s*(?:const\s+|static\s+)*(?:struct\s+\w+|unsigned\s+\w+|int|long|bool|u8|u16|u32|u64|__be16|__be32|__sum16|__wsum|size_t|netdev_features_t)\b/;

/** The line without its comments and string literals (blanked, so columns stay). */
function code(text: string): string {
  return text
    .replace(/\/\*.*?\*\//g, (m) => ' '.repeat(m.length))
    .replace(/\/\*.*$/, (m) => ' '.repeat(m.length))
    .replace(/\/\/.*$/, (m) => ' '.repeat(m.length))
    .replace(/"(?:[^"\\]|\\.)*"/g, (m) => ' '.repeat(m.length));
}

/** The values worth showing on one line. */
export function lineValues(text: string, env: ExprEnv, signature = false): { column: number; text: string }[] {
  const c = code(text.slice(0, MAX_TEXT));
  const out: { column: number; text: string }[] = [];
  const seen = new Set<string>();
  const functions = new Set(env.functions?.() ?? []);
  for (const m of c.matchAll(CHAIN)) {
    if (out.length >= PER_LINE) break;
    const expr = m[0].replace(/\s+/g, '');
    const start = m.index;
    const root = /^[A-Za-z_]\w*/.exec(expr)![0];
    const after = c.slice(start + m[0].length).trimStart();
    const call = expr.startsWith(root + '(');
    const member = /->|\./.test(expr.slice(call ? expr.indexOf(')') : root.length));
    if (KEYWORDS.has(root) || /^[A-Z][A-Z0-9_]*$/.test(root)) continue;
    // A function called here (ip_fragment(...)), unless it is one the expressions know.
    if (!member && !call && after.startsWith('(')) continue;
    if (call && !functions.has(root)) continue;
    if (!call && env.lookup(root) === undefined) continue;
    // A field of the chain's end, written after it (`skb->len` then `(`): a call through a pointer.
    if (member && after.startsWith('(')) continue;
    if (seen.has(expr)) continue;
    seen.add(expr);
    let v: Value;
    try {
      v = evaluate(expr, env);
    } catch {
      continue;
    }
    const primitive = v === null || typeof v !== 'object';
    // A pointer's summary only where the line gives the name its value (`dev = rt->dst.dev`, `*neigh;`).
    if (!primitive) {
      if (member || call || signature) continue;
      const assigned = new RegExp(`(^|[^\\w>.])${root}\\s*=[^=]`).test(c);
      const declared = DECLARATION.test(c) && new RegExp(`(^|[\\s*,])${root}\\s*[=;,]`).test(c.replace(DECLARATION, ' '));
      if (!assigned && !declared) continue;
    }
    out.push({ column: start, text: `${expr} = ${show(v)}` });
  }
  return out;
}

function show(v: Value): string {
  const s = formatValue(v);
  return typeof v === 'string' ? v : s;
}

/** kpath/inlineValues {frameId?, lines: [{line, text}], signature?}: the values of the names on those lines, in that frame. */
export function inlineValuesRequest(ctx: RequestContext, args: { frameId?: unknown; lines?: unknown; signature?: unknown }): { values: InlineValue[] } {
  stoppedAt(ctx, 'kpath/inlineValues');
  if (!Array.isArray(args.lines) || args.lines.length > MAX_LINES) throw new Error(l10n.t('kpath/inlineValues: lines must be an array of at most {0} lines', MAX_LINES));
  const lines = args.lines as unknown[];
  for (const l of lines) {
    const x = l as { line?: unknown; text?: unknown };
    if (!x || typeof x !== 'object' || !Number.isInteger(x.line) || typeof x.text !== 'string') throw new Error(l10n.t('kpath/inlineValues: each line needs a line number and its text'));
  }
  const frame = selectedFrame(ctx, 'kpath/inlineValues', args.frameId) ?? 0;
  const env = ctx.runtime!.env(frame);
  const signature = Number.isInteger(args.signature) ? (args.signature as number) : undefined;
  const values: InlineValue[] = [];
  for (const l of lines as { line: number; text: string }[]) {
    for (const v of lineValues(l.text, env, l.line === signature)) values.push({ line: l.line, ...v });
  }
  return { values };
}
