// The lesson format (src/tutorial/lesson.ts): a good lesson and what it parses to, every kind of
// target and knob, and malformed files with the line and column of each problem. And the judge
// that compares an answer with the model's value.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLesson, parseLessonAll, parseTarget, parseKnob, lessonId, LessonError } from '../../src/tutorial/lesson';
import { sameAnswer, showValue } from '../../src/tutorial/judge';
import { REPO_ROOT } from '../helpers/cli';
import { useLanguage } from '../../src/l10n';

const GOOD = `# a comment
title en  Three frames
title zh  三帧
about en  One datagram,
about en  three fragments.
about zh  一个数据报。
scenario  three.kpath

step
en  Start debugging (F5).
zh  开始调试（F5）。
target  function udp_sendmsg

step
en  First line
en  second line.
en
en  A new paragraph.
zh  中文。
hint en  Step out.
hint zh  单步跳出。
ask en  How many frames?
ask zh  几帧？
choices  2 | 3 | 4
answer  frames.count
expect  3
target  return ip_do_fragment when frames.count > 0   # a comment after the value

step
en  What if?
zh  假如？
knob  link veth0 mtu 576
ask en  And now?
ask zh  现在呢？
answer  frames[1].ip.offset
`;

/** The problems of a lesson text, as FILE:LINE:COL: problem. */
function problems(text: string): string[] {
  return parseLessonAll(text, 'x.lesson').errors.map((e) => e.message);
}

describe('the lesson format', () => {
  it('reads a good lesson: titles, about, scenario, steps with text, targets, questions and knobs', () => {
    const l = parseLesson(GOOD, 'lessons/02-three.lesson');
    assert.equal(l.id, '02-three');
    assert.deepEqual(l.title, { en: 'Three frames', zh: '三帧' });
    assert.deepEqual(l.about, { en: 'One datagram, three fragments.', zh: '一个数据报。' });
    assert.deepEqual(l.scenario, { path: 'three.kpath', line: 7, col: 11 });
    assert.equal(l.steps.length, 3);
    const [s1, s2, s3] = l.steps;
    assert.deepEqual(s1.text, { en: 'Start debugging (F5).', zh: '开始调试（F5）。' });
    assert.deepEqual(s1.target, { kind: 'function', name: 'udp_sendmsg', when: undefined, line: 12, col: 9, text: 'function udp_sendmsg' });
    assert.equal(s1.question, undefined);
    assert.equal(s2.text.en, 'First line second line.\nA new paragraph.');
    assert.deepEqual(s2.hint, { en: 'Step out.', zh: '单步跳出。' });
    assert.deepEqual(s2.question?.ask, { en: 'How many frames?', zh: '几帧？' });
    assert.deepEqual(s2.question?.choices, ['2', '3', '4']);
    assert.deepEqual(s2.question?.answer, { text: 'frames.count', line: 25, col: 9 });
    assert.deepEqual(s2.question?.expect, { text: '3', line: 26, col: 9 });
    const t = s2.target!;
    assert.equal(t.kind, 'return');
    assert.ok(t.kind === 'return' && t.name === 'ip_do_fragment');
    assert.ok(t.kind === 'return' && t.when && t.when.text === 'frames.count > 0', 'the comment is not part of the expression');
    // The expression's column points at its first character: "target  return ip_do_fragment when " is 35 wide.
    assert.ok(t.kind === 'return' && t.when?.col === 36);
    assert.deepEqual(s3.knob, { what: 'link', selector: 'veth0', field: 'mtu', value: '576', text: 'link veth0 mtu 576', line: 32, col: 7 });
    assert.equal(s3.question?.choices, undefined, 'a short answer');
    assert.equal(s3.question?.expect, undefined);
  });

  it('reads every bundled lesson', () => {
    const dir = path.join(REPO_ROOT, 'media', 'lessons');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.lesson'));
    assert.ok(files.length >= 14, `${files.length} lessons`);
    for (const f of files) {
      const l = parseLesson(fs.readFileSync(path.join(dir, f), 'utf8'), path.join(dir, f));
      assert.ok(fs.existsSync(path.join(dir, l.scenario.path)), `${f}: its scenario ${l.scenario.path} is beside it`);
      assert.ok(l.steps.some((s) => s.question), `${f} asks at least one question`);
    }
  });

  it('parses every kind of target, and says what is wrong with a bad one', () => {
    assert.deepEqual(parseTarget('function ip_finish_output2 when skb->len == 68', 3, 9), {
      kind: 'function', name: 'ip_finish_output2', when: { text: 'skb->len == 68', line: 3, col: 41 }, line: 3, col: 9, text: 'function ip_finish_output2 when skb->len == 68',
    });
    assert.deepEqual(parseTarget('frame arp.op == 2', 1, 1), { kind: 'frame', when: { text: 'arp.op == 2', line: 1, col: 7 }, line: 1, col: 1, text: 'frame arp.op == 2' });
    assert.equal((parseTarget('drop NEIGH_QUEUEFULL') as { reason: string }).reason, 'NEIGH_QUEUEFULL');
    assert.deepEqual(parseTarget('neigh 192.0.2.2 STALE', 1, 1), { kind: 'neigh', address: '192.0.2.2', state: 'STALE', line: 1, col: 1, text: 'neigh 192.0.2.2 STALE' });
    assert.equal((parseTarget('when frames.count == 3') as { kind: string }).kind, 'when');
    assert.match(parseTarget('fuction ip_output') as string, /unknown target "fuction"; did you mean "function"\?/);
    assert.match(parseTarget('function ip-output') as string, /expected a function name/);
    assert.match(parseTarget('function ip_output when') as string, /expected an expression after "when"/);
    assert.match(parseTarget('function ip_output if x') as string, /only "when EXPR" may follow/);
    assert.match(parseTarget('neigh 192.0.2.2 STALLED') as string, /unknown neighbour state "STALLED"/);
    assert.match(parseTarget('neigh 192.0.2.300 STALE') as string, /expected an IPv4 address/);
    assert.match(parseTarget('drop queue full') as string, /expected a drop reason/);
    assert.match(parseTarget('frame') as string, /expected an expression after frame/);
  });

  it('parses every kind of knob, and says what is wrong with a bad one', () => {
    assert.deepEqual(parseKnob('kernel 4.9'), { what: 'kernel', selector: '', field: '', value: '4.9', text: 'kernel 4.9', line: 1, col: 1 });
    assert.deepEqual(parseKnob('sysctl net.ipv4.neigh.veth0.unres_qlen_bytes=4096'), {
      what: 'sysctl', selector: 'net.ipv4.neigh.veth0.unres_qlen_bytes', field: '', value: '4096', text: 'sysctl net.ipv4.neigh.veth0.unres_qlen_bytes=4096', line: 1, col: 1,
    });
    assert.equal((parseKnob('send 2 df do') as { selector: string }).selector, '2');
    assert.equal((parseKnob('peer 192.0.2.2 up-at 2s') as { field: string }).field, 'up-at');
    assert.match(parseKnob('send 0 df do') as string, /numbered from 1/);
    assert.match(parseKnob('link veth0 mtu') as string, /expected "knob link veth0 mtu 576"/);
    assert.match(parseKnob('lnk veth0 mtu 576') as string, /unknown knob "lnk"; did you mean "link"\?/);
  });

  it('reports every problem of a malformed file with its line and column', () => {
    const text = [
      'title en  T', //                      1
      'scenario  x.kpath', //               2
      'en  too early', //                   3: before any step
      'step', //                            4: no Chinese text
      'en  text', //                        5
      'taget  function ip_output', //       6: unknown word
      'target  function ip_output', //      7
      'target  function dst_output', //     8: twice
      'ask en  How?', //                    9: no Chinese, no answer
      'choices  1 | 2', //                  10
      'step', //                            11
      'en  e', //                           12
      'zh  z', //                           13
      'answer  frames.count', //            14: no question
      'expect  3', //                       15
      'title zh  T', //                     16: after a step
      'step extra', //                      17: step stands alone
      'en  e', //                           18
      'zh  z', //                           19
      'ask en  Q', //                       20
      'ask zh  Q', //                       21
      'choices  a | b', //                  22
      'answer  x', //                       23
      'expect  c', //                       24: not a choice
      'knob  link veth0', //                25: a bad knob
      'step', //                            26
      'en  e', //                           27
      'zh  z', //                           28
      'en  again', //                       29: not next to the first en
      'choices  1 |', //                    30: empty choice
    ].join('\n');
    assert.deepEqual(problems(text), [
      'x.lesson:1:1: title has no Chinese text (title zh ...)',
      'x.lesson:3:1: en belongs in a step (write "step" on a line of its own first)',
      'x.lesson:4:1: this step has no Chinese text (a line "zh ...")',
      'x.lesson:6:1: unknown word "taget"; did you mean "target"? expected one of: title, about, scenario, step, en, zh, hint, target, ask, choices, answer, expect, knob',
      'x.lesson:8:1: target is given twice in this step (line 7)',
      'x.lesson:9:1: ask has no Chinese text (ask zh ...)',
      'x.lesson:9:1: a question needs its answer: a line "answer EXPR" (an expression over the run, e.g. frames.count)',
      'x.lesson:14:1: answer without a question: add "ask en ..." and "ask zh ..."',
      'x.lesson:16:1: title belongs before the first step (line 4)',
      'x.lesson:17:6: "step" stands alone on its line, found "extra"',
      'x.lesson:24:9: the expected answer "c" is not among the choices (a | b)',
      'x.lesson:25:7: expected "knob link veth0 mtu 576": what, which one, the field and its new value',
      'x.lesson:29:1: en is given twice here (line 27); write its lines one after the other',
      'x.lesson:30:10: choices are separated by "|" and none may be empty',
    ]);
  });

  it('choices per language: the English ones are what the answer is compared with', () => {
    const head = 'title en  T\ntitle zh  T\nscenario  s.kpath\nstep\nen  e\nzh  z\nask en  q\nask zh  q\nanswer  x\n';
    const l = parseLesson(`${head}choices en  yes | no\nchoices zh  是 | 否\nexpect  no\n`, 'c.lesson');
    assert.deepEqual(l.steps[0].question?.choices, ['yes', 'no']);
    assert.deepEqual(l.steps[0].question?.choiceLabels, { en: ['yes', 'no'], zh: ['是', '否'] });
    assert.deepEqual(problems(`${head}choices en  yes | no\n`), ['x.lesson:10:1: choices en needs its other language: a line "choices zh ..." with as many choices']);
    assert.deepEqual(problems(`${head}choices en  yes | no\nchoices zh  是\n`), ['x.lesson:11:13: a multiple choice needs at least two choices, separated by "|"', 'x.lesson:10:1: choices en needs its other language: a line "choices zh ..." with as many choices'].sort(byPosition));
    assert.deepEqual(problems(`${head}choices en  a | b | c\nchoices zh  甲 | 乙\n`), ['x.lesson:11:13: choices zh has 2 choices, choices en 3 (line 10)']);
    assert.deepEqual(problems(`${head}choices  a | b\nchoices zh  甲 | 乙\n`), ['x.lesson:11:1: choices are given for both languages (line 10) and per language; write one or the other']);
    assert.deepEqual(problems(`${head}choices en  a | b\nchoices zh  甲 | 乙\nchoices zh  丙 | 丁\n`), ['x.lesson:12:1: choices zh is given twice in this step (line 11)']);
    assert.deepEqual(problems(`${head}choices en  yes | no\nchoices zh  是 | 否\nexpect  是\n`), ['x.lesson:12:9: the expected answer "是" is not among the choices (yes | no)']);
  });

  it('a lesson needs a title in both languages, a scenario and steps', () => {
    assert.deepEqual(problems(''), [
      'x.lesson:1:1: title is missing (one line in English and one in Chinese)',
      'x.lesson:1:1: the lesson names no scenario (scenario FILE.kpath)',
      'x.lesson:1:1: the lesson has no steps (a line "step", then its text in en and zh)',
    ]);
    assert.deepEqual(problems('title en A\ntitle zh B\nscenario x.txt\nstep\nen a\nzh b'), ['x.lesson:3:10: the scenario must be a .kpath file, found "x.txt"']);
    assert.deepEqual(problems('title fr A'), ['x.lesson:1:7: expected en or zh after title, found "fr"', 'x.lesson:1:1: title is missing (one line in English and one in Chinese)', 'x.lesson:1:1: the lesson names no scenario (scenario FILE.kpath)', 'x.lesson:1:1: the lesson has no steps (a line "step", then its text in en and zh)'].sort(byPosition));
  });

  it('throws the first problem as a LessonError with file, line and column', () => {
    assert.throws(() => parseLesson('title en A\ntitle zh B\nscenario s.kpath\nstep\nen a\nzh b\nwhat x', 'f.lesson'), (e: unknown) => {
      assert.ok(e instanceof LessonError);
      assert.equal(e.file, 'f.lesson');
      assert.equal(e.line, 7);
      assert.equal(e.col, 1);
      return true;
    });
    assert.equal(lessonId('/a/b/07-queue.lesson'), '07-queue');
  });

  it('says its problems in the display language', () => {
    useLanguage('zh-cn');
    try {
      assert.deepEqual(problems('title en A\ntitle zh B\nscenario s.kpath\nstep\nen a\nzh b\ntaget function ip_output\nknob lnk veth0 mtu 576'), [
        'x.lesson:7:1: 未知的词 "taget"；是否想写 "target"？应为以下之一：title, about, scenario, step, en, zh, hint, target, ask, choices, answer, expect, knob',
        'x.lesson:8:6: 未知的 knob "lnk"；是否想写 "link"？应为以下之一：kernel, link, send, sysctl, route, peer',
      ]);
      assert.equal(problems('')[0], 'x.lesson:1:1: 缺少 title（英文一行，中文一行）');
    } finally {
      useLanguage('en');
    }
  });
});

function byPosition(a: string, b: string): number {
  const pos = (s: string): number[] => s.split(':').slice(1, 3).map(Number);
  const [la, ca] = pos(a);
  const [lb, cb] = pos(b);
  return la - lb || ca - cb;
}

describe('the judge of answers', () => {
  it('numbers as numbers, truth values in both languages, text without case or quotes', () => {
    assert.ok(sameAnswer('3', 3));
    assert.ok(sameAnswer(' 0x10 ', 16));
    assert.ok(!sameAnswer('3 fragments', 3));
    assert.ok(!sameAnswer('4', 3));
    assert.ok(sameAnswer('yes', true) && sameAnswer('是', true) && sameAnswer('no', false) && sameAnswer('否', false));
    assert.ok(!sameAnswer('yes', false));
    assert.ok(sameAnswer('NULL', null) && sameAnswer('none', null) && !sameAnswer('0.0.0.0', null));
    assert.ok(sameAnswer('emsgsize', 'EMSGSIZE'));
    assert.ok(sameAnswer('"FF:FF:FF:FF:FF:FF"', 'ff:ff:ff:ff:ff:ff'));
    assert.ok(sameAnswer('the  oldest in the queue', 'the oldest in the queue'));
    assert.ok(!sameAnswer('', ''));
    assert.equal(showValue(null), 'NULL');
    assert.equal(showValue(false), 'false');
  });
});
