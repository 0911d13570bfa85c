// Checking lessons against the model (src/debugger/lesson-check.ts) and the knobs they turn
// (src/debugger/knob.ts): a lesson that says something the model contradicts fails, a target the
// model never reaches fails, an answer outside the choices fails, problems found without a run
// have their line and column, and a knob changes exactly one thing.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLesson, parseKnob, Knob } from '../../src/tutorial/lesson';
import { parseScenario } from '../../src/model/scenario/parse';
import { checkLesson, lessonProblems } from '../../src/debugger/lesson-check';
import { applyKnob, applyKnobTexts, KnobError } from '../../src/debugger/knob';

const SCENARIO = parseScenario(`link add veth0 mtu 1500 address 02:00:00:00:00:01
addr add 192.0.2.1/24 dev veth0
neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev veth0 nud permanent
peer 192.0.2.2 lladdr 02:00:00:00:00:02
route add 198.51.100.0/24 via 192.0.2.2 mtu 1400
at 0ms send udp to 192.0.2.2:9000 size 3000 df dont
`, 'check.kpath');

/** A lesson on SCENARIO whose steps are `steps` (each its lines after "step"). */
function lesson(...steps: string[]): ReturnType<typeof parseLesson> {
  const head = 'title en  T\ntitle zh  T\nscenario  check.kpath\n';
  return parseLesson(head + steps.map((s) => `step\nen  e\nzh  z\n${s}\n`).join(''), 'check.lesson');
}

const question = (answer: string, expect: string, extra = ''): string => `ask en  q\nask zh  q\nanswer  ${answer}\nexpect  ${expect}\n${extra}`;

describe('kpath tutorial check, without the command', () => {
  it('a lesson that agrees with the model passes, each answer evaluated where its target was reached', () => {
    const r = checkLesson(lesson(
      'target  function udp_sendmsg',
      `target  return ip_do_fragment\n${question('frames.count', '3')}`,
      question('frames[1].ip.offset', '1480', 'choices  1472 | 1480'),
      `knob  link veth0 mtu 576\ntarget  return ip_do_fragment\n${question('frames.count', '6')}`,
    ), SCENARIO);
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.outcomes.map((o) => o.value), [undefined, 3, 1480, 6]);
  });

  it('a lesson whose stated answer is wrong fails, naming the step and both answers', () => {
    const r = checkLesson(lesson('target  function udp_sendmsg', `target  return ip_do_fragment\n${question('frames.count', '2')}`), SCENARIO);
    assert.deepEqual(r.failures, [{ step: 1, kind: 'mismatch', expected: '2', actual: '3' }]);
  });

  it('a target the model never reaches fails, and the steps after it are not run', () => {
    const r = checkLesson(lesson('target  function ip_finish_output2 when skb->len == 1234', question('frames.count', '3')), SCENARIO);
    assert.deepEqual(r.failures, [{ step: 0, kind: 'unreached', target: 'function ip_finish_output2 when skb->len == 1234' }]);
    assert.equal(r.outcomes.length, 1);
  });

  it('targets are reached in order: a target behind the run is not found again', () => {
    const r = checkLesson(lesson('target  function ip_finish_output2 when skb->len == 68', 'target  function ip_finish_output2 when skb->len == 1500'), SCENARIO);
    assert.deepEqual(r.failures, [{ step: 1, kind: 'unreached', target: 'function ip_finish_output2 when skb->len == 1500' }]);
  });

  it('an answer that is not among the choices, or cannot be evaluated, fails', () => {
    const notChoice = checkLesson(lesson(`target  return ip_do_fragment\nask en  q\nask zh  q\nchoices  1 | 2\nanswer  frames.count`), SCENARIO);
    assert.deepEqual(notChoice.failures, [{ step: 0, kind: 'not-a-choice', value: '3', choices: ['1', '2'] }]);
    const bad = checkLesson(lesson(`target  return ip_do_fragment\nask en  q\nask zh  q\nanswer  frames[9].len`), SCENARIO);
    assert.equal(bad.failures.length, 1);
    assert.equal(bad.failures[0].kind, 'answer-error');
    assert.match((bad.failures[0] as { message: string }).message, /index 9 is out of range for frames \(it has 3 elements\)/);
  });

  it('finds what is wrong without a run: expressions, functions, profiles and knobs, at their line and column', () => {
    const l = lesson(
      'target  function ip_finish_outptu2', //                   line 7
      'target  function udp_sendmsg when skb->len >', //         line 11
      `ask en  q\nask zh  q\nanswer  frames[0].len +* 2`, //    line 15..17
      'target  function dst_neigh_output', //                    line 21: only on 4.9
      'knob  kernel 4.9\ntarget  function dst_neigh_output', //  line 25, fine after the knob
      'knob  link eth9 mtu 1000', //                             line 30
      'knob  send 1 df sometimes', //                            line 34
    );
    assert.deepEqual(lessonProblems(l, SCENARIO), [
      { line: 7, col: 9, problem: 'ip_finish_outptu2 is not a modeled function (kpath functions lists them)' },
      { line: 11, col: 45, problem: 'expected an expression after ">"' },
      { line: 17, col: 24, problem: '"*" dereference is not supported; follow pointers with ->' },
      { line: 21, col: 9, problem: 'dst_neigh_output is not on the 6.18 path (it runs in 4.9)' },
      { line: 30, col: 7, problem: 'knob "link eth9 mtu 1000": the scenario has no link eth9 (links: veth0)' },
      { line: 34, col: 7, problem: 'knob "send 1 df sometimes": sends[0].df: expected a df mode (do, dont, want, probe, interface, omit), found "sometimes"' },
    ]);
  });
});

const knob = (text: string): Knob => {
  const k = parseKnob(text);
  if (typeof k === 'string') throw new Error(k);
  return k;
};

describe('knobs', () => {
  it('change one value of the scenario and leave the rest alone', () => {
    assert.equal(applyKnob(SCENARIO, knob('link veth0 mtu 576')).links[0].mtu, 576);
    assert.equal(SCENARIO.links[0].mtu, 1500, 'the scenario itself is not changed');
    assert.equal(applyKnob(SCENARIO, knob('send 1 df do')).sends[0].df, 'do');
    assert.equal(applyKnob(SCENARIO, knob('send 1 size 1472')).sends[0].size, 1472);
    assert.equal(applyKnob(SCENARIO, knob('send 1 every 2ms')).sends[0].every, 2_000_000);
    assert.equal(applyKnob(SCENARIO, knob('send 1 broadcast on')).sends[0].broadcast, true);
    assert.equal(applyKnob(SCENARIO, knob('kernel 4.9')).kernel, '4.9');
    assert.equal(applyKnob(SCENARIO, knob('route 198.51.100.0/24 mtu 1300')).routes[0].mtu, 1300);
    assert.equal(applyKnob(SCENARIO, knob('peer 192.0.2.2 up-at 2s')).peers[0].upAt, 2_000_000_000);
    assert.equal(applyKnob(SCENARIO, knob('peer 192.0.2.2 silent on')).peers[0].silent, true);
    const s = applyKnob(SCENARIO, knob('sysctl net.ipv4.neigh.veth0.unres_qlen_bytes 4096'));
    assert.deepEqual([s.sysctls.at(-1)?.key, s.sysctls.at(-1)?.value], ['net.ipv4.neigh.veth0.unres_qlen_bytes', 4096]);
    assert.deepEqual(s.sends[0].pos, SCENARIO.sends[0].pos, 'sends keep their lines');
  });

  it('a value the scenario would refuse gets the scenario\'s message', () => {
    const fails = (text: string, re: RegExp): void => assert.throws(() => applyKnob(SCENARIO, knob(text)), (e: unknown) => e instanceof KnobError && re.test(e.message));
    fails('link veth0 mtu 20', /mtu must be 68\.\.65535, found 20/);
    fails('link veth0 mtu lots', /mtu takes a whole number, not "lots"/);
    fails('link veth0 offload maybe', /offload takes on or off/);
    fails('send 2 size 10', /the scenario has 1 send line, not 2/);
    fails('kernel 5.4', /kernel must be 6.18 or 4.9/);
    fails('route 10.0.0.0/8 mtu 1000', /no route 10.0.0.0\/8 \(routes: 198.51.100.0\/24\)/);
    fails('peer 192.0.2.9 silent on', /no peer 192.0.2.9 \(peers: 192.0.2.2\)/);
    fails('link veth0 name eth0', /cannot be changed by a knob/);
    fails('sysctl net.ipv4.neigh.veth0.nosuch 1', /sysctls\[\d+\]/);
  });

  it('knobs as a launch configuration gives them apply in order', () => {
    assert.equal(applyKnobTexts(SCENARIO, ['link veth0 mtu 1000', 'link veth0 mtu 900']).links[0].mtu, 900);
    assert.throws(() => applyKnobTexts(SCENARIO, ['lnk veth0 mtu 1']), /knob "lnk veth0 mtu 1": unknown knob "lnk"/);
  });
});
