// kpath/lessonStep: a lesson step judged at the current stop, for the tutorial panel. Given a
// step's target (as a lesson writes it, e.g. "function ip_finish_output2 when skb->len == 68")
// and/or its answer expression, it says whether the stop reaches the target, what the answer's
// value is there, and what shows it (docs/lessons.md).

import * as l10n from '@vscode/l10n';
import { parseTarget } from '../tutorial/lesson';
import { targetHolds, evaluateAnswer, evidence, where } from '../debugger/targets';
import type { RequestContext } from './requests';

export function lessonStepRequest(ctx: RequestContext, args: { target?: unknown; answer?: unknown }): object {
  if (args.target !== undefined && typeof args.target !== 'string') throw new Error(l10n.t('kpath/lessonStep: target must be a string'));
  if (args.answer !== undefined && typeof args.answer !== 'string') throw new Error(l10n.t('kpath/lessonStep: answer must be a string'));
  if (!ctx.runtime) throw new Error(l10n.t('no scenario is running (launch first)'));
  const stop = ctx.runtime.current;
  if (!stop) throw new Error(l10n.t('not stopped: nothing to judge'));
  let reached: boolean | undefined;
  if (args.target !== undefined) {
    const t = parseTarget(args.target);
    if (typeof t === 'string') throw new Error(l10n.t('kpath/lessonStep: bad target "{0}": {1}', args.target, t));
    reached = targetHolds(stop, t);
  }
  const body: Record<string, unknown> = { step: stop.step, reached, where: where(stop) };
  if (args.answer !== undefined) {
    try {
      const a = evaluateAnswer(stop, args.answer);
      body.value = a.value;
      body.display = a.display;
    } catch (e) {
      body.error = e instanceof Error ? e.message : String(e);
    }
  }
  body.evidence = evidence(stop, args.answer);
  return body;
}
