// Golden transcripts of fixed debugging sessions through the adapter: each request, then where it
// stopped (the stopped event's reason and description), the top frames as "fn @ file:line" and a
// few variables. A change to stepping, to the listings' lines or to what a stop shows appears
// here as a line diff that is easy to review.
//
// To accept a change on purpose: `npm run golden` (it sets KPATH_UPDATE_GOLDEN=1, which rewrites
// test/adapter/golden/*.txt instead of comparing), then read the diff before committing it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapSession, DEFAULT_SCENARIO, kernelPath } from '../helpers/dap';
import { REPO_ROOT, writeFileAtomic } from '../helpers/cli';
import { lineDiff } from '../helpers/diff';

const UPDATE = process.env.KPATH_UPDATE_GOLDEN === '1';
const GOLDEN_DIR = path.join(REPO_ROOT, 'test', 'adapter', 'golden');

type Action =
  | { step: 'next' | 'stepIn' | 'stepOut' | 'stepBack' | 'continue' | 'reverseContinue' | 'restart' }
  | { functionBreakpoints: string[] };

interface Session {
  file: string;
  title: string;
  launch: { kernel?: '6.18' | '4.9' };
  /** Function breakpoints set before the run starts. */
  breakpoints?: string[];
  actions: Action[];
}

const steps = (...names: ('next' | 'stepIn' | 'stepOut' | 'stepBack' | 'continue' | 'reverseContinue' | 'restart')[]): Action[] => names.map((step) => ({ step }));

// From udp_sendmsg into ip_route_output_flow and out, over ip_make_skb, down through ip_send_skb
// and ip_local_out into __ip_local_out, out again, back two steps, and forward again.
const ENTRY_WALK = steps('stepIn', 'stepOut', 'next', 'stepIn', 'stepIn', 'stepIn', 'next', 'stepOut', 'stepBack', 'stepBack', 'stepIn', 'next', 'next');

const SESSIONS: Session[] = [
  {
    file: 'default.stepping.txt',
    title: 'media/scenarios/default.kpath, kernel 6.18: from the entry into the IP path and back',
    launch: {},
    actions: ENTRY_WALK,
  },
  {
    file: 'default.4.9.stepping.txt',
    title: 'media/scenarios/default.kpath, kernel 4.9: the same requests on the classic path',
    launch: { kernel: '4.9' },
    actions: ENTRY_WALK,
  },
  {
    file: 'default.fragments.txt',
    title: 'media/scenarios/default.kpath, kernel 6.18: fragmenting the 3000 B datagram',
    launch: {},
    actions: [
      { functionBreakpoints: ['ip_do_fragment'] },
      ...steps('continue', 'next', 'next', 'stepIn', 'next', 'next', 'stepOut', 'next', 'stepBack'),
      { functionBreakpoints: ['ip_finish_output2'] },
      ...steps('continue', 'continue', 'reverseContinue', 'reverseContinue', 'stepOut', 'continue'),
    ],
  },
];

/** One stop as transcript lines. */
async function describeStop(s: DapSession, st: DebugProtocol.StoppedEvent | null): Promise<string[]> {
  if (!st) return ['< terminated'];
  const out = [`< stopped: ${st.body.reason}, thread ${st.body.threadId}: ${st.body.description ?? ''}`.trimEnd()];
  const frames = await s.stack(st);
  for (const f of frames.slice(0, 3)) out.push(`    ${f.name} @ ${kernelPath(f.source?.path)}:${f.line}`);
  if (frames.length > 3) out.push(`    ... ${frames.length - 3} more`);
  const locals = await s.scope(frames[0].id, 'Locals');
  const shown = locals.filter((v) => v.name !== 'decisions').slice(0, 6).map((v) => `${v.name}=${v.value}`);
  out.push(`  locals: ${shown.join(', ') || '(none)'}`);
  const decisions = locals.find((v) => v.name === 'decisions');
  if (decisions) out.push(`  decisions: ${decisions.value}`);
  const len = await s.value('skb->len', frames[0].id).catch(() => undefined);
  if (len !== undefined) out.push(`  skb->len=${len} ip_hdr(skb)->id=${await s.value('ip_hdr(skb)->id', frames[0].id).catch(() => '-')}`);
  return out;
}

async function transcript(session: Session): Promise<string> {
  const s = await new DapSession().start();
  try {
    const lines = [`# ${session.title}`, '# Regenerate with: npm run golden', ''];
    const launchArgs = { scenario: DEFAULT_SCENARIO, stopOnEntry: true, ...session.launch };
    lines.push(`> launch ${JSON.stringify({ scenario: 'media/scenarios/default.kpath', stopOnEntry: true, ...session.launch })}`);
    let st = await s.launch(launchArgs);
    lines.push(...(await describeStop(s, st)));
    for (const a of session.actions) {
      lines.push('');
      if ('functionBreakpoints' in a) {
        const r = await s.dc.setFunctionBreakpointsRequest({ breakpoints: a.functionBreakpoints.map((name) => ({ name })) });
        lines.push(`> setFunctionBreakpoints ${a.functionBreakpoints.join(', ')}`);
        for (const b of r.body.breakpoints) lines.push(`< ${b.verified ? 'verified' : 'unverified'}${b.source ? ` at ${kernelPath(b.source.path)}:${b.line}` : ''}${b.message ? `: ${b.message}` : ''}`);
        continue;
      }
      lines.push(`> ${a.step}`);
      if (!st && a.step !== 'restart') {
        lines.push('< (not stopped)');
        continue;
      }
      st = await s.exec(a.step);
      lines.push(...(await describeStop(s, st)));
    }
    return lines.join('\n') + '\n';
  } finally {
    await s.stop();
  }
}

for (const session of SESSIONS) {
  test(`golden: the DAP session in test/adapter/golden/${session.file}`, async () => {
    const actual = await transcript(session);
    const target = path.join(GOLDEN_DIR, session.file);
    if (UPDATE) {
      fs.mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileAtomic(target, actual);
      return;
    }
    assert.ok(fs.existsSync(target), `test/adapter/golden/${session.file} is missing; create it with: npm run golden`);
    const expected = fs.readFileSync(target, 'utf8');
    if (expected !== actual) {
      assert.fail(
        `the DAP session differs from test/adapter/golden/${session.file}\n` +
          lineDiff(expected, actual) +
          `\n\nIf the change is intended, regenerate the golden files with: npm run golden\n` +
          `(or: KPATH_UPDATE_GOLDEN=1 node --test out/test/adapter/golden.test.js) and review the diff of test/adapter/golden/.`,
      );
    }
  });
}

test('the same session gives the same transcript twice (the adapter is deterministic)', async () => {
  const a = await transcript(SESSIONS[2]);
  const b = await transcript(SESSIONS[2]);
  assert.equal(lineDiff(a, b), '');
});

test('adapter golden files end with exactly one newline and hold no trailing spaces or tabs', () => {
  for (const session of SESSIONS) {
    const target = path.join(GOLDEN_DIR, session.file);
    if (!fs.existsSync(target)) continue; // reported by the test above
    const text = fs.readFileSync(target, 'utf8');
    assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'), `${session.file}: should end with one newline`);
    text.split('\n').forEach((line, i) => {
      assert.ok(!/[ \t]$/.test(line), `${session.file}:${i + 1}: trailing whitespace`);
      assert.ok(!line.includes('\t'), `${session.file}:${i + 1}: a tab`);
    });
  }
});
