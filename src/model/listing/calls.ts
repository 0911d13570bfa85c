// The calls between modeled functions, read from the model listings: the graph behind the path
// picture. A listing names the calls a function makes in three ways, and each is read here:
//   - a direct call `ip_finish_output2(...)`, or a function passed to be called (`ip_fragment(...,
//     ip_finish_output2)`, `NF_HOOK(..., ip_mc_finish_output)`);
//   - a call through one of the kernel's inline wrappers that kpath does not model on its own
//     (nf_hook, NF_HOOK, icmp_send, neigh_event_send), which reaches the modeled function behind it;
//   - a call through a pointer (`n->output(...)`), whose comment names the modeled functions it
//     reaches, on its line or in the comment lines just above it;
//   - a call to a function kpath folds away (`output(...)`, `sch_direct_xmit(...)`) whose comment
//     on the same line starts with the name of the function it reaches (`/* ip_finish_output2 */`,
//     `/* validate_xmit_skb, then dev_hard_start_xmit */`);
//   - a chain `a -> b` in a comment.
// A line whose comment says "never in kpath" is a branch the model never takes (the xfrm reroute
// back to dst_output): its calls are no edges.

import type { ListingProfile } from './types';
import { LISTINGS } from './index';

/** A call from one modeled function to another. */
export interface CallEdge {
  from: string;
  to: string;
}

export interface CallGraph {
  profile: ListingProfile;
  /**
   * The modeled functions of the profile in call order: each after all its callers, but where
   * calls go round in a loop (an ICMP error sent from inside the path is a new packet, made and
   * sent from the top again), the loop is cut before the first function in the listings that a
   * function placed already calls. Otherwise in listing order (the order a sent packet meets the files).
   */
  functions: string[];
  /** The calls, each once, in the order the caller's listing makes them. */
  edges: CallEdge[];
}

/** Kernel inline functions and macros that call a modeled function and are not modeled themselves. */
const WRAPPERS: ReadonlyMap<string, string> = new Map([
  ['nf_hook', 'nf_hook_slow'], // runs the hook's chains when it has any
  ['NF_HOOK', 'nf_hook_slow'], // nf_hook, then the okfn it is given
  ['icmp_send', '__icmp_send'], // __icmp_send with the packet's IP options
  ['neigh_event_send', '__neigh_event_send'], // only for entries not CONNECTED, DELAY or PROBE
  ['local_bh_enable', 'do_softirq'], // when it ends the outermost bh-disabled section with a softirq pending
  ['rcu_read_unlock_bh', 'do_softirq'], // likewise
]);

const CALL = /([A-Za-z_]\w*)\s*\(/g;
/** The comment of a line the model never runs. */
const NEVER = /\bnever in kpath\b/;
const POINTER_CALL = /->\s*[A-Za-z_]\w*\s*\(/;
const WORD = /[A-Za-z_]\w*/g;
const ARROW = /->\s*([A-Za-z_]\w*)/g;
/** A comment that starts by naming the function a call reaches: `/* ip_finish_output2 *\/`, `/* a, then b *\/`. */
const CALLEE_COMMENT = /^\s*([A-Za-z_]\w*)\s*(?:$|[:,])/;
/** C keywords and casts that look like calls. */
const NOT_CALLS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof']);

/** A line's code and its comment (the text of every comment on it). */
function split(line: string): { code: string; comment: string } {
  let code = '';
  let comment = '';
  let rest = line;
  for (;;) {
    const open = rest.indexOf('/*');
    if (open < 0) return { code: code + rest, comment };
    code += rest.slice(0, open);
    const close = rest.indexOf('*/', open + 2);
    comment += ' ' + rest.slice(open + 2, close < 0 ? undefined : close);
    if (close < 0) return { code, comment };
    rest = rest.slice(close + 2);
  }
}

const cache = new Map<ListingProfile, CallGraph>();

/** The call graph of a profile's modeled functions, as the listings tell it. */
export function callGraph(profile: ListingProfile): CallGraph {
  const cached = cache.get(profile);
  if (cached) return cached;
  const functions: string[] = [];
  const bodies: { name: string; lines: string[] }[] = [];
  for (const file of LISTINGS) {
    for (const f of file.functions) {
      if (!f.profiles.includes(profile)) continue;
      functions.push(f.name);
      bodies.push({ name: f.name, lines: f.lines.filter((l) => !l.profiles || l.profiles.includes(profile)).map((l) => l.text) });
    }
  }
  const modeled = new Set(functions);
  const edges: CallEdge[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string): void => {
    const key = `${from}>${to}`;
    if (from === to || !modeled.has(to) || seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to });
  };
  const named = (comment: string): string[] => (comment.match(WORD) ?? []).map((w) => WRAPPERS.get(w) ?? w).filter((w) => modeled.has(w));
  for (const { name, lines } of bodies) {
    // The signature's line names the function itself and its parameters, never a call.
    const parts = lines.slice(1).map(split);
    parts.forEach(({ code, comment }, i) => {
      if (NEVER.test(comment)) return;
      // Each target with where the line names it, so that a line's calls keep their order.
      const targets: [string, number][] = [];
      const text = code + ' ' + comment;
      const mentioned = (names: string[]): void => {
        for (const t of names) targets.push([t, text.indexOf(t)]);
      };
      let folded = false;
      for (const m of code.matchAll(CALL)) {
        const callee = m[1];
        if (NOT_CALLS.has(callee)) continue;
        const wrapped = WRAPPERS.get(callee);
        if (modeled.has(callee)) targets.push([callee, m.index]);
        else if (wrapped) targets.push([wrapped, m.index]);
        else folded = true;
      }
      // Functions handed over to be called: an argument that is a modeled function's name.
      for (const m of code.matchAll(WORD)) {
        if (modeled.has(m[0]) && new RegExp(`[(,]\\s*${m[0]}\\s*[,)]`).test(code)) targets.push([m[0], m.index]);
      }
      if (POINTER_CALL.test(code)) {
        mentioned(named(comment));
        // The comment lines right above a pointer call say where it goes.
        let j = i;
        while (j > 0 && !parts[j - 1].code.trim() && parts[j - 1].comment) j--;
        for (; j < i; j++) for (const t of named(parts[j].comment)) targets.push([t, j - i]);
      } else if (folded && named(CALLEE_COMMENT.exec(comment)?.[1] ?? '').length) {
        mentioned(named(comment));
      }
      mentioned([...comment.matchAll(ARROW)].map((m) => m[1]));
      targets.sort((a, b) => a[1] - b[1]);
      for (const [t] of targets) add(name, t);
    });
  }
  const graph = { profile, functions: callOrder(functions, edges), edges };
  cache.set(profile, graph);
  return graph;
}

/** The functions in call order (CallGraph.functions); `functions` in listing order. */
function callOrder(functions: string[], edges: CallEdge[]): string[] {
  const callers = new Map<string, string[]>(functions.map((f) => [f, []]));
  for (const e of edges) callers.get(e.to)!.push(e.from);
  const placed = new Set<string>();
  const order: string[] = [];
  while (order.length < functions.length) {
    // In a loop, the first function (in listing order) that a placed one calls: the loop of an
    // ARP reply that flushes the queue is cut where it comes back to neigh_resolve_output.
    const next = functions.find((f) => !placed.has(f) && callers.get(f)!.every((c) => placed.has(c))) ??
      functions.find((f) => !placed.has(f) && callers.get(f)!.some((c) => placed.has(c))) ??
      functions.find((f) => !placed.has(f))!;
    placed.add(next);
    order.push(next);
  }
  return order;
}
