// What the tutorial panel asks the adapter, through a real DAP client over stdio: the function
// in kpath/position, kpath/lessonStep judging a step's target and answer at the current stop with
// its evidence, bad arguments answered with errors, and a launch with "what if" knobs.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DapSession, errorOf } from '../helpers/dap';
import { REPO_ROOT } from '../helpers/cli';

const LESSON_SCENARIO = path.join(REPO_ROOT, 'media', 'lessons', '02-three-frames.kpath');

interface StepReply {
  step: number;
  reached?: boolean;
  where: string;
  value?: number | string | boolean | null;
  display?: string;
  error?: string;
  evidence: string[];
}

let s: DapSession;
beforeEach(async () => {
  s = await new DapSession().start();
});
afterEach(async () => {
  await s.stop();
});

const lessonStep = async (args: Record<string, unknown>): Promise<StepReply> => (await s.dc.customRequest('kpath/lessonStep', args)).body as StepReply;

describe('kpath/lessonStep', () => {
  it('judges a target and an answer at the current stop, with evidence', async () => {
    const since = s.mark();
    const entry = await s.launch({ scenario: LESSON_SCENARIO, stopOnEntry: true });
    assert.ok(entry);
    const pos = s.eventsOf('kpath/position', since).at(-1)!.body as { function: string; step: number };
    assert.equal(pos.function, 'udp_sendmsg', 'kpath/position names the function stopped in');
    const r0 = await lessonStep({ target: 'function udp_sendmsg' });
    assert.equal(r0.reached, true);
    assert.equal(r0.step, pos.step);
    assert.equal((await lessonStep({ target: 'return ip_do_fragment' })).reached, false);

    await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_do_fragment' }] });
    assert.ok(await s.exec('continue'));
    assert.ok(await s.exec('stepOut'));
    const r = await lessonStep({ target: 'return ip_do_fragment', answer: 'frames.count' });
    assert.equal(r.reached, true);
    assert.equal(r.value, 3);
    assert.equal(r.display, '3');
    assert.equal(r.where, '0.000 ms task ip_fragment (return) skb #1 len 3028: DF clear -> ip_do_fragment', 'the caller, just after the return');
    assert.deepEqual(r.evidence.slice(1, 2), ['frames: 3 items']);
    assert.equal(r.evidence.length, 1 + 1 + 3 + 1);
    assert.equal(r.evidence.at(-1), 'frames.count = 3');
    assert.match(r.evidence[2], /^ {2}#0 .* veth0 tx 1514 B .*Fragmented IP protocol/);

    const text = await lessonStep({ answer: 'frames[1].ip.offset == 1480 ? "yes" : "no"' });
    assert.equal(text.value, 'yes');
    assert.equal(text.reached, undefined, 'no target asked, none judged');
    const broken = await lessonStep({ answer: 'frames.nope' });
    assert.match(broken.error ?? '', /frames has no field "nope"/);
    assert.equal(broken.value, undefined);
  });

  it('answers bad arguments and calls outside a stop with errors', async () => {
    assert.match(await errorOf(s.dc.customRequest('kpath/lessonStep', {})), /no scenario is running/);
    await s.launch({ scenario: LESSON_SCENARIO, stopOnEntry: true });
    assert.match(await errorOf(s.dc.customRequest('kpath/lessonStep', { target: 7 })), /target must be a string/);
    assert.match(await errorOf(s.dc.customRequest('kpath/lessonStep', { answer: ['x'] })), /answer must be a string/);
    assert.match(await errorOf(s.dc.customRequest('kpath/lessonStep', { target: 'fucntion x' })), /bad target "fucntion x": unknown target "fucntion"; did you mean "function"\?/);
  });
});

describe('a launch with knobs', () => {
  it('runs the scenario with the changed values', async () => {
    await s.launch({ scenario: LESSON_SCENARIO, stopOnEntry: true, knobs: ['link veth0 mtu 576'] }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_do_fragment' }] });
    });
    assert.ok(await s.exec('continue'));
    assert.equal(await s.value('dev("veth0").mtu'), '576');
    assert.ok(await s.exec('stepOut'));
    assert.equal((await lessonStep({ answer: 'frames.count' })).value, 6);
  });

  it('refuses knobs that do not apply, with the reason', async () => {
    await s.initialize();
    const bad = await errorOf(s.dc.launchRequest({ scenario: LESSON_SCENARIO, knobs: ['link veth0 mtu 20'] } as never));
    assert.match(bad, /knob "link veth0 mtu 20": .*mtu must be 68\.\.65535, found 20/);
    assert.match(await errorOf(s.dc.launchRequest({ scenario: LESSON_SCENARIO, knobs: 'link veth0 mtu 576' } as never)), /knobs must be an array of strings/);
  });
});
