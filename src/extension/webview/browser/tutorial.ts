// The tutorial panel's page (bundled to dist/tutorial.js, run in the webview): it draws the view
// the extension sends (src/tutorial/view.ts) and sends back the learner's clicks. Every text goes
// in as textContent, never as markup: lesson text, answers and evidence are shown, never run.

import type { PanelView } from '../../../tutorial/view';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

// Buttons and inputs are read and written through one element type.
type El = HTMLInputElement;

const vscode = acquireVsCodeApi();
/** What the learner is typing, kept across redraws of the same step. */
let draft = { step: '', text: '' };
/** The step whose verdict was last brought into view. */
let verdictShown = '';
const send = (m: unknown): void => vscode.postMessage(m);

function el(tag: string, cls?: string, text?: string): El {
  const e = document.createElement(tag) as El;
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label: string, action: string, onClick: () => void, cls = ''): El {
  const b = el('button', cls, label);
  b.setAttribute('data-action', action);
  b.addEventListener('click', onClick);
  return b;
}

/** Paragraphs of a text whose lines are separated by newlines. */
function paragraphs(text: string, cls: string): El {
  const box = el('div', cls);
  for (const p of text.split('\n')) box.appendChild(el('p', undefined, p));
  return box;
}

function render(v: PanelView): void {
  const app = document.getElementById('root');
  if (!app) return;
  const root = el('div', 'tutorial');
  root.setAttribute('lang', v.lang === 'zh' ? 'zh-CN' : 'en');

  const nav = el('nav', 'lessons');
  nav.appendChild(el('h2', undefined, v.labels.lessons));
  const list = el('ol');
  for (const l of v.lessons) {
    const item = el('li', `lesson${l.current ? ' current' : ''}${l.finished ? ' finished' : ''}${l.problem ? ' broken' : ''}`);
    const b = button(l.title, 'open', () => send({ type: 'open', lesson: l.id }));
    b.setAttribute('data-lesson', l.id);
    if (l.problem) {
      b.disabled = true;
      b.setAttribute('title', l.problem);
    }
    item.appendChild(b);
    if (l.progress) item.appendChild(el('span', 'progress', l.progress));
    list.appendChild(item);
  }
  nav.appendChild(list);
  root.appendChild(nav);

  const main = el('main', 'step');
  const session = el('div', `session ${v.session.kind}`);
  session.appendChild(el('span', 'session-text', v.session.text));
  if (v.session.action) session.appendChild(button(v.session.action.label, 'start', () => send({ type: 'start' }), 'primary'));
  main.appendChild(session);

  const l = v.lesson;
  if (l) {
    main.appendChild(el('h1', 'lesson-title', l.title));
    if (l.about) main.appendChild(paragraphs(l.about, 'about'));
    const head = el('div', 'step-head');
    head.appendChild(el('span', 'step-label', l.stepLabel));
    head.appendChild(button(v.labels.openScenario, 'openScenario', () => send({ type: 'openScenario' }), 'link'));
    main.appendChild(head);
    main.appendChild(paragraphs(l.text, 'step-text'));
    if (l.knob) main.appendChild(el('div', 'knob', l.knob));
    if (l.target) {
      const t = el('div', 'target');
      t.appendChild(el('span', 'target-label', `${v.labels.target}: `));
      t.appendChild(el('code', undefined, l.target));
      main.appendChild(t);
    }
    if (l.hint) main.appendChild(paragraphs(l.hint, 'hint'));
    if (l.question) main.appendChild(question(v, l.question, `${l.id}/${l.stepLabel}`));
    if (l.status) main.appendChild(el('div', `status ${l.status.kind}`, l.status.text));
    const buttons = el('div', 'buttons');
    const back = button(v.labels.back, 'back', () => send({ type: 'back' }));
    back.disabled = !l.canBack;
    const next = button(v.labels.next, 'next', () => send({ type: 'next' }), 'primary');
    next.disabled = !l.canNext;
    buttons.appendChild(back);
    buttons.appendChild(next);
    buttons.appendChild(button(v.labels.reset, 'reset', () => send({ type: 'reset' }), 'link'));
    main.appendChild(buttons);
  }
  root.appendChild(main);
  app.replaceChildren(root);
}

function question(v: PanelView, q: NonNullable<PanelView['lesson']>['question'] & object, stepKey: string): El {
  const box = el('section', 'question');
  box.appendChild(el('h3', 'ask', q.ask));
  if (q.choices) {
    const choices = el('div', 'choices');
    for (const c of q.choices) {
      const b = button(c.label, 'choice', () => send({ type: 'answer', given: c.value }), q.answer === c.value ? 'choice chosen' : 'choice');
      b.setAttribute('data-choice', c.value);
      b.disabled = !q.canAnswer;
      choices.appendChild(b);
    }
    box.appendChild(choices);
  } else {
    const form = el('div', 'short-answer');
    const input = el('input');
    input.setAttribute('type', 'text');
    input.setAttribute('aria-label', v.labels.answerPlaceholder);
    input.setAttribute('placeholder', v.labels.answerPlaceholder);
    if (draft.step !== stepKey) draft = { step: stepKey, text: '' };
    input.value = q.answer ?? draft.text;
    input.disabled = !q.canAnswer;
    input.addEventListener('input', () => {
      draft = { step: stepKey, text: input.value };
    });
    const submit = (): void => send({ type: 'answer', given: input.value });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        submit();
      }
    });
    const b = button(v.labels.submit, 'submit', submit, 'primary');
    b.disabled = !q.canAnswer;
    form.appendChild(input);
    form.appendChild(b);
    box.appendChild(form);
  }
  if (q.verdict) {
    const verdict = el('div', `verdict ${q.verdict.kind}`, q.verdict.text);
    verdict.setAttribute('role', 'status');
    box.appendChild(verdict);
    // A new verdict is brought into view once (after the page is drawn), not at every redraw.
    if (verdictShown !== stepKey) {
      verdictShown = stepKey;
      setTimeout(() => box.scrollIntoView({ block: 'nearest' }), 0);
    }
  }
  if (q.evidence.length) {
    box.appendChild(el('h4', 'evidence-title', v.labels.evidence));
    box.appendChild(el('pre', 'evidence', q.evidence.join('\n')));
  }
  return box;
}

window.addEventListener('message', (e) => {
  const m = e.data as { type?: string; view?: PanelView };
  if (m && m.type === 'view' && m.view) render(m.view);
});
send({ type: 'ready' });
