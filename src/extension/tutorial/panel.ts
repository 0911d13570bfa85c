// "kpath: Open Tutorial": a webview with the lessons, the current step in the display language,
// Next and Back, the learner's predictions with the model's verdict and evidence, and a step that
// moves on by itself when the live debug session reaches its target. Progress is saved per
// workspace. The panel follows the session through the adapter only: the kpath/position event
// at each stop, and the kpath/lessonStep request that judges a step at the current stop.

import path = require('node:path');
import { webviewHtml, webviewOptions } from '../html';
import vscode = require('vscode');
import { l10n } from 'vscode';
import { loadLessons, LessonSet } from './lessons';
import { panelStrings, lessonLanguage } from './strings';
import { reduce, restore, pendingQuery, knobsAt, current, Action, Progress, Observation } from '../../tutorial/progress';
import { buildView, SessionState } from '../../tutorial/view';
import type { Lesson } from '../../tutorial/lesson';
import type { ModelValue } from '../../tutorial/judge';

const STATE_KEY = 'kpath.tutorial.progress';

/** What kpath/lessonStep answers. */
interface StepReply {
  reached?: boolean;
  where: string;
  value?: ModelValue;
  display?: string;
  error?: string;
  evidence: string[];
}

/** A message from the webview. */
type FromView =
  | { type: 'ready' }
  | { type: 'open'; lesson: string }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'reset' }
  | { type: 'answer'; given: string }
  | { type: 'start' }
  | { type: 'openScenario' };

export class TutorialPanel {
  static current: TutorialPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private progress: Progress;
  private readonly set: LessonSet;
  /** Where each kpath session is stopped (absent while it runs). */
  private readonly stops = new Map<string, { where?: string }>();

  static show(context: vscode.ExtensionContext): TutorialPanel {
    if (TutorialPanel.current) {
      TutorialPanel.current.panel.reveal();
      return TutorialPanel.current;
    }
    const panel = vscode.window.createWebviewPanel('kpath.tutorial', l10n.t('kpath Tutorial'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, webviewOptions(context.extensionUri));
    TutorialPanel.current = new TutorialPanel(panel, context);
    return TutorialPanel.current;
  }

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly context: vscode.ExtensionContext) {
    this.set = loadLessons(context.extensionUri.fsPath);
    this.progress = restore(context.workspaceState.get(STATE_KEY));
    if (!this.progress.lesson && this.set.lessons.length) this.progress = reduce(this.progress, { type: 'open', lesson: this.set.lessons[0].id }, this.set.lessons);
    panel.webview.html = webviewHtml(panel.webview, context.extensionUri, { script: 'tutorial.js', style: 'tutorial.css', title: l10n.t('kpath Tutorial'), inline: true });
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'tutorial.svg');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromView) => void this.onMessage(m)),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type === 'kpath' && e.event === 'kpath/position') void this.onStop(e.session);
      }),
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === 'kpath') this.render();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.stops.delete(s.id);
        this.render();
      }),
      vscode.debug.onDidChangeActiveDebugSession(() => this.render()),
    );
  }

  private dispose(): void {
    TutorialPanel.current = undefined;
    for (const d of this.disposables) d.dispose();
  }

  private lesson(): Lesson | undefined {
    return current(this.progress, this.set.lessons)?.lesson;
  }

  private async dispatch(a: Action): Promise<void> {
    const before = this.progress;
    this.progress = reduce(this.progress, a, this.set.lessons);
    if (this.progress !== before) await this.context.workspaceState.update(STATE_KEY, this.progress);
    this.render();
  }

  /** The kpath session running the current step's scenario with its knobs, if any. */
  private matchingSession(): vscode.DebugSession | undefined {
    const s = vscode.debug.activeDebugSession;
    return s && this.sessionKind(s) === 'match' ? s : undefined;
  }

  private sessionKind(s: vscode.DebugSession | undefined): 'none' | 'other' | 'mismatch' | 'match' {
    const c = current(this.progress, this.set.lessons);
    if (!s || s.type !== 'kpath') return 'none';
    if (!c) return 'other';
    const scenario = s.configuration.scenario;
    if (typeof scenario !== 'string' || path.resolve(scenario) !== this.set.scenarioOf(c.lesson)) return 'other';
    const want = knobsAt(c.lesson, c.step.index).map((k) => k.text);
    const have: unknown = s.configuration.knobs ?? [];
    return Array.isArray(have) && have.length === want.length && have.every((k, i) => k === want[i]) ? 'match' : 'mismatch';
  }

  private sessionState(): SessionState {
    const s = vscode.debug.activeDebugSession;
    const kind = this.sessionKind(s);
    if (kind !== 'match') return { kind };
    const stop = this.stops.get(s!.id);
    return stop ? { kind: 'stopped', where: stop.where } : { kind: 'running' };
  }

  /** A stop of a kpath session: judge the current step there when the session is the lesson's. */
  private async onStop(session: vscode.DebugSession): Promise<void> {
    this.stops.set(session.id, {});
    await this.judge(session);
  }

  /** The session goes on (continue, a step): it is no longer stopped where it was. */
  running(session: vscode.DebugSession): void {
    if (this.stops.delete(session.id)) this.render();
  }

  /** Asks the session about the current step at its current stop, and records what it shows. */
  private async judge(session: vscode.DebugSession | undefined = this.matchingSession()): Promise<void> {
    if (!session || this.sessionKind(session) !== 'match') {
      this.render();
      return;
    }
    const q = pendingQuery(this.progress, this.set.lessons);
    let reply: StepReply;
    try {
      reply = (await session.customRequest('kpath/lessonStep', q ? { target: q.target, answer: q.answer } : {})) as StepReply;
    } catch {
      // Not stopped (running, or ended meanwhile): its next stop asks again.
      this.render();
      return;
    }
    this.stops.set(session.id, { where: reply.where });
    if (q && (q.target === undefined || reply.reached)) {
      const observation: Observation = { value: reply.value, display: reply.display, error: reply.error, evidence: reply.evidence, where: reply.where };
      const before = this.progress;
      await this.dispatch({ type: 'observed', lesson: q.lesson, step: q.step, observation });
      // A step that moved on by itself: the new step may already hold at this stop.
      if (this.progress !== before && current(this.progress, this.set.lessons)?.step.index !== q.step) await this.judge(session);
      return;
    }
    this.render();
  }

  private async onMessage(m: FromView): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.render();
        return;
      case 'open':
      case 'next':
      case 'back':
      case 'reset':
      case 'answer':
        await this.dispatch(m.type === 'open' ? { type: 'open', lesson: String(m.lesson) } : m.type === 'answer' ? { type: 'answer', given: String(m.given) } : { type: m.type });
        await this.judge();
        return;
      case 'start':
        await this.startLessonSession();
        return;
      case 'openScenario': {
        const l = this.lesson();
        if (l) await vscode.window.showTextDocument(vscode.Uri.file(this.set.scenarioOf(l)), { preview: false, viewColumn: vscode.ViewColumn.One });
        return;
      }
    }
  }

  /** Debugs the lesson's scenario with the knobs of the current step, in place of a kpath session running. */
  private async startLessonSession(): Promise<void> {
    const c = current(this.progress, this.set.lessons);
    if (!c) return;
    const running = vscode.debug.activeDebugSession;
    if (running?.type === 'kpath') await vscode.debug.stopDebugging(running);
    const scenario = this.set.scenarioOf(c.lesson);
    const knobs = knobsAt(c.lesson, c.step.index).map((k) => k.text);
    // The scenario's editor in front, in the first group: the debugger shows its sources in the
    // active group, which must not be the panel's (they would cover it).
    await vscode.window.showTextDocument(vscode.Uri.file(scenario), { preview: false, viewColumn: vscode.ViewColumn.One });
    await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
      type: 'kpath',
      request: 'launch',
      name: l10n.t('kpath lesson: {0}', c.lesson.title[lessonLanguage()]),
      scenario,
      stopOnEntry: true,
      ...(knobs.length ? { knobs } : {}),
    });
  }

  private render(): void {
    const view = buildView(this.set.lessons, this.set.broken, this.progress, this.sessionState(), lessonLanguage(), panelStrings());
    void this.panel.webview.postMessage({ type: 'view', view });
  }
}

/** Requests that set a stopped session going. */
const MOVES = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'restart', 'goto']);

export function registerTutorial(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('kpath.openTutorial', () => {
      TutorialPanel.show(context);
    }),
    vscode.debug.registerDebugAdapterTrackerFactory('kpath', {
      createDebugAdapterTracker: (session) => ({
        onWillReceiveMessage: (m: { type?: string; command?: string }) => {
          if (m.type === 'request' && m.command && MOVES.has(m.command)) TutorialPanel.current?.running(session);
        },
      }),
    }),
  );
}
