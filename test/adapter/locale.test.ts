// The adapter speaks the language of its client: the `locale` of the initialize request (VS Code's
// display language, nvim-dap's LANG) chooses it over the adapter's own locale variables, and
// KPATH_LANGUAGE chooses over both.

import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DapSession } from '../helpers/dap';
import { REPO_ROOT } from '../helpers/cli';

const DEFAULT_SCENARIO = path.join(REPO_ROOT, 'media', 'scenarios', 'default.kpath');
const zh = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;

/** The thread names and the first stop's description of a session started with `env` whose client says `locale`. */
async function firstWords(env: NodeJS.ProcessEnv, locale: string | undefined): Promise<{ threads: string[]; description: string }> {
  s = await new DapSession(undefined, env).start();
  if (locale !== undefined) s.clientArgs = { locale };
  const st = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
  assert.ok(st, 'stopped on entry');
  const threads = (await s.dc.threadsRequest()).body.threads.map((t) => t.name);
  return { threads, description: st.body.description ?? '' };
}

let s: DapSession | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

const NO_CHOICE = { KPATH_LANGUAGE: '', LC_ALL: '', LC_MESSAGES: '' };

describe('the language of the adapter', () => {
  it('is the client\'s locale when KPATH_LANGUAGE is not set, whatever LANG says', async () => {
    const zhClient = await firstWords({ ...NO_CHOICE, LANG: 'en_US.UTF-8' }, 'zh-CN');
    assert.equal(zhClient.threads[0], zh['task (socket calls)']);
    assert.match(zhClient.description, /[\u4e00-\u9fff]/, zhClient.description);
    await s!.stop();
    const enClient = await firstWords({ ...NO_CHOICE, LANG: 'zh_CN.UTF-8' }, 'en-US');
    assert.equal(enClient.threads[0], 'task (socket calls)');
  });

  it('is the locale variables\' when the client names none', async () => {
    const r = await firstWords({ ...NO_CHOICE, LANG: 'zh_CN.UTF-8' }, undefined);
    assert.equal(r.threads[0], zh['task (socket calls)']);
  });

  it('is KPATH_LANGUAGE\'s when it is set, whatever the client says', async () => {
    const r = await firstWords({ ...NO_CHOICE, KPATH_LANGUAGE: 'en' }, 'zh-CN');
    assert.equal(r.threads[0], 'task (socket calls)');
    assert.doesNotMatch(r.description, /[\u4e00-\u9fff]/);
  });
});
