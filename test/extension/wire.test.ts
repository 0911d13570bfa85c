// The Wire view in a real VS Code (code-server) in a real browser (chromium), as a learner uses it
// on the default scenario: F5 to a function breakpoint on ip_finish_output2, the ARP request and
// reply in the list; a frame opened into its layers and fields, its packet found on the call stack;
// "kpath: Export pcap" through VS Code's own save dialog, read by tshark; "kpath: Show Frame
// Bytes" with the selected field highlighted; Reverse Continue shrinks the list; at the end, the
// three fragments. Each test leaves a screenshot in test-artifacts/wire/.
//
// Needs chromium and rg (see extension.test.ts); build first (npm run build).

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import { UI_TIMEOUT_MS, runCommand, saveInDialog } from '../helpers/vscode';
import { uiSuite, view as sideView, addFunctionBreakpoint, webviewWith } from '../helpers/ui-suite';
import { readPcap } from '../../src/model/wire/pcap';
import { tsharkAvailable, tsharkCheck } from '../helpers/tshark';

const SCENARIO = 'default.kpath';

// Hooks at the file's top level: one workbench for all of the file's tests.
const ui = uiSuite({
  artifacts: 'wire',
  async setup(page) {
    // The views of Run and Debug, with the function breakpoint the tests stop at.
    await runCommand(page, 'View: Show Run and Debug');
    await addFunctionBreakpoint(page, 'ip_finish_output2');
    await focusScenario();
  },
});
const { page, test: uiTest } = ui;
const view = (name: string): Locator => sideView(page(), name);

async function focusScenario(): Promise<void> {
  await page().locator('.tabs-container .tab', { hasText: SCENARIO }).click();
  await page().locator('.editor-instance .monaco-editor .view-lines').first().click();
}

const wire = (): Promise<Frame> => webviewWith(page(), '.viewport[role="treegrid"]');
/** Where a user clicks a line: near its left end (its middle may be far to the right, off view). */
const AT_LEFT = { position: { x: 40, y: 11 } };

/** The list's row lines (frames and drops), as text: one string per row, cells joined by |. */
async function rowTexts(f: Frame): Promise<string[]> {
  const rows = f.locator('.block .line[aria-level="1"]');
  const out: string[] = [];
  for (let i = 0, n = await rows.count(); i < n; i++) {
    const cells = await rows.nth(i).locator('.cell').allTextContents();
    out.push(cells.map((c) => c.trim()).join('|'));
  }
  return out;
}

/** Waits until the list shows `n` rows and none of them is still loading; returns them. */
async function waitRows(n: number): Promise<string[]> {
  const f = await wire();
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const texts = await rowTexts(f).catch(() => []);
    if (texts.length === n && (await f.locator('.block .line.pending').count()) === 0) return texts;
    if (Date.now() > deadline) throw new Error(`the Wire view shows ${texts.length} rows, not ${n}:\n${texts.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Continue (F5) from the current stop, and wait until the Wire view's status moves on. The view
 * hears of a stop before VS Code has fetched its threads, so an F5 pressed at once can find VS Code
 * still running: such a key does nothing, the session stays at the same stop with the toolbar
 * offering Continue, and the key is pressed again.
 */
async function continueRun(): Promise<void> {
  const f = await wire();
  const before = (await f.locator('.status').textContent()) ?? '';
  const moved = f.locator('.status').filter({ hasNotText: before });
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    await page().locator('.debug-toolbar [aria-label^="Continue"]').waitFor();
    await page().keyboard.press('F5');
    const taken = await moved.waitFor({ timeout: 3_000 }).then(() => true, () => false);
    if (taken) return;
    const lost = await page().locator('.debug-toolbar [aria-label^="Continue"]').isVisible();
    if (!lost || Date.now() > deadline) break;
  }
  await moved.waitFor();
}

/** The stopped thread's row in the Call Stack, with `text` in its status. */
const threadRow = (text: RegExp): Locator => view('Call Stack').locator('.monaco-list-row[aria-label^="Thread "]').filter({ hasText: text });

describe('the Wire view in VS Code (code-server + chromium)', () => {
  uiTest('F5 to ip_finish_output2: the Wire view lists the ARP request and reply', async () => {
    await page().keyboard.press('F5');
    await threadRow(/paused on entry/i).waitFor();
    // The Wire view is there while a kpath session runs, empty before the first frame. (Watch and
    // Breakpoints folded: room for it.)
    await page().locator('.pane-header[aria-label="Wire Section"]').waitFor();
    for (const [name, expanded] of [['Watch', false], ['Breakpoints', false], ['Wire', true]] as const) {
      const header = page().locator(`.pane-header[aria-label="${name} Section"]`);
      if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
    }
    const f = await wire();
    await f.locator('.status', { hasText: /^0 frames, 0 drops/ }).waitFor();
    await continueRun();
    await threadRow(/function breakpoint/i).waitFor();
    await continueRun();
    await f.locator('.status', { hasText: /^3 frames, 0 drops · t = 10\.000000 ms/ }).waitFor();
    const rows = await waitRows(3);
    assert.match(rows[0], /^1\|0\.000000\|eth0\|tx\|02:00:00:00:00:01\|Broadcast\|ARP\|42\|Who has 192\.0\.2\.2\? Tell 192\.0\.2\.1$/);
    assert.match(rows[1], /^2\|0\.000000\|eth0\|rx\|02:00:00:00:00:02\|02:00:00:00:00:01\|ARP\|42\|192\.0\.2\.2 is at 02:00:00:00:00:02$/);
    assert.match(rows[2], /^3\|0\.000000\|eth0\|tx\|192\.0\.2\.1\|192\.0\.2\.2\|UDP\|142\|/);
    // Real columns, in a grid, with their headers.
    assert.deepEqual(await f.locator('.header .cell').allTextContents(), ['No.', 'Time (ms)', 'Device', 'Direction', 'Source', 'Destination', 'Protocol', 'Length', 'Info']);
  });

  uiTest('a frame opens into its layers and fields; selecting it finds its packet on the call stack', async () => {
    // The next stop: the second fragment; the first one is on the wire, sent from packet #3,
    // whose skb ip_do_fragment still holds.
    await focusScenario();
    await continueRun();
    const f = await wire();
    await f.locator('.status', { hasText: /^4 frames/ }).waitFor();
    const rows = await waitRows(4);
    assert.match(rows[3], /\|IPv4\|1514\|Fragmented IP protocol \(proto=UDP 17, off=0, ID=0876\)$/);
    // Room for the list: Variables folded (the Call Stack shows which frame gets the focus).
    await page().locator('.pane-header[aria-label="Variables Section"]').click();
    const row = f.locator('.block .line[aria-level="1"]').nth(3);
    await row.click(AT_LEFT);
    await f.locator('.status', { hasText: /Packet #3 is in ip_do_fragment at this stop: its sk_buff is in Variables\./ }).waitFor();
    // The Call Stack focuses ip_do_fragment, and Variables shows its skb.
    await view('Call Stack').locator('.monaco-list-row.selected[aria-label^="Stack Frame ip_do_fragment"]').waitFor();
    // Room for the details: Call Stack folded too.
    await page().locator('.pane-header[aria-label="Call Stack Section"]').click();
    // Open the frame (its twisty), then its IPv4 layer.
    await row.locator('.twisty').click();
    const details = f.locator('.block .line.detail');
    await details.filter({ hasText: /^Internet Protocol Version 4, Source Address: 192\.0\.2\.1, Destination Address: 192\.0\.2\.2$/ }).waitFor();
    const layers = await details.allTextContents();
    assert.deepEqual(layers.map((t) => t.split(',')[0]), ['Frame 4: 1514 bytes on eth0 (tx)', 'Ethernet II', 'Internet Protocol Version 4', 'User Datagram Protocol', 'Data']);
    await details.filter({ hasText: /^Internet Protocol Version 4/ }).locator('.twisty').click();
    await details.filter({ hasText: /^Fragment Offset: 0$/ }).waitFor();
    await details.filter({ hasText: /^Identification: 0x0876 \(2166\)$/ }).waitFor();
    await details.filter({ hasText: /^Flags: 0x1$/ }).locator('.twisty').click();
    await details.filter({ hasText: /^More fragments: Set$/ }).waitFor();
    await details.filter({ hasText: /^Don't fragment: Not set$/ }).waitFor();
    // The keyboard: Down moves the selection, Left closes what is open.
    await details.filter({ hasText: /^Time to Live: 64$/ }).click(AT_LEFT);
    await f.locator('.viewport').press('ArrowDown');
    await f.locator('.line.selected', { hasText: /^Protocol: UDP \(17\)$/ }).waitFor();
  });

  uiTest('"kpath: Export pcap" writes a pcap that tshark reads with no malformed packet and valid checksums', async () => {
    const target = path.join(ui.folder(), 'capture.pcap');
    await runCommand(page(), 'kpath: Export pcap');
    // VS Code's own save dialog: the path typed as a user would.
    await saveInDialog(page(), target);
    const toast = page().locator('.notification-toast', { hasText: `kpath: wrote 4 frames to ${target}.` });
    await toast.waitFor();
    const packets = readPcap(fs.readFileSync(target));
    assert.deepEqual(packets.map((p) => p.frame.length), [42, 42, 142, 1514]);
    assert.deepEqual(fs.readdirSync(ui.folder()).filter((n) => n.includes('capture')), ['capture.pcap'], 'no temporary file left');
    if (tsharkAvailable()) {
      const t = tsharkCheck(target);
      assert.equal(t.frames, 4);
      assert.deepEqual(t.problems, []);
    }
    await runCommand(page(), 'Notifications: Clear All Notifications');
  });

  uiTest('"kpath: Show Frame Bytes" shows the frame in hex with the selected field highlighted', async () => {
    const f = await wire();
    const details = f.locator('.block .line.detail');
    await details.filter({ hasText: /^Fragment Offset: 0$/ }).click(AT_LEFT);
    await runCommand(page(), 'kpath: Show Frame Bytes');
    const bytes = await webviewWith(page(), '.dump .hexline');
    await bytes.locator('.title', { hasText: /^Frame 4: Fragment Offset \(bytes 20 to 21\)$/ }).waitFor();
    assert.equal(await bytes.locator('.hexline').count(), Math.ceil(1514 / 16));
    // Flags and fragment offset: bytes 20-21 of the frame (0x20 0x00: MF set, offset 0).
    assert.deepEqual(await bytes.locator('.hex .hl').allTextContents(), ['20', '00']);
    // The highlight follows the selection in the Wire view.
    await details.filter({ hasText: /^Source Address: 192\.0\.2\.1$/ }).click(AT_LEFT);
    await bytes.locator('.title', { hasText: /Source Address \(bytes 26 to 29\)/ }).waitFor();
    assert.deepEqual(await bytes.locator('.hex .hl').allTextContents(), ['c0', '00', '02', '01']);
    // A click on a byte selects the field that holds it.
    await bytes.locator('.hex span[data-at="22"]').click();
    await f.locator('.line.selected', { hasText: /^Time to Live: 64$/ }).waitFor();
    await ui.screenshot('frame bytes panel');
    await runCommand(page(), 'View: Close Editor');
  });

  uiTest('Reverse Continue: the list shrinks to what had happened at the earlier stop', async () => {
    await page().locator('.debug-toolbar [aria-label^="Reverse"]').click();
    const f = await wire();
    await f.locator('.status', { hasText: /^3 frames/ }).waitFor();
    const rows = await waitRows(3);
    assert.match(rows[2], /\|UDP\|142\|/);
    assert.equal(await f.locator('.block .line.detail').count(), 0, 'the open frame is gone with it');
  });

  uiTest('Continue to the end: the three fragments, and their layers after the session has ended', async () => {
    await focusScenario();
    const f0 = await wire();
    for (const n of [4, 5]) {
      await continueRun();
      await f0.locator('.status', { hasText: new RegExp(`^${n} frames`) }).waitFor();
    }
    await continueRun();
    await page().locator('.debug-toolbar').waitFor({ state: 'hidden' });
    const f = await wire();
    await f.locator('.status', { hasText: /^6 frames, 0 drops · the run has ended/ }).waitFor();
    const rows = await waitRows(6);
    assert.deepEqual(rows.slice(3).map((r) => /off=(\d+)/.exec(r)?.[1]), ['0', '1480', '2960']);
    // The last fragment opens: its details came with the run's events.
    const last = f.locator('.block .line[aria-level="1"]').nth(5);
    await last.locator('.twisty').click();
    await f.locator('.block .line.detail', { hasText: /^Frame 6: 82 bytes on eth0 \(tx\)/ }).waitFor();
    // Its last layer, the data (End selects the last line and scrolls to it).
    await f.locator('.viewport').press('End');
    await f.locator('.block .line.detail.selected', { hasText: /^Data$/ }).waitFor();
  });

  uiTest('markup in a row or a detail is shown as text, never run', async () => {
    // Names reaching the page as data (the scenario language refuses such device names, but the
    // page must not rely on it): posted to the page as the extension would.
    const f = await wire();
    const evil = '<img src=x onerror="window.kpathPwned=1"><script>window.kpathPwned=1</script>';
    const rows = [
      { kind: 'frame', index: 0, time: 0, dev: evil, dir: 'tx', len: 60, src: evil, dst: 'b', protocol: 'UDP', info: evil, packet: 0 },
      { kind: 'drop', index: 0, time: 1, packet: 7, function: evil, reason: evil, len: 1, frame: 1 },
    ];
    const detail = { index: 0, hex: '00'.repeat(60), problems: [evil], layers: [{ label: evil, value: evil, offset: 0, length: 60 }] };
    const state = { generation: 987654, frames: 1, drops: 1, status: evil, ended: true, keepFrames: 0, keepRows: 0 };
    await f.evaluate(`(() => {
      window.postMessage({ type: 'state', state: ${JSON.stringify(state)} }, '*');
      window.postMessage({ type: 'rows', generation: 987654, start: 0, rows: ${JSON.stringify(rows)} }, '*');
      window.postMessage({ type: 'detail', generation: 987654, frame: 0, detail: ${JSON.stringify(detail)} }, '*');
    })()`);
    await waitRows(2);
    await f.locator('.block .line[aria-level="1"]').first().locator('.twisty').click();
    await f.locator('.block .line.detail').first().waitFor();
    assert.equal(await f.locator('#root img, #root script').count(), 0, 'no element made from the text');
    assert.equal(await f.evaluate('window.kpathPwned === undefined'), true, 'nothing ran');
    assert.equal((await rowTexts(f))[0].split('|')[2], evil, 'the device name, as text');
    assert.ok(((await f.locator('.status').textContent()) ?? '').startsWith(evil), 'the status, as text');
    assert.match((await f.locator('.block .line.detail').first().textContent()) ?? '', /^<img src=x/);
  });
});
