// The package a user installs (vsce stores README.md and LICENSE as readme.md and LICENSE.txt): `npm run package`'s .vsix (vsce, with the bundles and no
// node_modules), installed by VS Code's own command line, holds what the extension needs and
// nothing of the sources; the adapter inside it runs on its own and debugs a scenario.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, DEFAULT_SCENARIO } from '../helpers/cli';
import { installVsix } from '../helpers/vscode';
import { DapSession } from '../helpers/dap';
import { syntheticTree } from '../helpers/linux-tree';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; main: string; scripts: Record<string, string> };

/** Every file under `dir`, relative to it, with / separators. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

describe('the .vsix package', () => {
  let tmp = '';
  let installed = '';
  let vsixBytes = 0;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-vsix-'));
    const vsix = path.join(tmp, `kpath-${pkg.version}.vsix`);
    // The same vsce command as `npm run package`, after the build npm test has already run.
    const command = pkg.scripts.package.replace(/^npm run build && /, '');
    assert.match(command, /^vsce package /);
    const vsce = path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
    const r = spawnSync(vsce, [...command.split(/\s+/).slice(1), '--out', vsix], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `${command} failed:\n${r.stdout}${r.stderr}`);
    vsixBytes = fs.statSync(vsix).size;
    installed = await installVsix(vsix, path.join(tmp, 'extensions'), path.join(tmp, 'home'));
  }, { timeout: 600_000 });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('holds the bundles, the grammar, the docs and the default scenario, and no sources or node_modules', () => {
    const files = filesUnder(installed);
    for (const f of [pkg.main.replace(/^\.\//, ''), 'dist/dap.js', 'dist/dap-core.js', 'dist/package.json', 'dist/notes.js', 'dist/source-worker.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-c.wasm', 'dist/webview-skb.js', 'dist/webview-path.js', 'dist/webview-elk.js', 'media/webview/pictures.css', 'package.json', 'readme.md', 'LICENSE.txt', 'syntaxes/kpath.tmLanguage.json', 'syntaxes/language-configuration.json', 'media/scenarios/default.kpath', 'docs/scenario.md', 'docs/lessons.md', 'dist/tutorial.js', 'media/webview/tutorial.css', 'media/lessons/01-first-stop.lesson', 'media/lessons/01-first-stop.kpath', 'media/walkthrough/open.md']) {
      assert.ok(files.includes(f), `${f} is missing from the package: ${files.join(', ')}`);
    }
    const stray = files.filter((f) => /^(src|test|out|node_modules|scripts|\.vscode-test|\.ci|test-artifacts)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts'));
    assert.deepEqual(stray, []);
    // The README's pictures travel with it (the extension's page shows them from the package).
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(pictures.some((p) => p.startsWith('media/screenshots/')), 'the README shows the screenshots');
    assert.deepEqual(pictures.filter((p) => !files.includes(p)), [], 'pictures of the README missing from the package');
    // What a user downloads stays small (ELK, for the path picture, is most of it).
    assert.ok(vsixBytes < 5 * 1024 * 1024, `the .vsix is ${vsixBytes} bytes, over 5 MiB`);
  });

  it('its parser of Linux trees runs with nothing else installed (kpath run --kernel-source)', () => {
    const tree = syntheticTree('6.1.0', { 'net/ipv4/ip_output.c': 'int ip_output(struct net *net, struct sock *sk, struct sk_buff *skb)\n{\n\tskb->dev = dev;\n\treturn 0;\n}\n' });
    const cache = fs.mkdtempSync(path.join(tmp, 'cache-'));
    const r = spawnSync(process.execPath, [path.join(installed, 'dist', 'cli.js'), 'run', DEFAULT_SCENARIO, '--trace', '--kernel-source', tree], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache, NODE_TEST_CONTEXT: '' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, / ip_output .* net\/ipv4\/ip_output\.c:1$/m);
    assert.ok(fs.readdirSync(path.join(cache, 'kpath', 'source-map')).length === 1, 'the mapping is cached');
  });

  it('its command checks the lessons it ships, and they pass', () => {
    const lessons = filesUnder(installed).filter((f) => /^media\/lessons\/.*\.lesson$/.test(f));
    assert.ok(lessons.length >= 14, `${lessons.length} lessons in the package`);
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const r = spawnSync(process.execPath, [path.join(installed, 'dist', 'cli.js'), 'tutorial', 'check'], { cwd: tmp, encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`\\n${lessons.length} lessons, ${lessons.length} passed\\n$`));
  });

  it('its adapter runs with nothing else installed, and debugs the default scenario to a stop and to the end', async () => {
    const s = await new DapSession(path.join(installed, 'dist', 'dap.js')).start();
    try {
      const stop = await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
      assert.equal(stop?.body.reason, 'entry');
      assert.equal((await s.stackNames(stop!))[0], 'udp_sendmsg');
      assert.equal(await s.exec('continue'), null, 'the run goes on to its end');
    } finally {
      await s.stop();
    }
  });
});
