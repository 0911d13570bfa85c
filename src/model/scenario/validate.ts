// Checks on a scenario object, shared by the .kpath parser and by scenarios given inline (as JSON)
// in a launch configuration, so that both paths accept and reject exactly the same things.
//
// Two phases:
//  - shape (object.ts): each field has the right type and range; missing optional fields get their
//    defaults. The parser checks the same ranges with the same helpers (values.ts) while it reads
//    the tokens, so for a parsed scenario this phase finds nothing new.
//  - semantics (semantics.ts): the items against each other. The parser calls this phase too.
//
// Statements of different kinds may come in any order (a JSON object has no order between its
// arrays, and the text agrees with it); only the sends are ordered, by their `at` time.

import { newContext } from './context';
import { ScenarioError, sortErrors } from './errors';
import { isObj } from './fields';
import { readScenarioObject } from './object';
import { checkSemantics } from './semantics';
import { checkLimits } from './limits';
import type { Scenario } from './types';

/**
 * Checks a scenario object (one that came inline from a launch configuration, or from the
 * parser) and returns a new, complete one: defaults filled in, addresses and MACs in canonical
 * form, each peer's link and each gateway route's device resolved. The input is not modified.
 * All problems are collected; they come back sorted by position (items without `pos` are at 1:1).
 */
export function validateScenarioAll(input: unknown, file?: string): { scenario?: Scenario; errors: ScenarioError[] } {
  const name = file ?? (isObj(input) && typeof input.file === 'string' ? input.file : '<inline>');
  const ctx = newContext(name, 'object');
  const s = readScenarioObject(input, ctx);
  checkSemantics(s, ctx);
  checkLimits(s, ctx);
  const errors = sortErrors(ctx.errors);
  return errors.length ? { errors } : { scenario: s, errors };
}

/**
 * Checks a scenario object and returns it complete (see validateScenarioAll); throws the first
 * ScenarioError. Messages lead with the JSON path of the item at fault (`links[1].mtu: ...`).
 */
export function validateScenario(input: Scenario | unknown, file?: string): Scenario {
  const r = validateScenarioAll(input, file);
  if (!r.scenario) throw r.errors[0];
  return r.scenario;
}
