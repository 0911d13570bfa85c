// The sk_buff and path pictures in a real VS Code (code-server) in a real browser (Debian's
// chromium), as a user meets them: the default scenario, F5 to a function breakpoint on
// ip_finish_output2, "kpath: Show sk_buff" with the datagram's headers as bands, a step that changes
// the packet and the change marked, "kpath: Show Path" with the current function and the calls
// taken, a click on a box that opens the function's listing, and the notice once the session ends.
// Each test saves a screenshot under test-artifacts/pictures/.
//
// Needs chromium and rg (Debian: apt-get install chromium ripgrep); build first (npm run build).

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import { UI_TIMEOUT_MS, runCommand, exactly } from '../helpers/vscode';
import { uiSuite, view as sideView, addFunctionBreakpoint as addBreakpoint } from '../helpers/ui-suite';
import { DEFAULT_SCENARIO } from '../helpers/cli';
import { parseScenario } from '../../src/model/scenario/parse';
import { Runtime } from '../../src/debugger/runtime';
import { stepLine, renderedListing } from '../../src/model/listing';

const SCENARIO = 'default.kpath';

const ui = uiSuite({
  artifacts: 'pictures',
  setup: (page) => page.locator('.tabs-container .tab', { hasText: SCENARIO }).click(),
});
const { page } = ui;
const uiTest = (name: string, shot: string, body: Parameters<typeof ui.test>[1]): void => ui.test(name, body, shot);
const view = (name: string): Locator => sideView(page(), name);
const addFunctionBreakpoint = (name: string): Promise<void> => addBreakpoint(page(), name);

/**
 * The page inside the webview panel with this title (VS Code nests it in two iframes, and loads it
 * anew each time the panel is shown): the frame whose document has that title and has drawn.
 */
async function webview(title: string): Promise<Frame> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    for (const f of page().frames()) {
      if (f.isDetached()) continue;
      const ok = await f.title().then((t) => t === title && f.locator('#root > *').count().then((n) => n > 0)).catch(() => false);
      if (ok) return f;
    }
    if (Date.now() > deadline) throw new Error(`no webview "${title}" has drawn`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const SKB = 'kpath: sk_buff';
const PATH = 'kpath: path';

/** The first stop of the model at a function breakpoint on `fn`, run here: what the picture must show. */
function modelStop(fn: string): NonNullable<ReturnType<Runtime['start']>['stop']> {
  const rt = new Runtime(parseScenario(fs.readFileSync(DEFAULT_SCENARIO, 'utf8'), DEFAULT_SCENARIO));
  rt.setFunctionBreakpoints([{ id: 1, name: fn }]);
  const r = rt.start(false);
  assert.ok(r.stop, `the model never stops at ${fn}`);
  return r.stop;
}

/**
 * Clicks a button of the debug toolbar (Continue, Step Over, Stop): unlike its key, a click does not
 * depend on where the keyboard focus is (an editor, or a picture's webview).
 */
async function debugAction(label: string): Promise<void> {
  const button = page().locator(`.debug-toolbar .action-label[aria-label^="${label}"]:not(.disabled)`).first();
  await button.click();
}

const thread = (): Locator => view('Call Stack').locator('.monaco-list-row[aria-label^="Thread task"], .monaco-list-row[aria-label^="Thread softirq"]');
const topFrame = (fn: string): Locator =>
  view('Call Stack').locator('.monaco-list-row[aria-label^="Stack Frame "]').first().filter({ has: page().locator('.stack-frame', { hasText: new RegExp(`^${fn}`) }) });

/** A band of the sk_buff picture by kind (eth, ip, udp, payload, headroom, tailroom...). */
function band(skb: Frame, kind: string): Locator {
  const cls = ['headroom', 'tailroom'].includes(kind) ? kind : `band-${kind}`;
  return skb.locator(`.strip .seg.${cls}`).first();
}

describe('the sk_buff and path pictures (code-server + chromium)', () => {
  uiTest('with no session, "kpath: Show sk_buff" says that no kpath session is stopped', 'skb-no-session', async () => {
    await runCommand(page(), 'kpath: Show sk_buff');
    await (await webview(SKB)).locator('.notice', { hasText: 'No kpath debug session is stopped' }).waitFor();
  });

  uiTest('F5 to ip_finish_output2: the sk_buff picture shows IP 20, UDP 8 and the 100-byte payload, with the model\'s headroom', 'skb-ip_finish_output2', async () => {
    const expected = modelStop('ip_finish_output2').frames[0].skb!;
    await page().locator('.tabs-container .tab', { hasText: SCENARIO }).click();
    await page().locator('.editor-instance .monaco-editor .view-lines').first().click();
    await runCommand(page(), 'View: Show Run and Debug');
    await addFunctionBreakpoint('ip_finish_output2');
    await page().keyboard.press('F5');
    await thread().filter({ hasText: /paused on entry/i }).waitFor();
    await debugAction('Continue');
    await thread().filter({ hasText: /function breakpoint at ip_finish_output2/i }).waitFor();
    await topFrame('ip_finish_output2').waitFor();

    // The panel opened before follows the session: it draws the packet at this stop.
    const skb = await webview(SKB);
    await skb.locator('h1', { hasText: exactly(`packet #${expected.id}`) }).waitFor();
    await skb.locator('.where', { hasText: 'ip_finish_output2' }).waitFor();
    const sizes = async (kind: string): Promise<string> => (await band(skb, kind).locator('.seg-size').innerText()).trim();
    assert.equal(await sizes('ip'), '20 B');
    assert.equal(await sizes('udp'), '8 B');
    assert.equal(await sizes('payload'), '100 B');
    assert.equal(await sizes('headroom'), `${expected.headroom} B`);
    assert.equal(await sizes('tailroom'), `${expected.tailroom} B`);
    // head, data, tail and end marked at their offsets.
    const marks = await skb.locator('.strip .mark').allInnerTexts();
    assert.deepEqual(marks, ['head 0', `data ${expected.data}`, `tail ${expected.tail}`, `end ${expected.buf.length}`]);
    assert.equal(await skb.locator('tr[data-field="len"] td').innerText(), String(expected.len));
    // Nothing is marked changed at the packet's first picture.
    assert.equal(await skb.locator('.changed').count(), 0);
  });

  uiTest('"kpath: Show Path" at ip_finish_output2: the current function marked, the calls taken highlighted', 'path-ip_finish_output2', async () => {
    await runCommand(page(), 'kpath: Show Path');
    const graph = await webview(PATH);
    await graph.locator('g.fn.current[data-fn="ip_finish_output2"]').waitFor();
    await graph.locator('h1', { hasText: /The path of packet #\d+ \(kernel 6\.18\)/ }).waitFor();
    // The way here: taken. Fragmentation, and what comes after ip_finish_output2: not (yet).
    for (const [from, to] of [['udp_sendmsg', 'ip_send_skb'], ['dst_output', 'ip_output'], ['ip_finish_output', '__ip_finish_output'], ['__ip_finish_output', 'ip_finish_output2']]) {
      assert.equal(await graph.locator(`path.call.taken[data-from="${from}"][data-to="${to}"]`).count(), 1, `${from} -> ${to} is highlighted`);
    }
    for (const [from, to] of [['__ip_finish_output', 'ip_fragment'], ['ip_finish_output2', 'neigh_output']]) {
      assert.equal(await graph.locator(`path.call:not(.taken)[data-from="${from}"][data-to="${to}"]`).count(), 1, `${from} -> ${to} is drawn, not highlighted`);
    }
    assert.equal(await graph.locator('g.fn.stack[data-fn="dst_output"]').count(), 1, 'dst_output is on the stack');
    assert.equal(await graph.locator('g.fn.taken[data-fn="ip_fragment"]').count(), 0);
  });

  uiTest('a click on a box opens the function\'s listing at its first line', 'path-click-opens-listing', async () => {
    await (await webview(PATH)).locator('g.fn[data-fn="ip_fragment"]').click();
    const tab = page().locator('.editor-group-container .tab.active', { hasText: 'ip_output.c' });
    await tab.waitFor();
    // The cursor is on the function's first line (the status bar tells which): where the model's
    // listing has ip_fragment's signature.
    const enter = stepLine('6.18', 'ip_fragment', 'enter')!;
    assert.equal(enter.path, 'net/ipv4/ip_output.c');
    assert.match(renderedListing('6.18', enter.path)!.text.split('\n')[enter.line - 1], /ip_fragment\(/);
    const status = page().locator('[id="status.editor.selection"]');
    await status.filter({ hasText: new RegExp(`Ln ${enter.line}\\b`) }).waitFor();
  });

  uiTest('stepping on to where neigh_resolve_output builds the Ethernet header: the changed fields are marked', 'skb-changed', async () => {
    await addFunctionBreakpoint('neigh_resolve_output');
    // The first call queues the packet for ARP; the second, after the reply, sends it.
    await debugAction('Continue');
    await topFrame('neigh_resolve_output').waitFor();
    await debugAction('Continue');
    await thread().filter({ hasText: /softirq|function breakpoint at neigh_resolve_output/i }).waitFor();
    await view('Call Stack').locator('.monaco-list-row[aria-label^="Stack Frame neigh_update"]').waitFor();
    await runCommand(page(), 'kpath: Show sk_buff');
    const skb = await webview(SKB);
    await skb.locator('.where', { hasText: 'neigh_resolve_output' }).waitFor();
    // Step over until the Ethernet header is there (dev_hard_header), as a user would, each time
    // waiting for the picture of the new stop.
    for (let i = 0; i < 4 && (await skb.locator('.seg.band-eth').count()) === 0; i++) {
      const step = await skb.locator('#root').getAttribute('data-step');
      await debugAction('Step Over');
      await skb.locator(`#root[data-step]:not([data-step="${step}"])`).waitFor();
    }
    await skb.locator('.seg.band-eth.changed').waitFor();
    assert.equal((await skb.locator('.seg.band-eth .seg-size').innerText()).trim(), '14 B');
    const row = skb.locator('tr.changed[data-field="data"]');
    await row.waitFor();
    assert.match(await row.innerText(), /was \d+/);
    assert.equal(await skb.locator('tr.changed[data-field="len"]').count(), 1);
    await skb.locator('.changed-legend').waitFor();
  });

  uiTest('when the session ends, both pictures say that no kpath session is stopped', 'pictures-ended', async () => {
    await runCommand(page(), 'Remove All Breakpoints');
    await debugAction('Stop');
    await page().locator('.debug-toolbar').waitFor({ state: 'hidden' });
    // The sk_buff picture is in front: it says so at once; the path picture when it is shown.
    await (await webview(SKB)).locator('.notice', { hasText: 'No kpath debug session is stopped' }).waitFor();
    await runCommand(page(), 'kpath: Show Path');
    await (await webview(PATH)).locator('.notice', { hasText: 'No kpath debug session is stopped' }).waitFor();
  });
});
