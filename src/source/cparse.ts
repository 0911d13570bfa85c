// Finding functions in real Linux C files with tree-sitter's C grammar (web-tree-sitter), and
// describing their statements as plain data for the anchors to match (match.ts). A cheap scan of
// the text first finds where each wanted function may be defined (kernel style: the name at the
// start of a line, the body closed by a `}` in column 0); only those regions are parsed, so a
// 300 KB file costs a few small parses. A region the parser does not confirm is looked for again
// in a parse of the whole file.

import fs = require('node:fs');
import path = require('node:path');
import type { Parser as TsParser, Tree as TsTree } from 'web-tree-sitter';
// Imported from @vscode/l10n itself so that npm run l10n finds the strings; src/l10n sets its language.
import * as l10n from '@vscode/l10n';

/** One statement of a function body, as the anchors see it. */
export interface CStatement {
  /** 1-based line where the statement starts. */
  line: number;
  /** tree-sitter's node type: expression_statement, declaration, return_statement, if_statement, ... */
  kind: string;
  /** Its own text, comments removed and white space collapsed: for if/while/for/switch, the condition. */
  text: string;
  /** What it assigns: `x = v`, `T x = v`, `WRITE_ONCE(x, v)`. */
  assigns: { target: string; value: string }[];
  /** The calls in its own text: the callee as written (`neigh_output`, `n->output`) and the arguments. */
  calls: { callee: string; args: string[] }[];
  /** The conditions of the blocks it sits in (then-branches and loop bodies), outermost first. */
  within: string[];
}

/** A function definition found in a file. */
export interface CFunction {
  name: string;
  /** 1-based lines: of its name, of the body's opening and closing braces. */
  line: number;
  open: number;
  close: number;
  statements: CStatement[];
  /** The parser had to recover from something it did not understand (a macro) inside it. */
  errors: boolean;
  /** It sits in a preprocessor branch that a kernel with the options on does not build (`#else` of `#ifdef CONFIG_X`). */
  disabled: boolean;
}

let parserPromise: Promise<TsParser> | null = null;

/** The grammar files: beside the bundle (dist/), else in node_modules (tests run from out/). */
function wasmFile(file: string, pkg: string): string {
  const candidates = [path.join(__dirname, file), path.join(__dirname, '..', '..', '..', 'node_modules', pkg, file), path.join(process.cwd(), 'node_modules', pkg, file)];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error(l10n.t('{0} not found (looked in {1})', file, candidates.join(', ')));
}

/** The C parser, loaded once per thread. */
export function cParser(): Promise<TsParser> {
  parserPromise ??= (async () => {
    // Loaded here so that only the code that parses pays for the module.
    const { Parser, Language } = require('web-tree-sitter') as typeof import('web-tree-sitter');
    const runtime = wasmFile('tree-sitter.wasm', 'web-tree-sitter');
    await Parser.init({ locateFile: () => runtime });
    const lang = await Language.load(fs.readFileSync(wasmFile('tree-sitter-c.wasm', 'tree-sitter-c')));
    const p = new Parser();
    p.setLanguage(lang);
    return p;
  })();
  return parserPromise;
}

/** The definitions of `names` in a C file's text, by name (a name defined nowhere is absent). */
export function findFunctions(parser: TsParser, text: string, names: readonly string[]): Map<string, CFunction[]> {
  const lines = text.split('\n');
  const branches = preprocessorState(lines);
  const out = new Map<string, CFunction[]>();
  let whole: Map<string, CFunction[]> | null = null;
  for (const name of names) {
    const found: CFunction[] = [];
    let unsure = false;
    for (const r of candidateRegions(lines, name)) {
      const fns = parseRegion(parser, lines, r.start, r.end).filter((f) => f.name === name);
      const f = fns.find((x) => x.line - 1 === r.nameLine && x.close - 1 === r.end);
      if (f) found.push({ ...f, disabled: branches[r.nameLine] });
      else unsure = true;
    }
    if (unsure) {
      whole ??= parseRegion(parser, lines, 0, lines.length - 1).reduce((m, f) => m.set(f.name, [...(m.get(f.name) ?? []), { ...f, disabled: branches[f.line - 1] }]), new Map<string, CFunction[]>());
      const all = whole.get(name) ?? [];
      for (const f of all) if (!found.some((x) => x.line === f.line)) found.push(f);
    }
    if (found.length) out.set(name, found.sort((a, b) => a.line - b.line));
  }
  return out;
}

/** Where `name` may be defined: its name at the start of a line, a body opened and closed in column 0. */
function candidateRegions(lines: string[], name: string): { start: number; nameLine: number; end: number }[] {
  const re = new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}\\s*\\(`);
  const out: { start: number; nameLine: number; end: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!l.includes(name) || !/^[A-Za-z_]/.test(l) || !re.test(l)) continue;
    // The return type may be on the lines above: `static struct neighbour *` then the name.
    let start = i;
    while (start > 0 && /^[A-Za-z_]/.test(lines[start - 1]) && !/[;{}]\s*$|\*\/\s*$|,\s*$/.test(lines[start - 1])) start--;
    // The body: a line starting with `{` (or a declarator line ending in `{`) before any `;`.
    let open = -1;
    for (let j = i; j < lines.length && j < i + 40; j++) {
      const t = lines[j].replace(/\/\*.*?\*\//g, '').trimEnd();
      if (/^\{/.test(lines[j]) || (j === i && t.endsWith('{'))) {
        open = j;
        break;
      }
      if (t.endsWith(';') || /^#/.test(lines[j])) break;
    }
    if (open < 0) continue;
    let end = -1;
    for (let j = open + (lines[open].trimEnd().endsWith('}') && open !== i ? 0 : 1); j < lines.length; j++) {
      if (/^\}/.test(lines[j])) {
        end = j;
        break;
      }
    }
    if (end < 0) continue;
    out.push({ start, nameLine: i, end });
    i = end;
  }
  return out;
}

/** For each line (0-based): whether it sits in a branch a kernel with every CONFIG_ option on does not build. */
function preprocessorState(lines: string[]): boolean[] {
  const out = new Array<boolean>(lines.length);
  // Each open #if: whether its current branch is built (true, false, or null for unknown).
  const stack: { cond: boolean | null; taken: boolean | null; built: boolean | null }[] = [];
  const disabled = () => stack.some((s) => s.built === false);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b(.*)$/.exec(lines[i]);
    if (m) {
      const [, dir, rest] = m;
      const arg = rest.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '').trim();
      if (dir === 'ifdef' || dir === 'ifndef' || dir === 'if') {
        let c = dir === 'if' ? configCondition(arg) : /^CONFIG_\w+$/.test(arg) ? true : null;
        if (dir === 'ifndef' && c !== null) c = !c;
        stack.push({ cond: c, taken: c, built: c });
      } else if (dir === 'elif' && stack.length) {
        const top = stack[stack.length - 1];
        const c = configCondition(arg);
        top.built = top.taken === true ? false : c === null || top.taken === null ? null : c;
        if (top.built) top.taken = true;
      } else if (dir === 'else' && stack.length) {
        const top = stack[stack.length - 1];
        top.built = top.taken === null ? null : !top.taken;
      } else if (dir === 'endif') stack.pop();
    }
    out[i] = disabled();
  }
  return out;
}

/** The value of an #if condition made of CONFIG_ tests, with every option on; null when it says more. */
function configCondition(expr: string): boolean | null {
  const e = expr
    .replace(/\b(IS_ENABLED|IS_BUILTIN|IS_REACHABLE)\s*\(\s*CONFIG_\w+\s*\)/g, '1')
    .replace(/\bIS_MODULE\s*\(\s*CONFIG_\w+\s*\)/g, '0')
    .replace(/\bdefined\s*\(\s*CONFIG_\w+\s*\)|\bdefined\s+CONFIG_\w+/g, '1')
    .replace(/\s+/g, '');
  if (e === '0') return false;
  if (!/^[01!&|()]+$/.test(e)) return null;
  // A tiny evaluator for 0, 1, !, &&, || and parentheses.
  let i = 0;
  const or = (): boolean => {
    let v = and();
    while (e.startsWith('||', i)) {
      i += 2;
      v = and() || v;
    }
    return v;
  };
  const and = (): boolean => {
    let v = not();
    while (e.startsWith('&&', i)) {
      i += 2;
      v = not() && v;
    }
    return v;
  };
  const not = (): boolean => {
    if (e[i] === '!') {
      i++;
      return !not();
    }
    if (e[i] === '(') {
      i++;
      const v = or();
      i++;
      return v;
    }
    return e[i++] === '1';
  };
  const v = or();
  return i === e.length ? v : null;
}

/** A node of the syntax tree as plain data (walking web-tree-sitter's own nodes costs a wasm call per step). */
interface LNode {
  type: string;
  /** The field it fills in its parent ('body', 'condition', ...), or null. */
  field: string | null;
  named: boolean;
  start: number;
  end: number;
  row: number;
  endRow: number;
  children: LNode[];
  error: boolean;
}

/** The tree as plain data, in one pass of a cursor. */
function lighten(tree: TsTree): LNode {
  const c = tree.walk();
  const node = (): LNode => ({
    type: c.nodeType,
    field: c.currentFieldName,
    named: c.nodeIsNamed,
    start: c.startIndex,
    end: c.endIndex,
    row: c.startPosition.row,
    endRow: c.endPosition.row,
    children: [],
    error: c.nodeType === 'ERROR' || c.nodeIsMissing,
  });
  const root = node();
  const stack = [root];
  try {
    if (!c.gotoFirstChild()) return root;
    for (;;) {
      const n = node();
      stack[stack.length - 1].children.push(n);
      if (c.gotoFirstChild()) {
        stack.push(n);
        continue;
      }
      while (!c.gotoNextSibling()) {
        if (!c.gotoParent() || stack.length === 1) return root;
        const done = stack.pop()!;
        if (done.children.some((x) => x.error)) done.error = true;
      }
    }
  } finally {
    c.delete();
  }
}

const field = (n: LNode, name: string): LNode | null => n.children.find((c) => c.field === name) ?? null;
const named = (n: LNode): LNode[] => n.children.filter((c) => c.named);

/** The function definitions in lines[start..end] (0-based, inclusive), with file line numbers. */
function parseRegion(parser: TsParser, lines: string[], start: number, end: number): Omit<CFunction, 'disabled'>[] {
  const src = lines.slice(start, end + 1).join('\n');
  const tree = parser.parse(src);
  if (!tree) return [];
  let root: LNode;
  try {
    root = lighten(tree);
  } finally {
    tree.delete();
  }
  const out: Omit<CFunction, 'disabled'>[] = [];
  const text = (n: LNode) => src.slice(n.start, n.end);
  const visit = (n: LNode): void => {
    if (n.type === 'function_definition') {
      const f = describeFunction(n, start, text);
      if (f) out.push(f);
      return;
    }
    for (const c of named(n)) visit(c);
  };
  visit(root);
  return out;
}

type Text = (n: LNode) => string;

function describeFunction(n: LNode, offset: number, text: Text): Omit<CFunction, 'disabled'> | null {
  const body = field(n, 'body');
  const id = declaratorName(field(n, 'declarator'));
  if (!body || !id) return null;
  const statements: CStatement[] = [];
  collectStatements(body, [], statements, offset, text);
  return {
    name: text(id),
    line: id.row + offset + 1,
    open: body.row + offset + 1,
    close: body.endRow + offset + 1,
    statements,
    errors: n.error,
  };
}

/** The identifier a declarator names, through pointers, parentheses and function declarators. */
function declaratorName(d: LNode | null): LNode | null {
  while (d && d.type !== 'identifier') {
    const inner = field(d, 'declarator');
    if (!inner) return named(d).find((c) => c.type === 'identifier') ?? null;
    d = inner;
  }
  return d;
}

const STATEMENTS = new Set([
  'expression_statement', 'declaration', 'return_statement', 'if_statement', 'while_statement', 'for_statement',
  'do_statement', 'switch_statement', 'goto_statement',
]);
const CONDITIONED = new Set(['if_statement', 'while_statement', 'for_statement', 'switch_statement', 'do_statement']);

function collectStatements(n: LNode, within: string[], out: CStatement[], offset: number, text: Text): void {
  for (const c of named(n)) {
    if (STATEMENTS.has(c.type)) {
      const own = ownPart(c);
      out.push({
        line: c.row + offset + 1,
        kind: c.type,
        text: own && own !== c ? unparen(clean(text(own))) : clean(text(c)),
        assigns: own ? assignsIn(own, text) : [],
        calls: own ? callsIn(own, text) : [],
        within,
      });
      if (CONDITIONED.has(c.type)) {
        const condition = field(c, 'condition');
        const cond = condition ? unparen(clean(text(condition))) : '';
        const body = field(c, 'body') ?? field(c, 'consequence');
        if (body) collectStatements(wrap(body), [...within, cond], out, offset, text);
        const alt = field(c, 'alternative');
        if (alt) collectStatements(wrap(alt), within, out, offset, text);
        continue;
      }
    }
    // Blocks, labels, preprocessor branches, case arms and error recovery: look inside.
    collectStatements(c, within, out, offset, text);
  }
}

/** A single statement as a body (`if (x) y;`) is visited like a block holding it. */
function wrap(n: LNode): LNode {
  return STATEMENTS.has(n.type) ? { ...n, type: 'block', children: [n] } : n;
}

/** The part of a statement that is its own: the condition of a conditional, else all of it. */
function ownPart(s: LNode): LNode | null {
  if (s.type === 'if_statement' || s.type === 'while_statement' || s.type === 'switch_statement' || s.type === 'do_statement') return field(s, 'condition');
  return s;
}

function argsOf(call: LNode): LNode[] {
  const a = field(call, 'arguments');
  return a ? named(a).filter((x) => x.type !== 'comment') : [];
}

function assignsIn(n: LNode, text: Text): { target: string; value: string }[] {
  const out: { target: string; value: string }[] = [];
  const visit = (x: LNode): void => {
    if (x.type === 'compound_statement') return;
    if (x.type === 'assignment_expression' && x.children.some((c) => c.field === 'operator' && text(c) === '=')) {
      const l = field(x, 'left');
      const r = field(x, 'right');
      out.push({ target: l ? clean(text(l)) : '', value: r ? clean(text(r)) : '' });
    } else if (x.type === 'init_declarator') {
      const d = declaratorName(field(x, 'declarator'));
      const v = field(x, 'value');
      if (d) out.push({ target: text(d), value: v ? clean(text(v)) : '' });
    } else if (x.type === 'call_expression') {
      const f = field(x, 'function');
      const args = argsOf(x);
      if (f && text(f) === 'WRITE_ONCE' && args.length === 2) out.push({ target: clean(text(args[0])), value: clean(text(args[1])) });
    }
    for (const c of named(x)) visit(c);
  };
  visit(n);
  return out;
}

function callsIn(n: LNode, text: Text): { callee: string; args: string[] }[] {
  const out: { callee: string; args: string[] }[] = [];
  const visit = (x: LNode): void => {
    if (x.type === 'compound_statement') return;
    if (x.type === 'call_expression') {
      const f = field(x, 'function');
      out.push({ callee: f ? clean(text(f)) : '', args: argsOf(x).map((a) => clean(text(a))) });
    }
    for (const c of named(x)) visit(c);
  };
  visit(n);
  return out;
}

/** A condition without the parentheses around it. */
function unparen(s: string): string {
  if (!s.startsWith('(') || !s.endsWith(')')) return s;
  let depth = 0;
  for (let i = 0; i < s.length - 1; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return s;
  }
  return s.slice(1, -1).trim();
}

/** Text without comments, white space collapsed. */
function clean(s: string): string {
  return s.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ').replace(/\s+/g, ' ').trim();
}
