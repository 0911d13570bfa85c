// The VS Code extension in a real VS Code (code-server) in a real browser (Debian's chromium), the
// way a user meets it: a workspace with a .kpath scenario, the editor's language and buttons, F5
// with no launch.json (in an adapter process VS Code starts for the session), stepping, a function
// breakpoint, Run to the End, a launch configuration without a scenario, the adapter run inline,
// and the extension's activation time. One server and one browser serve the
// whole file; the tests run in order and each leaves the workbench with no debug session.
//
// Needs chromium and rg (Debian: apt-get install chromium ripgrep); code-server is installed into
// .vscode-test/ on first use (test/helpers/vscode.ts). VS Code loads the extension from dist/:
// build first (npm run build).

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { UI_TIMEOUT_MS, KPATH_EXTENSION_ID, runCommand, activationMs, exactly } from '../helpers/vscode';
import { uiSuite, view as sideView } from '../helpers/ui-suite';

const SCENARIO = 'default.kpath';

// One workbench for the whole file: the scenario's editor in front, the keyboard in it.
const ui = uiSuite({ artifacts: 'extension', setup: () => focusScenario() });
const { page, test: uiTest } = ui;
/** A view of the side bar by the name on its header ("Call Stack", "Variables", "Breakpoints"). */
const view = (name: string): Locator => sideView(page(), name);

/** The Call Stack's frame rows, top frame first; each is labelled "Stack Frame FUNCTION, line N, FILE". */
function frames(): Locator {
  return view('Call Stack').locator('.monaco-list-row[aria-label^="Stack Frame "]');
}

/** A top-level row of the Variables view (a scope) by its name. */
function scope(name: string): Locator {
  return view('Variables').locator('.monaco-list-row[aria-level="1"]').filter({ hasText: exactly(name) });
}

const debugToolbar = (): Locator => page().locator('.debug-toolbar');
const editorAction = (label: string): Locator => page().locator(`.editor-actions [aria-label="${label}"]`);
const RUN_BUTTON = 'Run Scenario to the End';

/** The aria-labels of the elements `rows` matches, in order. */
async function ariaLabels(rows: Locator): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0, n = await rows.count(); i < n; i++) out.push((await rows.nth(i).getAttribute('aria-label')) ?? '');
  return out;
}

/** Waits until `probe` returns something other than undefined, and returns it. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The adapter processes VS Code has started for sessions (dist/dap.js), by pid. Only this
 * server's (its process group): other test files run adapters too.
 */
function adapterProcesses(): number[] {
  const server = ui.server();
  if (!server) return [];
  const ps = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return ps.split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m && Number(m[2]) === server.pid && /\/dist\/dap\.js$/.test(m[3]))
    .map((m) => Number(m[1]));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Brings the scenario's editor to the front (its tab), with the keyboard focus in its text. */
async function focusScenario(): Promise<void> {
  await page().locator('.tabs-container .tab', { hasText: SCENARIO }).click();
  await page().locator('.editor-instance .monaco-editor .view-lines').first().click();
}

/**
 * Starts recording, in the page, whether an element matching `selector` is ever shown: the debug
 * toolbar of a run that ends within a second can come and go between two polls from here.
 * Returns a wait for it to have been shown.
 */
async function recordShown(selector: string): Promise<() => Promise<void>> {
  const key = `kpathShown${Date.now()}`;
  // A string, not a function: the project compiles without the DOM's types.
  await page().evaluate(`(() => {
    const shown = () => [...document.querySelectorAll(${JSON.stringify(selector)})].some((e) => e.getClientRects().length > 0);
    window[${JSON.stringify(key)}] = false;
    const observer = new MutationObserver(() => {
      if (shown()) {
        window[${JSON.stringify(key)}] = true;
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  })()`);
  return async () => {
    await page().waitForFunction(`window[${JSON.stringify(key)}] === true`, undefined, { timeout: UI_TIMEOUT_MS });
  };
}

describe('the extension in VS Code (code-server + chromium)', () => {
  uiTest('a .kpath file opens in the kpath language, coloured by its grammar, with Run and Debug buttons', async () => {
    // The status bar's language indicator shows the language's name (its first alias).
    const mode = page().locator('[id="status.editor.mode"]');
    await mode.filter({ hasText: exactly('kpath scenario') }).waitFor();
    // The grammar: `link` on line 4 is coloured as a keyword, not as plain text (monaco's mtk1).
    // Tokenizing is asynchronous: wait for it.
    await page().locator('.editor-instance .view-line span span:not(.mtk1)', { hasText: exactly('link') }).first().waitFor();

    // editor/title/run: one split button, Run as its default action, Debug in its drop-down.
    await editorAction(RUN_BUTTON).waitFor();
    await editorAction('Run or Debug...').click();
    const menu = page().locator('.monaco-menu .action-label');
    await menu.filter({ hasText: exactly('Debug Scenario') }).waitFor();
    assert.deepEqual(await menu.allInnerTexts(), ['Run Scenario to the End', 'Debug Scenario']);
    await page().keyboard.press('Escape');
    await menu.first().waitFor({ state: 'hidden' });
  });

  uiTest('F5 with no launch.json debugs the scenario: stops on entry, steps, stops at a function breakpoint, ends', async () => {
    // No adapter runs before a session.
    assert.deepEqual(adapterProcesses(), []);
    await focusScenario();
    await page().keyboard.press('F5');
    await debugToolbar().waitFor();
    await debugToolbar().locator('[aria-label^="Step Over"]').waitFor();

    // Stopped on entry in the first function of the path, with its locals.
    const thread = view('Call Stack').locator('.monaco-list-row[aria-label^="Thread task"]');
    await thread.filter({ hasText: /paused on entry at udp_sendmsg/i }).waitFor();
    await frames().first().filter({ has: page().locator('.stack-frame', { hasText: /^udp_sendmsg/ }) }).waitFor();
    await scope('Locals').waitFor();
    // VS Code started one adapter process for the session (package.json's program).
    const [adapter] = await waitFor('the session\'s adapter process', async () => (adapterProcesses().length === 1 ? adapterProcesses() : undefined));
    const entry = (await frames().first().getAttribute('aria-label')) ?? '';
    assert.match(entry, /^Stack Frame udp_sendmsg, line \d+, udp\.c$/);

    // Step Over moves on.
    await page().keyboard.press('F10');
    const stepped = await waitFor('the top frame to change after F10', async () => {
      const label = await frames().first().getAttribute('aria-label').catch(() => null);
      return label && label !== entry ? label : undefined;
    });
    assert.match(stepped, /^Stack Frame \w+, line \d+, \w+\.[ch]$/);

    // A function breakpoint on ip_output, and Continue: the transmit path on the call stack, and
    // the packet in the Variables view.
    await runCommand(page(), 'Add Function Breakpoint');
    const input = view('Breakpoints').locator('input[aria-label="Type function breakpoint."]');
    await input.waitFor();
    await input.fill('ip_output');
    await input.press('Enter');
    // Entered (the Breakpoints view lists it, but may have it out of view: lists render only the
    // rows in view).
    await input.waitFor({ state: 'detached' });
    await page().keyboard.press('F5');
    await thread.filter({ hasText: /function breakpoint at ip_output/i }).waitFor();
    await frames().first().filter({ has: page().locator('.stack-frame', { hasText: /^ip_output/ }) }).waitFor();
    const stack = await ariaLabels(frames());
    const functions = stack.map((l) => /^Stack Frame (\S+),/.exec(l)?.[1]);
    assert.deepEqual(functions.slice(0, 2), ['ip_output', 'dst_output'], stack.join('\n'));
    assert.ok(functions.includes('udp_sendmsg'), stack.join('\n'));
    await scope('Locals').waitFor();
    await scope('sk_buff').waitFor();

    await runCommand(page(), 'Remove All Breakpoints');
    assert.ok(alive(adapter), `the session's adapter (pid ${adapter}) runs until the session ends`);

    // Stop ends the session.
    await page().keyboard.press('Shift+F5');
    await debugToolbar().waitFor({ state: 'hidden' });
    await focusScenario();
    await editorAction(RUN_BUTTON).waitFor();
    // The session's adapter exits with it, and nothing is left running.
    await waitFor('the session\'s adapter to exit', async () => (alive(adapter) ? undefined : true));
    assert.deepEqual(adapterProcesses(), []);
  });

  uiTest('"kpath: Run Scenario to the End" runs without stopping, and the session ends', async () => {
    await focusScenario();
    await editorAction(RUN_BUTTON).waitFor();
    assert.equal(await debugToolbar().isVisible(), false);
    const toolbarShown = await recordShown('.debug-toolbar');
    await runCommand(page(), 'kpath: Run Scenario to the End');
    // A session ran (VS Code shows the toolbar while one does) ...
    await toolbarShown();
    // ... and ended by itself: the toolbar goes away, and the buttons, hidden while a session runs,
    // come back.
    await debugToolbar().waitFor({ state: 'hidden' });
    await editorAction(RUN_BUTTON).waitFor();
    // It never stopped, and nothing went wrong (a launch that fails says so in an error toast).
    assert.equal(await view('Call Stack').locator('.monaco-list-row').count(), 0);
    assert.deepEqual(await page().locator('.notification-toast', { has: page().locator('.codicon-error') }).allInnerTexts(), []);
  });

  uiTest('a launch configuration without "scenario" gets the extension\'s message', async () => {
    const name = 'kpath: no scenario';
    fs.mkdirSync(path.join(ui.folder(), '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(ui.folder(), '.vscode', 'launch.json'),
      JSON.stringify({ version: '0.2.0', configurations: [{ type: 'kpath', request: 'launch', name }] }, null, 2),
    );
    // VS Code has read the new launch.json when the Run and Debug view offers the configuration.
    await runCommand(page(), 'View: Show Run and Debug');
    await page().locator(`select[aria-label="Debug Launch Configurations"] option[value="${name}"]`).waitFor({ state: 'attached' });
    await runCommand(page(), 'Debug: Select and Start Debugging');
    await page()
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: page().locator('.label-name', { hasText: exactly(name) }) })
      .first()
      .click();
    const toast = page().locator('.notification-toast', { hasText: 'has no "scenario"' });
    await toast.waitFor();
    assert.match(await toast.innerText(), /^kpath: this launch configuration has no "scenario"/);
    assert.equal(await debugToolbar().isVisible(), false);
    await runCommand(page(), 'Notifications: Clear All Notifications');
    await toast.waitFor({ state: 'detached' });
  });

  uiTest('with kpath.debugAdapter "inline", F5 debugs in the extension host: a stop on entry, no adapter process', async () => {
    const settings = path.join(ui.folder(), '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ 'kpath.debugAdapter': 'inline' }, null, 2));
    try {
      await focusScenario();
      await runCommand(page(), 'kpath: Debug Scenario');
      const thread = view('Call Stack').locator('.monaco-list-row[aria-label^="Thread task"]');
      await thread.filter({ hasText: /paused on entry at udp_sendmsg/i }).waitFor();
      await scope('Locals').waitFor();
      assert.deepEqual(adapterProcesses(), []);
      await page().keyboard.press('Shift+F5');
      await debugToolbar().waitFor({ state: 'hidden' });
    } finally {
      fs.rmSync(settings, { force: true });
    }
  });

  uiTest('kpath is listed in Running Extensions with its activation time', async (t) => {
    const ms = await activationMs(page(), KPATH_EXTENSION_ID);
    assert.ok(Number.isFinite(ms) && ms >= 0, `activation time ${ms}`);
    t.diagnostic(`kpath activation (VS Code's Running Extensions): ${ms} ms`);
  });
});
