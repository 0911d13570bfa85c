// The tutorial panel's state machine: which lesson and step the learner is on, what the model
// showed at each step (its target reached, the answer's value and evidence), and the learner's
// answers. Pure: actions in, a new state out, JSON that the extension saves per workspace. The
// extension feeds it the live session's observations (kpath/lessonStep at each stop) and the
// learner's clicks; a step with a target and no question moves on by itself when reached.

import type { Lesson, Step, Knob } from './lesson';
import { sameAnswer } from './judge';
import type { ModelValue } from './judge';

/** What the model showed for a step, at the stop where its target was reached (or its question judged). */
export interface Observation {
  /** The answer's value there (steps with a question). */
  value?: ModelValue;
  /** How the debugger shows that value. */
  display?: string;
  /** Why the answer could not be evaluated there. */
  error?: string;
  /** What shows it: where the model is, then the frames, calls and counters the answer reads. */
  evidence: string[];
  /** Where the model was, as a trace line. */
  where: string;
}

export interface StepProgress {
  /** The model's observation, once the step's target was reached (or its question judged). */
  observation?: Observation;
  /** The learner's answer, once given. */
  answer?: string;
  /** The step is complete. */
  done?: boolean;
}

export interface LessonProgress {
  /** The current step (0-based). */
  step: number;
  steps: Record<string, StepProgress>;
}

export interface Progress {
  version: 1;
  /** The lesson open in the panel. */
  lesson: string | null;
  lessons: Record<string, LessonProgress>;
}

export type Action =
  | { type: 'open'; lesson: string }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'reset' }
  | { type: 'answer'; given: string }
  /** The live session showed something for a step: reached its target (with the answer's value). */
  | { type: 'observed'; lesson: string; step: number; observation: Observation };

export const EMPTY_PROGRESS: Progress = { version: 1, lesson: null, lessons: {} };

/** A saved state, or a fresh one when it is missing or not ours. */
export function restore(saved: unknown): Progress {
  const p = saved as Progress | undefined;
  if (!p || typeof p !== 'object' || p.version !== 1 || typeof p.lessons !== 'object' || p.lessons === null) return EMPTY_PROGRESS;
  return p;
}

export type Verdict = 'correct' | 'wrong' | 'error';

/** The verdict on a step's question, once both the learner's answer and the model's value are in. */
export function verdictOf(sp: StepProgress | undefined): Verdict | undefined {
  if (!sp || sp.answer === undefined || !sp.observation) return undefined;
  if (sp.observation.error !== undefined || sp.observation.value === undefined) return 'error';
  return sameAnswer(sp.answer, sp.observation.value) ? 'correct' : 'wrong';
}

/** The progress of a lesson (a fresh one when it has none). */
export function lessonProgress(p: Progress, id: string): LessonProgress {
  return p.lessons[id] ?? { step: 0, steps: {} };
}

/** The lesson open, and its progress. */
export function current(p: Progress, lessons: readonly Lesson[]): { lesson: Lesson; lp: LessonProgress; step: Step } | undefined {
  const lesson = lessons.find((l) => l.id === p.lesson);
  if (!lesson) return undefined;
  const lp = lessonProgress(p, lesson.id);
  const step = lesson.steps[Math.min(lp.step, lesson.steps.length - 1)];
  return { lesson, lp, step };
}

/** Is the lesson finished (its last step complete)? */
export function isFinished(lesson: Lesson, lp: LessonProgress): boolean {
  return !!lp.steps[String(lesson.steps.length - 1)]?.done;
}

/** The steps completed, for the lesson list. */
export function doneCount(lesson: Lesson, lp: LessonProgress): number {
  return lesson.steps.filter((s) => lp.steps[String(s.index)]?.done).length;
}

/** The knobs in effect at a step: those of the steps up to it, in order. */
export function knobsAt(lesson: Lesson, step: number): Knob[] {
  return lesson.steps.slice(0, step + 1).flatMap((s) => (s.knob ? [s.knob] : []));
}

/**
 * What the panel must ask the live session at each stop for the current step: its target (with
 * the answer, so the value is the one where the target is reached), or, for a question without a
 * target that the learner has answered, the answer at the current stop. Undefined: nothing to ask.
 */
export function pendingQuery(p: Progress, lessons: readonly Lesson[]): { lesson: string; step: number; target?: string; answer?: string } | undefined {
  const c = current(p, lessons);
  if (!c) return undefined;
  const { lesson, lp, step } = c;
  const sp = lp.steps[String(step.index)];
  if (sp?.observation) return undefined;
  if (step.target) return { lesson: lesson.id, step: step.index, target: step.target.text, answer: step.question?.answer.text };
  if (step.question && sp?.answer !== undefined) return { lesson: lesson.id, step: step.index, answer: step.question.answer.text };
  return undefined;
}

/** Applies an action; returns the new state (the old one is not changed). */
export function reduce(p: Progress, a: Action, lessons: readonly Lesson[]): Progress {
  if (a.type === 'open') {
    if (!lessons.some((l) => l.id === a.lesson)) return p;
    return { ...p, lesson: a.lesson };
  }
  const c = current(p, lessons);
  if (!c) return p;
  const { lesson, lp, step } = c;
  const key = String(step.index);
  const sp = lp.steps[key] ?? {};
  const put = (next: LessonProgress): Progress => ({ ...p, lessons: { ...p.lessons, [lesson.id]: next } });
  const last = lesson.steps.length - 1;
  switch (a.type) {
    case 'reset':
      return put({ step: 0, steps: {} });
    case 'back':
      return step.index > 0 ? put({ ...lp, step: step.index - 1 }) : p;
    case 'next': {
      // A step with nothing to wait for is complete when the learner moves on.
      const plain = !step.target && !step.question;
      const steps = plain && !sp.done ? { ...lp.steps, [key]: { ...sp, done: true } } : lp.steps;
      return put({ ...lp, step: Math.min(last, step.index + 1), steps });
    }
    case 'answer': {
      if (!step.question || verdictOf(sp) !== undefined) return p;
      const given = a.given.trim();
      if (!given) return p;
      const next: StepProgress = { ...sp, answer: given };
      next.done = !!next.observation;
      return put({ ...lp, steps: { ...lp.steps, [key]: next } });
    }
    case 'observed': {
      if (a.lesson !== lesson.id || a.step !== step.index || sp.observation) return p;
      if (!step.target && !(step.question && sp.answer !== undefined)) return p;
      const next: StepProgress = { ...sp, observation: a.observation };
      if (step.question) {
        next.done = next.answer !== undefined;
        return put({ ...lp, steps: { ...lp.steps, [key]: next } });
      }
      // A target without a question: the step is complete, and the lesson moves on by itself.
      next.done = true;
      return put({ ...lp, step: Math.min(last, step.index + 1), steps: { ...lp.steps, [key]: next } });
    }
  }
}
