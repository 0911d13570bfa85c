// The model listings against the model: every modeled function has its listing in the file of its
// kernel source; every step point the model reports (w.enter, w.at, w.leave) has exactly one line
// in each profile; rendering per profile; the step-point <-> line maps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MODELED_FUNCTIONS } from '../../src/model/kernel/functions';
import {
  LISTINGS, renderListing, listingPathFor, listingFile, stepLine, stepsAtLine, nearestStepLine,
} from '../../src/model/listing';
import type { ListingFunction, ListingProfile } from '../../src/model/listing';
import { renderedListing } from '../../src/model/listing';
import { useLanguage } from '../../src/l10n';

const PROFILES: ListingProfile[] = ['6.18', '4.9'];

function repoRoot(from: string): string {
  let d = from;
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error('package.json not found above ' + from);
    d = up;
  }
  return d;
}

const KERNEL_DIR = join(repoRoot(__dirname), 'src', 'model', 'kernel');

function visibleLines(f: ListingFunction, p: ListingProfile) {
  return f.lines.filter((l) => !l.profiles || l.profiles.includes(p));
}

// ---- What the model reports, read from its source ----------------------------------------------

/** Bodies that run under a name given by their caller (w.enter(name, ...)), per profile. */
const SHARED_BODIES: Record<string, { fn: string; profiles: ListingProfile[] }[]> = {
  finishOutputBody: [
    { fn: 'ip_finish_output', profiles: ['4.9'] },
    { fn: '__ip_finish_output', profiles: ['6.18'] },
  ],
  // UDP_SEGMENT exists only in 6.x.
  udp_send_skb_gso: [{ fn: 'udp_sendmsg', profiles: ['6.18'] }],
};

/** w.at labels the model reports in one profile only (under `if (k.v49)`): fn:label -> profile. */
const ONLY_IN: Record<string, ListingProfile> = {
  'ip_output:stats': '4.9',
};

interface TsFunction {
  file: string;
  name: string;
  /** The body with comments removed. */
  code: string;
  enters: string[];
  dynamicEnter: boolean;
  ats: string[];
}

function stripComments(s: string): string {
  return s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

function readModel(): TsFunction[] {
  const out: TsFunction[] = [];
  for (const file of readdirSync(KERNEL_DIR).filter((f) => f.endsWith('.ts')).sort()) {
    const src = readFileSync(join(KERNEL_DIR, file), 'utf8');
    const decl = /^(?:export\s+)?(?:async\s+)?function\s+([A-Za-z_$][\w$]*)\s*\(/gm;
    const starts: { name: string; index: number }[] = [];
    for (let m = decl.exec(src); m; m = decl.exec(src)) starts.push({ name: m[1], index: m.index });
    starts.forEach((s, i) => {
      const code = stripComments(src.slice(s.index, i + 1 < starts.length ? starts[i + 1].index : src.length));
      out.push({
        file,
        name: s.name,
        code,
        enters: [...code.matchAll(/\bw\??\.enter\(\s*'([^']+)'/g)].map((m) => m[1]),
        dynamicEnter: /\bw\??\.enter\(\s*[^'\s]/.test(code),
        ats: [...code.matchAll(/\bw\??\.at\(\s*'([^']+)'/g)].map((m) => m[1]),
      });
    });
  }
  return out;
}

const MODEL = readModel();
const PROFILES_OF = new Map(MODELED_FUNCTIONS.map((f) => [f.name, [...f.profiles] as ListingProfile[]]));

/** The modeled functions (and their profiles) a TS function's step points belong to. */
function ownersOf(name: string, seen = new Set<string>()): { fn: string; profiles: ListingProfile[] }[] {
  if (SHARED_BODIES[name]) return SHARED_BODIES[name];
  if (seen.has(name)) return [];
  seen.add(name);
  const defs = MODEL.filter((f) => f.name === name);
  assert.ok(defs.length, `no function ${name} in src/model/kernel`);
  const out: { fn: string; profiles: ListingProfile[] }[] = [];
  for (const def of defs) {
    assert.ok(!def.dynamicEnter, `${def.file}: ${name} enters under a computed name: add it to SHARED_BODIES in this test`);
    const names = [...new Set(def.enters)];
    assert.ok(names.length <= 1 || def.ats.length === 0,
      `${def.file}: ${name} enters ${names.join(', ')} and has w.at() calls: which function do they belong to?`);
    if (names.length === 1) {
      out.push({ fn: names[0], profiles: PROFILES_OF.get(names[0]) ?? [] });
      continue;
    }
    // A helper without w.enter: its step points belong to the modeled functions that call it.
    const call = new RegExp(`(^|[^\\w$.])${name.replace(/\$/g, '\\$')}\\(`);
    const callers = MODEL.filter((f) => f.name !== name && call.test(f.code));
    assert.ok(callers.length, `${def.file}: ${name} has w.at() calls but no caller was found`);
    for (const c of callers) out.push(...ownersOf(c.name, seen));
  }
  return out;
}

/** fn -> profile -> the w.at labels the model can report inside it. */
function modelSteps(): Map<string, Map<ListingProfile, Set<string>>> {
  const steps = new Map<string, Map<ListingProfile, Set<string>>>();
  for (const f of MODEL) {
    if (!f.ats.length) continue;
    for (const o of ownersOf(f.name)) {
      const byProfile = steps.get(o.fn) ?? new Map<ListingProfile, Set<string>>();
      steps.set(o.fn, byProfile);
      for (const p of o.profiles.filter((p) => PROFILES_OF.get(o.fn)?.includes(p))) {
        const set = byProfile.get(p) ?? new Set<string>();
        byProfile.set(p, set);
        for (const label of f.ats) if ((ONLY_IN[`${o.fn}:${label}`] ?? p) === p) set.add(label);
      }
    }
  }
  return steps;
}

// ---- Tests -------------------------------------------------------------------------------------

test('the model source was found and has step points', () => {
  assert.ok(MODEL.length > 40, `only ${MODEL.length} functions read from ${KERNEL_DIR}`);
  assert.ok(MODEL.some((f) => f.ats.length), 'no w.at() call found in the model');
});

test('every name the model enters is a modeled function', () => {
  for (const f of MODEL) {
    for (const name of f.enters) assert.ok(PROFILES_OF.has(name), `${f.file}: w.enter('${name}') is not in functions.ts`);
  }
});

test('one listing file per kernel path', () => {
  const paths = LISTINGS.map((f) => f.path);
  assert.deepEqual([...new Set(paths)].sort(), [...paths].sort(), 'a kernel path has two listings');
});

test('every modeled function has exactly one listing, in the file of its source, in its profiles', () => {
  const seen = new Map<string, string[]>();
  for (const file of LISTINGS) for (const f of file.functions) seen.set(f.name, [...(seen.get(f.name) ?? []), file.path]);
  for (const m of MODELED_FUNCTIONS) {
    assert.deepEqual(seen.get(m.name), [m.source], `${m.name}: listed in ${seen.get(m.name)?.join(', ') ?? 'no file'}, source ${m.source}`);
    const lf = LISTINGS.flatMap((f) => f.functions).find((f) => f.name === m.name)!;
    assert.deepEqual([...lf.profiles].sort(), [...m.profiles].sort(), `${m.name}: listing profiles`);
    assert.equal(listingPathFor(m.name), m.source);
  }
  for (const name of seen.keys()) assert.ok(PROFILES_OF.has(name), `listing for ${name}, which functions.ts does not know`);
});

test('each function: enter on its signature, leave on its closing brace, every step once per profile', () => {
  for (const file of LISTINGS) {
    for (const f of file.functions) {
      for (const p of f.profiles) {
        const lines = visibleLines(f, p);
        assert.equal(lines[0].step, 'enter', `${f.name} (${p}): the first line is not 'enter'`);
        assert.match(lines[0].text, new RegExp(`\\b${f.name.replace(/\$/g, '\\$')}\\(`), `${f.name} (${p}): signature`);
        assert.equal(lines[lines.length - 1].step, 'leave', `${f.name} (${p}): the last line is not 'leave'`);
        assert.equal(lines[lines.length - 1].text, '}', `${f.name} (${p}): closing brace`);
        const steps = lines.filter((l) => l.step).map((l) => l.step!);
        assert.deepEqual([...new Set(steps)], steps, `${f.name} (${p}): a step on two lines`);
      }
      for (const l of f.lines) {
        assert.ok(!/@@|@\?|@4\.9|@6\.18|\t|\s$/.test(l.text), `${f.name}: marker, tab or trailing space left in "${l.text}"`);
        for (const lp of l.profiles ?? []) assert.ok(f.profiles.includes(lp), `${f.name}: a ${lp} line in a function that is not in ${lp}`);
      }
    }
  }
});

test('every w.at label in the model has its line in the listing of its function', () => {
  const steps = modelSteps();
  assert.ok(steps.size > 0);
  for (const [fn, byProfile] of steps) {
    for (const [p, labels] of byProfile) {
      for (const label of labels) {
        const at = stepLine(p, fn, label);
        assert.ok(at, `${fn} (${p}): no line for w.at('${label}')`);
      }
    }
  }
  // The shared body of ip_finish_output (4.9) and __ip_finish_output (6.18).
  assert.ok(stepLine('4.9', 'ip_finish_output', 'mtu'));
  assert.ok(stepLine('6.18', '__ip_finish_output', 'mtu'));
  assert.equal(stepLine('6.18', 'ip_finish_output', 'mtu'), undefined);
});

test('every step point in the listings is one the model reports', () => {
  const steps = modelSteps();
  for (const file of LISTINGS) {
    for (const f of file.functions) {
      for (const p of f.profiles) {
        for (const l of visibleLines(f, p)) {
          if (!l.step || l.step === 'enter' || l.step === 'leave') continue;
          assert.ok(steps.get(f.name)?.get(p)?.has(l.step), `${f.name} (${p}): line "${l.text.trim()}" has step '${l.step}', which the model never reports there`);
        }
      }
    }
  }
});

test('rendering: a header, functions separated by blank lines, the other profile omitted', () => {
  for (const file of LISTINGS) {
    for (const p of PROFILES) {
      const { text, lines } = renderListing(file, p);
      const out = text.split('\n');
      assert.equal(out.pop(), '', 'ends with a newline');
      const header = out.slice(0, out.indexOf(' */') + 1).join('\n');
      assert.ok(header.startsWith('/*') && header.includes(file.path) && header.includes(`profile ${p}`), header);
      assert.match(header, /kpath's model listing, not kernel source/);
      // Rebuild the expected body: blank line, then each visible line of each function in the profile.
      const expected: string[] = [];
      for (const f of file.functions.filter((f) => f.profiles.includes(p))) expected.push('', ...visibleLines(f, p).map((l) => l.text));
      assert.deepEqual(out.slice(out.length - expected.length), expected);
      assert.equal(out.length, header.split('\n').length + expected.length);
      for (const [key, line] of lines) {
        const [fn, step] = [key.slice(0, key.lastIndexOf(':')), key.slice(key.lastIndexOf(':') + 1)];
        const f = file.functions.find((x) => x.name === fn)!;
        assert.equal(out[line - 1], visibleLines(f, p).find((l) => l.step === step)!.text, key);
      }
      for (const f of file.functions) {
        if (!f.profiles.includes(p)) assert.ok(![...lines.keys()].some((k) => k.startsWith(f.name + ':')), `${f.name} rendered in ${p}`);
      }
    }
  }
  const ip = listingFile('net/ipv4/ip_output.c')!;
  const v6 = renderListing(ip, '6.18').text;
  const v4 = renderListing(ip, '4.9').text;
  assert.ok(v6.includes('__ip_finish_output(') && v6.includes('skb_expand_head') && v6.includes('ip_mc_finish_output('));
  assert.ok(!v6.includes('IPSKB_FRAG_PMTU)') && !v6.includes('dst_neigh_output') && !v6.includes('NETIF_F_UFO'));
  assert.ok(v4.includes('IPSKB_FRAG_PMTU') && v4.includes('dst_neigh_output') && v4.includes('skb_realloc_headroom'));
  assert.ok(!v4.includes('static int __ip_finish_output') && !v4.includes('skb_expand_head') && !v4.includes('BPF_CGROUP'));
  assert.equal(renderListing(ip, '6.18').text, v6, 'rendering is deterministic');
});

test('in Chinese the header is Chinese, as long as the English one: every other line, and so every step point and breakpoint, stays where it is', () => {
  const en = renderedListing('6.18', 'net/ipv4/ip_output.c')!;
  useLanguage('zh-cn');
  try {
    const zh = renderedListing('6.18', 'net/ipv4/ip_output.c')!;
    const [enLines, zhLines] = [en.text.split('\n'), zh.text.split('\n')];
    assert.equal(zhLines[1], ' * net/ipv4/ip_output.c：kpath 模型清单，内核版本 6.18');
    assert.match(zhLines[3], /^ \* 这是 kpath 的模型清单，不是内核源码/);
    assert.equal(zhLines.length, enLines.length);
    assert.deepEqual(zhLines.slice(7), enLines.slice(7), 'the listing below the header');
    assert.deepEqual(zh.lines, en.lines);
  } finally {
    useLanguage('en');
  }
  assert.equal(renderedListing('6.18', 'net/ipv4/ip_output.c')!.text, en.text, 'English again once English is spoken');
});

test('stepLine and stepsAtLine agree', () => {
  for (const file of LISTINGS) {
    for (const p of PROFILES) {
      const { text } = renderListing(file, p);
      const n = text.split('\n').length;
      const stepped = new Set<number>();
      for (const f of file.functions) {
        for (const l of f.lines) {
          if (!l.step) continue;
          const at = stepLine(p, f.name, l.step);
          if (!f.profiles.includes(p)) {
            assert.equal(at, undefined, `${f.name} is not in ${p}`);
            continue;
          }
          if (l.profiles && !l.profiles.includes(p)) continue;
          assert.ok(at, `${f.name}:${l.step} (${p})`);
          assert.equal(at.path, file.path);
          assert.deepEqual(stepsAtLine(p, file.path, at.line), [{ fn: f.name, step: l.step }]);
          stepped.add(at.line);
        }
      }
      for (let line = 1; line <= n; line++) {
        const s = stepsAtLine(p, file.path, line);
        assert.equal(s.length > 0, stepped.has(line), `${file.path} (${p}) line ${line}`);
        const near = nearestStepLine(p, file.path, line);
        assert.ok(near !== undefined && stepped.has(near), `nearest step line to ${line}`);
        if (stepped.has(line)) assert.equal(near, line);
      }
    }
  }
  assert.deepEqual(stepsAtLine('6.18', 'no/such/file.c', 1), []);
  assert.equal(stepLine('6.18', 'no_such_function', 'enter'), undefined);
  assert.equal(stepLine('6.18', 'ip_output', 'no_such_step'), undefined);
  assert.equal(listingPathFor('no_such_function'), undefined);
  const e = stepLine('6.18', 'ip_finish_output2', 'enter')!;
  const l = stepLine('6.18', 'ip_finish_output2', 'leave')!;
  assert.ok(e.path === 'net/ipv4/ip_output.c' && e.line < stepLine('6.18', 'ip_finish_output2', 'nexthop')!.line && l.line > e.line);
});
