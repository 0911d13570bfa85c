// The command speaks the language of the locale (LANG, LC_ALL, LC_MESSAGES): Simplified Chinese
// for zh_CN, English otherwise. The messages keep their FILE:LINE:COL places and exit statuses.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, describeRun, kpath, makeTempDir, removeTempDir, stackLines } from '../helpers/cli';
import { BASE, writeScenario } from '../helpers/scenarios';
import { displayWidth } from '../../src/text/width';

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

test('the trace\'s decisions are Chinese in a Chinese locale; kernel names, numbers and addresses stay as they are', () => {
  const file = writeScenario(dir, 'first-send.kpath', `${BASE}\nat 0ms send udp to 192.0.2.2:9000 size 3000\n`);
  const zhRun = kpath(['run', file, '--trace'], { env: locale('zh_CN.UTF-8') });
  const enRun = kpath(['run', file, '--trace'], { env: locale('en_US.UTF-8') });
  assert.equal(zhRun.status, 0, describeRun(zhRun));
  /** The decision column of the first trace line of `fn`. */
  const decision = (out: string, fn: string): string => {
    // Time, context, the packet's number when there is one, then the function.
    const line = out.split('\n').find((l) => l.trim().split(/\s+/).filter((t, i) => i > 1 && !t.startsWith('#'))[0] === fn);
    assert.ok(line, `no trace line for ${fn}`);
    return line.slice(line.indexOf(fn) + fn.length).replace(/^\s+(len\s+\d+\s+)?/, '');
  };
  assert.equal(decision(enRun.stdout, '__ipv4_neigh_lookup_noref'), 'no entry for 192.0.2.2');
  assert.equal(decision(zhRun.stdout, '__ipv4_neigh_lookup_noref'), chinese('no entry for {0}', '192.0.2.2'));
  assert.equal(decision(enRun.stdout, 'arp_solicit'), 'broadcast who-has 192.0.2.2 tell 192.0.2.1');
  assert.equal(decision(zhRun.stdout, 'arp_solicit'), chinese('broadcast who-has {0} tell {1}', '192.0.2.2', '192.0.2.1'));
  assert.equal(decision(enRun.stdout, 'ip_do_fragment'), 'frag_list fast path: 3 fragments of 1480/1480/48 bytes');
  assert.equal(decision(zhRun.stdout, 'ip_do_fragment'), chinese('frag_list fast path: {0} fragments of {1} bytes', '3', '1480/1480/48'));
  // Decisions made only of kernel names and numbers read the same in both.
  assert.equal(decision(zhRun.stdout, '__ip_finish_output'), decision(enRun.stdout, '__ip_finish_output'));
  assert.match(decision(enRun.stdout, '__ip_finish_output'), /^len 3028 > mtu 1500 -> ip_fragment$/);
  // Everything in the trace but the decisions (times, contexts, packets, functions, lengths) is the same.
  const shape = (out: string): string[] => {
    const lines = out.split('\n');
    return lines.slice(1, lines.indexOf('')).map((l) => l.slice(0, 100));
  };
  assert.deepEqual(shape(zhRun.stdout), shape(enRun.stdout));
});

test('in a Chinese locale the frames table has Chinese headings over the same columns, and the summary\'s words are Chinese', () => {
  const file = writeScenario(dir, 'silent-peer.kpath', `${BASE.replace('lladdr 02:00:00:00:00:02', 'lladdr 02:00:00:00:00:02 silent')}\nat 0ms send udp to 192.0.2.2:9000 size 100\n`);
  const r = kpath(['run', file], { env: locale('zh_CN.UTF-8') });
  assert.equal(r.status, 0, describeRun(r));
  const lines = r.stdout.split('\n');
  const header = lines[lines.indexOf(chinese('Frames ({0}):', '4')) + 1];
  const first = lines[lines.indexOf(header) + 1];
  // A heading starts in the terminal column its values start in (a Chinese character takes two).
  const column = (line: string, text: string): number => displayWidth(line.slice(0, line.indexOf(text)));
  assert.equal(column(header, chinese('Dir')), column(first, ' tx ') + 1, `${header}\n${first}`);
  assert.equal(column(header, chinese('Source')), column(first, '02:00:00:00:00:01'), `${header}\n${first}`);
  assert.equal(column(header, chinese('Info')), column(first, 'Who has'), `${header}\n${first}`);
  assert.ok(lines.includes(`  eth0: ${chinese('tx {0} packets {1} bytes, rx {2} packets {3} bytes', '3', '126', '0', '0')}`), r.stdout);
  assert.ok(lines.some((l) => l.endsWith(chinese('#{0} len {1} in {2}: {3}', '1', '128', 'arp_error_report', 'NEIGH_FAILED'))), r.stdout);
});
