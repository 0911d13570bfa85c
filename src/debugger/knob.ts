// A lesson's "what if" knob applied to a scenario: one value changed (a link's MTU, a send's df or
// size, a sysctl, a route's MTU, a peer's timing, the kernel profile), then the scenario checked
// again as a launch configuration's inline scenario is, so a bad value gets the scenario's own
// message. The debug adapter applies a launch's `knobs` the same way.

import * as l10n from '@vscode/l10n';
import type { Scenario } from '../model/scenario/types';
import type { Knob } from '../tutorial/lesson';
import { parseKnob } from '../tutorial/lesson';
import { validateScenario } from '../model/scenario/validate';
import { ScenarioError } from '../model/scenario/errors';

export class KnobError extends Error {}

/** Fields whose value is a duration ("500ms"), a truth value (on/off) or a number. */
const DURATIONS = new Set(['at', 'every', 'upAt', 'replyDelay']);
const BOOLEANS = new Set(['offload', 'up', 'connected', 'broadcast', 'recverr', 'silent', 'multicastLoop']);
const NUMBERS = new Set(['mtu', 'txqueuelen', 'size', 'count', 'ttl', 'tos', 'mark', 'multicastTtl', 'fromPort', 'port']);

/** The scenario object's name of a field written as the scenario language writes it (up-at -> upAt). */
function fieldName(word: string): string {
  return word.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function valueOf(field: string, text: string): unknown {
  if (BOOLEANS.has(field)) {
    if (['on', 'true', 'yes'].includes(text)) return true;
    if (['off', 'false', 'no'].includes(text)) return false;
    throw new KnobError(l10n.t('{0} takes on or off, not "{1}"', field, text));
  }
  if (NUMBERS.has(field)) {
    const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text.slice(2), 16) : /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n)) throw new KnobError(l10n.t('{0} takes a whole number, not "{1}"', field, text));
    return n;
  }
  // Durations stay text ("500ms"): the scenario check reads them as an inline scenario's.
  if (DURATIONS.has(field)) return text;
  return text;
}

/** A scenario with the knob applied; throws KnobError with what is wrong. */
export function applyKnob(s: Scenario, knob: Knob): Scenario {
  const c = JSON.parse(JSON.stringify(s)) as Scenario & Record<string, unknown>;
  const where = `${knob.what} ${knob.selector}`;
  const set = (item: object): void => {
    const field = fieldName(knob.field);
    if (field === 'pos' || field === 'name') throw new KnobError(l10n.t('the {0}\'s {1} cannot be changed by a knob', where, knob.field));
    (item as Record<string, unknown>)[field] = valueOf(field, knob.value);
  };
  /** The item of a list whose key is `want`, or an error naming the ones there are. */
  const named = <T extends object>(items: T[], keyOf: (x: T) => string, want: string): T => {
    const item = items.find((x) => keyOf(x) === want);
    if (!item) throw new KnobError(l10n.t('the scenario has no {0} {1} ({0}s: {2})', knob.what, want, items.map(keyOf).join(', ') || l10n.t('none')));
    return item;
  };
  switch (knob.what) {
    case 'kernel':
      if (knob.value !== '6.18' && knob.value !== '4.9') throw new KnobError(l10n.t('kernel must be 6.18 or 4.9, not "{0}"', knob.value));
      c.kernel = knob.value;
      break;
    case 'link':
      set(named(c.links, (x) => x.name, knob.selector));
      break;
    case 'send': {
      const n = Number(knob.selector);
      const send = c.sends[n - 1];
      if (!send) throw new KnobError(c.sends.length === 1 ? l10n.t('the scenario has 1 send line, not {0}', n) : l10n.t('the scenario has {0} send lines, not {1}', c.sends.length, n));
      set(send);
      break;
    }
    case 'sysctl':
      if (!/^\d+$/.test(knob.value)) throw new KnobError(l10n.t('a sysctl takes a whole number, not "{0}"', knob.value));
      c.sysctls.push({ key: knob.selector, value: Number(knob.value) } as Scenario['sysctls'][number]);
      break;
    case 'route': {
      const sel = knob.selector === 'default' ? '0.0.0.0/0' : knob.selector.includes('/') ? knob.selector : `${knob.selector}/32`;
      set(named(c.routes, (x) => `${x.dst}/${x.prefix}`, sel));
      break;
    }
    case 'peer':
      set(named(c.peers, (x) => x.address, knob.selector));
      break;
  }
  try {
    return validateScenario(c, s.file ?? '<lesson>');
  } catch (e) {
    if (e instanceof ScenarioError) throw new KnobError(e.problem);
    throw e;
  }
}

/** A scenario with knobs written as text (a launch configuration's `knobs`) applied in order. */
export function applyKnobTexts(s: Scenario, knobs: readonly string[]): Scenario {
  let out = s;
  for (const text of knobs) {
    const k = parseKnob(text);
    if (typeof k === 'string') throw new KnobError(l10n.t('knob "{0}": {1}', text, k));
    try {
      out = applyKnob(out, k);
    } catch (e) {
      if (e instanceof KnobError) throw new KnobError(l10n.t('knob "{0}": {1}', text, e.message));
      throw e;
    }
  }
  return out;
}
