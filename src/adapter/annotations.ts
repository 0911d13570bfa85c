// kpath/annotations: what the editor shows on a C file the debugger uses (a model listing, or a
// file of the user's Linux tree): each modeled function's lines with its summary and explanation,
// and each step-point line with what it decides, in the session's language. The explanations come
// from src/model/listing/notes (read on the first request: dist/notes.js beside the adapter's
// bundle); the lines from the listing, or from the tree's mapping.
// listingAnnotations also works with no session at all (the extension calls it on a listing file
// opened by itself, through dist/dap-core.js).

import path = require('node:path');
import type { KernelProfile } from '../model/scenario/types';
import { listingFile, listingPathFor, renderedListing } from '../model/listing';
import type * as Notes from '../model/listing/notes';
import type { NoteLanguage } from '../model/listing/notes';
import { MODELED_FUNCTIONS } from '../model/kernel/functions';
import { isUnmapped } from '../source/types';
import { conditionText } from '../source/map';
import { cacheDir } from '../io/files';
import { language } from '../l10n';
import type { KernelSourceView } from './kernel-source';
import type { RequestContext } from './requests';
import * as l10n from '@vscode/l10n';

/** A modeled function in the file. */
export interface AnnotatedFunction {
  name: string;
  /** The real function the lines belong to, when it is not `name` (a function the model folds in). */
  in?: string;
  /** 1-based first line (the signature) and last line (the closing brace). */
  line: number;
  end: number;
  summary: string;
  text: string;
}

/** A step point on a line. */
export interface AnnotatedStep {
  line: number;
  fn: string;
  step: string;
  text: string;
  /** The case of a per-case step point the line is for: `nud_state == "DELAY"`. */
  when?: string;
}

export interface Annotations {
  /** The file as asked for. */
  path: string;
  kind: 'listing' | 'source';
  profile: KernelProfile;
  /** The kernel path of the file (net/ipv4/ip_output.c). */
  kernelPath: string;
  language: NoteLanguage;
  functions: AnnotatedFunction[];
  steps: AnnotatedStep[];
  /** The tree's mapping is still being computed: ask again later. */
  pending?: boolean;
}

const PROFILES: readonly KernelProfile[] = ['6.18', '4.9'];

/** The language of the explanations for a kpath language (src/l10n). */
export function noteLanguage(lang: string = language()): NoteLanguage {
  return /^zh/i.test(lang) ? 'zh' : 'en';
}

/**
 * The annotations of a model listing file: one under `root`/PROFILE/ (kpath's listings folder,
 * ~/.cache/kpath/listings by default). Null for any other file.
 */
export function listingAnnotations(file: string, lang: NoteLanguage, root = path.join(cacheDir(), 'listings')): Annotations | null {
  const rel = path.relative(root, path.resolve(file));
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const [profile, ...rest] = rel.split(path.sep);
  if (!PROFILES.includes(profile as KernelProfile)) return null;
  const kernelPath = rest.join('/');
  const p = profile as KernelProfile;
  const lf = listingFile(kernelPath);
  const r = renderedListing(p, kernelPath);
  if (!lf || !r) return null;
  const functions: AnnotatedFunction[] = [];
  for (const f of lf.functions) {
    const line = r.lines.get(`${f.name}:enter`);
    const end = r.lines.get(`${f.name}:leave`);
    if (line === undefined || end === undefined) continue;
    functions.push({ name: f.name, line, end, ...describe(f.name, p, lang) });
  }
  const steps: AnnotatedStep[] = [];
  for (const [line, list] of [...r.steps].sort(([a], [b]) => a - b)) {
    for (const s of list) steps.push({ line, ...s, text: stepText(s.fn, s.step, p, lang) });
  }
  return { path: file, kind: 'listing', profile: p, kernelPath, language: lang, functions, steps };
}

/** The annotations of a file of the user's Linux tree, from its mapping. Null when the tree is not usable or the file is outside it. */
export function sourceAnnotations(view: KernelSourceView, file: string, lang: NoteLanguage): Annotations | null {
  if (!view.covers(file) || view.problem) return null;
  const map = view.map;
  const kernelPath = path.relative(view.root, path.resolve(file)).split(path.sep).join('/');
  const base = { path: file, kind: 'source' as const, profile: view.profile, kernelPath, language: lang };
  if (!map) return { ...base, functions: [], steps: [], pending: true };
  const functions: AnnotatedFunction[] = [];
  for (const m of MODELED_FUNCTIONS) {
    if (!m.profiles.includes(view.profile)) continue;
    const f = map.function(m.name);
    if (!f || isUnmapped(f)) continue;
    for (const d of f.defs) {
      if (d.path !== kernelPath) continue;
      functions.push({ name: m.name, ...(d.name !== m.name ? { in: d.name } : {}), line: d.line, end: d.close, ...describe(m.name, view.profile, lang) });
    }
  }
  functions.sort((a, b) => a.line - b.line);
  const steps: AnnotatedStep[] = [];
  for (const { line, steps: at } of map.stepLines(kernelPath)) {
    for (const s of at) {
      steps.push({ line, fn: s.fn, step: s.step, text: stepText(s.fn, s.step, view.profile, lang), ...(s.when ? { when: conditionText(s.when) } : {}) });
    }
  }
  return { ...base, functions, steps };
}

let notes: typeof Notes | undefined;
/** The explanations, loaded when first asked for (a debug session that shows none never reads them). */
function explanations(): typeof Notes {
  return (notes ??= require('../model/listing/notes') as typeof Notes);
}

function notesOf(fn: string): Notes.FunctionNotes | undefined {
  const path = listingPathFor(fn);
  return path ? explanations().functionNotes(path, fn) : undefined;
}

function describe(fn: string, profile: KernelProfile, lang: NoteLanguage): { summary: string; text: string } {
  const n = notesOf(fn);
  const { noteText } = explanations();
  return { summary: n ? noteText(n.summary, profile, lang) : fn, text: n ? noteText(n.text, profile, lang) : '' };
}

function stepText(fn: string, step: string, profile: KernelProfile, lang: NoteLanguage): string {
  const n = notesOf(fn)?.steps[step];
  return n ? explanations().noteText(n, profile, lang) : '';
}

/** kpath/annotations {path}: the annotations of a model listing or of a file of the session's Linux tree; {functions: []} for other files. */
export function annotationsRequest(ctx: RequestContext, args: { path?: unknown }): Annotations | { path: string; functions: []; steps: [] } {
  if (typeof args.path !== 'string' || !args.path) throw new Error(l10n.t('kpath/annotations: path must be the path of a file'));
  const lang = noteLanguage();
  const src = ctx.kernelSource;
  if (src?.covers(args.path)) {
    const a = sourceAnnotations(src, args.path, lang);
    if (a) return a;
  }
  const root = ctx.listings ? path.dirname(ctx.listings.root) : undefined;
  return listingAnnotations(args.path, lang, root) ?? { path: args.path, functions: [], steps: [] };
}
