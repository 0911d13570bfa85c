// The walkthrough and the tutorial panel in a real VS Code (code-server) in a real browser, the way
// a learner meets them: the walkthrough opened from the Welcome page, its first step done with its
// button; the tutorial panel opened from the command palette; the first lesson's first two steps
// completed by debugging (F5 stops on entry, a function breakpoint on ip_finish_output2 and F5
// again), each moving the panel on by itself; a question answered and the model's verdict with its
// evidence. Once in English, and once with the display language zh-cn, where the walkthrough and
// the panel speak Chinese. One server at a time; a screenshot of every test in test-artifacts/.
//
// Needs chromium and rg (test/helpers/vscode.ts); VS Code loads the extension from dist/: build
// first (npm run build).

import { describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Locator } from 'playwright-core';
import { UI_TIMEOUT_MS, openWorkbench, scenarioWorkspace, runCommand, exactly } from '../helpers/vscode';
import { uiSuite, addFunctionBreakpoint as addBreakpoint } from '../helpers/ui-suite';

/** The words the test looks for, in each display language (the extension's own strings). */
interface Words {
  locale?: string;
  walkthrough: string;
  openExample: string;
  openTutorial: string;
  stepOf: (n: number, of?: number) => string;
  oddMtu: string;
  runAgain: string;
  firstStepText: RegExp;
  secondStepText: RegExp;
  question: string;
  right: string;
  evidenceTitle: string;
}

const ENGLISH: Words = {
  walkthrough: 'kpath: your first stop at ip_finish_output2',
  openExample: 'Open the example',
  openTutorial: 'kpath: Open Tutorial',
  stepOf: (n, of = 6) => `Step ${n} of ${of}`,
  oddMtu: 'Fragments come in 8-byte units',
  runAgain: 'Run again with this change',
  firstStepText: /start debugging it \(F5\)/,
  secondStepText: /Add a function breakpoint on ip_finish_output2/,
  question: 'How long is the packet here (skb->len)?',
  right: 'Right: the model says 128.',
  evidenceTitle: 'What the model shows',
};

const CHINESE: Words = {
  locale: 'zh-cn',
  walkthrough: 'kpath：第一次停在 ip_finish_output2',
  openExample: '打开示例',
  openTutorial: 'kpath: 打开教程',
  stepOf: (n, of = 6) => `第 ${n} 步，共 ${of} 步`,
  oddMtu: '分片以 8 字节为单位',
  runAgain: '应用这个修改重新运行',
  firstStepText: /开始调试（F5）/,
  secondStepText: /在 ip_finish_output2 上加一个函数断点/,
  question: '此时数据包有多长（skb->len）？',
  right: '答对了：模型给出的是 128。',
  evidenceTitle: '模型给出的证据',
};

for (const words of [ENGLISH, CHINESE]) {
  const lang = words.locale ?? 'en';
  describe(`the walkthrough and the tutorial panel (display language ${lang})`, () => {
    /** The page's console messages, for the message of a failure. */
    const consoleLines: string[] = [];
    // A workbench on an empty workspace (the lessons bring their scenarios), in the display language.
    const ui = uiSuite({
      artifacts: 'tutorial',
      prefix: `${lang}-`,
      server: { locale: words.locale },
      testTimeoutMs: 240_000,
      open: async (server) => {
        const folder = scenarioWorkspace(server.root);
        return { wb: await openWorkbench(server, folder), folder };
      },
      setup: async (page) => void page.on('console', (m) => void consoleLines.push(`${m.type()}: ${m.text().slice(0, 300)}`)),
    });
    const { page, screenshot, test: uiTest } = ui;

    /** The tutorial panel's page: the webview frame that holds its .tutorial element. */
    async function panel(): Promise<Frame> {
      const deadline = Date.now() + UI_TIMEOUT_MS;
      for (;;) {
        for (const f of page().frames()) {
          if (await f.locator('.tutorial').count().catch(() => 0)) return f;
        }
        if (Date.now() > deadline) {
          const frames = await Promise.all(page().frames().map(async (f) => `${f.url().slice(0, 120)} .tutorial=${await f.locator('.tutorial').count().catch((e: Error) => e.message)} body=${(await f.locator('body').innerHTML().catch(() => '')).slice(0, 200)}`));
          throw new Error(`the tutorial panel did not show; frames:\n${frames.join('\n')}\nconsole:\n${consoleLines.slice(-30).join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }

    /** A locator in the panel, found again each time (the webview may be redrawn). */
    async function inPanel(selector: string, hasText?: string | RegExp): Promise<Locator> {
      return (await panel()).locator(selector, hasText === undefined ? {} : { hasText });
    }

    const addFunctionBreakpoint = (name: string): Promise<void> => addBreakpoint(page(), name);

    const walkthroughStep = (id: string): Locator => page().locator(`.getting-started-step[data-step-id="kpath.kpath#firstStop#${id}"]`);
    const debugToolbar = (): Locator => page().locator('.debug-toolbar');
    const thread = (): Locator => page().locator('.pane', { has: page().locator('.pane-header[aria-label="Call Stack Section"]') }).locator('.monaco-list-row[aria-label^="Thread task"]');

    uiTest('the walkthrough opens from the Welcome page, and its first step completes when done', async () => {
      // The Welcome page lists the walkthroughs; kpath's opens from there.
      await runCommand(page(), 'Help: Welcome');
      const entry = page().locator('button.getting-started-category[x-dispatch="selectCategory:kpath.kpath#firstStop"]');
      // On a first start the Welcome page opens on VS Code's own walkthrough: back to the list.
      const back = page().locator('.gettingStartedContainer button.prev-button');
      await entry.or(back).first().waitFor();
      if (await back.isVisible()) await back.click();
      await entry.waitFor();
      assert.ok((await entry.innerText()).includes(words.walkthrough), await entry.innerText());
      await entry.click();
      await page().locator('h2.category-title[x-category-title-for="kpath.kpath#firstStop"]', { hasText: exactly(words.walkthrough) }).waitFor();
      for (const id of ['open', 'breakpoint', 'debug', 'skb', 'wire', 'tutorial']) await walkthroughStep(id).waitFor();
      assert.equal(await walkthroughStep('open').getAttribute('aria-checked'), 'false');
      // The step's button opens the example scenario, and the step is then done.
      await walkthroughStep('open').locator('.monaco-button', { hasText: words.openExample }).click();
      // The example opens beside the walkthrough, which stays in view.
      await page().locator('.editor-group-container .tab', { hasText: '01-first-stop.kpath' }).waitFor();
      await page().waitForFunction(`document.querySelector('.getting-started-step[data-step-id="kpath.kpath#firstStop#open"]')?.getAttribute('aria-checked') === 'true'`, undefined, { timeout: UI_TIMEOUT_MS });
    });

    uiTest('"kpath: Open Tutorial" shows the lessons and the first lesson\'s first step in the display language', async () => {
      await runCommand(page(), words.openTutorial);
      await (await inPanel('.step-label', words.stepOf(1))).waitFor();
      assert.match(await (await inPanel('.step-text')).innerText(), words.firstStepText);
      assert.ok((await (await inPanel('.lessons li')).count()) >= 14, 'the lessons are listed');
      await (await inPanel('.lesson.current button[data-lesson="01-first-stop"]')).waitFor();
      await (await inPanel('button[data-action="start"]')).waitFor();
    });

    uiTest('debugging the lesson\'s scenario completes the first two steps: the panel moves on at each stop', async () => {
      // The scenario's editor (opened by the walkthrough), and F5 as the step says.
      await page().locator('.tabs-container .tab', { hasText: '01-first-stop.kpath' }).click();
      await page().locator('.editor-instance .monaco-editor .view-lines').first().click();
      await page().keyboard.press('F5');
      await debugToolbar().waitFor();
      await thread().filter({ hasText: /udp_sendmsg/ }).waitFor();
      // The stop on entry in udp_sendmsg is step 1's target: the panel is on step 2 by itself.
      await (await inPanel('.step-label', words.stepOf(2))).waitFor();
      assert.match(await (await inPanel('.step-text')).innerText(), words.secondStepText);
      await screenshot('step-2-after-the-stop-on-entry');

      await addFunctionBreakpoint('ip_finish_output2');
      await page().keyboard.press('F5');
      await thread().filter({ hasText: /ip_finish_output2/ }).waitFor();
      await (await inPanel('.step-label', words.stepOf(3))).waitFor();
      await (await inPanel('.session.stopped', /ip_finish_output2/)).waitFor();
      // Reading the sk_buff, as the walkthrough asks: its scope in the Variables view, expanded.
      const variables = page().locator('.pane', { has: page().locator('.pane-header[aria-label="Variables Section"]') });
      const skbScope = variables.locator('.monaco-list-row[aria-level="1"]').filter({ hasText: exactly('sk_buff') });
      await skbScope.click();
      await variables.locator('.monaco-list-row[aria-level="2"]', { hasText: /^len/ }).first().waitFor();
    });

    uiTest('a question answered: the model\'s verdict and the evidence', async () => {
      await (await inPanel('.ask', words.question)).waitFor();
      const choices = await (await inPanel('button[data-choice]')).allInnerTexts();
      assert.deepEqual(choices, ['100', '108', '128', '142']);
      await (await inPanel('button[data-choice="128"]')).click();
      const verdict = await inPanel('.verdict.correct');
      await verdict.waitFor();
      assert.equal(await verdict.innerText(), words.right);
      await (await inPanel('.evidence-title', exactly(words.evidenceTitle))).waitFor();
      const evidence = await (await inPanel('pre.evidence')).innerText();
      assert.match(evidence, /ip_finish_output2 skb #1 len 128/);
      assert.match(evidence, /skb->len = 128/);
      await screenshot('the-verdict-and-its-evidence');
      // Answered, the choices are closed; Next goes on to the next question.
      assert.equal(await (await inPanel('button[data-choice="100"]')).isDisabled(), true);
      await (await inPanel('button[data-action="next"]')).click();
      await (await inPanel('.step-label', words.stepOf(4))).waitFor();
      await page().keyboard.press('Shift+F5');
      await debugToolbar().waitFor({ state: 'hidden' });
    });

    uiTest('a "what if" step: the prediction first, then "Run again with this change" debugs the scenario with the knob', async () => {
      await (await inPanel('button[data-lesson="04-odd-mtu"]')).click();
      await (await inPanel('.lesson-title', words.oddMtu)).waitFor();
      for (let i = 1; i < 5; i++) await (await inPanel('button[data-action="next"]')).click();
      await (await inPanel('.step-label', words.stepOf(5, 5))).waitFor();
      await (await inPanel('.knob', /link veth0 mtu 1001/)).waitFor();
      await (await inPanel('button[data-choice="996"]')).click();
      await (await inPanel('.status.waiting')).waitFor();
      // The session of this step: the lesson's scenario with MTU 1001, stopped on entry.
      await (await inPanel('button[data-action="start"]', words.runAgain)).click();
      await thread().filter({ hasText: /udp_sendmsg/ }).waitFor();
      await (await inPanel('.session.stopped')).waitFor();
      await runCommand(page(), 'Remove All Breakpoints');
      await addFunctionBreakpoint('ip_do_fragment');
      await page().keyboard.press('F5');
      await thread().filter({ hasText: /ip_do_fragment/ }).waitFor();
      await page().keyboard.press('Shift+F11');
      const verdict = await inPanel('.verdict.correct');
      await verdict.waitFor();
      assert.equal(await verdict.innerText(), words.right.replace('128', '996'));
      assert.match(await (await inPanel('pre.evidence')).innerText(), /frames\[0\]\.ip\.tot_len = 996/);
      await screenshot('what-if-verdict');
      await page().keyboard.press('Shift+F5');
      await debugToolbar().waitFor({ state: 'hidden' });
    });

    uiTest('"Welcome: Open Walkthrough..." shows the walkthrough with the steps the learner has done', async () => {
      // The keyboard's focus back in the workbench (it was in the panel's page), for F1.
      await page().locator('.tabs-container .tab', { hasText: '01-first-stop.kpath' }).click();
      await runCommand(page(), 'Welcome: Open Walkthrough...');
      await page().locator('.quick-input-list .monaco-list-row', { hasText: words.walkthrough }).first().click();
      await walkthroughStep('open').waitFor();
      const done = async (): Promise<string[]> => {
        const out: string[] = [];
        for (const id of ['open', 'breakpoint', 'debug', 'skb', 'wire', 'tutorial']) if ((await walkthroughStep(id).getAttribute('aria-checked')) === 'true') out.push(id);
        return out;
      };
      // Everything but the Wire view, which this build does not have.
      const expected = ['open', 'breakpoint', 'debug', 'skb', 'tutorial'];
      const deadline = Date.now() + UI_TIMEOUT_MS;
      while ((await done()).join() !== expected.join() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      assert.deepEqual(await done(), expected);
    });
  });
}
