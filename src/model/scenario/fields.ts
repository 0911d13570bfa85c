// Reading the fields of one item of a scenario given as an object (a launch configuration's inline
// scenario): each field's type and range, with messages that lead with the field's JSON path.

import * as l10n from '@vscode/l10n';
import { formatIpv4, parseIpv4 } from '../wire/addr';
import type { CheckContext } from './context';
import { ScenarioError } from './errors';
import type { Pos } from './types';
import { canonicalMac, durationValue, macExpected, parseIntText, rangeProblem } from './values';

/** A JSON object. */
export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON value in a message. */
export function describeValue(v: unknown): string {
  if (v === undefined) return l10n.t('nothing');
  if (Array.isArray(v)) return l10n.t('an array');
  if (isObj(v)) return l10n.t('an object');
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Reads the fields of one item, reporting wrong types at the item's position. */
export class Reader {
  ok = true;
  readonly pos: Pos;

  constructor(
    private readonly ctx: CheckContext,
    private readonly o: Obj,
    private readonly path: string,
    allowed: readonly string[],
    /** Position of the owning item, for the parts of an item (nft matches and statements) that have none. */
    ownerPos?: Pos,
  ) {
    this.pos = ownerPos ?? { line: 1, col: 1 };
    const p = o.pos;
    if (p !== undefined && !ownerPos) {
      if (isObj(p) && isPosInt(p.line) && isPosInt(p.col) && Object.keys(p).every((k) => k === 'line' || k === 'col')) {
        this.pos = { line: p.line as number, col: p.col as number };
      } else {
        this.fail('pos', l10n.t('expected {0} with N >= 1, found {1}', '{"line": N, "col": N}', describeValue(p)));
      }
    }
    for (const k of Object.keys(o)) {
      if ((k !== 'pos' || ownerPos) && !allowed.includes(k)) this.fail(undefined, l10n.t('unknown field "{0}"; expected one of: {1}', k, allowed.join(', ')));
    }
  }

  /** The JSON path of a field of this item. */
  pathOf(field: string | undefined): string {
    if (field === undefined) return this.path;
    return field.startsWith('[') ? this.path + field : `${this.path}.${field}`;
  }

  fail(field: string | undefined, problem: string): void {
    this.ok = false;
    this.ctx.errors.push(new ScenarioError(this.ctx.file, this.pos.line, this.pos.col, `${this.pathOf(field)}: ${problem}`));
  }

  /** The raw value; null counts as absent. */
  raw(k: string): unknown {
    const v = this.o[k];
    return v === null ? undefined : v;
  }

  has(k: string): boolean {
    return this.raw(k) !== undefined;
  }

  missing(k: string, expected: string): void {
    this.fail(k, l10n.t('expected {0}, found {1}', expected, l10n.t('nothing')));
  }

  string(k: string, expected: string, required: true): string;
  string(k: string, expected: string, required: false): string | undefined;
  string(k: string, expected: string, required: boolean): string | undefined {
    const v = this.raw(k);
    if (v === undefined) {
      if (required) this.missing(k, expected);
      return required ? '' : undefined;
    }
    if (typeof v !== 'string') {
      this.fail(k, l10n.t('expected {0}, found {1}', expected, describeValue(v)));
      return required ? '' : undefined;
    }
    return v;
  }

  int(k: string, what: string, [min, max]: readonly [number, number], def: number): number;
  int(k: string, what: string, range: readonly [number, number], def: undefined, hex?: boolean): number | undefined;
  int(k: string, what: string, [min, max]: readonly [number, number], def: number | undefined, hex = false): number | undefined {
    const v = this.raw(k);
    if (v === undefined) return def;
    let n: bigint | undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
    else if (hex && typeof v === 'string') n = parseIntText(v, true);
    if (n === undefined) {
      this.fail(k, l10n.t('expected a number {0}..{1} for {2}, found {3}', min, max, what, describeValue(v)));
      return def ?? min;
    }
    const p = rangeProblem(what, n, min, max, typeof v === 'string' ? v : undefined);
    if (p) {
      this.fail(k, p);
      return def ?? min;
    }
    return Number(n);
  }

  required(k: string, what: string, range: readonly [number, number], expected: string): number {
    if (!this.has(k)) {
      this.missing(k, expected);
      return range[0];
    }
    return this.int(k, what, range, undefined) ?? range[0];
  }

  bool(k: string, def: boolean): boolean;
  bool(k: string, def: undefined): boolean | undefined;
  bool(k: string, def: boolean | undefined): boolean | undefined {
    const v = this.raw(k);
    if (v === undefined) return def;
    if (typeof v !== 'boolean') {
      this.fail(k, l10n.t('expected true or false, found {0}', describeValue(v)));
      return def;
    }
    return v;
  }

  oneOf<T extends string>(k: string, expected: string, values: readonly T[], def: T): T;
  oneOf<T extends string>(k: string, expected: string, values: readonly T[], def: undefined): T | undefined;
  oneOf<T extends string>(k: string, expected: string, values: readonly T[], def: T | undefined): T | undefined {
    const v = this.raw(k);
    if (v === undefined) {
      if (def === undefined) this.missing(k, `${expected} (${values.join(', ')})`);
      return def;
    }
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      this.fail(k, l10n.t('expected {0} ({1}), found {2}', expected, values.join(', '), describeValue(v)));
      return def ?? values[0];
    }
    return v as T;
  }

  ipv4(k: string, required: true, check?: (a: number, text: string) => string | undefined): string;
  ipv4(k: string, required: false, check?: (a: number, text: string) => string | undefined): string | undefined;
  ipv4(k: string, required: boolean, check?: (a: number, text: string) => string | undefined): string | undefined {
    const v = this.raw(k);
    if (v === undefined) {
      if (required) this.missing(k, l10n.t('an IPv4 address'));
      return required ? '0.0.0.0' : undefined;
    }
    const a = typeof v === 'string' ? parseIpv4(v) : undefined;
    if (a === undefined) {
      this.fail(k, l10n.t('expected an IPv4 address, found {0}', describeValue(v)));
      return required ? '0.0.0.0' : undefined;
    }
    const text = formatIpv4(a);
    const p = check?.(a, text);
    if (p) this.fail(k, p);
    return text;
  }

  mac(k: string, required: boolean): string | undefined {
    const v = this.raw(k);
    if (v === undefined) {
      if (required) this.missing(k, macExpected());
      return undefined;
    }
    const m = typeof v === 'string' ? canonicalMac(v) : undefined;
    if (m === undefined) this.fail(k, l10n.t('expected {0}, found {1}', macExpected(), describeValue(v)));
    return m;
  }

  /** Nanoseconds, as a number or as a duration string such as "10ms". */
  duration(k: string, def: number): number;
  duration(k: string, def: undefined): number | undefined;
  duration(k: string, def: number | undefined): number | undefined {
    const v = this.raw(k);
    if (v === undefined) return def;
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v) && v >= 0) return v;
      this.fail(k, l10n.t('expected a whole number of nanoseconds or a duration like {0}, found {1}', '"10ms"', describeValue(v)));
      return def ?? 0;
    }
    if (typeof v === 'string') {
      const r = durationValue(v);
      if ('ns' in r) return r.ns;
      this.fail(k, r.problem);
      return def ?? 0;
    }
    this.fail(k, l10n.t('expected a whole number of nanoseconds or a duration like {0}, found {1}', '"10ms"', describeValue(v)));
    return def ?? 0;
  }

  /** The name of an existing link (whether it exists is a semantic check). */
  linkName(k: string, required: boolean): string | undefined {
    const v = this.raw(k);
    const expected = l10n.t('a link name (1..15 of letters, digits, _ . -)');
    if (v === undefined) {
      if (required) this.missing(k, expected);
      return undefined;
    }
    if (typeof v !== 'string' || !/^[A-Za-z0-9_.-]{1,15}$/.test(v)) {
      this.fail(k, l10n.t('expected {0}, found {1}', expected, describeValue(v)));
      return undefined;
    }
    return v;
  }
}

function isPosInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}
