// The kernel source in a real VS Code (code-server + chromium): with the setting kpath.kernelSource
// set to Debian's unpacked Linux 6.1 tree, F5 on the default scenario with a function breakpoint
// on ip_finish_output2 stops in the real net/ipv4/ip_output.c on the function's line; a line
// breakpoint set in that file (Go to Line, F9) is verified and stops there; the "kpath" output
// channel says how much maps. A screenshot of each test is kept in test-artifacts/extension-source/.
//
// Needs chromium and rg, and the linux-source-6.1 package (skipped without it). Build first.

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { openScenarioWorkbench, runCommand, exactly } from '../helpers/vscode';
import { uiSuite, view as sideView, addFunctionBreakpoint } from '../helpers/ui-suite';
import { linux61 } from '../helpers/linux-tree';
import { loadSourceMap } from '../../src/source/load';
import { computeSourceMap } from '../../src/source/compute';
import type { KernelSourceMap } from '../../src/source/map';

const tree = linux61();
let map: KernelSourceMap;

const ui = uiSuite({
  artifacts: 'extension-source',
  skip: tree.skip,
  open: (server) => openScenarioWorkbench(server, { settings: { 'kpath.kernelSource': tree.root } }),
  async setup(page) {
    const r = await loadSourceMap(tree.root!, '6.18', { compute: computeSourceMap });
    assert.ok(!('problem' in r));
    map = r.map;
    await page.locator('.tabs-container .tab', { hasText: 'default.kpath' }).click();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  },
});
const { page } = ui;
const uiTest = (name: string, shot: string, body: Parameters<typeof ui.test>[1]): void => ui.test(name, body, shot);
const view = (name: string): Locator => sideView(page(), name);
function frames(): Locator {
  return view('Call Stack').locator('.monaco-list-row[aria-label^="Stack Frame "]');
}
const thread = (): Locator => view('Call Stack').locator('.monaco-list-row[aria-label^="Thread task"]');

describe('the kernel source in VS Code (code-server + chromium)', { skip: tree.skip }, () => {
  uiTest('F5 with a function breakpoint on ip_finish_output2 stops in the real ip_output.c on the function\'s line', 'function-breakpoint', async () => {
    const enter = map.position('ip_finish_output2', 'enter')!;
    await runCommand(page(), 'View: Show Run and Debug');
    await addFunctionBreakpoint(page(), 'ip_finish_output2');
    await page().locator('.tabs-container .tab', { hasText: 'default.kpath' }).click();
    await page().locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page().keyboard.press('F5');
    // Paused on entry in udp_sendmsg, in the real net/ipv4/udp.c. The tree is new to this VS Code
    // (its cache is empty): the stop may first show the model listing, until the adapter has
    // parsed the tree and VS Code fetches the stack again.
    await thread().filter({ hasText: /paused on entry at udp_sendmsg/i }).waitFor();
    await view('Call Stack').locator(`.monaco-list-row[aria-label="Stack Frame udp_sendmsg, line ${map.position('udp_sendmsg', 'enter')!.line}, udp.c"]`).waitFor();
    await page().locator('.editor-instance .view-line', { hasText: 'int udp_sendmsg(struct sock *sk, struct msghdr *msg, size_t len)' }).waitFor();
    // Continue to the function breakpoint.
    await page().keyboard.press('F5');
    await thread().filter({ hasText: /function breakpoint at ip_finish_output2/i }).waitFor();
    await frames().first().filter({ hasText: /ip_output\.c/ }).waitFor();
    assert.equal(await frames().first().getAttribute('aria-label'), `Stack Frame ip_finish_output2, line ${enter.line}, ip_output.c`);
    // The editor shows the real file (the kernel's own text, not the model listing), on that line.
    await page().locator('.tabs-container .tab.active').filter({ hasText: 'ip_output.c' }).waitFor();
    // The breadcrumbs name the file's folders: the tree's, not kpath's listings.
    const crumbs = page().locator('.breadcrumbs-control .monaco-breadcrumb-item');
    await crumbs.filter({ hasText: exactly(path.basename(tree.root!)) }).first().waitFor();
    assert.deepEqual((await crumbs.allInnerTexts()).map((t) => t.trim()).slice(-3), ['net', 'ipv4', 'ip_output.c']);
    assert.ok(enter.file.endsWith(path.join('net', 'ipv4', 'ip_output.c')));
    await page().locator('.editor-instance .view-line', { hasText: 'static int ip_finish_output2(struct net *net, struct sock *sk, struct sk_buff *skb)' }).waitFor();
    assert.equal(await page().locator('.editor-instance .view-line', { hasText: "kpath's model listing" }).count(), 0);
  });

  uiTest('a line breakpoint set in the real file binds to its step point and stops there', 'line-breakpoint', async () => {
    const neigh = map.position('ip_finish_output2', 'neigh')!;
    // In the real ip_output.c, still open from the stop: go to the line of neigh_output and F9.
    await page().locator('.tabs-container .tab.active', { hasText: 'ip_output.c' }).waitFor();
    await page().locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page().keyboard.press('Control+G');
    await page().keyboard.type(String(neigh.line));
    await page().keyboard.press('Enter');
    await page().keyboard.press('F9');
    // The Breakpoints view lists it as verified (no "unverified" icon).
    const row = view('Breakpoints').locator('.monaco-list-row', { hasText: 'ip_output.c' }).filter({ hasText: String(neigh.line) });
    await row.first().waitFor();
    await row.first().locator('.codicon-debug-breakpoint').waitFor();
    assert.equal(await row.first().locator('.codicon-debug-breakpoint-unverified').count(), 0);
    // Continue: the breakpoint on the line stops ip_finish_output2 there.
    await page().keyboard.press('F5');
    await thread().filter({ hasText: /breakpoint at ip_finish_output2 \(neigh\)/i }).waitFor();
    assert.equal(await frames().first().getAttribute('aria-label'), `Stack Frame ip_finish_output2, line ${neigh.line}, ip_output.c`);
    await page().locator('.editor-instance .view-line', { hasText: 'res = neigh_output(neigh, skb, is_v6gw);' }).waitFor();
  });

  uiTest('the "kpath" output channel says how much of the model is on the real lines', 'output-channel', async () => {
    await runCommand(page(), 'Output: Show Output Channels...');
    await page().locator('.quick-input-list .monaco-list-row').filter({ has: page().locator('.label-name', { hasText: exactly('kpath') }) }).first().click();
    // The output channel is an editor of its own in the panel (the Debug Console is a list, not an editor).
    const text = page().locator('.monaco-editor .view-lines');
    // (A wrapped line is several rows in the editor: match within one; the editor's spaces are no-break spaces.)
    await text.filter({ hasText: /\d+\s+of\s+\d+\s+step\s+points\s+of\s+the\s+6\.18\s+profile/ }).waitFor();
    await text.filter({ hasText: /udp_sendmsg:autobind/ }).waitFor();
    await page().keyboard.press('Shift+F5');
    await page().locator('.debug-toolbar').waitFor({ state: 'hidden' });
    await runCommand(page(), 'Remove All Breakpoints');
  });
});
