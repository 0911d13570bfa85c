// Checking a lesson against the model with no UI, as `kpath tutorial check` does: first what can
// be checked without running (expressions that parse, modeled functions, knobs that apply), then
// the lesson run through the debugger's runtime as a learner would: stopped on entry, each step's
// knob applied (the run starts again), each target reached in order, each answer evaluated where
// its step's target was reached, and each stated answer compared with the model's.

import * as l10n from '@vscode/l10n';
import type { Lesson, Step, Knob, Target } from '../tutorial/lesson';
import { sameAnswer, showValue } from '../tutorial/judge';
import type { ModelValue } from '../tutorial/judge';
import type { Scenario } from '../model/scenario/types';
import { findFunction } from '../model/kernel/functions';
import { parseExpr, ExprError } from './expr';
import { Runtime } from './runtime';
import { applyKnob, KnobError } from './knob';
import { targetHolds, targetSteps, evaluateAnswer } from './targets';

/** Something wrong with a lesson that needs no run to see, at a line and column of the lesson file. */
export interface LessonProblem {
  line: number;
  col: number;
  problem: string;
}

/** Why a lesson fails against the model, for one step (0-based). */
export type CheckFailure =
  | { step: number; kind: 'ended' }
  | { step: number; kind: 'unreached'; target: string }
  | { step: number; kind: 'answer-error'; answer: string; message: string }
  | { step: number; kind: 'not-a-choice'; value: string; choices: string[] }
  | { step: number; kind: 'mismatch'; expected: string; actual: string };

/** What the run showed at a step: where it stopped and the answer's value. */
export interface StepOutcome {
  step: number;
  reached: boolean;
  value?: ModelValue;
}

export interface LessonReport {
  failures: CheckFailure[];
  outcomes: StepOutcome[];
}

/**
 * The problems of a lesson that need no run: expressions that do not parse, target functions the
 * model does not have (on the kernel profile in effect at that step), knobs that do not apply.
 */
export function lessonProblems(lesson: Lesson, scenario: Scenario): LessonProblem[] {
  const out: LessonProblem[] = [];
  const expr = (e: { text: string; line: number; col: number } | undefined): void => {
    if (!e) return;
    try {
      parseExpr(e.text);
    } catch (err) {
      if (err instanceof ExprError) out.push({ line: e.line, col: e.col + Math.max(0, err.col - 1), problem: err.message });
      else throw err;
    }
  };
  let s = scenario;
  for (const step of lesson.steps) {
    if (step.knob) {
      try {
        s = applyKnob(s, step.knob);
      } catch (e) {
        if (!(e instanceof KnobError)) throw e;
        out.push({ line: step.knob.line, col: step.knob.col, problem: l10n.t('knob "{0}": {1}', step.knob.text, e.message) });
      }
    }
    const t = step.target;
    if (t) {
      if (t.kind === 'function' || t.kind === 'return') {
        const f = findFunction(t.name);
        if (!f) out.push({ line: t.line, col: t.col, problem: l10n.t('{0} is not a modeled function (kpath functions lists them)', t.name) });
        else if (!f.profiles.includes(s.kernel)) out.push({ line: t.line, col: t.col, problem: l10n.t('{0} is not on the {1} path (it runs in {2})', t.name, s.kernel, f.profiles.join(', ')) });
      }
      if ('when' in t) expr(t.when);
    }
    expr(step.question?.answer);
  }
  return out;
}

/** Runs the lesson on the model; call only when lessonProblems found nothing. */
export function checkLesson(lesson: Lesson, scenario: Scenario): LessonReport {
  const failures: CheckFailure[] = [];
  const outcomes: StepOutcome[] = [];
  const knobs: Knob[] = [];
  let rt = started(scenario);
  for (const step of lesson.steps) {
    if (step.knob) {
      knobs.push(step.knob);
      rt = started(knobs.reduce(applyKnob, scenario));
    }
    const outcome: StepOutcome = { step: step.index, reached: true };
    outcomes.push(outcome);
    if (!rt.current) {
      failures.push({ step: step.index, kind: 'ended' });
      break;
    }
    if (step.target && !reach(rt, step.target)) {
      outcome.reached = false;
      failures.push({ step: step.index, kind: 'unreached', target: step.target.text });
      break;
    }
    const f = judgeStep(rt, step, outcome);
    if (f) failures.push(f);
  }
  return { failures, outcomes };
}

function started(s: Scenario): Runtime {
  const rt = new Runtime(s);
  rt.start(true);
  return rt;
}

/** Moves the run to the first stop, from the current one on, where the target holds. */
function reach(rt: Runtime, t: Target): boolean {
  if (rt.current && targetHolds(rt.current, t)) return true;
  return rt.until((stop) => targetHolds(stop, t), targetSteps(t)).stop !== null;
}

function judgeStep(rt: Runtime, step: Step, outcome: StepOutcome): CheckFailure | undefined {
  const q = step.question;
  if (!q) return undefined;
  let value: ModelValue;
  try {
    value = evaluateAnswer(rt.current!, q.answer.text).value;
  } catch (e) {
    return { step: step.index, kind: 'answer-error', answer: q.answer.text, message: e instanceof Error ? e.message : String(e) };
  }
  outcome.value = value;
  if (q.choices && !q.choices.some((c) => sameAnswer(c, value))) return { step: step.index, kind: 'not-a-choice', value: showValue(value), choices: q.choices };
  if (q.expect && !sameAnswer(q.expect.text, value)) return { step: step.index, kind: 'mismatch', expected: q.expect.text, actual: showValue(value) };
  return undefined;
}
