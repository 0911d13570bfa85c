// Whether a learner's answer (or a lesson's stated answer) matches the model's: the value of the
// step's answer expression, as the debugger sends it (a number, a string, a boolean, NULL, or the
// display text of an object). Numbers compare as numbers (0x hex allowed), truth values accept
// yes/no in both languages, and text compares without regard to case, quotes or spacing.

import { normalizeAnswer } from './lesson';

/** The model's answer as it crosses the protocol. */
export type ModelValue = number | string | boolean | null;

const TRUE = ['true', 'yes', 'y', '1', '是', '对', '真', '会', '有'];
const FALSE = ['false', 'no', 'n', '0', '否', '不', '不是', '假', '不会', '没有', '无'];
const NULLS = ['null', 'none', '0', '无', '没有'];

/** The number written, or undefined: decimal or 0x hex, optionally signed. */
function numberOf(s: string): number | undefined {
  const t = s.trim();
  if (/^[-+]?\d+$/.test(t)) return Number(t);
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  return undefined;
}

/** Does the answer `given` (as typed or chosen) match the model's `value`? */
export function sameAnswer(given: string, value: ModelValue): boolean {
  const g = normalizeAnswer(given);
  if (g === '') return false;
  if (value === null) return NULLS.includes(g);
  if (typeof value === 'boolean') return (value ? TRUE : FALSE).includes(g);
  if (typeof value === 'number') {
    const n = numberOf(g);
    return n !== undefined && n === value;
  }
  return g === normalizeAnswer(value);
}

/** The model's value as a learner reads it: numbers and names plainly, NULL, true or false. */
export function showValue(value: ModelValue): string {
  if (value === null) return 'NULL';
  return String(value);
}
