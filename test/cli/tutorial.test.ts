// `kpath tutorial check` as a user runs it (dist/cli.js in a child process): the bundled lessons
// all pass; a lesson that teaches something the model contradicts fails with its file, step and
// why (exit 1); a malformed lesson is reported as FILE:LINE:COL (exit 2); and the help.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, describeRun, kpath, makeTempDir, removeTempDir, stackLines } from '../helpers/cli';

const LESSONS = path.join(REPO_ROOT, 'media', 'lessons');
const dir = makeTempDir('kpath-tutorial-');
after(() => removeTempDir(dir));

const bundled = fs.readdirSync(LESSONS).filter((f) => f.endsWith('.lesson')).sort();

/** A copy of a bundled lesson (and its scenario) in the temporary folder, edited by `edit`. */
function copyLesson(name: string, edit: (text: string) => string, as = name): string {
  const text = fs.readFileSync(path.join(LESSONS, name), 'utf8');
  const scenario = /^scenario\s+(\S+)/m.exec(text)![1];
  fs.copyFileSync(path.join(LESSONS, scenario), path.join(dir, scenario));
  const file = path.join(dir, as);
  fs.writeFileSync(file, edit(text));
  return file;
}

test('kpath tutorial check runs every bundled lesson on the model, and they all pass', () => {
  assert.ok(bundled.length >= 14, `${bundled.length} bundled lessons`);
  const r = kpath(['tutorial', 'check']);
  assert.equal(r.status, 0, describeRun(r));
  assert.equal(r.stderr, '', describeRun(r));
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, bundled.length + 1, describeRun(r));
  bundled.forEach((f, i) => assert.match(lines[i], new RegExp(`^PASS \\S*${f.replace('.', '\\.')}  .+ \\(\\d+ steps\\)$`)));
  assert.equal(lines.at(-1), `${bundled.length} lessons, ${bundled.length} passed`);
});

test('a lesson whose stated answer the model contradicts fails: exit 1, the file, the step and both answers', () => {
  const file = copyLesson('01-first-stop.lesson', (t) => t.replace(/^expect {2}128$/m, 'expect  142'));
  const line = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('ask en  How long is the packet here'));
  assert.ok(line > 0);
  const r = kpath(['tutorial', 'check', file]);
  assert.equal(r.status, 1, describeRun(r));
  assert.deepEqual(stackLines(r.stderr), []);
  const stepLine = fs.readFileSync(file, 'utf8').split('\n').lastIndexOf('step', line) + 1;
  assert.equal(r.stdout, `FAIL ${file}\n  ${file}:${stepLine}:1: step 3: the lesson expects 142, the model says 128\n1 lessons, 0 passed\n`);
});

test('a target the model never reaches fails the lesson', () => {
  const file = copyLesson('06-arp-holds.lesson', (t) => t.replace('target  function arp_solicit', 'target  function arp_solicit when frames.count > 100'), 'unreached.lesson');
  const r = kpath(['tutorial', 'check', file]);
  assert.equal(r.status, 1, describeRun(r));
  assert.match(r.stdout, /: step 3: the target "function arp_solicit when frames\.count > 100" is never reached\n/);
});

test('a malformed lesson is reported as FILE:LINE:COL and the command exits 2; good lessons beside it still run', () => {
  const bad = copyLesson('02-three-frames.lesson', (t) => t.replace('target  return ip_do_fragment', 'target  retrun ip_do_fragment').replace('answer  frames[2].ip.tot_len', 'answer  frames[2].ip.tot_len +'), 'bad.lesson');
  const text = fs.readFileSync(bad, 'utf8').split('\n');
  const targetLine = text.findIndex((l) => l.startsWith('target  retrun')) + 1;
  const answerLine = text.findIndex((l) => l.startsWith('answer  frames[2].ip.tot_len +')) + 1;
  const good = copyLesson('04-odd-mtu.lesson', (t) => t);
  const r = kpath(['tutorial', 'check', bad, good]);
  assert.equal(r.status, 2, describeRun(r));
  assert.equal(r.stderr, `${bad}:${targetLine}:9: unknown target "retrun"; did you mean "return"? expected one of: function, return, frame, drop, neigh, when\n`);
  assert.match(r.stdout, /^MALFORMED \S*bad\.lesson\nPASS \S*04-odd-mtu\.lesson .*\n2 lessons, 1 passed\n$/);
  // Once the lesson reads, the expression is checked too, at its own column.
  fs.writeFileSync(bad, fs.readFileSync(bad, 'utf8').replace('target  retrun', 'target  return'));
  const r2 = kpath(['tutorial', 'check', bad]);
  assert.equal(r2.status, 2, describeRun(r2));
  assert.equal(r2.stderr, `${bad}:${answerLine}:31: expected an expression after "+"\n`);
});

test('a lesson whose scenario is missing or wrong is malformed', () => {
  const file = copyLesson('01-first-stop.lesson', (t) => t.replace('scenario  01-first-stop.kpath', 'scenario  nowhere.kpath'), 'noscenario.lesson');
  const r = kpath(['tutorial', 'check', file]);
  assert.equal(r.status, 2, describeRun(r));
  assert.match(r.stderr, new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:11: cannot read the scenario \\S*nowhere\\.kpath \\(ENOENT\\)\\n$`));
});

test('a folder means its .lesson files in name order; bad arguments exit 2; --help', () => {
  const sub = path.join(dir, 'folder');
  fs.mkdirSync(sub);
  for (const f of ['03-df-refusal', '01-first-stop']) {
    fs.copyFileSync(path.join(LESSONS, `${f}.lesson`), path.join(sub, `${f}.lesson`));
    fs.copyFileSync(path.join(LESSONS, `${f}.kpath`), path.join(sub, `${f}.kpath`));
  }
  const r = kpath(['tutorial', 'check', sub]);
  assert.equal(r.status, 0, describeRun(r));
  assert.match(r.stdout, /^PASS \S*01-first-stop\.lesson .*\nPASS \S*03-df-refusal\.lesson .*\n2 lessons, 2 passed\n$/);
  for (const args of [['tutorial'], ['tutorial', 'run'], ['tutorial', 'check', '--fast'], ['tutorial', 'check', path.join(dir, 'nothing-here')], ['tutorial', 'check', path.join(dir, 'empty')]]) {
    fs.mkdirSync(path.join(dir, 'empty'), { recursive: true });
    const bad = kpath(args);
    assert.equal(bad.status, 2, describeRun(bad));
    assert.equal(bad.stdout, '', describeRun(bad));
    assert.match(bad.stderr, /^kpath: /, describeRun(bad));
  }
  const help = kpath(['tutorial', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: kpath tutorial check \[DIR\|FILE\.lesson\]\.\.\./);
  assert.match(help.stdout, /docs\/lessons\.md/);
  assert.match(kpath(['--help']).stdout, /kpath tutorial check/);
});

test('in Chinese (LANG=zh_CN.UTF-8) the command speaks Chinese', () => {
  const file = copyLesson('01-first-stop.lesson', (t) => t.replace(/^expect {2}128$/m, 'expect  142'), 'zh.lesson');
  const r = kpath(['tutorial', 'check', file], { env: { LANG: 'zh_CN.UTF-8', LC_ALL: '', KPATH_LANGUAGE: '' } });
  assert.equal(r.status, 1, describeRun(r));
  assert.match(r.stdout, /^失败 /);
  assert.match(r.stdout, /第 3 步：课程期望 142，模型给出的是 128/);
  assert.match(r.stdout, /共 1 课，通过 0 课\n$/);
});
