// The Wire view on a long run in a real VS Code (code-server + chromium, through the extension
// tests' harness; with --editor): a scenario of many frames stopped at a function breakpoint after
// the last of them; then the time to open the view (rows shown), to go to the end of the list
// (End), to jump to the middle (scroll bar), Page Down, to open the last frame, to export the pcap,
// and the longest task the workbench and the view's page ran meanwhile (what a person feels as a
// stall).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { built, ROOT } from './measure.mjs';

/** The run to the stop after the last frame, and the export: minutes at most. */
const LONG_WAIT = 10 * 60_000;

/**
 * Records the page's long tasks (over 50 ms: what the browser calls a stall) into
 * window.__kpathLong, and, in the view's page, how long each animation frame's work took (the
 * list renders in them) into window.__kpathFrames.
 */
const OBSERVE = `(() => {
  window.__kpathLong = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__kpathLong.push(Math.round(e.duration) + ' ms ' + ((e.attribution && e.attribution[0] && (e.attribution[0].containerType + ' ' + (e.attribution[0].containerSrc || '').slice(0, 40))) || e.name)); }).observe({ type: 'longtask', buffered: false });
  window.__kpathFrames = [];
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((ts) => { const t0 = performance.now(); try { cb(ts); } finally { window.__kpathFrames.push(performance.now() - t0); } });
})()`;
const TAKE = `(() => { const l = window.__kpathLong || []; window.__kpathLong = []; return l; })()`;
const TAKE_FRAMES = `(() => { const l = (window.__kpathFrames || []).slice().sort((a, b) => a - b); window.__kpathFrames = []; return { frames: l.length, maxMs: l.length ? Math.round(l[l.length - 1] * 10) / 10 : 0, p50Ms: l.length ? Math.round(l[l.length >> 1] * 10) / 10 : 0 }; })()`;

/** Polls `expr` in `frame` until it is true (the pages' CSP forbids the eval waitForFunction uses). */
async function until(frame, expr, timeout = 60_000) {
  for (const deadline = Date.now() + timeout; ;) {
    if (await frame.evaluate(expr)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The longest of the long tasks recorded ("N ms ..."), 0 when there was none. */
const longest = (tasks) => Math.max(0, ...tasks.map((t) => Number.parseInt(t, 10)));

export async function wireView(ctx) {
  const { notes, quick } = ctx;
  const vs = built('test/helpers/vscode.js');
  const missing = vs.missingPrerequisite();
  if (missing) {
    notes.push(`Wire view not measured: ${missing}`);
    return;
  }
  // A million frames, or fewer if the debugger keeps fewer (a longer run stops at its limit).
  const kept = built('src/model/scenario/limits.js').LIMITS.debugFrames;
  const FRAMES = quick ? 100_000 : Math.min(1_000_000, kept - 10);
  const scenario = [
    'link add eth0 mtu 1500 address 02:00:00:00:00:01',
    'addr add 192.0.2.1/24 dev eth0',
    'neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev eth0 nud permanent',
    `at 0ms send udp to 192.0.2.2:9000 size 100 count ${FRAMES} every 1us socket s`,
    // One ICMP echo after them: a function breakpoint on raw_sendmsg stops there, all frames sent.
    `at ${Math.ceil(FRAMES / 1000) + 10}ms send icmp echo to 192.0.2.2 size 56`,
    '',
  ].join('\n');
  const results = {};
  const server = await vs.startCodeServer();
  let wb;
  try {
    const folder = fs.mkdtempSync(path.join(server.root, 'workspace-'));
    fs.writeFileSync(path.join(folder, 'long.kpath'), scenario);
    wb = await vs.openWorkbench(server, folder);
    const page = wb.page;
    const pane = (name) => page.locator('.pane', { has: page.locator(`.pane-header[aria-label="${name} Section"]`) });
    const header = (name) => page.locator(`.pane-header[aria-label="${name} Section"]`);
    const fold = async (name, expanded) => {
      if ((await header(name).getAttribute('aria-expanded')) !== String(expanded)) await header(name).click();
    };
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'long.kpath' }).dblclick();
    await vs.openFile(page, 'long.kpath');
    await vs.activationMs(page, vs.KPATH_EXTENSION_ID);
    await vs.runCommand(page, 'View: Close Editor');
    await vs.runCommand(page, 'View: Show Run and Debug');
    await built('test/helpers/ui-suite.js').addFunctionBreakpoint(page, 'raw_sendmsg');
    await page.locator('.tabs-container .tab', { hasText: 'long.kpath' }).click();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('F5');
    const thread = (text) => pane('Call Stack').locator('.monaco-list-row[aria-label^="Thread "]').filter({ hasText: text });
    await thread(/paused on entry/i).waitFor();
    await fold('Watch', false);
    await fold('Breakpoints', false);
    await fold('Variables', false);
    await fold('Wire', false);
  
    // The run to the last frame (the debugger's own cost, not the view's).
    let t = Date.now();
    await page.locator('.debug-toolbar [aria-label^="Continue"]').click();
    await thread(/function breakpoint/i).waitFor({ timeout: LONG_WAIT });
    results.runToStopS = (Date.now() - t) / 1000;
  
    await fold('Call Stack', false);
    await page.evaluate(OBSERVE);
    // Open the view: from the click on its header to its first rows shown.
    t = Date.now();
    await header('Wire').click();
    let view;
    for (const deadline = Date.now() + 60_000; !view && Date.now() < deadline;) {
      for (const f of page.frames()) if (!f.isDetached() && (await f.locator('.viewport[role="treegrid"]').count().catch(() => 0))) view = f;
    }
    if (!view) throw new Error('the Wire view did not open');
    const total = FRAMES.toLocaleString('en-US');
    await view.locator('.status', { hasText: new RegExp(`^${total} frames`) }).waitFor();
    /** Waits for the row numbered `n` to be shown, and no row still loading. */
    const settled = async (n) => {
      await view.locator('.line[aria-level="1"] > .cell:first-child', { hasText: new RegExp(`^${n}$`) }).first().waitFor();
      await until(view, 'document.querySelectorAll(".block .pending").length === 0');
    };
    await settled(1);
    results.openMs = Date.now() - t;
    await view.evaluate(OBSERVE);
  
    // To the end of the list with the keyboard.
    await view.locator('.block .line').first().click({ position: { x: 40, y: 11 } });
    t = Date.now();
    await view.locator('.viewport').press('End');
    await settled(FRAMES);
    results.endMs = Date.now() - t;
  
    // To the middle with the scroll bar: until the rows there are shown.
    const firstRow = '(() => { const c = document.querySelector(".block .line[aria-level=\\"1\\"] > .cell"); return c ? Number(c.textContent) : -1; })()';
    t = Date.now();
    await view.evaluate('(() => { const v = document.querySelector(".viewport"); v.scrollTop = (v.scrollHeight - v.clientHeight) / 2; })()');
    await until(view, `${firstRow} < ${FRAMES * 0.9} && document.querySelectorAll(".block .pending").length === 0`);
    results.middleMs = Date.now() - t;
    results.middleFirstRow = await view.evaluate(firstRow);
  
    // Page Down, ten times, each until its rows are shown.
    const pageDown = [];
    for (let i = 0; i < 10; i++) {
      t = performance.now();
      await view.locator('.viewport').press('PageDown');
      await until(view, 'document.querySelectorAll(".block .pending").length === 0');
      pageDown.push(Math.round(performance.now() - t));
    }
    results.pageDownMs = pageDown;
  
    // Open the last frame's details.
    t = Date.now();
    await view.locator('.viewport').press('End');
    await view.locator('.viewport').press('ArrowRight');
    await view.locator('.block .line.detail', { hasText: new RegExp(`^Frame ${FRAMES}: `) }).waitFor();
    results.openFrameMs = Date.now() - t;
  
    results.longTasksWorkbench = await page.evaluate(TAKE);
    results.longTasksView = await view.evaluate(TAKE);
    results.viewRenderFrames = await view.evaluate(TAKE_FRAMES);
  
    // Export pcap, from Enter in the save dialog to the notification.
    const target = path.join(folder, 'long.pcap');
    await vs.runCommand(page, 'kpath: Export pcap');
    const dialog = await vs.typeInSaveDialog(page, target);
    t = Date.now();
    await dialog.press('Enter');
    await page.locator('.notification-toast', { hasText: 'kpath: wrote' }).waitFor({ timeout: LONG_WAIT });
    results.exportMs = Date.now() - t;
    results.exportMB = Math.round(fs.statSync(target).size / 1e5) / 10;
    results.longTasksWorkbenchDuringExport = await page.evaluate(TAKE);
  } catch (e) {
    const shot = path.join(ROOT, 'test-artifacts', 'bench-wire-view-failure.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await wb?.page.screenshot({ path: shot }).catch(() => undefined);
    process.stderr.write(`bench: the Wire view failed; screenshot: ${shot}\n`);
    throw e;
  } finally {
    await wb?.close();
    await server.stop();
  }
  const r = ctx.results;
  r.wireFrames = FRAMES;
  r.wireRunToStopS = results.runToStopS;
  r.wireOpenMs = results.openMs;
  r.wireEndMs = results.endMs;
  r.wireMiddleMs = results.middleMs;
  r.wirePageDownMaxMs = Math.max(...results.pageDownMs);
  r.wireOpenFrameMs = results.openFrameMs;
  r.wireLongestTaskMs = Math.max(longest(results.longTasksWorkbench), longest(results.longTasksView));
  r.wireRenderFrameMaxMs = results.viewRenderFrames.maxMs;
  r.wireExportMs = results.exportMs;
  r.wireExportLongestTaskMs = longest(results.longTasksWorkbenchDuringExport);
  notes.push(`Wire view: ${FRAMES.toLocaleString('en-US')} frames, code-server ${vs.CODE_SERVER_VERSION} in chromium`);
}
