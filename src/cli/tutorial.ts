// `kpath tutorial check [DIR|FILE...]`: every lesson (the bundled ones, or the given files and the
// .lesson files of the given folders) run on the model with no UI. One line per lesson, then
// `N lessons, N passed`. Exit 1 when a lesson fails against the model (its file, step and why),
// 2 when a lesson file is malformed (FILE:LINE:COL) or an argument is wrong.

import fs = require('node:fs');
import path = require('node:path');
import * as l10n from '@vscode/l10n';
import { language } from '../l10n';
import { parseLessonAll, LessonError } from '../tutorial/lesson';
import type { Lesson } from '../tutorial/lesson';
import { parseScenario, ScenarioError } from '../model/scenario/parse';
import type { Scenario } from '../model/scenario/types';
import { lessonProblems, checkLesson } from '../debugger/lesson-check';
import type { CheckFailure } from '../debugger/lesson-check';
import { readArgs, UsageError } from './args';

export function tutorialHelp(): string {
  return l10n.t(`Usage: kpath tutorial check [DIR|FILE.lesson]...

Checks lessons against the model with no UI: each lesson's scenario runs in the debugger's
runtime, stopped on entry; each step's knob is applied (the run starts again), each target is
reached in order, each question's answer expression is evaluated where its step's target was
reached, and each answer a lesson states (expect) must be the model's. Without arguments it
checks the bundled lessons (media/lessons); a folder means its .lesson files, in name order.
The lesson format is documented in docs/lessons.md.

Prints one line per lesson, then "N lessons, N passed".

Exit status: 0 every lesson passed; 1 a lesson fails against the model (the file, the step and
why are printed); 2 a lesson file is malformed (FILE:LINE:COL: problem) or a bad argument.`);
}

/** The bundled lessons: media/lessons beside dist/ (or above out/src/cli when run from the tests' build). */
export function bundledLessonsDir(from = __dirname): string {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'media', 'lessons');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.join(from, '..', 'media', 'lessons');
}

/** The lesson files named by the arguments: files as given, folders by their .lesson files in name order. */
function lessonFiles(args: string[]): string[] {
  const targets = args.length ? args : [bundledLessonsDir()];
  const files: string[] = [];
  for (const t of targets) {
    let st: fs.Stats;
    try {
      st = fs.statSync(t);
    } catch (e) {
      throw new UsageError(l10n.t('cannot read {0}: {1}', t, (e as NodeJS.ErrnoException).code ?? String(e)));
    }
    if (st.isDirectory()) {
      const found = fs.readdirSync(t).filter((f) => f.endsWith('.lesson')).sort().map((f) => path.join(t, f));
      if (!found.length) throw new UsageError(l10n.t('{0} holds no .lesson files', t));
      files.push(...found);
    } else {
      files.push(t);
    }
  }
  return files;
}

interface Loaded {
  file: string;
  lesson?: Lesson;
  scenario?: Scenario;
  /** FILE:LINE:COL: problem lines: the file is malformed. */
  problems: string[];
}

/** Reads a lesson and its scenario, and finds what is wrong without running them. */
export function loadLesson(file: string): Loaded {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { file, problems: [`${file}:1:1: ${l10n.t('cannot read the file ({0})', (e as NodeJS.ErrnoException).code ?? String(e))}`] };
  }
  const parsed = parseLessonAll(text, file);
  if (!parsed.lesson) return { file, problems: parsed.errors.map((e: LessonError) => e.message) };
  const lesson = parsed.lesson;
  const scenarioFile = path.resolve(path.dirname(file), lesson.scenario.path);
  const at = `${file}:${lesson.scenario.line}:${lesson.scenario.col}`;
  let scenario: Scenario;
  try {
    scenario = parseScenario(fs.readFileSync(scenarioFile, 'utf8'), scenarioFile);
  } catch (e) {
    if (e instanceof ScenarioError) return { file, lesson, problems: [`${at}: ${l10n.t('the scenario has an error: {0}', e.message)}`] };
    return { file, lesson, problems: [`${at}: ${l10n.t('cannot read the scenario {0} ({1})', scenarioFile, (e as NodeJS.ErrnoException).code ?? String(e))}`] };
  }
  const problems = lessonProblems(lesson, scenario).map((p) => `${file}:${p.line}:${p.col}: ${p.problem}`);
  return { file, lesson, scenario, problems };
}

/** Why a step fails, in words. */
export function describeFailure(f: CheckFailure): string {
  const step = f.step + 1;
  switch (f.kind) {
    case 'ended':
      return l10n.t('step {0}: the run has ended before this step', step);
    case 'unreached':
      return l10n.t('step {0}: the target "{1}" is never reached', step, f.target);
    case 'answer-error':
      return l10n.t('step {0}: the answer "{1}" cannot be evaluated: {2}', step, f.answer, f.message);
    case 'not-a-choice':
      return l10n.t('step {0}: the model\'s answer {1} is not among the choices ({2})', step, f.value, f.choices.join(' | '));
    case 'mismatch':
      return l10n.t('step {0}: the lesson expects {1}, the model says {2}', step, f.expected, f.actual);
  }
}

export function tutorialCommand(args: string[], write: (s: string) => void, writeErr: (s: string) => void): number {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError(l10n.t('kpath tutorial needs a subcommand: check (see kpath tutorial --help)'));
  if (sub !== 'check') throw new UsageError(l10n.t('unknown subcommand "{0}" (see kpath tutorial --help)', sub));
  const files = lessonFiles(readArgs(rest, {}, 'kpath tutorial --help').operands);
  let passed = 0;
  let malformed = 0;
  let failed = 0;
  for (const file of files) {
    const loaded = loadLesson(file);
    if (loaded.problems.length) {
      malformed++;
      write(`${l10n.t('MALFORMED')} ${file}\n`);
      for (const p of loaded.problems) writeErr(p + '\n');
      continue;
    }
    const lesson = loaded.lesson!;
    const report = checkLesson(lesson, loaded.scenario!);
    if (report.failures.length) {
      failed++;
      write(`${l10n.t('FAIL')} ${file}\n`);
      for (const f of report.failures) {
        const step = lesson.steps[f.step];
        write(`  ${file}:${step.line}:${step.col}: ${describeFailure(f)}\n`);
      }
    } else {
      passed++;
      write(`${l10n.t('PASS')} ${file}  ${language() === 'zh-cn' ? lesson.title.zh : lesson.title.en} (${l10n.t('{0} steps', lesson.steps.length)})\n`);
    }
  }
  write(l10n.t('{0} lessons, {1} passed', files.length, passed) + '\n');
  if (malformed) return 2;
  return failed ? 1 : 0;
}
