// Runs the extension in a real VS Code, in a real browser: code-server (VS Code served over HTTP)
// loads this repository as an extension under development, and Debian's chromium, driven by
// playwright-core, is the window a user would look at. The tests act through what a user has
// (keys, the command palette, clicks) and check what a user sees (the DOM of the workbench).
//
// code-server is installed on first use into .vscode-test/ by scripts/install-code-server.sh (about
// a minute), and reused after that. Every server gets a temporary user-data-dir, extensions-dir and
// home directory of its own, and every browser a fresh profile, so runs do not see each other and
// nothing is written into the user's home directory. Everything started here is stopped by
// stopping its whole process group: code-server starts an extension host per window, the extension
// host starts the debug adapter.
//
// `npm run bench` can reuse measureActivation() (from out/test/helpers/vscode.js).

import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, BrowserContext, Locator, Page } from 'playwright-core';
import { REPO_ROOT, DEFAULT_SCENARIO } from './cli';
import { alive } from '../../src/capture/live';

// The project compiles without the DOM library (it is Node.js code), but playwright-core's type
// declarations name these DOM types in the signatures of functions that run in the page. Declared
// empty, they type-check as opaque values; the tests read the page through locators, not through
// element objects.
declare global {
  interface Node {}
  interface HTMLElement {}
  interface SVGElement {}
  interface HTMLElementTagNameMap {}
}

export const CODE_SERVER_VERSION = '4.100.3';
/** Where the tests install code-server, like @vscode/test-electron's .vscode-test/. */
export const CODE_SERVER_DIR = path.join(REPO_ROOT, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts', 'install-code-server.sh');
/** Written by the install script when it has finished. */
const MARKER = path.join(CODE_SERVER_DIR, '.kpath-installed');
const ENTRY = path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = '/usr/bin/chromium';

/** How long the workbench may take to load, and other single UI waits, on a slow machine. */
export const UI_TIMEOUT_MS = 60_000;

const log = (s: string): void => {
  process.stderr.write(`vscode: ${s}\n`);
};

/** Why the browser tests cannot run here, or undefined when they can. */
export function missingPrerequisite(): string | undefined {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is missing: apt-get install chromium ripgrep`;
  if (spawnSync('rg', ['--version']).status !== 0) return 'rg is missing: apt-get install chromium ripgrep';
  return undefined;
}

function installed(): boolean {
  try {
    return fs.readFileSync(MARKER, 'utf8').trim() === CODE_SERVER_VERSION;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Installs code-server into .vscode-test/ unless it is there already, and returns the path of its
 * entry script. Test files run in parallel: a lock directory makes one of them install while the
 * others wait for it.
 */
export async function ensureCodeServer(): Promise<string> {
  if (installed()) return ENTRY;
  const why = missingPrerequisite();
  if (why) throw new Error(why);
  const lock = `${CODE_SERVER_DIR}.lock`;
  fs.mkdirSync(path.dirname(CODE_SERVER_DIR), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    // Someone else is installing; a lock whose owner died is taken over (the script resumes).
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
    } catch {
      // the owner has not written its pid yet
    }
    if (Number.isInteger(owner) && !alive(owner)) fs.rmSync(lock, { recursive: true, force: true });
    else await sleep(1000);
    if (installed()) return ENTRY;
  }
  try {
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
    if (!installed()) {
      log(`installing code-server ${CODE_SERVER_VERSION} into ${CODE_SERVER_DIR} (about a minute, once)`);
      const t0 = Date.now();
      // Asynchronous, so that a test runner's timers keep running; its progress goes to stderr.
      const child = spawn('bash', [INSTALL_SCRIPT, CODE_SERVER_DIR], { stdio: ['ignore', process.stderr, process.stderr] });
      const code = await new Promise<number | null>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (c) => resolve(c));
      });
      if (code !== 0 || !installed()) throw new Error(`${INSTALL_SCRIPT} ${CODE_SERVER_DIR} failed (exit ${code})`);
      log(`code-server installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
  return ENTRY;
}

// ---------------------------------------------------------------------------------------------
// Processes

/**
 * Process groups started here and not stopped yet, with the directory each one uses: killed and
 * removed on exit, even after a crash or an interrupt.
 */
const groups = new Map<number, string>();

/** All descendants of pid (Linux /proc), found before a kill: some may have left the group. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function signal(pids: number[], group: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-group, sig);
  } catch {
    // the group is gone already
  }
  for (const p of pids) {
    try {
      process.kill(p, sig);
    } catch {
      // gone already
    }
  }
}

/** Stops a process started with `detached: true` (a group of its own) and everything it started. */
async function killTree(pid: number): Promise<void> {
  const pids = descendants(pid);
  signal(pids, pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && [pid, ...pids].some(alive)) await sleep(100);
  signal(pids, pid, 'SIGKILL');
  groups.delete(pid);
}

/**
 * A process outside this one that stops the group `group` and removes `dir` when this process
 * has gone without doing it: the test runner ends a test file it interrupts with SIGTERM, and the
 * file may die before its own handlers have run (a write to the runner's closed pipe is fatal
 * then). Returns its pid (a group of its own), to be killed when the server is stopped normally.
 */
function watchdog(group: number, dir: string): number {
  const script = [
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done',
    'kill -s TERM -- "-$2" 2>/dev/null; sleep 2; kill -s KILL -- "-$2" 2>/dev/null',
    'rm -rf -- "$3"',
  ].join('\n');
  const w = spawn('sh', ['-c', script, 'kpath-vscode-watchdog', String(process.pid), String(group), dir], {
    detached: true,
    stdio: 'ignore',
  });
  w.unref();
  if (w.pid === undefined) throw new Error('could not start sh');
  return w.pid;
}

/** The close() of every browser open, then the stop() of every server running. */
const openBrowsers = new Set<() => Promise<void>>();
const runningServers = new Set<() => Promise<void>>();

let exitHooked = false;
/** Set by an interrupt: the tests still running fail only because everything is being closed. */
let interrupted = false;
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  // An interrupt (Ctrl+C, or the test runner giving up) closes the browsers and stops the
  // servers the orderly way before exiting: a browser still shutting down would write its
  // profile back into a directory already removed. Bounded, in case something hangs.
  for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15]] as const) {
    process.once(sig, () => {
      interrupted = true;
      const all = async (fns: Set<() => Promise<void>>): Promise<unknown> => Promise.allSettled([...fns].map((f) => f()));
      const orderly = all(openBrowsers).then(() => all(runningServers));
      void Promise.race([orderly, sleep(15_000)]).finally(() => process.exit(128 + n));
    });
  }
  // Synchronous, last resort: a run that ends without its after() hooks, or whose orderly stop
  // did not finish, leaves no servers running.
  process.on('exit', () => {
    for (const [g, dir] of groups) {
      signal(descendants(g), g, 'SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/healthz`, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
  });
}

// ---------------------------------------------------------------------------------------------
// code-server

/**
 * VS Code's user settings for the tests: no welcome page, tips or walkthroughs over the editor,
 * and nothing that reaches out to the network (telemetry, updates, the extension gallery).
 */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  // The temporary workspace is no repository; git would only cost time on a slow machine.
  'git.enabled': false,
};

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** The temporary directory of this server (user data, extensions, home, browser profiles). */
  readonly root: string;
  /** The server's process, and the id of the process group of everything it starts. */
  readonly pid: number;
  /** code-server's own output (and VS Code's server logs are under root/user-data/logs). */
  readonly logFile: string;
  /** Stops the server and everything it started, and removes root. */
  stop(): Promise<void>;
}

/** The environment of a code-server with `home` as its home, so nothing is written in ~. */
function codeServerEnv(home: string): NodeJS.ProcessEnv {
  const runtimeDir = path.join(home, 'run');
  fs.mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // code-server writes under XDG_CONFIG_HOME and XDG_DATA_HOME, VS Code under HOME (and the
    // extension host runs a login shell there once, to read the environment).
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    // VS Code's IPC sockets go there, so a killed server leaves none in the system's /tmp.
    XDG_RUNTIME_DIR: runtimeDir,
  };
  // The test runner marks its children; code-server and the debug adapter are not test files.
  // NODE_OPTIONS given to the tests (a loader, an inspector) are not meant for VS Code either.
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  return env;
}

export interface CodeServerOptions {
  /**
   * VS Code's display language (code-server's --locale), e.g. "zh-cn". VS Code takes a display
   * language only when a language pack for it is installed (otherwise it stays English, and so does
   * vscode.env.language); the server gets an empty one, registered in the user data's
   * languagepacks.json as an installed pack would be: VS Code's own words stay English, while the
   * extension's follow vscode.env.language.
   */
  locale?: string;
}

/** Registers an empty language pack for `locale` in a user data folder (see CodeServerOptions). */
function emptyLanguagePack(root: string, userData: string, locale: string): void {
  const translations = path.join(root, `language-pack-${locale}.json`);
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  const pack = { hash: `kpath-test-${locale}`, extensions: [{ extensionIdentifier: { id: `kpath-test.language-pack-${locale}` }, version: '0.0.1' }], translations: { vscode: translations }, label: locale };
  fs.writeFileSync(path.join(userData, 'languagepacks.json'), JSON.stringify({ [locale]: pack }));
}

/** Starts code-server on a free port of 127.0.0.1, with nothing shared with other runs. */
export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const entry = await ensureCodeServer();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-vscode-'));
  const dirs = {
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    home: path.join(root, 'home'),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'));
  if (opts.locale) emptyLanguagePack(root, dirs.userData, opts.locale);
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  // An empty config file: otherwise code-server writes one with a generated password.
  const config = path.join(root, 'config.yaml');
  fs.writeFileSync(config, '');
  const logFile = path.join(root, 'code-server.log');

  const env = codeServerEnv(dirs.home);

  hookExit();
  // The port is free when asked for; if another process takes it first, code-server exits and
  // the next port is tried.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const out = fs.openSync(logFile, 'a');
    const child: ChildProcess = spawn(
      process.execPath,
      [
        entry,
        '--config', config,
        '--bind-addr', `127.0.0.1:${port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--user-data-dir', dirs.userData,
        '--extensions-dir', dirs.extensions,
        ...(opts.locale ? ['--locale', opts.locale] : []),
      ],
      // detached: a process group of its own, so that stop() reaches the extension hosts and the
      // debug adapters too.
      { detached: true, stdio: ['ignore', out, out], env, cwd: root },
    );
    fs.closeSync(out);
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start code-server (${entry})`);
    groups.set(pid, root);
    const guard = watchdog(pid, root);
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    const deadline = Date.now() + UI_TIMEOUT_MS;
    while (!exited && Date.now() < deadline && !(await healthy(url))) await sleep(100);
    if (!exited && Date.now() < deadline) {
      let stopping: Promise<void> | undefined;
      const stop = (): Promise<void> => {
        stopping ??= (async () => {
          await killTree(pid);
          fs.rmSync(root, { recursive: true, force: true });
          // Last: this process may die while stopping (see watchdog()).
          signal([], guard, 'SIGKILL');
          runningServers.delete(stop);
        })();
        return stopping;
      };
      runningServers.add(stop);
      return { url, root, pid, logFile, stop };
    }
    await killTree(pid);
    signal([], guard, 'SIGKILL');
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    if (attempt >= 3 || !exited) {
      fs.rmSync(root, { recursive: true, force: true });
      throw new Error(`code-server did not answer on ${url}/healthz:\n${tail}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The browser

export interface Workbench {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/**
 * Opens `folder` in a new headless chromium with a fresh profile, with this repository loaded as
 * an extension under development (no install: VS Code loads it from the repository, dist/ and
 * all, the way F5 in the extension's own repository does), and waits until the workbench shows the
 * folder.
 */
export async function openWorkbench(server: CodeServer, folder: string): Promise<Workbench> {
  const why = missingPrerequisite();
  if (why) throw new Error(why);
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: build first (npm run build)');
  }
  const profile = fs.mkdtempSync(path.join(server.root, 'chromium-'));
  const home = path.join(server.root, 'home');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    // chromium keeps crash reports and certificate stores under the home directory.
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') } as Record<string, string>,
  });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
      openBrowsers.delete(close);
    })();
    return closing;
  };
  openBrowsers.add(close);
  try {
    // code-server registers a service worker of its own (to be installable as an app) whose scope is
    // the whole site and which claims every page it may: now and then it claims a webview's frame
    // (served from the same site here) before the webview's own worker does, and the webview stays
    // blank, waiting for its worker. Nothing here needs code-server's, so it is not registered.
    await context.addInitScript({
      content: `(() => {
        const workers = navigator.serviceWorker;
        if (!workers) return;
        const register = workers.register.bind(workers);
        workers.register = (url, options) => String(url).includes('out/browser/serviceWorker.js')
          ? Promise.reject(new Error("code-server's service worker is off in the tests"))
          : register(url, options);
      })();`,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    // The extension is addressed as the browser sees the server: vscode-remote://HOST:PORT/path.
    const devPath = `vscode-remote://${new URL(server.url).host}${REPO_ROOT}`;
    const url = `${server.url}/?folder=${encodeURIComponent(folder)}` +
      `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', devPath]]))}`;
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor();
    // A row in the Explorer: the connection to the server is up and the folder is read.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
    return { page, context, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** A regular expression that matches exactly `text`. */
export function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Runs a command from the command palette by its title, as a user does: F1, the title, and a
 * click on the row of that command. The row is found by its whole label: the palette matches
 * fuzzily and may rank a longer title first ("View: Close All Editor Groups" before "View: Close
 * Editor"), and until it has filtered, its first row is whatever came first before.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // An open quick pick takes the command palette's ">" prefix too.
  if (!(await input.isVisible())) await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly(title) }) })
    .first()
    .click();
}

/**
 * Saves to `target` in VS Code's own save dialog (a path in the quick input) and waits until it
 * closes. The whole path is typed over what the dialog offers, as a user would, and typed again if
 * the dialog's completion rewrote it between two keys (a busy machine).
 */
export async function saveInDialog(page: Page, target: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input');
  await input.waitFor({ state: 'visible' });
  // VS Code's dialog judges what it last read of the input: an Enter it took while the text was
  // still the folder's path is refused ("The folder already exists"), and the path is typed again.
  const refused = widget.locator('.quick-input-message', { hasText: /already exists/ });
  for (const deadline = Date.now() + UI_TIMEOUT_MS; ;) {
    await input.press('Control+a');
    await page.keyboard.type(target);
    if (Date.now() > deadline) throw new Error(`the save dialog holds "${await input.inputValue()}", not ${target}`);
    if ((await input.inputValue()) !== target) continue;
    await input.press('Enter');
    const outcome = await Promise.race([
      widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS }).then(() => 'saved', () => 'stuck'),
      refused.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS }).then(() => 'refused', () => 'stuck'),
    ]);
    if (outcome === 'saved') return;
    if (outcome === 'stuck') throw new Error(`the save dialog neither closed nor refused ${target}`);
  }
}

/** Opens a file of the workspace from the Explorer and waits for its editor to be the active one. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.editor-group-container .tab.active', { hasText: name }).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/**
 * The activation time VS Code measured for an extension (code loading plus the call of its
 * activate()), in ms, as "Developer: Show Running Extensions" shows it; it waits until the
 * extension has been activated. `name` is what its row shows: the display name, or the id for an
 * extension under development.
 */
export async function activationMs(page: Page, name: string): Promise<number> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const list = page.locator('.runtime-extensions-editor .monaco-list');
  const rows = list.locator('.monaco-list-row');
  // The editor updates its rows as extensions activate.
  const row = rows.filter({ hasText: name }).filter({ hasText: /Activation:\s*[\d.]+\s*m?s/ }).first();
  await rows.first().waitFor();
  // The list only renders the rows in view, slowest activation first: move its focus down with the
  // keyboard (which scrolls the focused row into view) until the row is there, and from the top
  // again at the end (the rows change while extensions activate).
  const deadline = Date.now() + UI_TIMEOUT_MS;
  if ((await row.count()) === 0) await list.focus();
  while ((await row.count()) === 0) {
    if (Date.now() > deadline) throw new Error(`${name} has no activation time in Running Extensions`);
    // The focused row can be re-rendered between two reads: a read that misses it counts as not at the end.
    const focused = rows.and(page.locator('.focused')).first();
    const attr = (name: string): Promise<string | null> => focused.getAttribute(name, { timeout: 1000 }).catch(() => null);
    const pos = await attr('aria-posinset');
    const atEnd = pos !== null && pos === (await attr('aria-setsize'));
    await page.keyboard.press(atEnd ? 'Home' : 'ArrowDown');
    await sleep(100);
  }
  const text = (await row.innerText()).replace(/\s+/g, ' ');
  const m = /Activation:\s*([\d.]+)\s*(ms|s)\b/.exec(text);
  if (!m) throw new Error(`no activation time in the Running Extensions row "${text}"`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

/**
 * Installs a .vsix the way a user does (`code-server --install-extension FILE`) into
 * `extensionsDir`, with a home of its own under `home`; returns the installed extension's folder.
 */
export async function installVsix(vsix: string, extensionsDir: string, home: string): Promise<string> {
  const entry = await ensureCodeServer();
  fs.mkdirSync(extensionsDir, { recursive: true });
  const env = codeServerEnv(home);
  const r = spawnSync(process.execPath, [entry, '--extensions-dir', extensionsDir, '--user-data-dir', path.join(home, 'user-data'), '--install-extension', vsix], { env, encoding: 'utf8', timeout: UI_TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  const dirs = fs.readdirSync(extensionsDir).filter((d) => d.startsWith(`${KPATH_EXTENSION_ID}-`));
  if (dirs.length !== 1) throw new Error(`expected one ${KPATH_EXTENSION_ID}-* folder in ${extensionsDir}, found: ${fs.readdirSync(extensionsDir).join(', ')}`);
  return path.join(extensionsDir, dirs[0]);
}

/** The name kpath's row has in Running Extensions when it is loaded from this repository. */
export const KPATH_EXTENSION_ID = 'kpath.kpath';

/** A temporary workspace holding a copy of the default scenario as default.kpath. */
export function scenarioWorkspace(parent: string): string {
  const dir = fs.mkdtempSync(path.join(parent, 'workspace-'));
  fs.copyFileSync(DEFAULT_SCENARIO, path.join(dir, 'default.kpath'));
  return dir;
}

/**
 * A workbench on a new workspace holding the default scenario as default.kpath (and the workspace
 * settings and the files given, written before the workbench reads the folder), its editor open and pinned (the model's listings opened while debugging do not replace it as a preview would),
 * once kpath has activated (F5 pressed before the extension host is up does nothing at all).
 */
export async function openScenarioWorkbench(server: CodeServer, opts: { settings?: Record<string, unknown>; files?: Record<string, string> } = {}): Promise<{ wb: Workbench; folder: string }> {
  const folder = scenarioWorkspace(server.root);
  for (const [name, text] of Object.entries(opts.files ?? {})) fs.writeFileSync(path.join(folder, name), text);
  if (opts.settings) {
    fs.mkdirSync(path.join(folder, '.vscode'));
    fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(opts.settings, null, 2));
  }
  const wb = await openWorkbench(server, folder);
  try {
    await wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'default.kpath' }).dblclick();
    await openFile(wb.page, 'default.kpath');
    await activationMs(wb.page, KPATH_EXTENSION_ID);
    await runCommand(wb.page, 'View: Close Editor');
  } catch (e) {
    await wb.close();
    throw e;
  }
  return { wb, folder };
}

export interface ActivationMeasurement {
  /** VS Code's number for kpath (Show Running Extensions), ms. */
  activationMs: number;
  /** From opening the workbench URL to kpath's row showing its activation time, ms. */
  openToActivatedMs: number;
}

/**
 * The whole measurement for `npm run bench`: a fresh code-server and browser, the workspace opened
 * with a .kpath file (which activates kpath: onLanguage:kpath), VS Code's activation time read, and
 * everything stopped again.
 */
export async function measureActivation(): Promise<ActivationMeasurement> {
  const server = await startCodeServer();
  try {
    const folder = scenarioWorkspace(server.root);
    const t0 = Date.now();
    const wb = await openWorkbench(server, folder);
    try {
      await openFile(wb.page, 'default.kpath');
      const ms = await activationMs(wb.page, KPATH_EXTENSION_ID);
      return { activationMs: ms, openToActivatedMs: Date.now() - t0 };
    } finally {
      await wb.close();
    }
  } finally {
    await server.stop();
  }
}

/**
 * Saves a screenshot and the server's logs into a directory that is kept (the server's own
 * directory is removed when it stops), and returns that directory; nothing after an interrupt.
 */
export async function saveFailure(page: Page | undefined, server: CodeServer | undefined, name: string): Promise<string | undefined> {
  if (interrupted) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-vscode-failure-'));
  const base = name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80);
  if (page) await page.screenshot({ path: path.join(dir, `${base}.png`) }).catch(() => undefined);
  if (server) {
    try {
      fs.copyFileSync(server.logFile, path.join(dir, 'code-server.log'));
      fs.cpSync(path.join(server.root, 'user-data', 'logs'), path.join(dir, 'logs'), { recursive: true });
    } catch {
      // no logs yet
    }
  }
  return dir;
}
