// A lesson's targets and answers at a stop: whether the model has reached a step's target, the
// value of a question's answer expression, and the evidence that shows it (the frames, the calls,
// the counter, the trace line of the stop). The checker (lesson-check.ts) and the adapter's
// kpath/lessonStep request (src/adapter/lesson.ts) both judge the live run through here.

import * as l10n from '@vscode/l10n';
import type { Target } from '../tutorial/lesson';
import type { ModelValue } from '../tutorial/judge';
import { evaluate, parseExpr, truthy, formatValue, exprText, ExprError } from './expr';
import type { Expr, ExprEnv, Value } from './expr';
import type { Stop, StepInfo } from './types';
import { stopEnv } from './env';
import { RecordList, frameView, findNeigh } from './run-views';
import { nudName } from '../model/net/neigh';

/** Does the stop reach the target? Expressions that cannot be evaluated there do not hold. */
export function targetHolds(stop: Stop, t: Target): boolean {
  const top = stop.frames[0];
  const holds = (text: string, env: ExprEnv): boolean => {
    try {
      return truthy(evaluate(text, env));
    } catch {
      return false;
    }
  };
  switch (t.kind) {
    case 'function':
      return !!top && top.fn === t.name && (!t.when || holds(t.when.text, stopEnv(stop, 0)));
    case 'return': {
      // At the function's return, or at the first stop after it returned (Step Out lands there).
      const at = (!!top && top.fn === t.name && stop.kind === 'leave') || stop.returned?.fn === t.name;
      return at && (!t.when || holds(t.when.text, stopEnv(stop, 0)));
    }
    case 'when':
      return holds(t.when.text, stopEnv(stop, 0));
    case 'drop':
      if (stop.exception?.kind === 'drop' && stop.exception.detail.reason === t.reason) return true;
      return stop.kernel.drops.some((d) => d.reason === t.reason);
    case 'neigh': {
      const n = findNeigh(stop.kernel, t.address);
      return nudName(n ? n.nud_state : 0) === t.state;
    }
    case 'frame': {
      const env = stopEnv(stop, 0);
      for (let i = 0; i < stop.frameCount; i++) if (holds(t.when.text, frameEnv(frameView(stop.wire[i], i), env))) return true;
      return false;
    }
  }
}

/** The step points where a target can first hold (a function's own ones), for a quicker search. */
export function targetSteps(t: Target): ((info: StepInfo) => boolean) | undefined {
  if (t.kind === 'function') return (info) => info.fn === t.name;
  if (t.kind === 'return') return (info) => info.fn === t.name && info.kind === 'leave';
  return undefined;
}

/** Names of one frame (`len`, `arp`, `ip`, ...) over the stop's. */
function frameEnv(frame: Value, outer: ExprEnv): ExprEnv {
  const f = frame as Exclude<Value, null | string | number | boolean>;
  return {
    lookup: (name) => f.get(name) ?? outer.lookup(name),
    names: () => [...f.fields(), ...outer.names()],
    call: outer.call,
    functions: outer.functions,
  };
}

/** An answer's value, ready to cross the protocol, and how the debugger shows it. */
export interface AnswerValue {
  value: ModelValue;
  display: string;
}

/** Evaluates an answer expression at a stop; throws ExprError. */
export function evaluateAnswer(stop: Stop, text: string): AnswerValue {
  const v = evaluate(text, stopEnv(stop, 0));
  return { value: modelValue(v), display: formatValue(v) };
}

/** A value as the learner's answer is compared with it: objects by their display text. */
export function modelValue(v: Value): ModelValue {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return v.display();
}

/** At most this many items of a list in the evidence (the first and last ones). */
const EVIDENCE_ITEMS = 8;

/**
 * What shows the answer at this stop: where the model is (the function and the decision it took,
 * as the trace prints it), then each part of the answer expression that reads the run (`frames`,
 * `counters.Ip.FragCreates`, `neigh("192.0.2.2")`) with its value, a list item by item.
 */
export function evidence(stop: Stop, text?: string): string[] {
  const out: string[] = [where(stop)];
  if (!text) return out;
  let expr: Expr;
  try {
    expr = parseExpr(text);
  } catch {
    return out;
  }
  const env = stopEnv(stop, 0);
  const seen = new Set<string>();
  for (const chain of chains(expr)) {
    // The deepest list the chain goes through is shown item by item; the chain's value after it.
    const prefixes = prefixesOf(chain);
    let listShown = false;
    for (let i = prefixes.length - 1; i >= 0 && !listShown; i--) {
      let v: Value;
      try {
        v = evaluate(prefixes[i], env);
      } catch {
        continue;
      }
      if (v instanceof RecordList) {
        listShown = true;
        if (seen.has(prefixes[i])) break;
        seen.add(prefixes[i]);
        const lines = v.lines();
        out.push(lines.length === 1 ? l10n.t('{0}: 1 item', prefixes[i]) : l10n.t('{0}: {1} items', prefixes[i], lines.length));
        const shown = lines.length <= EVIDENCE_ITEMS ? lines : [...lines.slice(0, EVIDENCE_ITEMS / 2), l10n.t('... {0} more ...', lines.length - EVIDENCE_ITEMS), ...lines.slice(-EVIDENCE_ITEMS / 2)];
        out.push(...shown.map((l) => `  ${l}`));
      }
    }
    const whole = prefixes[prefixes.length - 1];
    if (seen.has(whole)) continue;
    seen.add(whole);
    try {
      const v = evaluate(whole, env);
      if (!(v instanceof RecordList)) out.push(`${whole} = ${formatValue(v)}`);
    } catch (e) {
      out.push(`${whole}: ${e instanceof ExprError ? e.message : String(e)}`);
    }
  }
  return out;
}

/** Where a stop is, as a trace line: time, function (step), and the last decision taken there. */
export function where(stop: Stop): string {
  const f = stop.frames[0];
  const t = `${(stop.time / 1e6).toFixed(3)} ms`;
  if (!f) return `${t} ${stop.event}`;
  const step = f.step === 'enter' ? '' : f.step === 'leave' ? ` (${l10n.t('return')})` : ` (${f.step})`;
  const decision = f.decisions.length ? `: ${f.decisions[f.decisions.length - 1]}` : '';
  return `${t} ${stop.context} ${f.fn}${step}${f.skb ? ` skb #${f.skb.id} len ${f.skb.len}` : ''}${decision}`;
}

/** The largest postfix chains of an expression that start at a name or a call (`frames.ip[1].ip.offset`). */
function chains(e: Expr): Expr[] {
  const out: Expr[] = [];
  const walk = (x: Expr, inChain: boolean): void => {
    switch (x.kind) {
      case 'member':
        if (!inChain) out.push(x);
        walk(x.object, true);
        return;
      case 'index':
        if (!inChain) out.push(x);
        walk(x.object, true);
        walk(x.index, false);
        return;
      case 'call':
        if (!inChain) out.push(x);
        x.args.forEach((a) => walk(a, false));
        return;
      case 'name':
        if (!inChain) out.push(x);
        return;
      case 'unary':
        walk(x.operand, false);
        return;
      case 'binary':
        walk(x.left, false);
        walk(x.right, false);
        return;
      case 'conditional':
        walk(x.test, false);
        walk(x.then, false);
        walk(x.else, false);
        return;
      case 'literal':
        return;
    }
  };
  walk(e, false);
  return out;
}

/** The texts of a chain's prefixes, shortest first: frames, frames.ip, frames.ip[1], ... */
function prefixesOf(e: Expr): string[] {
  const list: Expr[] = [];
  let x: Expr = e;
  for (;;) {
    list.unshift(x);
    if (x.kind === 'member' || x.kind === 'index') x = x.object;
    else break;
  }
  return list.map(exprText);
}
