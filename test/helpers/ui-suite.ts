// One end-to-end suite in a real VS Code: a code-server and a browser opened before the suite's
// tests and closed after them, and tests that leave a screenshot in test-artifacts/<folder>/ (and,
// when they fail, the server's logs too). Also the few gestures every suite makes.

import { it, before, after } from 'node:test';
import type { TestContext } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import {
  CodeServer, CodeServerOptions, Workbench, UI_TIMEOUT_MS, startCodeServer, openScenarioWorkbench, runCommand, saveFailure,
} from './vscode';
import { REPO_ROOT } from './cli';

const TEST_TIMEOUT_MS = 180_000;
const SETUP_TIMEOUT_MS = 600_000;

export interface UiSuiteOptions {
  /** The folder under test-artifacts/ that keeps the screenshots. */
  artifacts: string;
  /** Prefixed to screenshot names (e.g. the display language), so that two suites may share a folder. */
  prefix?: string;
  server?: CodeServerOptions;
  /** Opens the workbench; by default on a workspace holding the default scenario, its editor open. */
  open?: (server: CodeServer) => Promise<{ wb: Workbench; folder: string }>;
  /** More set-up once the workbench is open (inside the same failure report). */
  setup?: (page: Page) => Promise<void>;
  testTimeoutMs?: number;
  /** The suite is skipped (a reason, or true): no server starts. */
  skip?: string | boolean;
}

export interface UiSuite {
  page(): Page;
  /** The workspace folder the workbench opened. */
  folder(): string;
  server(): CodeServer | undefined;
  /** Saves a screenshot as test-artifacts/<folder>/<prefix><name><suffix>.png; returns its path. */
  screenshot(name: string, suffix?: string): Promise<string>;
  /** A test that saves a screenshot when it ends (named `shot`, or after the test). */
  test(name: string, body: (t: TestContext) => Promise<void>, shot?: string): void;
}

/** Registers the suite's before and after hooks; call it inside describe(). */
export function uiSuite(opts: UiSuiteOptions): UiSuite {
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let folder = '';
  const dir = path.join(REPO_ROOT, 'test-artifacts', opts.artifacts);
  const page = (): Page => {
    if (!wb) throw new Error('the workbench did not open (see the before hook)');
    return wb.page;
  };
  const screenshot = async (name: string, suffix = ''): Promise<string> => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${opts.prefix ?? ''}${name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80)}${suffix}.png`);
    await page().screenshot({ path: file });
    return file;
  };

  if (!opts.skip) before(async () => {
    try {
      server = await startCodeServer(opts.server);
      ({ wb, folder } = await (opts.open ?? openScenarioWorkbench)(server));
      await opts.setup?.(wb.page);
    } catch (e) {
      const logs = await saveFailure(wb?.page, server, 'before');
      if (logs) process.stderr.write(`the workbench did not open: screenshot and logs in ${logs}\n`);
      throw e;
    }
  }, { timeout: SETUP_TIMEOUT_MS });

  if (!opts.skip) after(async () => {
    await wb?.close();
    await server?.stop();
  });

  return {
    page,
    folder: () => folder,
    server: () => server,
    screenshot,
    test(name, body, shot = name) {
      it(name, { timeout: opts.testTimeoutMs ?? TEST_TIMEOUT_MS }, async (t) => {
        try {
          await body(t);
          t.diagnostic(`screenshot: ${await screenshot(shot)}`);
        } catch (e) {
          await screenshot(shot, '-FAILED').catch(() => undefined);
          const logs = await saveFailure(wb?.page, server, name);
          if (logs) {
            t.diagnostic(`screenshot and logs: ${logs}`);
            process.stderr.write(`test "${name}" failed: screenshot and logs in ${logs}\n`);
          }
          throw e;
        }
      });
    },
  };
}

/** A view of the side bar (Variables, Call Stack, Breakpoints, ...) by its title. */
export function view(page: Page, name: string): Locator {
  return page.locator('.pane', { has: page.locator(`.pane-header[aria-label="${name} Section"]`) });
}

/** A function breakpoint, added as a user does (Run and Debug's Breakpoints, +). */
export async function addFunctionBreakpoint(page: Page, name: string): Promise<void> {
  await runCommand(page, 'Add Function Breakpoint');
  const input = page.locator('input[aria-label="Type function breakpoint."]');
  await input.waitFor();
  await input.fill(name);
  await input.press('Enter');
  await input.waitFor({ state: 'detached' });
}

/** The page inside a webview (its inner frame) that shows `selector`. */
export async function webviewWith(page: Page, selector: string): Promise<Frame> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    for (const f of page.frames()) {
      if (f.isDetached()) continue;
      if ((await f.locator(selector).count().catch(() => 0)) > 0) return f;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
