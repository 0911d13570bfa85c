// Makes media/screenshot.png, the picture at the top of the README: VS Code (code-server, in
// Debian's chromium, as the extension's tests run it) debugging media/scenarios/default.kpath,
// stopped at a function breakpoint on ip_finish_output2, with the Call Stack and the sk_buff in
// the Variables view.
//
//   npm run build && node scripts/screenshot.mjs [OUT.png]
//
// It uses the tests' helpers (out/test/helpers/vscode.js): code-server is installed into
// .vscode-test/ on first use, and everything runs in temporary directories that are removed after.

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const helpers = path.join(ROOT, 'out', 'test', 'helpers', 'vscode.js');
if (!fs.existsSync(helpers) || !fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) {
  console.error('screenshot: build first (npm run build)');
  process.exit(2);
}
const { startCodeServer, openWorkbench, openFile, runCommand, activationMs, exactly, KPATH_EXTENSION_ID, missingPrerequisite } = require(helpers);

const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'media', 'screenshot.png'));
const SCENARIO = 'default.kpath';
const FUNCTION = 'ip_finish_output2';

const why = missingPrerequisite();
if (why) {
  console.error(`screenshot: ${why}`);
  process.exit(2);
}

const server = await startCodeServer();
let wb;
try {
  // A workspace folder named "scenarios" holding a copy of the bundled default scenario.
  const folder = path.join(server.root, 'scenarios');
  fs.mkdirSync(folder);
  fs.copyFileSync(path.join(ROOT, 'media', 'scenarios', SCENARIO), path.join(folder, SCENARIO));
  // A quieter editor for the picture: no sticky scroll or minimap over the listing.
  const settings = path.join(server.root, 'user-data', 'User', 'settings.json');
  fs.writeFileSync(settings, JSON.stringify({ ...JSON.parse(fs.readFileSync(settings, 'utf8')), 'editor.stickyScroll.enabled': false, 'editor.minimap.enabled': false }, null, 2));
  wb = await openWorkbench(server, folder);
  const { page } = wb;
  await page.setViewportSize({ width: 1400, height: 960 });
  const view = (name) => page.locator('.pane', { has: page.locator(`.pane-header[aria-label="${name} Section"]`) });
  const thread = view('Call Stack').locator('.monaco-list-row[aria-label^="Thread task"]');

  // Open the scenario (pinned, so the listing opened while debugging gets a tab of its own) and
  // wait for kpath to be active: F5 before that does nothing.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: SCENARIO }).dblclick();
  await openFile(page, SCENARIO);
  await activationMs(page, KPATH_EXTENSION_ID);
  await runCommand(page, 'View: Close Editor');
  await page.locator('.tabs-container .tab', { hasText: SCENARIO }).click();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();

  // F5 with no launch.json: the run stops on entry in udp_sendmsg.
  await page.keyboard.press('F5');
  await thread.filter({ hasText: /paused on entry/i }).waitFor();

  // A function breakpoint by its kernel name, then Continue.
  await runCommand(page, 'Add Function Breakpoint');
  const input = view('Breakpoints').locator('input[aria-label="Type function breakpoint."]');
  await input.fill(FUNCTION);
  await input.press('Enter');
  await input.waitFor({ state: 'detached' });
  await page.keyboard.press('F5');
  await thread.filter({ hasText: new RegExp(`function breakpoint at ${FUNCTION}`, 'i') }).waitFor();

  // The sk_buff scope unfolded in the Variables view.
  const scope = (name) => view('Variables').locator('.monaco-list-row[aria-level="1"]').filter({ hasText: exactly(name) });
  await scope('sk_buff').waitFor();
  await scope('sk_buff').locator('.monaco-tl-twistie').click();
  await scope('sk_buff').and(page.locator('[aria-expanded="true"]')).waitFor();
  // Watch folded, so that the Variables view and the Call Stack share the side bar.
  const watch = page.locator('.pane-header[aria-label="Watch Section"]');
  if ((await watch.getAttribute('aria-expanded')) === 'true') await watch.click();
  await page.locator('.pane-header[aria-label="Watch Section"][aria-expanded="false"]').waitFor();
  // The Variables view's lower edge dragged down, as a user would: the Call Stack has rows to spare.
  const box = await watch.boundingBox();
  if (box) {
    await page.mouse.move(box.x + box.width / 2, box.y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + 110, { steps: 10 });
    await page.mouse.up();
  }
  // The panel (an empty Debug Console) hidden: more of the listing shows.
  await runCommand(page, 'View: Hide Panel');
  // The focus back in the editor, at the stop's line; no hover shows.
  await page.locator('.editor-instance .monaco-editor .view-line', { hasText: `static int ${FUNCTION}(` }).click();
  await page.keyboard.press('Home');
  await page.mouse.move(900, 700);
  await page.waitForTimeout(1000);

  await page.screenshot({ path: out });
  console.log(`screenshot: ${path.relative(process.cwd(), out)} (${fs.statSync(out).size} bytes)`);
} finally {
  await wb?.close();
  await server.stop();
}
