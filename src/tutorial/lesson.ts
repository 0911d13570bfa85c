// The lesson format (.lesson files, docs/lessons.md): a line-based text that names a scenario and
// lists steps, each with its text in English and Chinese and, optionally, a target the model must
// reach, a question whose answer is an expression over the run, and a "what if" knob. This module
// only reads the text; expressions, function names and knobs are checked against the model by
// the checker (src/debugger/lesson-check.ts). It imports only the messages' lookup (@vscode/l10n)
// and the "did you mean" helper, so that the extension can use it.

import * as l10n from '@vscode/l10n';
import { didYouMean } from '../text/closest';

export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];

/** A text in both languages. */
export interface Text {
  en: string;
  zh: string;
}

/** Where something was written: 1-based line and column in the lesson file. */
export interface Pos {
  line: number;
  col: number;
}

/** An expression in the debugger's evaluate language, with where it starts in the file. */
export interface LessonExpr extends Pos {
  text: string;
}

/**
 * What the model must reach before a step completes, in the debugger's terms:
 * - function NAME [when EXPR]: stopped in the modeled function NAME (and EXPR holds there);
 * - return NAME [when EXPR]: stopped where NAME returns, or just after (Step Out);
 * - frame EXPR: a frame on the wire for which EXPR holds (the frame's fields are names in EXPR);
 * - drop REASON: a packet dropped with that reason (SKB_DROP_REASON_* without the prefix);
 * - neigh ADDRESS STATE: the neighbour entry of ADDRESS is in STATE;
 * - when EXPR: EXPR holds at the stop.
 */
export type Target =
  | { kind: 'function' | 'return'; name: string; when?: LessonExpr }
  | { kind: 'frame'; when: LessonExpr }
  | { kind: 'drop'; reason: string }
  | { kind: 'neigh'; address: string; state: string }
  | { kind: 'when'; when: LessonExpr };

/** A target as written, with its place in the file. */
export type StepTarget = Target & Pos & { text: string };

/**
 * A "what if" knob: one value of the scenario changed before the run starts again. The change is
 * written in the scenario's own words: `link veth0 mtu 576`, `send 1 df do`, `sysctl KEY VALUE`,
 * `route 192.0.2.2/32 mtu 1400`, `peer 192.0.2.2 up-at 2s`, `kernel 4.9`.
 */
export interface Knob extends Pos {
  text: string;
  what: 'kernel' | 'link' | 'send' | 'sysctl' | 'route' | 'peer';
  /** The link name, send number, sysctl key, route destination or peer address ('' for kernel). */
  selector: string;
  /** The field, as the scenario language spells it (mtu, df, up-at); '' for kernel and sysctl. */
  field: string;
  value: string;
}

export interface Question {
  ask: Text;
  /**
   * The answers offered, as the answer is compared with the model's (absent for a short answer
   * typed by the learner): the choices written once for both languages, or the English ones.
   */
  choices?: string[];
  /** The choices as each language shows them, when a lesson writes them per language (`choices en` / `choices zh`). */
  choiceLabels?: { en: string[]; zh: string[] };
  /** The correct answer: an expression evaluated where the step's target is reached. */
  answer: LessonExpr;
  /** The answer the lesson states; `kpath tutorial check` fails when the model disagrees. */
  expect?: Pos & { text: string };
}

export interface Step extends Pos {
  /** 0-based. */
  index: number;
  text: Text;
  hint?: Text;
  target?: StepTarget;
  question?: Question;
  knob?: Knob;
}

export interface Lesson {
  /** The file's name without .lesson (lessons are listed in the order of their ids). */
  id: string;
  file: string;
  title: Text;
  about?: Text;
  /** The scenario's path as written (relative to the lesson file). */
  scenario: Pos & { path: string };
  steps: Step[];
}

export class LessonError extends Error {
  constructor(readonly file: string, readonly line: number, readonly col: number, readonly problem: string) {
    super(`${file}:${line}:${col}: ${problem}`);
    this.name = 'LessonError';
  }
}

export const NEIGH_STATES = ['NONE', 'INCOMPLETE', 'REACHABLE', 'STALE', 'DELAY', 'PROBE', 'FAILED', 'NOARP', 'PERMANENT'];
const TARGET_KINDS = ['function', 'return', 'frame', 'drop', 'neigh', 'when'];
const KNOB_KINDS = ['kernel', 'link', 'send', 'sysctl', 'route', 'peer'];
const HEADER_KEYS = ['title', 'about', 'scenario'];
const STEP_KEYS = ['en', 'zh', 'hint', 'target', 'ask', 'choices', 'answer', 'expect', 'knob'];
const ALL_KEYS = [...HEADER_KEYS, 'step', ...STEP_KEYS];

/** Parses a lesson; throws the first LessonError. */
export function parseLesson(text: string, file: string): Lesson {
  const r = parseLessonAll(text, file);
  if (!r.lesson) throw r.errors[0];
  return r.lesson;
}

/** Parses a lesson and returns every error found (a lesson only when there is none). */
export function parseLessonAll(text: string, file: string): { lesson?: Lesson; errors: LessonError[] } {
  return new Reader(text, file).read();
}

/** The file name's base without .lesson: the lesson's id. */
export function lessonId(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.lesson$/, '');
}

interface Line {
  n: number;
  key: string;
  keyCol: number;
  /** The rest after the key (and the language, for keys that take one). */
  value: string;
  valueCol: number;
  lang?: Lang;
}

/** Text being gathered for a key: consecutive lines join with a space; an empty line starts a paragraph. */
interface Gathering {
  key: string;
  lang?: Lang;
  lines: string[];
  lastLine: number;
}

interface StepDraft {
  line: number;
  col: number;
  texts: Partial<Record<string, Partial<Record<Lang, { value: string; line: number }>>>>;
  target?: StepTarget;
  choices?: Pos & { items: string[] };
  /** `choices en` / `choices zh`: the same choices in each language. */
  choicesIn: Partial<Record<Lang, Pos & { items: string[] }>>;
  answer?: LessonExpr;
  expect?: Pos & { text: string };
  knob?: Knob;
  seen: Map<string, number>;
}

class Reader {
  private readonly errors: LessonError[] = [];
  private readonly header: Partial<Record<string, Partial<Record<Lang, { value: string; line: number }>>>> = {};
  private scenario: (Pos & { path: string }) | undefined;
  /** A scenario line was written (maybe with a problem of its own). */
  private scenarioLine = 0;
  private readonly steps: StepDraft[] = [];
  private gathering: Gathering | null = null;

  constructor(private readonly text: string, private readonly file: string) {}

  private error(line: number, col: number, problem: string): void {
    this.errors.push(new LessonError(this.file, line, col, problem));
  }

  read(): { lesson?: Lesson; errors: LessonError[] } {
    const lines = this.text.replace(/^\uFEFF/, '').split(/\r?\n/);
    lines.forEach((raw, i) => this.line(raw, i + 1));
    const lesson = this.finish(lines.length);
    this.errors.sort((a, b) => a.line - b.line || a.col - b.col);
    return this.errors.length ? { errors: this.errors } : { lesson, errors: [] };
  }

  private line(raw: string, n: number): void {
    const text = stripComment(raw);
    const m = /^(\s*)(\S+)/.exec(text);
    if (!m) {
      // A blank line ends the text being gathered.
      this.gathering = null;
      return;
    }
    const key = m[2];
    const keyCol = m[1].length + 1;
    let rest = text.slice(m[0].length);
    let restCol = m[0].length + 1;
    const skip = (): void => {
      const sp = /^\s*/.exec(rest)![0].length;
      rest = rest.slice(sp);
      restCol += sp;
    };
    skip();
    if (!ALL_KEYS.includes(key)) {
      this.error(n, keyCol, l10n.t('unknown word "{0}"; {1}expected one of: {2}', key, didYouMean(key, ALL_KEYS), ALL_KEYS.join(', ')));
      return;
    }
    const line: Line = { n, key, keyCol, value: rest.trimEnd(), valueCol: restCol };
    if (key === 'title' || key === 'about' || key === 'ask' || key === 'hint') {
      const lm = /^(\S+)/.exec(rest);
      if (!lm || !LANGS.includes(lm[1] as Lang)) {
        this.error(n, restCol, lm ? l10n.t('expected en or zh after {0}, found "{1}"', key, lm[1]) : l10n.t('expected en or zh after {0}, found the end of the line', key));
        return;
      }
      line.lang = lm[1] as Lang;
      rest = rest.slice(lm[1].length);
      restCol += lm[1].length;
      skip();
      line.value = rest.trimEnd();
      line.valueCol = restCol;
    } else if (key === 'en' || key === 'zh') {
      line.lang = key;
    } else if (key === 'choices') {
      // `choices A | B` for both languages, or `choices en ...` and `choices zh ...`.
      const lm = /^(en|zh)(\s+|$)/.exec(rest);
      if (lm) {
        line.lang = lm[1] as Lang;
        rest = rest.slice(lm[0].length);
        restCol += lm[0].length;
        line.value = rest.trimEnd();
        line.valueCol = restCol;
      }
    }
    this.handle(line);
  }

  private handle(l: Line): void {
    const step = this.steps[this.steps.length - 1];
    if (l.key === 'step') {
      this.gathering = null;
      if (l.value) this.error(l.n, l.valueCol, l10n.t('"step" stands alone on its line, found "{0}"', l.value));
      this.steps.push({ line: l.n, col: l.keyCol, texts: {}, choicesIn: {}, seen: new Map() });
      return;
    }
    if (HEADER_KEYS.includes(l.key)) {
      if (step) {
        this.error(l.n, l.keyCol, l10n.t('{0} belongs before the first step (line {1})', l.key, this.steps[0].line));
        return;
      }
      if (l.key === 'scenario') {
        this.gathering = null;
        const first = this.scenarioLine;
        this.scenarioLine ||= l.n;
        if (first) this.error(l.n, l.keyCol, l10n.t('scenario is given twice (line {0})', first));
        else if (!l.value) this.error(l.n, l.valueCol, l10n.t('scenario needs a .kpath file, e.g. {0}', 'scenario three-frames.kpath'));
        else if (!/\.kpath$/.test(l.value)) this.error(l.n, l.valueCol, l10n.t('the scenario must be a .kpath file, found "{0}"', l.value));
        else this.scenario = { path: l.value, line: l.n, col: l.valueCol };
        return;
      }
      this.gather(this.header, l);
      return;
    }
    if (!step) {
      this.error(l.n, l.keyCol, l10n.t('{0} belongs in a step (write "step" on a line of its own first)', l.key));
      return;
    }
    if (l.key === 'en' || l.key === 'zh' || l.key === 'ask' || l.key === 'hint') {
      this.gather(step.texts, l);
      return;
    }
    this.gathering = null;
    const seenKey = l.lang ? `${l.key} ${l.lang}` : l.key;
    const first = step.seen.get(seenKey);
    if (first !== undefined) {
      this.error(l.n, l.keyCol, l10n.t('{0} is given twice in this step (line {1})', seenKey, first));
      return;
    }
    step.seen.set(seenKey, l.n);
    if (!l.value) {
      this.error(l.n, l.valueCol, l10n.t('{0} needs a value', l.key));
      return;
    }
    switch (l.key) {
      case 'target': {
        const t = parseTarget(l.value, l.n, l.valueCol);
        if (typeof t === 'string') this.error(l.n, l.valueCol, t);
        else step.target = t;
        break;
      }
      case 'answer':
        step.answer = { text: l.value, line: l.n, col: l.valueCol };
        break;
      case 'expect':
        step.expect = { text: l.value, line: l.n, col: l.valueCol };
        break;
      case 'choices': {
        const items = l.value.split('|').map((x) => x.trim());
        if (items.some((x) => !x)) this.error(l.n, l.valueCol, l10n.t('choices are separated by "|" and none may be empty'));
        else if (items.length < 2) this.error(l.n, l.valueCol, l10n.t('a multiple choice needs at least two choices, separated by "|"'));
        else if (l.lang) step.choicesIn[l.lang] = { items, line: l.n, col: l.valueCol };
        else step.choices = { items, line: l.n, col: l.valueCol };
        break;
      }
      case 'knob': {
        const k = parseKnob(l.value, l.n, l.valueCol);
        if (typeof k === 'string') this.error(l.n, l.valueCol, k);
        else step.knob = k;
        break;
      }
    }
  }

  /** Adds a text line to `into[key][lang]`, joining it to the lines just before it with the same key. */
  private gather(into: Partial<Record<string, Partial<Record<Lang, { value: string; line: number }>>>>, l: Line): void {
    const lang = l.lang!;
    const g = this.gathering;
    const slot = (into[l.key] ??= {});
    if (g && g.key === l.key && g.lang === lang && g.lastLine === l.n - 1) {
      g.lastLine = l.n;
      const cur = slot[lang]!;
      cur.value = l.value === '' ? `${cur.value}\n` : cur.value.endsWith('\n') || cur.value === '' ? cur.value + l.value : `${cur.value} ${l.value}`;
      return;
    }
    if (slot[lang]) {
      this.error(l.n, l.keyCol, l10n.t('{0} is given twice here (line {1}); write its lines one after the other', l.key === lang ? l.key : `${l.key} ${lang}`, slot[lang]!.line));
      return;
    }
    slot[lang] = { value: l.value, line: l.n };
    this.gathering = { key: l.key, lang, lines: [l.value], lastLine: l.n };
  }

  private finish(lineCount: number): Lesson | undefined {
    const end = Math.max(1, lineCount);
    const text = (t: Partial<Record<Lang, { value: string; line: number }>> | undefined, what: string, line: number, col: number, required: boolean): Text | undefined => {
      if (!t) {
        if (required) this.error(line, col, l10n.t('{0} is missing (one line in English and one in Chinese)', what));
        return undefined;
      }
      for (const lang of LANGS) {
        if (!t[lang] || !t[lang]!.value.trim()) {
          const other = LANGS.find((x) => t[x]);
          const missing = lang === 'en' ? l10n.t('{0} has no English text ({1})', what, `${what} en ...`) : l10n.t('{0} has no Chinese text ({1})', what, `${what} zh ...`);
          this.error(other ? t[other]!.line : line, other ? 1 : col, missing);
          return undefined;
        }
      }
      return { en: t.en!.value.trim(), zh: t.zh!.value.trim() };
    };
    const title = text(this.header.title, 'title', 1, 1, true);
    const about = text(this.header.about, 'about', 1, 1, false);
    if (!this.scenarioLine) this.error(1, 1, l10n.t('the lesson names no scenario ({0})', 'scenario FILE.kpath'));
    if (!this.steps.length) this.error(end, 1, l10n.t('the lesson has no steps (a line "step", then its text in en and zh)'));
    const steps: Step[] = this.steps.map((d, index) => {
      const stepText = this.stepText(d);
      const hint = text(d.texts.hint, 'hint', d.line, d.col, false);
      const ask = text(d.texts.ask, 'ask', d.line, d.col, false);
      const q = this.question(d, ask);
      return { index, line: d.line, col: d.col, text: stepText ?? { en: '', zh: '' }, hint, target: d.target, question: q, knob: d.knob };
    });
    if (!title || !this.scenario || !steps.length) return undefined;
    return { id: lessonId(this.file), file: this.file, title, about, scenario: this.scenario, steps };
  }

  private stepText(d: StepDraft): Text | undefined {
    const en = d.texts.en?.en;
    const zh = d.texts.zh?.zh;
    if (!en || !en.value.trim()) this.error(d.line, d.col, l10n.t('this step has no English text (a line "en ...")'));
    if (!zh || !zh.value.trim()) this.error(d.line, d.col, l10n.t('this step has no Chinese text (a line "zh ...")'));
    return en && zh ? { en: en.value.trim(), zh: zh.value.trim() } : undefined;
  }

  /** The choices of a step (canonical, English) and their labels per language, checked for consistency. */
  private choicesOf(d: StepDraft): { items?: string[]; labels?: { en: string[]; zh: string[] }; line: number } | undefined {
    const { en, zh } = d.choicesIn;
    if (!en && !zh) return d.choices ? { items: d.choices.items, line: d.choices.line } : undefined;
    const some = (en ?? zh)!;
    if (d.choices) this.error(some.line, 1, l10n.t('choices are given for both languages (line {0}) and per language; write one or the other', d.choices.line));
    else if (!en || !zh) this.error(some.line, 1, l10n.t('{0} needs its other language: a line "{1} ..." with as many choices', en ? 'choices en' : 'choices zh', en ? 'choices zh' : 'choices en'));
    else if (en.items.length !== zh.items.length) this.error(zh.line, zh.col, l10n.t('choices zh has {0} choices, choices en {1} (line {2})', zh.items.length, en.items.length, en.line));
    else return { items: en.items, labels: { en: en.items, zh: zh.items }, line: en.line };
    return { line: some.line };
  }

  private question(d: StepDraft, ask: Text | undefined): Question | undefined {
    const askLine = d.texts.ask?.en?.line ?? d.texts.ask?.zh?.line;
    const choices = this.choicesOf(d);
    if (d.texts.ask && !d.answer) this.error(askLine!, 1, l10n.t('a question needs its answer: a line "answer EXPR" (an expression over the run, e.g. frames.count)'));
    if (d.answer && !d.texts.ask) this.error(d.answer.line, 1, l10n.t('answer without a question: add "ask en ..." and "ask zh ..."'));
    if (choices && !d.texts.ask) this.error(choices.line, 1, l10n.t('choices without a question: add "ask en ..." and "ask zh ..."'));
    if (d.expect && !d.answer) this.error(d.expect.line, 1, l10n.t('expect without an answer: add "answer EXPR"'));
    const items = choices?.items;
    if (d.expect && items && !items.some((c) => normalizeAnswer(c) === normalizeAnswer(d.expect!.text))) {
      this.error(d.expect.line, d.expect.col, l10n.t('the expected answer "{0}" is not among the choices ({1})', d.expect.text, items.join(' | ')));
    }
    if (!ask || !d.answer) return undefined;
    return { ask, choices: items, choiceLabels: choices?.labels, answer: d.answer, expect: d.expect };
  }
}

/** Text before a `#` comment (none inside a step's text: `#` starts a comment only at a word's start). */
function stripComment(line: string): string {
  const m = /(^|\s)#/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Parses a target (the text after `target`); returns a problem as a string. */
export function parseTarget(text: string, line = 1, col = 1): StepTarget | string {
  const written = text.trim();
  const m = /^(\S+)\s*(.*)$/.exec(written);
  if (!m) return l10n.t('expected a target: one of {0}', TARGET_KINDS.join(', '));
  const [, kind, rest] = m;
  // `text` starts at `col` (the reader passes the value without its leading spaces).
  const restCol = col + written.length - rest.length;
  const expr = (t: string, c: number): LessonExpr => ({ text: t, line, col: c });
  const base = { line, col, text: written };
  switch (kind) {
    case 'function':
    case 'return': {
      const f = /^(\S+)\s*(.*)$/.exec(rest);
      if (!f || !IDENT.test(f[1])) return l10n.t('expected a function name after {0}, e.g. "{1}"', kind, `${kind} ip_finish_output2`);
      const w = /^when(?:\s+(.*))?$/.exec(f[2]);
      if (f[2] && !w) return l10n.t('after the function name only "when EXPR" may follow');
      const whenText = w?.[1]?.trim();
      if (w && !whenText) return l10n.t('expected an expression after "when"');
      return { ...base, kind, name: f[1], when: whenText ? expr(whenText, col + written.length - whenText.length) : undefined };
    }
    case 'frame':
    case 'when':
      if (!rest.trim()) return l10n.t('expected an expression after {0}, e.g. "{1}"', kind, kind === 'frame' ? 'frame arp.op == 2' : 'when frames.count == 3');
      return { ...base, kind, when: expr(rest.trim(), restCol) };
    case 'drop':
      if (!/^[A-Z][A-Z0-9_]*$/.test(rest.trim())) return l10n.t('expected a drop reason after drop, as the kernel names it without {0} (e.g. "{1}")', 'SKB_DROP_REASON_', 'drop NEIGH_QUEUEFULL');
      return { ...base, kind, reason: rest.trim() };
    case 'neigh': {
      const n = /^(\S+)\s+(\S+)$/.exec(rest.trim());
      if (!n || !IPV4.test(n[1])) return l10n.t('expected an IPv4 address and a state after neigh, e.g. "{0}"', 'neigh 192.0.2.2 REACHABLE');
      if (!NEIGH_STATES.includes(n[2])) return l10n.t('unknown neighbour state "{0}"; expected one of: {1}', n[2], NEIGH_STATES.join(', '));
      return { ...base, kind, address: n[1], state: n[2] };
    }
    default: {
      return l10n.t('unknown target "{0}"; {1}expected one of: {2}', kind, didYouMean(kind, TARGET_KINDS), TARGET_KINDS.join(', '));
    }
  }
}

/** Parses a knob (the text after `knob`); returns a problem as a string. */
export function parseKnob(text: string, line = 1, col = 1): Knob | string {
  const words = text.trim().split(/\s+/);
  const base = { line, col, text: text.trim() };
  const what = words[0] as Knob['what'];
  switch (what) {
    case 'kernel':
      if (words.length !== 2) return l10n.t('expected "{0}" or "{1}"', 'knob kernel 6.18', 'knob kernel 4.9');
      return { ...base, what, selector: '', field: '', value: words[1] };
    case 'sysctl': {
      const joined = words.slice(1).join(' ').replace(/\s*=\s*/, ' ');
      const s = /^(\S+)\s+(\S+)$/.exec(joined);
      if (!s) return l10n.t('expected "{0}", e.g. "{1}"', 'knob sysctl KEY VALUE', 'knob sysctl net.ipv4.neigh.veth0.unres_qlen_bytes 4096');
      return { ...base, what, selector: s[1], field: '', value: s[2] };
    }
    case 'link':
    case 'send':
    case 'route':
    case 'peer':
      if (words.length !== 4) return l10n.t('expected "{0}": what, which one, the field and its new value', `knob ${what} ${KNOB_EXAMPLES[what]}`);
      if (what === 'send' && !/^[1-9]\d*$/.test(words[1])) return l10n.t('sends are numbered from 1 in file order, found "{0}"', words[1]);
      return { ...base, what, selector: words[1], field: words[2], value: words[3] };
    default: {
      return l10n.t('unknown knob "{0}"; {1}expected one of: {2}', words[0] ?? '', didYouMean(words[0] ?? '', KNOB_KINDS), KNOB_KINDS.join(', '));
    }
  }
}

const KNOB_EXAMPLES: Record<string, string> = {
  link: 'veth0 mtu 576',
  send: '1 df do',
  route: '192.0.2.2/32 mtu 1400',
  peer: '192.0.2.2 up-at 2s',
};

/** An answer as written, made comparable: trimmed, unquoted, lower case, inner spaces collapsed. */
export function normalizeAnswer(s: string): string {
  let t = s.trim();
  if (t.length >= 2 && ((t[0] === '"' && t.endsWith('"')) || (t[0] === "'" && t.endsWith("'")))) t = t.slice(1, -1).trim();
  return t.replace(/\s+/g, ' ').toLowerCase();
}
