// The model listings and the map between step points and listing lines. The debugger shows the
// listing of a modeled kernel file for the run's profile and highlights the line of the current
// step point; line breakpoints are checked against the step points a line carries.

import * as l10n from '@vscode/l10n';
import type { ListingFile, ListingProfile } from './types';
import { ARP } from './arp';
import { ARP_H } from './arp_h';
import { DEV } from './dev';
import { DST_H } from './dst_h';
import { ICMP } from './icmp';
import { IP_INPUT } from './ip_input';
import { IP_OUTPUT } from './ip_output';
import { NEIGHBOUR } from './neighbour';
import { NEIGHBOUR_H } from './neighbour_h';
import { NETFILTER } from './netfilter';
import { RAW } from './raw';
import { ROUTE } from './route';
import { TCP_IPV4 } from './tcp_ipv4';
import { UDP } from './udp';
import { IPV4_NETFILTER } from './ipv4_netfilter';
import { NF_DUP_IPV4 } from './nf_dup_ipv4';
import { VLAN_DEV } from './vlan_dev';
import { SKBUFF } from './skbuff';
import { SOFTIRQ } from './softirq';

export type { ListingFile, ListingFunction, ListingLine, ListingProfile } from './types';

/** Every listing, roughly in the order a sent packet meets the files. */
export const LISTINGS: ListingFile[] = [
  UDP, RAW, TCP_IPV4, ROUTE, IP_OUTPUT, DST_H, NETFILTER, IPV4_NETFILTER, NF_DUP_IPV4, SKBUFF, ARP_H, NEIGHBOUR, NEIGHBOUR_H, ARP,
  DEV, VLAN_DEV, SOFTIRQ, ICMP, IP_INPUT,
];

export interface RenderedListing {
  text: string;
  /** `fn + ':' + step` -> 1-based line number. */
  lines: Map<string, number>;
}

function visible(profiles: readonly ListingProfile[] | undefined, profile: ListingProfile): boolean {
  return !profiles || profiles.includes(profile);
}

/**
 * The comment that opens a listing: what it is, in the user's language. It has the same number of
 * lines in every language, so that a line's number (and a breakpoint on it) does not depend on it.
 */
function header(path: string, profile: ListingProfile): string[] {
  return [
    '/*',
    ` * ${title(path, profile)}`,
    ' *',
    ` * ${l10n.t('This is kpath\'s model listing, not kernel source: C-like text that follows its model of this file.')}`,
    ` * ${l10n.t('Names follow the kernel; bodies are simplified.')}`,
    ` * ${l10n.t('Step points are the lines the debugger stops on.')}`,
    ' */',
  ];
}

function title(path: string, profile: ListingProfile): string {
  return l10n.t('{0}: kpath model listing, kernel profile {1}', path, profile);
}

/** The file's text for one profile, and where each step point sits in it. */
export function renderListing(file: ListingFile, profile: ListingProfile): RenderedListing {
  const out = header(file.path, profile);
  const lines = new Map<string, number>();
  for (const f of file.functions) {
    if (!f.profiles.includes(profile)) continue;
    out.push('');
    for (const l of f.lines) {
      if (!visible(l.profiles, profile)) continue;
      out.push(l.text);
      if (l.step) lines.set(`${f.name}:${l.step}`, out.length);
    }
  }
  return { text: out.join('\n') + '\n', lines };
}

const byFunction = new Map<string, ListingFile>();
const byPath = new Map<string, ListingFile>();
for (const file of LISTINGS) {
  byPath.set(file.path, file);
  for (const f of file.functions) byFunction.set(f.name, file);
}

/** The kernel path of the listing that holds a modeled function. */
export function listingPathFor(fn: string): string | undefined {
  return byFunction.get(fn)?.path;
}

/** The listing of a kernel path, if kpath has one. */
export function listingFile(path: string): ListingFile | undefined {
  return byPath.get(path);
}

export interface IndexedListing extends RenderedListing {
  /** 1-based line -> the step points on it. */
  steps: Map<number, { fn: string; step: string }[]>;
}

const cache = new Map<string, IndexedListing>();

/** renderListing for a kernel path, cached per profile and language, with the reverse map (line -> step points). */
export function renderedListing(profile: ListingProfile, path: string): IndexedListing | undefined {
  // The header's first line names the path and the profile in the language in use.
  const key = title(path, profile);
  let c = cache.get(key);
  if (!c) {
    const file = byPath.get(path);
    if (!file) return undefined;
    const r = renderListing(file, profile);
    const steps = new Map<number, { fn: string; step: string }[]>();
    for (const [k, line] of r.lines) {
      const i = k.lastIndexOf(':');
      const list = steps.get(line) ?? [];
      list.push({ fn: k.slice(0, i), step: k.slice(i + 1) });
      steps.set(line, list);
    }
    c = { ...r, steps };
    cache.set(key, c);
  }
  return c;
}

const HEADER_LINES = header('', '6.18').length;
const outlined = new Map<string, Map<string, number>>();

/**
 * Where each step point of a file's listing falls (`fn + ':' + step` -> 1-based line), for one
 * profile, from its functions' outlines: the same lines as renderListing's, without the text (a
 * function breakpoint's line is known before its listing is written).
 */
export function listingStepLines(profile: ListingProfile, path: string): ReadonlyMap<string, number> | undefined {
  const key = `${profile} ${path}`;
  let lines = outlined.get(key);
  if (!lines) {
    const file = byPath.get(path);
    if (!file) return undefined;
    lines = new Map();
    let at = HEADER_LINES;
    for (const f of file.functions) {
      if (!f.profiles.includes(profile)) continue;
      const o = f.outline(profile);
      for (const [step, i] of o.steps) lines.set(`${f.name}:${step}`, at + 2 + i);
      at += 1 + o.lines;
    }
    outlined.set(key, lines);
  }
  return lines;
}

/** Where the debugger highlights step point `step` ('enter', 'leave' or a w.at label) of `fn`. */
export function stepLine(profile: ListingProfile, fn: string, step: string): { path: string; line: number } | undefined {
  const path = listingPathFor(fn);
  if (!path) return undefined;
  const line = listingStepLines(profile, path)?.get(`${fn}:${step}`);
  return line === undefined ? undefined : { path, line };
}

/** The step points on a line of a listing (for verifying line breakpoints); empty when it has none. */
export function stepsAtLine(profile: ListingProfile, path: string, line: number): { fn: string; step: string }[] {
  return [...(renderedListing(profile, path)?.steps.get(line) ?? [])];
}

/** The step-point line nearest to `line` (ties go to the later line), for "nearest: line N". */
export function nearestStepLine(profile: ListingProfile, path: string, line: number): number | undefined {
  const r = renderedListing(profile, path);
  if (!r) return undefined;
  let best: number | undefined;
  for (const l of r.steps.keys()) {
    const d = Math.abs(l - line);
    if (best === undefined || d < Math.abs(best - line) || (d === Math.abs(best - line) && l > best)) best = l;
  }
  return best;
}

/**
 * Where a caller frame shows while its callee runs: the line in the caller's listing that calls
 * `callee` (the first at or after the caller's current step point, else the first in the
 * function), or the step point's own line when the listing names no such call.
 */
export function callLine(profile: ListingProfile, caller: string, step: string, callee: string): { path: string; line: number } | undefined {
  const at = stepLine(profile, caller, step);
  const enter = stepLine(profile, caller, 'enter');
  const leave = stepLine(profile, caller, 'leave');
  if (!at || !enter || !leave) return at;
  const text = renderedListing(profile, enter.path)!.text.split('\n');
  // A direct call first; then the callee passed as a function (ip_fragment(..., ip_finish_output2)).
  const direct = (l: number) => text[l - 1].includes(`${callee}(`);
  const passed = (l: number) => text[l - 1].includes(`${callee},`) || text[l - 1].includes(`${callee})`);
  for (const calls of [direct, passed]) {
    for (let l = Math.max(at.line, enter.line + 1); l < leave.line; l++) if (calls(l)) return { path: enter.path, line: l };
    for (let l = enter.line + 1; l < leave.line; l++) if (calls(l)) return { path: enter.path, line: l };
  }
  return at;
}
