// What the tutorial panel shows, worked out from the lessons, the progress and the live session:
// plain data in the display language, which the webview renders as text. The words come from the
// extension (vscode.l10n), so that this stays free of VS Code and can be tested.

import type { Lesson, Lang } from './lesson';
import type { Progress } from './progress';
import { current, lessonProgress, verdictOf, isFinished, doneCount, knobsAt } from './progress';
import { showValue, sameAnswer } from './judge';
import type { ModelValue } from './judge';
import type { Question } from './lesson';

/** The panel's words, already translated. */
export interface PanelStrings {
  labels: Record<'lessons' | 'back' | 'next' | 'reset' | 'submit' | 'answerPlaceholder' | 'evidence' | 'target' | 'openScenario', string>;
  stepOf(n: number, total: number): string;
  progress(done: number, total: number): string;
  waiting: string;
  waitingAnswer: string;
  reached: string;
  lessonDone: string;
  yourAnswer(given: string): string;
  correct(value: string): string;
  wrong(value: string): string;
  cannotEvaluate(message: string): string;
  knob(change: string): string;
  noLessons: string;
  session: {
    none: string;
    other: string;
    mismatch: string;
    running: string;
    stopped(where: string): string;
    start: string;
    rerun: string;
  };
}

/** The live debug session, as far as the panel cares. */
export interface SessionState {
  /** none: no kpath session; other: another scenario; mismatch: this scenario with other knobs. */
  kind: 'none' | 'other' | 'mismatch' | 'running' | 'stopped';
  /** Where the model is stopped (a trace line). */
  where?: string;
}

export interface LessonItem {
  id: string;
  title: string;
  progress: string;
  current: boolean;
  finished: boolean;
  /** Why the lesson cannot be opened (a malformed file). */
  problem?: string;
}

export interface PanelView {
  lang: Lang;
  labels: PanelStrings['labels'];
  lessons: LessonItem[];
  lesson?: {
    id: string;
    title: string;
    about?: string;
    stepLabel: string;
    text: string;
    hint?: string;
    target?: string;
    status?: { kind: 'waiting' | 'reached' | 'done' | 'finished'; text: string };
    question?: {
      ask: string;
      /** What each choice answers (sent back when chosen) and how it reads in the display language. */
      choices?: { value: string; label: string }[];
      answer?: string;
      canAnswer: boolean;
      verdict?: { kind: 'correct' | 'wrong' | 'error'; text: string };
      evidence: string[];
    };
    knob?: string;
    canBack: boolean;
    canNext: boolean;
  };
  session: { kind: SessionState['kind']; text: string; action?: { kind: 'start'; label: string } };
}

/** A lesson that could not be read, for the list. */
export interface BrokenLesson {
  id: string;
  problem: string;
}

export function buildView(lessons: readonly Lesson[], broken: readonly BrokenLesson[], p: Progress, session: SessionState, lang: Lang, s: PanelStrings): PanelView {
  const items: LessonItem[] = lessons.map((l) => {
    const lp = lessonProgress(p, l.id);
    return { id: l.id, title: l.title[lang], progress: s.progress(doneCount(l, lp), l.steps.length), current: l.id === p.lesson, finished: isFinished(l, lp) };
  });
  for (const b of broken) items.push({ id: b.id, title: b.id, progress: '', current: false, finished: false, problem: b.problem });
  items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const view: PanelView = { lang, labels: s.labels, lessons: items, session: sessionLine(session, s) };
  const c = current(p, lessons);
  if (!c) {
    if (!lessons.length) view.session = { kind: session.kind, text: s.noLessons };
    return view;
  }
  const { lesson, lp, step } = c;
  const sp = lp.steps[String(step.index)];
  const finished = isFinished(lesson, lp) && step.index === lesson.steps.length - 1;
  let status: NonNullable<PanelView['lesson']>['status'];
  if (finished) status = { kind: 'finished', text: s.lessonDone };
  else if (sp?.done) status = { kind: 'done', text: s.reached };
  else if (step.target && !sp?.observation) status = { kind: 'waiting', text: s.waiting };
  else if (step.target) status = { kind: 'reached', text: s.reached };
  let question: NonNullable<PanelView['lesson']>['question'];
  if (step.question) {
    const v = verdictOf(sp);
    const obs = sp?.observation;
    let verdict: { kind: 'correct' | 'wrong' | 'error'; text: string } | undefined;
    if (v === 'error') verdict = { kind: 'error', text: s.cannotEvaluate(obs?.error ?? '') };
    else if (v && obs && obs.value !== undefined) {
      const value = labelOf(step.question, obs.value, lang);
      verdict = { kind: v, text: v === 'correct' ? s.correct(value) : s.wrong(value) };
    }
    const labels = step.question.choiceLabels?.[lang];
    question = {
      ask: step.question.ask[lang],
      choices: step.question.choices?.map((value, i) => ({ value, label: labels?.[i] ?? value })),
      answer: sp?.answer,
      canAnswer: v === undefined,
      verdict,
      evidence: v !== undefined && obs ? obs.evidence : [],
    };
    if (sp?.answer !== undefined && !v && !finished) status = { kind: 'waiting', text: s.waitingAnswer };
  }
  const knobs = knobsAt(lesson, step.index);
  view.lesson = {
    id: lesson.id,
    title: lesson.title[lang],
    about: lesson.about?.[lang],
    stepLabel: s.stepOf(step.index + 1, lesson.steps.length),
    text: step.text[lang],
    hint: step.hint?.[lang],
    target: step.target?.text,
    status,
    question,
    knob: step.knob ? s.knob(step.knob.text) : undefined,
    canBack: step.index > 0,
    // On the last step, Next completes a step that has nothing to wait for, and so the lesson.
    canNext: step.index < lesson.steps.length - 1 || !finished,
  };
  if (session.kind === 'none' || session.kind === 'other' || session.kind === 'mismatch') {
    view.session.action = { kind: 'start', label: knobs.length ? s.session.rerun : s.session.start };
  }
  return view;
}

/** The model's value as the learner reads it: the label of the choice it is, in the display language. */
function labelOf(q: Question, value: ModelValue, lang: Lang): string {
  const i = q.choices?.findIndex((c) => sameAnswer(c, value)) ?? -1;
  const labels = q.choiceLabels?.[lang];
  return i >= 0 && labels ? labels[i] : showValue(value);
}

function sessionLine(session: SessionState, s: PanelStrings): PanelView['session'] {
  switch (session.kind) {
    case 'none':
      return { kind: 'none', text: s.session.none };
    case 'other':
      return { kind: 'other', text: s.session.other };
    case 'mismatch':
      return { kind: 'mismatch', text: s.session.mismatch };
    case 'running':
      return { kind: 'running', text: s.session.running };
    case 'stopped':
      return { kind: 'stopped', text: s.session.stopped(session.where ?? '') };
  }
}
