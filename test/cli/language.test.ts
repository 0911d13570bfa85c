// The command speaks the language of the locale (LANG, LC_ALL, LC_MESSAGES): Simplified Chinese
// for zh_CN, English otherwise. The messages keep their FILE:LINE:COL places and exit statuses.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, describeRun, kpath, makeTempDir, removeTempDir, stackLines } from '../helpers/cli';
import { BASE, writeScenario } from '../helpers/scenarios';

const dir = makeTempDir('kpath-lang-');
after(() => removeTempDir(dir));

const zh = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
/** The Chinese of the English message `key` with its placeholders filled in. */
const chinese = (key: string, ...args: string[]): string => {
  assert.ok(zh[key], `no Chinese for ${JSON.stringify(key)}`);
  return zh[key].replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)]);
};

/** The environment of a user whose locale is `lang` (nothing else chooses the language). */
const locale = (lang: string): Record<string, string> => ({ LANG: lang, LC_ALL: '', LC_MESSAGES: '', KPATH_LANGUAGE: '' });

const BAD_LINE = 'at 0ms send udp to 192.0.2.2:9000 ttl 256';

test('LANG=zh_CN.UTF-8 kpath run on a bad scenario: FILE:LINE:COL: and the message in Chinese, exit 2', () => {
  const file = writeScenario(dir, 'bad-ttl.kpath', `${BASE}\n${BAD_LINE}\n`);
  const line = `${BASE}\n${BAD_LINE}`.split('\n').length;
  const col = BAD_LINE.indexOf('256') + 1;
  const r = kpath(['run', file], { env: locale('zh_CN.UTF-8') });
  assert.equal(r.status, 2, describeRun(r));
  assert.equal(r.stdout, '', describeRun(r));
  assert.deepEqual(stackLines(r.stderr), [], describeRun(r));
  assert.equal(r.stderr, `${file}:${line}:${col}: ${chinese('{0} must be {1}..{2}, found {3}', 'ttl', '0', '255', '256')}\n`);
  // The same run in English says the same thing at the same place.
  const en = kpath(['run', file], { env: locale('en_US.UTF-8') });
  assert.equal(en.stderr, `${file}:${line}:${col}: ttl must be 0..255, found 256\n`, describeRun(en));
});

test('LC_ALL chooses over LANG, and a usage error is Chinese too', () => {
  const r = kpath(['run', '--bogus'], { env: { ...locale('en_US.UTF-8'), LC_ALL: 'zh_CN.UTF-8' } });
  assert.equal(r.status, 2, describeRun(r));
  assert.equal(r.stderr, `kpath: ${chinese('unknown option {0} (see {1})', '--bogus', 'kpath run --help')}\n`);
  const help = kpath(['run', '--help'], { env: locale('zh_CN.UTF-8') });
  assert.equal(help.status, 0, describeRun(help));
  assert.match(help.stdout, /[\u4e00-\u9fff]/, 'kpath run --help in Chinese');
  assert.match(help.stdout, /--pcap/, 'options keep their names');
});

test('a Chinese locale of another script (zh_TW) and the C locale get English', () => {
  for (const lang of ['zh_TW.UTF-8', 'C']) {
    const r = kpath(['run', '--bogus'], { env: locale(lang) });
    assert.equal(r.stderr, 'kpath: unknown option --bogus (see kpath run --help)\n', `${lang}: ${describeRun(r)}`);
  }
});
