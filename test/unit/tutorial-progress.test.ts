// The tutorial panel's state machine (src/tutorial/progress.ts) and what the panel shows from it
// (src/tutorial/view.ts): opening a lesson, steps that move on by themselves when their target is
// reached, predictions judged when the model gets there, questions without a target judged where
// the learner answers, knobs, Next and Back, reset, stale observations, and a saved state restored.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLesson } from '../../src/tutorial/lesson';
import {
  reduce, restore, pendingQuery, verdictOf, knobsAt, lessonProgress, current, EMPTY_PROGRESS, Progress, Action, Observation,
} from '../../src/tutorial/progress';
import { buildView, PanelStrings, SessionState } from '../../src/tutorial/view';

const LESSON = parseLesson(`title en  L
title zh  课
scenario  l.kpath
step
en  Start.
zh  开始。
target  function udp_sendmsg
step
en  Predict.
zh  预测。
ask en  How many?
ask zh  几个？
choices  2 | 3
answer  frames.count
target  return ip_do_fragment
step
en  Here.
zh  这里。
ask en  Length?
ask zh  长度？
answer  skb->len
step
en  Read.
zh  读。
step
en  What if?
zh  假如？
knob  link veth0 mtu 576
target  function ip_output
`, '/l/01-l.lesson');
const OTHER = parseLesson(`title en  O
title zh  其他
scenario  o.kpath
step
en  Only.
zh  只有。
`, '/l/02-o.lesson');
const LESSONS = [LESSON, OTHER];

const run = (p: Progress, ...actions: Action[]): Progress => actions.reduce((s, a) => reduce(s, a, LESSONS), p);
const seen = (step: number, value?: Observation['value'], lesson = '01-l'): Action => ({ type: 'observed', lesson, step, observation: { value, evidence: ['where', 'frames: 3 items'], where: 'where' } });
const opened = run(EMPTY_PROGRESS, { type: 'open', lesson: '01-l' });
const stepOf = (p: Progress): number => lessonProgress(p, '01-l').step;

describe('the tutorial state machine', () => {
  it('opens a lesson at its first step and asks the session for the step\'s target', () => {
    assert.equal(opened.lesson, '01-l');
    assert.equal(stepOf(opened), 0);
    assert.deepEqual(pendingQuery(opened, LESSONS), { lesson: '01-l', step: 0, target: 'function udp_sendmsg', answer: undefined });
    assert.equal(run(EMPTY_PROGRESS, { type: 'open', lesson: 'nope' }), EMPTY_PROGRESS, 'an unknown lesson is not opened');
  });

  it('a step with a target and no question moves on by itself when the target is reached', () => {
    const p = run(opened, seen(0));
    assert.equal(stepOf(p), 1);
    assert.equal(lessonProgress(p, '01-l').steps['0'].done, true);
    assert.deepEqual(pendingQuery(p, LESSONS), { lesson: '01-l', step: 1, target: 'return ip_do_fragment', answer: 'frames.count' });
  });

  it('a prediction is judged when the model reaches the target, and the step waits for Next', () => {
    const p1 = run(opened, seen(0), { type: 'answer', given: '3' });
    assert.equal(verdictOf(lessonProgress(p1, '01-l').steps['1']), undefined, 'no verdict before the model gets there');
    assert.equal(lessonProgress(p1, '01-l').steps['1'].done, false);
    const p2 = run(p1, seen(1, 3));
    assert.equal(verdictOf(lessonProgress(p2, '01-l').steps['1']), 'correct');
    assert.equal(lessonProgress(p2, '01-l').steps['1'].done, true);
    assert.equal(stepOf(p2), 1, 'the learner reads the verdict before moving on');
    assert.equal(pendingQuery(p2, LESSONS), undefined);
    // Once judged, the answer is kept.
    assert.equal(run(p2, { type: 'answer', given: '2' }), p2);
    const wrong = run(opened, seen(0), { type: 'answer', given: '2' }, seen(1, 3));
    assert.equal(verdictOf(lessonProgress(wrong, '01-l').steps['1']), 'wrong');
  });

  it('the model may get there first: the verdict comes with the answer', () => {
    const p = run(opened, seen(0), seen(1, 3));
    assert.equal(lessonProgress(p, '01-l').steps['1'].done, false);
    const q = run(p, { type: 'answer', given: ' 3 ' });
    assert.equal(verdictOf(lessonProgress(q, '01-l').steps['1']), 'correct');
    assert.equal(lessonProgress(q, '01-l').steps['1'].done, true);
  });

  it('a question without a target is judged at the stop where the learner answers', () => {
    const at2 = run(opened, seen(0), seen(1, 3), { type: 'answer', given: '3' }, { type: 'next' });
    assert.equal(stepOf(at2), 2);
    assert.equal(pendingQuery(at2, LESSONS), undefined, 'nothing to ask before the learner answers');
    assert.equal(run(at2, seen(2, 128)), at2, 'an observation before the answer is not taken');
    const answered = run(at2, { type: 'answer', given: '100' });
    assert.deepEqual(pendingQuery(answered, LESSONS), { lesson: '01-l', step: 2, answer: 'skb->len' });
    const judged = run(answered, seen(2, 128));
    assert.equal(verdictOf(lessonProgress(judged, '01-l').steps['2']), 'wrong');
  });

  it('an answer that cannot be evaluated is an error, not a wrong answer', () => {
    const at2 = run(opened, seen(0), { type: 'next' }, { type: 'answer', given: '1' });
    const p = reduce(at2, { type: 'observed', lesson: '01-l', step: 2, observation: { error: 'unknown name "skb"', evidence: [], where: 'w' } }, LESSONS);
    assert.equal(verdictOf(lessonProgress(p, '01-l').steps['2']), 'error');
  });

  it('observations for another step or lesson (answers to an older question) are ignored', () => {
    assert.equal(run(opened, seen(1, 3)), opened);
    assert.equal(run(opened, seen(0, undefined, '02-o')), opened);
    const p = run(opened, seen(0));
    assert.equal(run(p, seen(0)), p, 'a step already reached keeps its first observation');
  });

  it('Next and Back move through the steps; a plain step is complete when the learner moves on', () => {
    let p = run(opened, { type: 'back' });
    assert.equal(p, opened, 'no step before the first');
    p = run(opened, { type: 'next' }, { type: 'next' }, { type: 'next' });
    assert.equal(stepOf(p), 3);
    assert.equal(lessonProgress(p, '01-l').steps['3'], undefined);
    p = run(p, { type: 'next' });
    assert.equal(lessonProgress(p, '01-l').steps['3'].done, true);
    assert.equal(stepOf(p), 4);
    assert.equal(stepOf(run(p, { type: 'next' })), 4, 'no step after the last');
    assert.equal(stepOf(run(p, { type: 'back' })), 3);
    assert.equal(lessonProgress(run(p, { type: 'reset' }), '01-l').step, 0);
    assert.deepEqual(lessonProgress(run(p, { type: 'reset' }), '01-l').steps, {});
  });

  it('the knobs in effect at a step are those of the steps up to it', () => {
    assert.deepEqual(knobsAt(LESSON, 3), []);
    assert.deepEqual(knobsAt(LESSON, 4).map((k) => k.text), ['link veth0 mtu 576']);
  });

  it('each lesson keeps its own progress; the state is plain JSON and restores', () => {
    const p = run(opened, seen(0), { type: 'open', lesson: '02-o' });
    assert.equal(current(p, LESSONS)?.lesson.id, '02-o');
    assert.equal(lessonProgress(p, '02-o').step, 0);
    const back = run(p, { type: 'open', lesson: '01-l' });
    assert.equal(stepOf(back), 1, 'the first lesson is where it was left');
    const saved: unknown = JSON.parse(JSON.stringify(back));
    assert.deepEqual(restore(saved), saved);
    assert.equal(restore(undefined), EMPTY_PROGRESS);
    assert.equal(restore({ version: 2 }), EMPTY_PROGRESS);
  });
});

const STRINGS: PanelStrings = {
  labels: { lessons: 'Lessons', back: 'Back', next: 'Next', reset: 'Reset', submit: 'Answer', answerPlaceholder: 'p', evidence: 'Evidence', target: 'Stop where', openScenario: 'Open' },
  stepOf: (n, t) => `Step ${n} of ${t}`,
  progress: (d, t) => `${d}/${t}`,
  waiting: 'waiting',
  waitingAnswer: 'noted',
  reached: 'reached',
  lessonDone: 'complete',
  yourAnswer: (g) => `yours ${g}`,
  correct: (v) => `right ${v}`,
  wrong: (v) => `wrong ${v}`,
  cannotEvaluate: (m) => `cannot ${m}`,
  knob: (c) => `what if ${c}`,
  noLessons: 'none',
  session: { none: 'no session', other: 'other', mismatch: 'mismatch', running: 'running', stopped: (w) => `stopped at ${w}`, start: 'Debug', rerun: 'Run again' },
};
const STOPPED: SessionState = { kind: 'stopped', where: 'ip_finish_output2' };

describe('the tutorial panel\'s view', () => {
  it('lists the lessons with their progress, and shows the current step in the display language', () => {
    const p = run(opened, seen(0));
    const v = buildView(LESSONS, [{ id: '03-bad', problem: 'x.lesson:1:1: oops' }], p, STOPPED, 'zh', STRINGS);
    assert.deepEqual(v.lessons.map((l) => [l.id, l.title, l.progress, l.current, l.problem]), [
      ['01-l', '课', '1/5', true, undefined], ['02-o', '其他', '0/1', false, undefined], ['03-bad', '03-bad', '', false, 'x.lesson:1:1: oops'],
    ]);
    assert.equal(v.lesson?.stepLabel, 'Step 2 of 5');
    assert.equal(v.lesson?.text, '预测。');
    assert.equal(v.lesson?.target, 'return ip_do_fragment');
    assert.deepEqual(v.lesson?.status, { kind: 'waiting', text: 'waiting' });
    assert.deepEqual(v.lesson?.question, { ask: '几个？', choices: [{ value: '2', label: '2' }, { value: '3', label: '3' }], answer: undefined, canAnswer: true, verdict: undefined, evidence: [] });
    assert.deepEqual(v.session, { kind: 'stopped', text: 'stopped at ip_finish_output2' });
    assert.equal(v.lesson?.canBack, true);
  });

  it('shows the verdict with the model\'s value and the evidence', () => {
    const p = run(opened, seen(0), { type: 'answer', given: '2' }, seen(1, 3));
    const q = buildView(LESSONS, [], p, STOPPED, 'en', STRINGS).lesson?.question;
    assert.deepEqual(q?.verdict, { kind: 'wrong', text: 'wrong 3' });
    assert.deepEqual(q?.evidence, ['where', 'frames: 3 items']);
    assert.equal(q?.canAnswer, false);
    assert.equal(q?.answer, '2');
  });

  it('choices written per language read in the display language, and the verdict names the label', () => {
    const yesNo = parseLesson(`title en  Y\ntitle zh  是\nscenario  y.kpath\nstep\nen  e\nzh  z\nask en  DF?\nask zh  DF？\nchoices en  yes | no\nchoices zh  是 | 否\nanswer  frames[0].ip.DF\n`, '/l/03-y.lesson');
    const p = [{ type: 'open', lesson: '03-y' }, { type: 'answer', given: 'yes' }, seen(0, true, '03-y')].reduce((st, a) => reduce(st, a as Action, [yesNo]), EMPTY_PROGRESS);
    const q = buildView([yesNo], [], p, STOPPED, 'zh', STRINGS).lesson?.question;
    assert.deepEqual(q?.choices, [{ value: 'yes', label: '是' }, { value: 'no', label: '否' }]);
    assert.equal(q?.answer, 'yes', 'the answer is the choice\'s value, whatever the language');
    assert.deepEqual(q?.verdict, { kind: 'correct', text: 'right 是' });
    assert.deepEqual(buildView([yesNo], [], p, STOPPED, 'en', STRINGS).lesson?.question?.verdict, { kind: 'correct', text: 'right yes' });
  });

  it('offers to start the lesson\'s session, and to run again at a knob', () => {
    const v = buildView(LESSONS, [], opened, { kind: 'none' }, 'en', STRINGS);
    assert.deepEqual(v.session, { kind: 'none', text: 'no session', action: { kind: 'start', label: 'Debug' } });
    const atKnob = run(opened, { type: 'next' }, { type: 'next' }, { type: 'next' }, { type: 'next' });
    const k = buildView(LESSONS, [], atKnob, { kind: 'mismatch' }, 'en', STRINGS);
    assert.equal(k.lesson?.knob, 'what if link veth0 mtu 576');
    assert.deepEqual(k.session.action, { kind: 'start', label: 'Run again' });
    assert.equal(buildView(LESSONS, [], atKnob, STOPPED, 'en', STRINGS).session.action, undefined);
  });

  it('says when the lesson is complete: Next on a last step with nothing to wait for completes it', () => {
    const p = run(EMPTY_PROGRESS, { type: 'open', lesson: '02-o' });
    assert.equal(buildView(LESSONS, [], p, STOPPED, 'en', STRINGS).lesson?.canNext, true);
    const v = buildView(LESSONS, [], run(p, { type: 'next' }), STOPPED, 'en', STRINGS);
    assert.deepEqual(v.lesson?.status, { kind: 'finished', text: 'complete' });
    assert.equal(v.lesson?.canNext, false);
    assert.equal(v.lessons.find((l) => l.id === '02-o')?.finished, true);
    // A last step with a target is not completed by Next.
    const atKnob = run(opened, { type: 'next' }, { type: 'next' }, { type: 'next' }, { type: 'next' }, { type: 'next' });
    assert.equal(lessonProgress(atKnob, '01-l').steps['4'], undefined);
  });
});
