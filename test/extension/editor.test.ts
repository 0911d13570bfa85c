// The .kpath editor in a real VS Code (code-server) in a real browser (chromium), as a learner
// writes a scenario: a bad line underlined with the parser's own message (the one `kpath run`
// prints, at the same line and column, listed in the Problems panel), completion of the statement
// words and of the devices defined above, hover documentation of a word (`df do` is
// IP_PMTUDISC_DO). Then a stopped session with the Wire view, the sk_buff picture and the path
// picture, whose screenshots are the README's (media/screenshots/, written only with
// KPATH_SCREENSHOTS=1). Then again with the display language zh-cn: the problem, the Wire view, a
// thread's name and a command's title in Chinese.
//
// Each test saves a screenshot under test-artifacts/editor/. Needs chromium and rg (see
// extension.test.ts); build first (npm run build).

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { openFile, openScenarioWorkbench, runCommand, exactly } from '../helpers/vscode';
import { uiSuite, view, webviewWith, addFunctionBreakpoint, type UiSuite } from '../helpers/ui-suite';
import { REPO_ROOT } from '../helpers/cli';

/** The README's pictures: written by these tests only when asked (KPATH_SCREENSHOTS=1). */
const README_SHOTS = process.env.KPATH_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'media', 'screenshots') : undefined;

/** A scenario as a learner writes it: two links, a send with `df do`, and a TTL out of range on its last line. */
const FILE = 'editor.kpath';
const LINES = [
  'link add eth0 mtu 1500 address 02:00:00:00:00:01',
  'link add veth1 mtu 1400',
  'addr add 192.0.2.1/24 dev eth0',
  'peer 192.0.2.2 lladdr 02:00:00:00:00:02',
  'at 0ms send udp to 192.0.2.2:9000 size 100 df do',
  'at 1ms send udp to 192.0.2.2:9000 ttl 256',
];
/** Where the parser points: the 256 of the last line (1-based line and column). */
const BAD = { line: LINES.length, col: LINES[LINES.length - 1].indexOf('256') + 1 };
/** The `do` of `df do`. */
const DO = { line: 5, col: LINES[4].lastIndexOf(' do') + 2 };

const zh = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const zhNls = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
/** The Chinese of the English message `key`, with its placeholders filled in. */
function chinese(key: string, ...args: (string | number)[]): string {
  assert.ok(zh[key], `no Chinese for ${JSON.stringify(key)}`);
  return zh[key].replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
}

/** A workbench on a workspace holding the default scenario and FILE, in a display language, and the gestures of these tests. */
class Session {
  readonly suite: UiSuite;
  constructor(readonly lang: string) {
    this.suite = uiSuite({
      artifacts: 'editor',
      prefix: `${lang}-`,
      server: lang === 'en' ? {} : { locale: lang },
      // Written before the workbench opens: the Explorer lists it from its first read of the folder,
      // not from a file watcher's event (which code-server's now and then never delivers).
      open: (server) => openScenarioWorkbench(server, { files: { [FILE]: LINES.join('\n') + '\n' } }),
    });
  }

  get page(): Page {
    return this.suite.page();
  }

  test(name: string, shot: string, body: () => Promise<void>): void {
    this.suite.test(name, body, shot);
  }

  screenshot(name: string): Promise<string> {
    return this.suite.screenshot(name);
  }

  /** Opens a file of the workspace from the Explorer. */
  async openFile(name: string): Promise<void> {
    await this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().waitFor();
    await openFile(this.page, name);
    await this.editor().click();
  }

  /** The editor group whose active tab is `title` (a picture opens beside the editor). */
  group(title: string): Locator {
    return this.page.locator('.editor-group-container', { has: this.page.locator('.tab.active', { hasText: title }) });
  }

  editor(): Locator {
    return this.page.locator('.editor-instance .monaco-editor .view-lines').first();
  }

  /** Puts the cursor at `line`:`col` with Go to Line/Column, as a user does (Ctrl+G). */
  async goTo(line: number, col: number): Promise<void> {
    await runCommand(this.page, 'Go to Line/Column...');
    const input = this.page.locator('.quick-input-widget input');
    await input.fill(`:${line}:${col}`);
    await input.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await this.page.locator('[id="status.editor.selection"]', { hasText: new RegExp(`Ln ${line}, Col ${col}\\b`) }).waitFor();
  }

  /** Hides the panel (Problems, Debug Console) when it shows. */
  async hidePanel(): Promise<void> {
    if (await this.page.locator('.part.panel').isVisible()) await runCommand(this.page, 'View: Hide Panel');
    await this.page.locator('.part.panel').waitFor({ state: 'hidden' });
  }

  /** The Problems panel's row with this message. */
  problem(message: string): Locator {
    return this.page.locator('.markers-panel .monaco-list-row').filter({ hasText: message });
  }

  view(name: string): Locator {
    return view(this.page, name);
  }

  webviewWith(selector: string): Promise<Frame> {
    return webviewWith(this.page, selector);
  }

  /** Folds or unfolds views of Run and Debug so that the ones wanted have room. */
  async arrangeViews(expanded: Record<string, boolean>): Promise<void> {
    for (const [name, open] of Object.entries(expanded)) {
      const header = this.page.locator(`.pane-header[aria-label="${name} Section"]`);
      await header.waitFor();
      if ((await header.getAttribute('aria-expanded')) !== String(open)) await header.click();
    }
  }

  addFunctionBreakpoint(name: string): Promise<void> {
    return addFunctionBreakpoint(this.page, name);
  }

  /** Clicks a button of the debug toolbar (a click does not depend on where the keyboard focus is). */
  async debugAction(label: string): Promise<void> {
    await this.page.locator(`.debug-toolbar .action-label[aria-label^="${label}"]:not(.disabled)`).first().click();
  }
}

/** A screenshot for the README: the whole window, or the part `part` shows, as a PNG. */
async function readmeShot(s: Session, name: string, part?: Locator): Promise<void> {
  if (!README_SHOTS) return;
  fs.mkdirSync(README_SHOTS, { recursive: true });
  const file = path.join(README_SHOTS, `${name}.png`);
  if (part) await part.screenshot({ path: file });
  else await s.page.screenshot({ path: file });
}

describe('the .kpath editor in VS Code (code-server + chromium)', () => {
  const s = new Session('en');

  s.test('a bad line is underlined with the parser\'s message, and the Problems panel names its line and column', 'problem', async () => {
    await s.openFile(FILE);
    await s.page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await runCommand(s.page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const row = s.problem('ttl must be 0..255, found 256');
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`\\[Ln ${BAD.line}, Col ${BAD.col}\\]`));
    // The same message and place as `kpath run` gives (test/cli: FILE:LINE:COL: message).
    // While typing: a second link named eth0 is a problem before the file is saved.
    await s.editor().click();
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.type('link add eth0 type ethernet');
    await s.page.keyboard.press('Escape');
    const dup = s.problem('a link named eth0 already exists (line 1)');
    await dup.waitFor();
    assert.match(await dup.innerText(), new RegExp(`\\[Ln ${LINES.length + 1}, Col 10\\]`));
    // The line deleted again, the problem goes away.
    await s.editor().click();
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.press('Shift+Home');
    await s.page.keyboard.press('Backspace');
    await dup.waitFor({ state: 'detached' });
    await s.problem('ttl must be 0..255, found 256').waitFor();
  });

  s.test('completion offers the statement words on an empty line and the devices defined above after "dev"', 'completion', async () => {
    await s.page.keyboard.press('Control+End');
    const suggestion = (label: string): Locator => s.page.locator('.suggest-widget.visible .monaco-list-row .label-name', { hasText: exactly(label) });
    await s.page.keyboard.press('Control+Space');
    for (const word of ['link', 'addr', 'route', 'at']) await suggestion(word).waitFor();
    await s.page.keyboard.press('Escape');
    await s.page.keyboard.type('route add 10.0.0.0/8 dev ');
    await s.page.keyboard.press('Control+Space');
    await suggestion('veth1').waitFor();
    await suggestion('eth0').waitFor();
    assert.equal(await suggestion('link').count(), 0, 'a statement word is no device');
    // Accepted, the device is written and the line is a good one.
    await suggestion('veth1').click();
    await s.page.locator('.view-line', { hasText: 'route add 10.0.0.0/8 dev veth1' }).waitFor();
    await s.page.keyboard.press('Escape');
  });

  s.test('hover on the "do" of "df do" shows what it is in the kernel: IP_PMTUDISC_DO', 'hover', async () => {
    await s.goTo(DO.line, DO.col);
    await runCommand(s.page, 'Show or Focus Hover');
    const hover = s.page.locator('.monaco-hover', { hasText: 'IP_PMTUDISC_DO' });
    await hover.waitFor();
    assert.match(await hover.innerText(), /fails with EMSGSIZE/);
    await s.page.keyboard.press('Escape');
    await runCommand(s.page, 'File: Revert File');
    await runCommand(s.page, 'View: Close Editor');
  });

  s.test('a stopped session: the Wire view, the sk_buff picture and the path picture (the README\'s screenshots)', 'session', async () => {
    await s.hidePanel();
    // A smaller window: the README's picture stays small.
    await s.page.setViewportSize({ width: 1200, height: 760 });
    await s.openFile('default.kpath');
    await runCommand(s.page, 'View: Show Run and Debug');
    await s.addFunctionBreakpoint('ip_finish_output2');
    await s.editor().click();
    await s.page.keyboard.press('F5');
    await s.page.locator('.debug-toolbar [aria-label^="Continue"]').waitFor();
    // The first datagram's stop, then the first fragment's: ARP request, reply and the datagram on the wire.
    await s.debugAction('Continue');
    await s.view('Call Stack').locator('.monaco-list-row', { hasText: /function breakpoint/i }).first().waitFor();
    await s.debugAction('Continue');
    await s.arrangeViews({ Watch: false, Breakpoints: false, Wire: true });
    const wire = await s.webviewWith('.viewport[role="treegrid"]');
    await wire.locator('.status', { hasText: /^3 frames, 0 drops · t = 10\.000000 ms/ }).waitFor();
    await wire.locator('.block .line[aria-level="1"]').nth(2).waitFor();
    // Room for the Wire view's columns: the side bar made wider by its edge, the Debug Console hidden.
    await s.hidePanel();
    const bar = await s.page.locator('.part.sidebar').boundingBox();
    assert.ok(bar, 'the side bar shows');
    await s.page.mouse.move(bar.x + bar.width, bar.y + 300);
    await s.page.mouse.down();
    await s.page.mouse.move(bar.x + 640, bar.y + 300, { steps: 5 });
    await s.page.mouse.up();
    await wire.locator('.header .cell', { hasText: exactly('Info') }).waitFor();
    // The datagram opened into its layers, with room for them: Variables folded.
    await s.arrangeViews({ Variables: false });
    await wire.locator('.block .line[aria-level="1"]').nth(2).locator('.twisty').click();
    await wire.locator('.block .line.detail', { hasText: /^User Datagram Protocol/ }).waitFor();
    await readmeShot(s, 'session-wire');

    await runCommand(s.page, 'kpath: Show sk_buff');
    const skb = await s.webviewWith('.strip .seg.band-ip');
    await skb.locator('.where', { hasText: 'ip_finish_output2' }).waitFor();
    await readmeShot(s, 'skb', s.group('kpath: sk_buff'));

    await runCommand(s.page, 'kpath: Show Path');
    const graph = await s.webviewWith('g.fn.current[data-fn="ip_finish_output2"]');
    // The 3000-byte datagram went through ip_fragment: that call is highlighted.
    await graph.locator('path.call.taken[data-from="__ip_finish_output"][data-to="ip_fragment"]').waitFor({ state: 'attached' });
    await readmeShot(s, 'path', s.group('kpath: path'));

    await s.debugAction('Stop');
    await s.page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
    await runCommand(s.page, 'View: Close All Editors');
  });
});

describe('the .kpath editor and the views with the display language zh-cn', () => {
  const s = new Session('zh-cn');

  s.test('the problem is in Chinese, at the same line and column', 'problem', async () => {
    await s.openFile(FILE);
    await s.page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await runCommand(s.page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const row = s.problem(chinese('{0} must be {1}..{2}, found {3}', 'ttl', 0, 255, 256));
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`\\[Ln ${BAD.line}, Col ${BAD.col}\\]`));
    await s.hidePanel();
    await runCommand(s.page, 'View: Close Editor');
  });

  s.test('the Wire view\'s title and status, the adapter\'s thread names and a kpath command\'s title are Chinese', 'views', async () => {
    await s.openFile('default.kpath');
    await runCommand(s.page, 'View: Show Run and Debug');
    await s.page.keyboard.press('F5');
    await s.page.locator('.debug-toolbar [aria-label^="Continue"]').waitFor();
    // The view's title is the manifest's (package.nls.zh-cn.json); its status comes from the extension.
    const title = zhNls['view.wire'];
    await s.arrangeViews({ Watch: false, Breakpoints: false, [title]: true });
    const wire = await s.webviewWith('.viewport[role="treegrid"]');
    await wire.locator('.status', { hasText: new RegExp(`^${chinese('{0} frames, {1} drops', 0, 0)}`) }).waitFor();
    // The adapter speaks Chinese too: its threads' names.
    await s.view('Call Stack').locator('.monaco-list-row', { hasText: chinese('task (socket calls)') }).first().waitFor();
    // A command by its Chinese title, from the command palette.
    await runCommand(s.page, `kpath: ${zhNls['command.showSkb']}`);
    await s.page.locator('.tabs-container .tab', { hasText: chinese('kpath: sk_buff') }).waitFor();
    // The listing the stop opened begins with its Chinese header.
    await s.page.locator('.monaco-editor .view-line', { hasText: chinese('Names follow the kernel; bodies are simplified.') }).waitFor();
    // The picture says, in Chinese, why it has nothing to draw at a stop before any sk_buff exists.
    const picture = await s.webviewWith('p.notice');
    await picture.locator('p.notice', { hasText: chinese('No frame of this stop works on an sk_buff (stopped in {0}).', 'udp_sendmsg') }).waitFor();
    await s.screenshot('views-stopped');
    await s.debugAction('Stop');
    await s.page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
  });
});
