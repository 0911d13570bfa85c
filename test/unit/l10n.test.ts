// Every string kpath shows exists in English and Simplified Chinese: the manifest's (package.nls
// files) and the code's (l10n.t / vscode.l10n.t calls, listed in l10n/bundle.l10n.json by
// @vscode/l10n-dev and translated in l10n/bundle.l10n.zh-cn.json).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../helpers/cli';
import * as l10n from '@vscode/l10n';
import { languageOf, useLanguage } from '../../src/l10n';

const read = (f: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')) as Record<string, unknown>;
const placeholders = (s: string): string[] => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
const CJK = /[\u4e00-\u9fff]/;

/** The message of a bundle entry (a string, or {message, comment}). */
const messageOf = (v: unknown): string => (typeof v === 'string' ? v : (v as { message: string }).message);

/** Problems with a translation of `en` (a string of English) into `zh`. */
function translationProblems(key: string, en: string, zh: unknown): string[] {
  if (typeof zh !== 'string' || !zh.trim()) return [`${JSON.stringify(key)} has no Chinese`];
  const out: string[] = [];
  if (placeholders(en).join() !== placeholders(zh).join()) out.push(`${JSON.stringify(key)}: placeholders ${placeholders(en)} in English, ${placeholders(zh)} in Chinese`);
  if (/[a-z]{3,}\s+[a-z]{3,}/.test(en.replace(/\{\d+\}/g, '')) && !CJK.test(zh)) out.push(`${JSON.stringify(key)}: the Chinese is not Chinese: ${JSON.stringify(zh)}`);
  return out;
}

test('the manifest: every %key% of package.json in package.nls.json and in Chinese', () => {
  const manifest = fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8');
  const used = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
  const en = read('package.nls.json');
  const zh = read('package.nls.zh-cn.json');
  assert.ok(used.size >= 10, `only ${used.size} localized manifest strings`);
  assert.deepEqual([...used].filter((k) => !(k in en)), [], 'keys missing from package.nls.json');
  assert.deepEqual(Object.keys(en).filter((k) => !used.has(k)), [], 'package.nls.json keys nothing uses');
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort(), 'package.nls.zh-cn.json has other keys than package.nls.json');
  assert.deepEqual(Object.keys(en).flatMap((k) => translationProblems(k, en[k] as string, zh[k])), []);
});

test('the code: l10n/bundle.l10n.json is what @vscode/l10n-dev exports from src/, and every string is in Chinese', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-l10n-'));
  try {
    const cli = path.join(REPO_ROOT, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
    const r = spawnSync(process.execPath, [cli, 'export', '-o', out, path.join(REPO_ROOT, 'src')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const exported = JSON.parse(fs.readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(read('l10n/bundle.l10n.json'), exported, 'l10n/bundle.l10n.json is out of date: npm run l10n');
    const zh = read('l10n/bundle.l10n.zh-cn.json');
    assert.deepEqual(Object.keys(exported).flatMap((k) => translationProblems(k, messageOf(exported[k]), zh[k])), []);
    assert.deepEqual(Object.keys(zh).filter((k) => !(k in exported)), [], 'Chinese strings nothing uses');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('the language follows the display language or the locale', () => {
  for (const zh of ['zh-cn', 'zh-CN', 'zh_CN.UTF-8', 'zh', 'zh-Hans']) assert.equal(languageOf(zh), 'zh-cn', zh);
  for (const en of [undefined, '', 'en', 'en_US.UTF-8', 'C', 'POSIX', 'de', 'zh-tw', 'zh_TW.UTF-8']) assert.equal(languageOf(en), 'en', String(en));
  const zh = read('l10n/bundle.l10n.zh-cn.json');
  const key = Object.keys(zh).find((k) => !k.includes('/'));
  try {
    if (key) {
      useLanguage('zh_CN.UTF-8');
      assert.equal(l10n.t(key), zh[key]);
    }
    useLanguage('en');
    assert.equal(l10n.t('no such message {0}', 7), 'no such message 7');
  } finally {
    useLanguage('en');
  }
});
