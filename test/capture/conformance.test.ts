// The model against the real kernel: for each capture stored in test/captures/NAME (made by
// `kpath capture`), run the same scenario on the model and require compare() to find nothing but
// the known differences of test/capture/suite.ts. As root, with network namespaces, tcpdump and
// the kernel version the captures were made on, capture each scenario again and require the
// kernel to do what the stored capture says; elsewhere that part is skipped, saying why.
//
// KPATH_UPDATE_CONFORMANCE=1 (or KPATH_UPDATE_GOLDEN=1) rewrites docs/conformance.md from the
// comparisons. KPATH_LIVE=0 skips the live part; KPATH_LIVE=1 runs it on any kernel version.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseScenario } from '../../src/model/scenario/parse';
import type { Scenario } from '../../src/model/scenario/types';
import { runScenario } from '../../src/model/run';
import { readCapture, scenarioDigest, type StoredCapture } from '../../src/capture/capture-doc';
import { compare, type Difference } from '../../src/capture/compare';
import { sideFromCapture, sideFromRun } from '../../src/capture/sides';
import { eventSummary } from '../../src/capture/compare-events';
import { captureEnd, captureScenario, preflight, preflightMessage } from '../../src/capture/live';
import { BEHAVIOURS, KNOWN, NOT_AS_WRITTEN, NOT_REPEATABLE } from './suite';
import { attribution, conformanceMarkdown, type CaseResult } from './report';
import { ROUTE_AUDIT } from './audit';
import { behaviours, behaviourOf, coverageMarkdown, NoteCollector, type Behaviour } from './coverage';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CAPTURES = path.join(ROOT, 'test', 'captures');

interface Case {
  name: string;
  /** Relative to the repository. */
  scenarioPath: string;
  adjusted: boolean;
  scenario: Scenario;
  stored: StoredCapture;
}

function loadCases(): Case[] {
  const out: Case[] = [];
  for (const name of fs.readdirSync(CAPTURES).sort()) {
    const dir = path.join(CAPTURES, name);
    if (!fs.existsSync(path.join(dir, 'result.json'))) continue;
    const stored = readCapture(dir);
    const copy = path.join(dir, 'scenario.kpath');
    const adjusted = fs.existsSync(copy);
    const scenarioPath = adjusted ? path.relative(ROOT, copy) : stored.doc.scenario;
    const file = path.join(ROOT, scenarioPath);
    out.push({ name, scenarioPath, adjusted, scenario: parseScenario(fs.readFileSync(file, 'utf8'), file), stored });
  }
  return out;
}

const cases = loadCases();
const results = new Map<string, CaseResult>();
const BEHAVIOUR_LIST = behaviours(path.join(ROOT, 'src', 'model', 'kernel'));
const reached = new Map<Behaviour, string[]>();

const fmt = (d: Difference): string => `${d.where}: ${d.field}: model ${d.model}; kernel ${d.kernel}${d.rule ? ` [${d.rule}]` : ''}`;

describe('the model against the real kernel (test/captures)', () => {
  it('has a suite of at least 25 stored captures', () => {
    assert.ok(cases.length >= 25, `only ${cases.length} stored captures`);
  });

  for (const c of cases) {
    describe(c.name, () => {
      it('the stored capture is of this scenario', () => {
        assert.equal(c.stored.doc.scenarioDigest, scenarioDigest(c.scenario),
          `${c.scenarioPath} has changed since test/captures/${c.name} was captured; capture it again (as root): ` +
          `kpath capture ${c.scenarioPath} test/captures/${c.name}`);
      });

      it('the model does what the kernel did, known differences aside', (t) => {
        const model = sideFromRun(runScenario(c.scenario, { events: true }));
        const kernel = sideFromCapture(c.stored);
        const cmp = compare(model, kernel, { fixedPorts: c.scenario.sends.flatMap((x) => (x.fromPort ? [x.fromPort] : [])) });
        const known = new Set<string>();
        const unexpected: Difference[] = [];
        for (const d of cmp.differences) {
          const k = KNOWN.find((x) => x.scenarios.includes(c.name) && x.matches(d, { model, kernel }));
          if (k) {
            known.add(k.id);
            attribution.set(d, k.id);
          } else unexpected.push(d);
        }
        for (const id of known) t.diagnostic(`known difference: ${KNOWN.find((k) => k.id === id)!.title}`);
        for (const k of KNOWN) {
          if (k.scenarios.includes(c.name) && !known.has(k.id)) t.diagnostic(`listed known difference "${k.id}" no longer shows here`);
        }
        results.set(c.name, {
          name: c.name, scenario: c.scenarioPath, adjusted: c.adjusted, behaviour: BEHAVIOURS[c.name] ?? '',
          kernel: c.stored.doc.kernel, modelFrames: model.frames.length, kernelFrames: kernel.frames.length,
          calls: model.sends.length, differences: cmp.differences, known: [...known],
          events: cmp.eventsCompared ? { model: eventSummary(model.events!), kernel: eventSummary(kernel.events!), reasons: [...new Set(kernel.events!.filter((e) => e.event === 'kfree_skb').map((e) => e.reason!))] } : undefined,
        });
        assert.deepEqual(unexpected.map(fmt), [], `the model and the kernel differ in ${c.name} (kpath compare ${c.scenarioPath} --capture test/captures/${c.name})`);
      });

      it("each decision the model explains while running it is one of the behaviours read from the source", () => {
        const notes = new NoteCollector();
        runScenario(c.scenario, { watcher: notes });
        const unknown = new Set<string>();
        for (const n of notes.notes) {
          const b = behaviourOf(BEHAVIOUR_LIST, n);
          if (!b) {
            unknown.add(`${n.fn}: ${n.text}`);
            continue;
          }
          const list = reached.get(b) ?? reached.set(b, []).get(b)!;
          if (!list.includes(c.name)) list.push(c.name);
        }
        assert.deepEqual([...unknown], []);
      });
    });
  }

  it('the route audit names stored captures only', () => {
    const names = new Set(cases.map((c) => c.name));
    assert.deepEqual(ROUTE_AUDIT.flatMap((r) => r.captures).filter((c) => !names.has(c)), []);
  });

  it('every scenario of test/scenarios is in the suite, or says why not', () => {
    const have = new Set(cases.map((c) => path.basename(c.scenarioPath) === 'scenario.kpath' ? c.name : path.basename(c.scenarioPath, '.kpath')));
    const missing = fs.readdirSync(path.join(ROOT, 'test', 'scenarios'))
      .filter((f) => f.endsWith('.kpath'))
      .map((f) => f.slice(0, -6))
      .filter((n) => !have.has(n) && !NOT_AS_WRITTEN[n]);
    // A capture needs root and network namespaces; a scenario that cannot be captured says why in suite.ts (NOT_AS_WRITTEN).
    assert.deepEqual(missing.map((n) => `no stored capture of test/scenarios/${n}.kpath: as root, kpath capture test/scenarios/${n}.kpath test/captures/${n}; or say why not in test/capture/suite.ts NOT_AS_WRITTEN`), []);
  });

  // The behaviours that only scenarios without a capture reach (the VLAN ones: no 802.1Q here).
  const elsewhere = new Map<Behaviour, string[]>();
  it('the scenarios without a capture run on the model, and their behaviours are read from the source', () => {
    for (const name of Object.keys(NOT_AS_WRITTEN)) {
      const file = path.join(ROOT, 'test', 'scenarios', `${name}.kpath`);
      if (!fs.existsSync(file) || cases.some((c) => c.name === name)) continue;
      const notes = new NoteCollector();
      runScenario(parseScenario(fs.readFileSync(file, 'utf8'), file), { watcher: notes });
      for (const n of notes.notes) {
        const b = behaviourOf(BEHAVIOUR_LIST, n);
        assert.ok(b, `${name}: ${n.fn}: ${n.text}`);
        const list = elsewhere.get(b) ?? elsewhere.set(b, []).get(b)!;
        if (!list.includes(name)) list.push(name);
      }
    }
  });

  after(() => {
    if (!process.env.KPATH_UPDATE_CONFORMANCE && !process.env.KPATH_UPDATE_GOLDEN) return;
    if (results.size !== cases.length) return; // a partial run does not rewrite the page
    const md = conformanceMarkdown(cases.map((c) => results.get(c.name)!), KNOWN, NOT_AS_WRITTEN, NOT_REPEATABLE, coverageMarkdown(BEHAVIOUR_LIST, reached, elsewhere));
    fs.writeFileSync(path.join(ROOT, 'docs', 'conformance.md'), md);
  });
});

// ---- live ----

function liveSkip(): string | false {
  if (process.env.KPATH_LIVE === '0') return 'KPATH_LIVE=0';
  const pre = preflight({ ...cases[0].scenario, nft: [] });
  if (pre.problems.length || pre.missing.length) return `live capture not possible here: ${preflightMessage(pre).replace(/\n/g, '; ')}`;
  const probe = `kpath-${process.pid}-probe`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.status !== 0) return `live capture not possible here: cannot create a network namespace (${(r.stderr || '').trim()})`;
  spawnSync('ip', ['netns', 'del', probe]);
  const version = (release: string): string => release.split('.').slice(0, 2).join('.');
  const stored = version(cases[0].stored.doc.kernel);
  if (process.env.KPATH_LIVE !== '1' && version(os.release()) !== stored) {
    return `the stored captures come from Linux ${stored} and this is ${os.release()} (KPATH_LIVE=1 compares anyway)`;
  }
  return false;
}

const skipLive = cases.length ? liveSkip() : 'no stored captures';

describe('the real kernel still does what the stored captures say (live)', { skip: skipLive, concurrency: 3 }, () => {
  for (const c of cases) {
    const why = NOT_REPEATABLE[c.name] ?? (c.scenario.nft.length && preflight(c.scenario).missing.length ? 'nft is not installed' : undefined);
    it(c.name, { skip: why ?? false }, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kpath-live-${process.pid}-`));
      try {
        await captureScenario(c.scenario, dir, { end: captureEnd(c.scenario), scenarioPath: c.scenarioPath });
        const now = readCapture(dir);
        const cmp = compare(sideFromCapture(c.stored), sideFromCapture(now), { names: ['stored', 'now'], fixedPorts: c.scenario.sends.flatMap((x) => (x.fromPort ? [x.fromPort] : [])) });
        assert.deepEqual(cmp.differences.map((d) => `${d.where}: ${d.field}: stored ${d.model}; now ${d.kernel}${d.rule ? ` [${d.rule}]` : ''}`), [],
          `the kernel no longer does what test/captures/${c.name} says`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
