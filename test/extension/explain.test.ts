// The explanations on the C source in a real VS Code (code-server) in a real browser (Debian's
// chromium), as a user meets them: F5 on the default scenario to a function breakpoint on
// ip_finish_output2 in the model listing; hovering the function's name explains it; the CodeLens
// above each modeled function explains it too and its "Break here" adds a function breakpoint;
// stepping on, the values of the names on the lines shown appear at their ends; step-point lines
// carry a gutter mark, the lines the stop's packet ran are highlighted, and "kpath: Show Lines Run
// by Packet" highlights those of a packet chosen from the run's. Then all of it again with the
// setting kpath.kernelSource on Debian's Linux 6.1 tree: the stop in the real ip_output.c, its
// hover, inline values, "Break here" and the lines run. A screenshot of each test is kept in
// test-artifacts/explain/.
//
// Needs chromium and rg; the kernel-source tests need the linux-source-6.1 package (skipped,
// saying so, without it). Build first (npm run build).

import { describe } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { runCommand } from '../helpers/vscode';
import { uiSuite, view as sideView, addFunctionBreakpoint } from '../helpers/ui-suite';
import { linux61 } from '../helpers/linux-tree';
import { stepLine, renderedListing } from '../../src/model/listing';
import { functionNotes, noteText } from '../../src/model/listing/notes';
import { loadSourceMap } from '../../src/source/load';
import { computeSourceMap } from '../../src/source/compute';
import type { KernelSourceMap } from '../../src/source/map';

const SCENARIO = 'default.kpath';

const tree = linux61();
const ui = uiSuite({
  artifacts: 'explain',
  async setup(page) {
    await page.locator('.tabs-container .tab', { hasText: SCENARIO }).click();
  },
});
const { page } = ui;

/** A test with its screenshot; `skip` (a reason) skips it, saying why. */
function uiTest(name: string, shot: string, body: (t: TestContext) => Promise<void>, skip?: string): void {
  ui.test(name, async (t) => {
    if (skip) {
      t.skip(skip);
      return;
    }
    await body(t);
  }, shot);
}

const view = (name: string): Locator => sideView(page(), name);
const thread = (): Locator => view('Call Stack').locator('.monaco-list-row[aria-label^="Thread task"], .monaco-list-row[aria-label^="Thread softirq"]');
const topFrame = (): Locator => view('Call Stack').locator('.monaco-list-row[aria-label^="Stack Frame "]').first();
/** The editor in front. */
const editor = (): Locator => page().locator('.editor-group-container.active .editor-instance .monaco-editor').first();
/** A line of the editor in front, by (a part of) its text. */
const line = (text: string): Locator => editor().locator('.view-line', { hasText: words(text) });
/** `text` as a pattern whose spaces match the editor's (no-break) spaces. */
const words = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ +/g, '\\s+'));

async function debugAction(label: string): Promise<void> {
  await page().locator(`.debug-toolbar .action-label[aria-label^="${label}"]:not(.disabled)`).first().click();
}

/** How many breakpoints the Breakpoints view lists (its rows' set size: it draws only those in view). */
async function breakpointCount(): Promise<number> {
  const size = await view('Breakpoints').locator('.monaco-list-row').first().getAttribute('aria-setsize');
  return Number(size ?? 0);
}

/** Does `add`, then waits for one more breakpoint, on `name`, at the end of the Breakpoints view. */
async function addsBreakpoint(name: string, add: () => Promise<void>): Promise<void> {
  const before = await breakpointCount();
  await add();
  await page().waitForFunction(`Number(document.querySelector('.pane-header[aria-label="Breakpoints Section"]')
    ?.parentElement?.querySelector('.monaco-list-row')?.getAttribute('aria-setsize')) === ${before + 1}`);
  // The newest is the last row: scroll there.
  await view('Breakpoints').locator('.monaco-list').first().focus();
  await page().keyboard.press('End');
  await view('Breakpoints').locator('.monaco-list-row', { hasText: new RegExp(`^${name}\\b`) }).waitFor();
}

/** Go to Line in the editor in front (the editor scrolls the line into view). */
async function goToLine(n: number): Promise<void> {
  await editor().locator('.view-lines').click();
  await page().keyboard.press('Control+G');
  await page().keyboard.type(String(n));
  await page().keyboard.press('Enter');
}

/**
 * Moves the mouse onto a word of a line of the editor in front and returns the text of the hover
 * that says `text`, read while it shows.
 */
async function hoverText(lineText: string, word: string, text: string | RegExp): Promise<string> {
  const token = line(lineText).locator('span span', { hasText: new RegExp(`^${word}$`) }).first();
  await token.waitFor();
  const hover = page().locator('.monaco-hover:not(.hidden)', { hasText: text }).first();
  for (let i = 0; ; i++) {
    // Off the word, then onto another point of it: a hover shows after the mouse rests on a word.
    // While stopped, VS Code first offers the word to the debug hover and hides the editor's hover
    // until the adapter answers; it starts over only when the mouse rests on a new position.
    await page().mouse.move(5, 5);
    await token.hover({ position: { x: 2 + (i % 6) * 3, y: 6 } });
    const shown = await hover.innerText({ timeout: i < 19 ? 3000 : undefined }).catch((e: unknown) => {
      if (i < 19) return undefined;
      throw e;
    });
    if (shown !== undefined) return shown;
  }
}

/** Steps over until the stop's description says `what` (the thread's label in the Call Stack). */
async function stepUntil(what: RegExp): Promise<void> {
  for (let i = 0; i < 12; i++) {
    if (await thread().filter({ hasText: what }).count()) return;
    const before = await topFrame().getAttribute('aria-label');
    const stop = await thread().first().innerText();
    await debugAction('Step Over');
    // The next stop: another line (or function), or another description.
    await page().waitForFunction(`(() => {
      const f = document.querySelector('.monaco-list-row[aria-label^="Stack Frame "]');
      const t = document.querySelector('.monaco-list-row[aria-label^="Thread task"], .monaco-list-row[aria-label^="Thread softirq"]');
      return f && t && (f.getAttribute('aria-label') !== ${JSON.stringify(before)} || t.innerText !== ${JSON.stringify(stop)});
    })()`);
  }
  await thread().filter({ hasText: what }).waitFor();
}

/** Waits until at least `n` lines of the editor in front have the highlight of the lines run (its theme colour as background). */
async function waitForLinesRun(n: number): Promise<void> {
  await page().waitForFunction(`(() => {
    const wb = document.querySelector('.monaco-workbench');
    const want = wb ? getComputedStyle(wb).getPropertyValue('--vscode-kpath-linesRunBackground').trim() : '';
    const ed = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
    if (!ed || !want) return false;
    const probe = document.createElement('div');
    probe.style.backgroundColor = want;
    document.body.appendChild(probe);
    const color = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return [...ed.querySelectorAll('.view-overlays > div > div')].filter((d) => getComputedStyle(d).backgroundColor === color).length >= ${n};
  })()`);
}

/** Waits until the editor in front shows at least `n` gutter marks of step points. */
async function waitForGutterMarks(n: number): Promise<void> {
  await page().waitForFunction(`[...document.querySelectorAll('.editor-group-container.active .editor-instance .monaco-editor .margin div')]
    .filter((d) => /step-point\\.svg/.test(getComputedStyle(d).backgroundImage)).length >= ${n}`);
}

describe('explanations, inline values and lines run on the C source (code-server + chromium)', () => {
  uiTest('stopped at ip_finish_output2 in the listing: hovering the function name shows its explanation', 'listing-hover', async () => {
    await page().locator('.tabs-container .tab', { hasText: SCENARIO }).click();
    await page().locator('.editor-instance .monaco-editor .view-lines').first().click();
    await runCommand(page(), 'View: Show Run and Debug');
    await addFunctionBreakpoint(page(), 'ip_finish_output2');
    await page().keyboard.press('F5');
    await thread().filter({ hasText: /paused on entry/i }).waitFor();
    await debugAction('Continue');
    await thread().filter({ hasText: /function breakpoint at ip_finish_output2/i }).waitFor();
    await page().locator('.tabs-container .tab.active', { hasText: 'ip_output.c' }).waitFor();
    const summary = noteText(functionNotes('net/ipv4/ip_output.c', 'ip_finish_output2')!.summary, '6.18', 'en');
    const hover = await hoverText('static int ip_finish_output2(', 'ip_finish_output2', 'The last IP step');
    assert.match(hover, new RegExp(summary.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // The signature is also the step point 'enter': its explanation is there too.
    assert.match(hover, /Step point enter of ip_finish_output2/);
  });

  uiTest('a CodeLens explains each modeled function; "Break here" adds a function breakpoint', 'listing-codelens', async () => {
    await page().mouse.move(5, 5);
    const lens = editor().locator('.codelens-decoration', { hasText: 'kpath: ip_finish_output2:' });
    await lens.waitFor();
    assert.match(await lens.innerText(), /Break here/);
    // Up to ip_fragment (Go to Line), and its lens's "Break here".
    await goToLine(stepLine('6.18', 'ip_fragment', 'enter')!.line);
    const fragLens = editor().locator('.codelens-decoration', { hasText: 'kpath: ip_fragment:' });
    await fragLens.waitFor();
    await addsBreakpoint('ip_fragment', () => fragLens.locator('a', { hasText: 'Break here' }).click());
  });

  uiTest('stepping on in ip_finish_output2: inline values on the lines shown, gutter marks, the lines the packet ran', 'listing-inline-values', async () => {
    await stepUntil(/\(nexthop\)/);
    // At the end of the lines from the signature to the stop: the locals and fields there.
    await line('nexthop = rt_nexthop(rt').filter({ hasText: words('nexthop = 192.0.2.2') }).waitFor();
    // The function from its first line (Go to Line): the lines from there to the stop get values.
    await goToLine(stepLine('6.18', 'ip_finish_output2', 'enter')!.line);
    await line('unsigned int hh_len = LL_RESERVED_SPACE(dev);').filter({ hasText: words('hh_len = 16') }).waitFor();
    await line('struct net_device *dev = rt->dst.dev;').filter({ hasText: words('dev = eth0 mtu 1500') }).waitFor();
    await line('IPSTATS_MIB_OUTMCAST').filter({ hasText: words('skb->len = 128') }).waitFor();
    // Every step-point line of the listing shown has its gutter mark.
    await waitForGutterMarks(3);
    // The lines the packet ran to get here are highlighted: in view, the signature and hh_len's line.
    await waitForLinesRun(2);
  });

  uiTest('"kpath: Show Lines Run by Packet" highlights the lines a chosen packet ran', 'lines-run-by-packet', async () => {
    // On to the first fragment of the 3000-byte datagram, leaving ip_fragment's breakpoint behind.
    await debugAction('Continue');
    await thread().filter({ hasText: /ip_fragment/ }).waitFor();
    await runCommand(page(), 'Remove All Breakpoints');
    await runCommand(page(), 'kpath: Show Lines Run by Packet');
    const picker = page().locator('.quick-input-widget');
    await picker.locator('.quick-input-list .monaco-list-row', { hasText: /^#1(?!\d)/ }).first().waitFor();
    // The stop's own packet comes first and says so.
    await picker.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: "the stop's packet" }).waitFor();
    await picker.locator('input').fill('#1');
    await picker.locator('.quick-input-list .monaco-list-row', { hasText: /^#1(?!\d)/ }).first().click();
    // Packet #1 (the 100-byte datagram) ran ip_finish_output2 to its end: scroll there, it is highlighted.
    const listing = renderedListing('6.18', 'net/ipv4/ip_output.c')!.text.split('\n');
    const neigh = stepLine('6.18', 'ip_finish_output2', 'neigh')!.line;
    assert.match(listing[neigh - 1], /neigh_output\(/);
    await goToLine(neigh);
    await waitForLinesRun(2);
  });

  let map: KernelSourceMap | undefined;
  uiTest('with kpath.kernelSource on Linux 6.1: the same hover and CodeLens in the real ip_output.c', 'source-hover', async () => {
    const r = await loadSourceMap(tree.root!, '6.18', { compute: computeSourceMap });
    assert.ok(!('problem' in r));
    map = r.map;
    await page().keyboard.press('Escape');
    await page().mouse.move(5, 5);
    await debugAction('Stop');
    await page().locator('.debug-toolbar').waitFor({ state: 'hidden' });
    fs.mkdirSync(path.join(ui.folder(), '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(ui.folder(), '.vscode', 'settings.json'), JSON.stringify({ 'kpath.kernelSource': tree.root }, null, 2));
    await page().locator('.tabs-container .tab', { hasText: SCENARIO }).click();
    await page().locator('.editor-instance .monaco-editor .view-lines').first().click();
    await addFunctionBreakpoint(page(), 'ip_finish_output2');
    await page().keyboard.press('F5');
    await thread().filter({ hasText: /paused on entry/i }).waitFor();
    // The tree is new to this VS Code: its frames move to the real file once it is mapped.
    await view('Call Stack').locator(`.monaco-list-row[aria-label="Stack Frame udp_sendmsg, line ${map.position('udp_sendmsg', 'enter')!.line}, udp.c"]`).waitFor();
    await debugAction('Continue');
    await thread().filter({ hasText: /function breakpoint at ip_finish_output2/i }).waitFor();
    await topFrame().filter({ hasText: /ip_output\.c/ }).waitFor();
    await line('static int ip_finish_output2(struct net *net, struct sock *sk, struct sk_buff *skb)').waitFor();
    assert.equal(await line("kpath's model listing").count(), 0, 'the real file, not the listing');
    await editor().locator('.codelens-decoration', { hasText: 'kpath: ip_finish_output2:' }).waitFor();
    const hover = await hoverText('static int ip_finish_output2(', 'ip_finish_output2', 'The last IP step');
    const summary = noteText(functionNotes('net/ipv4/ip_output.c', 'ip_finish_output2')!.summary, '6.18', 'en');
    assert.match(hover, new RegExp(summary.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  }, tree.skip);

  uiTest('with kpath.kernelSource: stepping on, the inline values and marks on the real lines', 'source-inline-values', async () => {
    assert.ok(map);
    await page().mouse.move(5, 5);
    // Stepping on: the kernel's own lines get the values.
    await stepUntil(/\(nexthop\)/);
    await goToLine(map!.position('ip_finish_output2', 'enter')!.line);
    await line('unsigned int hh_len = LL_RESERVED_SPACE(dev);').filter({ hasText: words('hh_len = 16') }).waitFor();
    await line('struct net_device *dev = ').filter({ hasText: words('dev = eth0 mtu 1500') }).waitFor();
    await line('IPSTATS_MIB_OUTMCAST').filter({ hasText: words('skb->len = 128') }).waitFor();
    await waitForGutterMarks(3);
    // The lines the packet ran to get here, on the real lines: the signature and hh_len's line.
    await waitForLinesRun(2);
  }, tree.skip);

  uiTest('with kpath.kernelSource: "Break here" in the real ip_output.c adds a breakpoint the run stops at', 'source-break-here', async () => {
    assert.ok(map);
    await page().mouse.move(5, 5);
    const frag = map!.position('ip_fragment', 'enter')!;
    assert.match(frag.path, /net\/ipv4\/ip_output\.c$/);
    await goToLine(frag.line);
    await line('static int ip_fragment(').waitFor();
    const lens = editor().locator('.codelens-decoration', { hasText: 'kpath: ip_fragment:' });
    await lens.waitFor();
    await addsBreakpoint('ip_fragment', () => lens.locator('a', { hasText: 'Break here' }).click());
    // The breakpoint holds: the run stops at ip_fragment, on its line in the real file.
    await debugAction('Continue');
    await thread().filter({ hasText: /function breakpoint at ip_fragment/i }).waitFor();
    await view('Call Stack').locator(`.monaco-list-row[aria-label="Stack Frame ip_fragment, line ${frag.line}, ip_output.c"]`).waitFor();
  }, tree.skip);

  uiTest('with kpath.kernelSource: "kpath: Show Lines Run by Packet" highlights the real lines a packet ran', 'source-lines-run', async () => {
    assert.ok(map);
    await runCommand(page(), 'Remove All Breakpoints');
    await runCommand(page(), 'kpath: Show Lines Run by Packet');
    const picker = page().locator('.quick-input-widget');
    await picker.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: "the stop's packet" }).waitFor();
    await picker.locator('input').fill('#1');
    await picker.locator('.quick-input-list .monaco-list-row', { hasText: /^#1(?!\d)/ }).first().click();
    await page().locator('.statusbar', { hasText: /kpath: packet #1 ran \d+ lines in \d+ files/ }).waitFor();
    // Packet #1 ran ip_finish_output2 to neigh_output in the kernel's own file: highlighted there.
    const neigh = map!.position('ip_finish_output2', 'neigh')!;
    await goToLine(neigh.line);
    await line('neigh_output(neigh, skb').waitFor();
    await waitForLinesRun(2);
  }, tree.skip);
});
