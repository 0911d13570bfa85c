// The Wire view's page: a virtual table of the frames and drops (only the rows in view exist in
// the page), whose frames open into their layers and fields. Rows and details come from the
// extension on request; everything from a packet or a scenario is set as text, never as markup.

import type { DetailNode, FrameDetail, FromWebview, ToWebview, WireRow, WireState, WireStrings, ByteRange } from '../protocol';
import { Lines, flattenDetail, DetailLine, deepestAt, nodeAt } from '../lines';
import { contentPx, windowAt, scrollToShow } from '../viewport';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const strings = JSON.parse(document.getElementById('kpath-strings')!.textContent!) as WireStrings;

const ROW_PX = 22;
/** Rows asked for at a time around what is in view. */
const ASK_AHEAD = 50;
/** Rows kept in the page at most (beyond them, those far from view are forgotten). */
const KEEP_ROWS = 5000;
const DEFAULT_WIDTHS = [84, 96, 60, 54, 132, 132, 70, 58, 360];

let state: WireState = { generation: -1, frames: 0, drops: 0, status: '', ended: false, keepFrames: 0, keepRows: 0 };
const rows = new Map<number, WireRow | null>();
const asked = new Set<number>();
const details = new Map<number, FrameDetail | null>();
const detailAsked = new Set<number>();
/** Open rows (frames), each with the paths of its open detail nodes. */
const open = new Map<number, Set<string>>();
/** The detail lines of each open row, worked out when its details or open nodes change. */
const flat = new Map<number, DetailLine[]>();
let lines = new Lines(0, []);
/** The selected line: a row, and a detail path within it (null: the row itself). */
let selected: { row: number; path: string | null } | null = null;
let packetText = '';
const saved = (api.getState() ?? {}) as { widths?: number[] };
const widths = Array.isArray(saved.widths) && saved.widths.length === DEFAULT_WIDTHS.length ? saved.widths.slice() : DEFAULT_WIDTHS.slice();

// --- the page --------------------------------------------------------------------------------

const root = document.getElementById('root')!;
const statusLine = el('div', 'status');
statusLine.setAttribute('role', 'status');
const viewport = el('div', 'viewport');
viewport.tabIndex = 0;
viewport.setAttribute('role', 'treegrid');
viewport.setAttribute('aria-label', strings.list);
const header = el('div', 'header row');
header.setAttribute('role', 'row');
const body = el('div', 'body');
const block = el('div', 'block');
const empty = el('div', 'empty');
body.append(block);
viewport.append(header, body);
root.append(statusLine, viewport, empty);

strings.columns.forEach((name, i) => {
  const cell = el('div', 'cell head');
  cell.setAttribute('role', 'columnheader');
  cell.textContent = name;
  cell.title = strings.columnTips[i] ?? name;
  if (i < strings.columns.length - 1) {
    const grip = el('div', 'grip');
    grip.addEventListener('pointerdown', (e) => startResize(e, i));
    cell.append(grip);
  }
  header.append(cell);
});
applyWidths();

function el(tag: string, cls: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = cls;
  return e;
}

function applyWidths(): void {
  const cols = widths.map((w, i) => (i === widths.length - 1 ? `minmax(${w}px, 1fr)` : `${w}px`)).join(' ');
  root.style.setProperty('--cols', cols);
  // The rows are laid out out of the flow: the table's width is set, not measured.
  root.style.setProperty('--table-width', `${widths.reduce((a, b) => a + b, 0)}px`);
}

function startResize(e: PointerEvent, i: number): void {
  e.preventDefault();
  e.stopPropagation();
  const x0 = e.clientX;
  const w0 = widths[i];
  const grip = e.target as HTMLElement;
  grip.setPointerCapture(e.pointerId);
  const move = (m: PointerEvent): void => {
    widths[i] = Math.max(28, Math.round(w0 + m.clientX - x0));
    applyWidths();
  };
  const up = (): void => {
    grip.removeEventListener('pointermove', move);
    grip.removeEventListener('pointerup', up);
    api.setState({ widths });
  };
  grip.addEventListener('pointermove', move);
  grip.addEventListener('pointerup', up);
}

// --- lines -----------------------------------------------------------------------------------

const total = (): number => state.frames + state.drops;

/** Works out the display lines again (after a change of rows, open frames or details). */
function relayout(): void {
  const opened: { row: number; lines: number }[] = [];
  flat.clear();
  for (const [row, paths] of open) {
    const r = rows.get(row);
    const d = r && r.kind === 'frame' ? details.get(r.index) : undefined;
    const list = d ? flattenDetail(d.layers, paths) : [];
    flat.set(row, list);
    opened.push({ row, lines: Math.max(1, list.length + (d && d.problems.length ? 1 : 0)) });
  }
  lines = new Lines(total(), opened);
  viewport.setAttribute('aria-rowcount', String(lines.count));
}

/** The display line of the selection, or -1. */
function selectedLine(): number {
  if (!selected) return -1;
  if (selected.path === null) return lines.lineOf(selected.row);
  const i = (flat.get(selected.row) ?? []).findIndex((l) => l.path === selected!.path);
  return i < 0 ? lines.lineOf(selected.row) : lines.lineOf(selected.row, i);
}

// --- rendering ---------------------------------------------------------------------------------

let scheduled = false;
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    render();
  });
}

function viewPx(): number {
  return Math.max(ROW_PX, viewport.clientHeight - header.offsetHeight);
}

/** Bumped by every change of what lines show (rows, details, open frames, the selection). */
let version = 0;
/** The lines of the last render, by line number, and the version they show. */
let shown = new Map<number, HTMLElement>();
let shownVersion = -1;

function changed(): void {
  version++;
  schedule();
}

function render(): void {
  const count = lines.count;
  body.style.height = `${contentPx(count, ROW_PX)}px`;
  const w = windowAt(viewport.scrollTop, viewPx(), count, ROW_PX);
  block.style.transform = `translateY(${viewport.scrollTop + w.offsetPx}px)`;
  const sel = selectedLine();
  const out: HTMLElement[] = [];
  const next = new Map<number, HTMLElement>();
  let lo = Infinity;
  let hi = -1;
  for (let i = 0; i < w.count; i++) {
    const line = w.first + i;
    const place = lines.at(line);
    // A line whose content has not changed keeps its element: a click in progress is not lost.
    let e = shownVersion === version ? shown.get(line) : undefined;
    if (!e) {
      e = place.sub < 0 ? rowLine(place.row) : detailLine(place.row, place.sub);
      e.setAttribute('aria-rowindex', String(line + 1));
      e.dataset.line = String(line);
      if (line === sel) {
        e.classList.add('selected');
        e.setAttribute('aria-selected', 'true');
        e.id = 'selected-line';
      }
    }
    next.set(line, e);
    out.push(e);
    if (place.sub < 0 && !rows.has(place.row)) {
      lo = Math.min(lo, place.row);
      hi = Math.max(hi, place.row);
    }
  }
  shown = next;
  shownVersion = version;
  const kids = block.children;
  if (kids.length !== out.length || out.some((e, i) => kids[i] !== e)) block.replaceChildren(...out);
  if (sel >= 0 && out.some((e) => e.id === 'selected-line')) viewport.setAttribute('aria-activedescendant', 'selected-line');
  else viewport.removeAttribute('aria-activedescendant');
  empty.textContent = count === 0 ? strings.empty : '';
  empty.hidden = count !== 0;
  statusLine.textContent = packetText ? `${state.status}  ·  ${packetText}` : state.status;
  statusLine.title = statusLine.textContent;
  if (hi >= 0) ask(lo, hi);
}

function cell(text: string, cls = 'cell'): HTMLElement {
  const c = el('div', cls);
  c.setAttribute('role', 'gridcell');
  c.textContent = text;
  return c;
}

function rowLine(row: number): HTMLElement {
  const r = rows.get(row);
  const e = el('div', 'row line');
  e.setAttribute('role', 'row');
  e.setAttribute('aria-level', '1');
  if (r === undefined || r === null) {
    e.classList.add('pending');
    e.append(cell(''), cell(r === null ? strings.unavailable : strings.loading, 'cell wide'));
    return e;
  }
  if (r.kind === 'drop') {
    e.classList.add('drop');
    e.append(
      cell(''), cell(ms(r.time)), cell(''), cell(strings.drop), cell(''), cell(''), cell(strings.drop), cell(String(r.len)),
      cell(format(strings.dropInfo, r.reason, r.function, r.packet)),
    );
    e.title = format(strings.dropInfo, r.reason, r.function, r.packet);
    return e;
  }
  const isOpen = open.has(row);
  e.setAttribute('aria-expanded', String(isOpen));
  e.classList.add(r.dir);
  const no = cell('');
  const twisty = el('span', isOpen ? 'twisty open' : 'twisty');
  twisty.dataset.toggle = '1';
  no.append(twisty, document.createTextNode(String(r.index + 1)));
  e.append(no, cell(ms(r.time)), cell(r.dev), cell(r.dir), cell(r.src), cell(r.dst), cell(r.protocol), cell(String(r.len)), cell(r.info));
  return e;
}

function detailLine(row: number, sub: number): HTMLElement {
  const e = el('div', 'row line detail');
  e.setAttribute('role', 'row');
  const list = flat.get(row) ?? [];
  const r = rows.get(row);
  const d = r && r.kind === 'frame' ? details.get(r.index) : undefined;
  const text = el('div', 'cell wide');
  text.setAttribute('role', 'gridcell');
  if (sub < list.length) {
    const l = list[sub];
    e.setAttribute('aria-level', String(l.depth + 2));
    if (l.expandable) e.setAttribute('aria-expanded', String(l.expanded));
    text.style.paddingLeft = `${24 + l.depth * 16}px`;
    const twisty = el('span', l.expandable ? (l.expanded ? 'twisty open' : 'twisty') : 'twisty none');
    if (l.expandable) twisty.dataset.toggle = '1';
    const label = el('span', l.depth === 0 ? 'label layer' : 'label');
    label.textContent = l.node.value ? `${l.node.label}: ` : l.node.label;
    const value = el('span', 'value');
    value.textContent = l.node.value;
    if (l.node.bad) value.classList.add('bad');
    text.append(twisty, label, value);
  } else {
    e.setAttribute('aria-level', '2');
    text.style.paddingLeft = '24px';
    if (d && d.problems.length) {
      text.classList.add('problems');
      text.textContent = `${strings.problems}: ${d.problems.join('; ')}`;
    } else {
      text.classList.add('pending');
      text.textContent = d === null ? strings.noDetail : strings.loading;
    }
  }
  e.append(text);
  return e;
}

function ms(t: number): string {
  return (t / 1e6).toFixed(6);
}

function format(template: string, ...args: unknown[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

// --- asking the extension ------------------------------------------------------------------------

function post(m: FromWebview): void {
  api.postMessage(m);
}

function ask(lo: number, hi: number): void {
  let start = Math.max(0, lo - ASK_AHEAD);
  let end = Math.min(total(), hi + 1 + ASK_AHEAD);
  while (start < end && (rows.has(start) || asked.has(start))) start++;
  while (end > start && (rows.has(end - 1) || asked.has(end - 1))) end--;
  if (start >= end) return;
  for (let r = start; r < end; r++) asked.add(r);
  post({ type: 'want', generation: state.generation, start, count: end - start });
}

function askDetail(frame: number): void {
  if (details.has(frame) || detailAsked.has(frame)) return;
  detailAsked.add(frame);
  post({ type: 'detail', generation: state.generation, frame });
}

/** Keeps at most KEEP_ROWS rows: those nearest to the view stay. */
function forgetFar(): void {
  if (rows.size <= KEEP_ROWS) return;
  const centre = lines.at(Math.min(lines.count - 1, windowAt(viewport.scrollTop, viewPx(), lines.count, ROW_PX).first)).row;
  const far = [...rows.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
  for (const r of far.slice(0, rows.size - KEEP_ROWS / 2)) {
    if (open.has(r)) continue;
    rows.delete(r);
    asked.delete(r);
  }
}

// --- selection and opening --------------------------------------------------------------------------

function select(row: number, path: string | null, reveal = true): void {
  selected = { row, path };
  const r = rows.get(row) ?? null;
  let field: ByteRange | null = null;
  let label = '';
  if (path !== null && r?.kind === 'frame') {
    const d = details.get(r.index);
    const node: DetailNode | undefined = d ? nodeAt(d.layers, path) : undefined;
    if (node && node.length > 0) field = { offset: node.offset, length: node.length, mask: node.mask };
    label = node ? node.label : '';
  }
  post({ type: 'select', row: r, field, label });
  if (reveal) {
    const line = selectedLine();
    if (line >= 0) viewport.scrollTop = scrollToShow(line, viewport.scrollTop, viewPx(), lines.count, ROW_PX);
  }
  changed();
}

/** A row just opened: once its details are there, they are scrolled into view. */
let revealOpened = -1;

/** Scrolls so that the opened row's layers show below it, as many as fit, the row itself staying in view. */
function showOpened(): void {
  const row = revealOpened;
  if (row < 0 || !open.has(row)) return;
  const list = flat.get(row);
  if (!list || !list.length) return;
  revealOpened = -1;
  const count = lines.count;
  viewport.scrollTop = scrollToShow(lines.lineOf(row, list.length - 1), viewport.scrollTop, viewPx(), count, ROW_PX);
  viewport.scrollTop = scrollToShow(lines.lineOf(row), viewport.scrollTop, viewPx(), count, ROW_PX);
}

function toggleRow(row: number, to?: boolean): void {
  const r = rows.get(row);
  if (!r || r.kind !== 'frame') return;
  const now = open.has(row);
  const want = to ?? !now;
  if (want === now) return;
  if (want) {
    open.set(row, new Set());
    askDetail(r.index);
    revealOpened = row;
  } else {
    open.delete(row);
    if (selected?.row === row) selected = { row, path: null };
  }
  relayout();
  showOpened();
  changed();
}

function toggleNode(row: number, path: string, to?: boolean): void {
  const paths = open.get(row);
  if (!paths) return;
  const now = paths.has(path);
  const want = to ?? !now;
  if (want === now) return;
  if (want) paths.add(path);
  else {
    paths.delete(path);
    for (const p of [...paths]) if (p.startsWith(path + '.')) paths.delete(p);
    if (selected?.row === row && selected.path?.startsWith(path + '.')) selected = { row, path };
  }
  relayout();
  changed();
}

function placeOf(line: number): { row: number; path: string | null; detail?: DetailLine } {
  const p = lines.at(line);
  if (p.sub < 0) return { row: p.row, path: null };
  const l = flat.get(p.row)?.[p.sub];
  return { row: p.row, path: l ? l.path : null, detail: l };
}

viewport.addEventListener('scroll', schedule, { passive: true });
new ResizeObserver(() => {
  root.style.setProperty('--view-width', `${viewport.clientWidth}px`);
  schedule();
}).observe(viewport);

block.addEventListener('click', (e) => {
  const target = e.target as HTMLElement;
  const lineEl = target.closest('.line') as HTMLElement | null;
  if (!lineEl) return;
  const place = placeOf(Number(lineEl.dataset.line));
  if (target.dataset.toggle) {
    if (place.path === null) toggleRow(place.row);
    else toggleNode(place.row, place.path);
  }
  viewport.focus({ preventScroll: true });
  select(place.row, place.path, false);
});

block.addEventListener('dblclick', (e) => {
  const lineEl = (e.target as HTMLElement).closest('.line') as HTMLElement | null;
  if (!lineEl || (e.target as HTMLElement).dataset.toggle) return;
  const place = placeOf(Number(lineEl.dataset.line));
  if (place.path === null) toggleRow(place.row);
  else if (place.detail?.expandable) toggleNode(place.row, place.path);
});

viewport.addEventListener('keydown', (e) => {
  const count = lines.count;
  if (!count) return;
  const cur = selectedLine();
  const page = Math.max(1, Math.floor(viewPx() / ROW_PX) - 1);
  const move = (line: number): void => {
    const p = placeOf(Math.max(0, Math.min(count - 1, line)));
    select(p.row, p.path);
  };
  const here = cur >= 0 ? placeOf(cur) : null;
  switch (e.key) {
    case 'ArrowDown': move(cur + 1); break;
    case 'ArrowUp': move(cur < 0 ? 0 : cur - 1); break;
    case 'PageDown': move(cur + page); break;
    case 'PageUp': move(cur - page); break;
    case 'Home': move(0); break;
    case 'End': move(count - 1); break;
    case 'ArrowRight':
      if (!here) move(0);
      else if (here.path === null) {
        if (!open.has(here.row)) toggleRow(here.row, true);
        else move(cur + 1);
      } else if (here.detail?.expandable) {
        if (!here.detail.expanded) toggleNode(here.row, here.path, true);
        else move(cur + 1);
      }
      break;
    case 'ArrowLeft':
      if (!here) break;
      if (here.path === null) toggleRow(here.row, false);
      else if (here.detail?.expanded) toggleNode(here.row, here.path, false);
      else {
        const parent = here.path.includes('.') ? here.path.slice(0, here.path.lastIndexOf('.')) : null;
        select(here.row, parent);
      }
      break;
    case 'Enter':
    case ' ':
      if (!here) break;
      if (here.path === null) toggleRow(here.row);
      else if (here.detail?.expandable) toggleNode(here.row, here.path);
      break;
    default:
      return;
  }
  e.preventDefault();
});

// --- from the extension ----------------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'state': {
      const s = m.state;
      if (s.generation !== state.generation) {
        for (const r of [...rows.keys()]) if (r >= s.keepRows) rows.delete(r);
        for (const f of [...details.keys()]) if (f >= s.keepFrames || details.get(f) === null) details.delete(f);
        asked.clear();
        detailAsked.clear();
        const n = s.frames + s.drops;
        for (const r of [...open.keys()]) if (r >= n) open.delete(r);
        if (selected && selected.row >= n) {
          selected = null;
          packetText = '';
        }
        // Open frames whose details were forgotten ask again.
        for (const r of open.keys()) {
          const row = rows.get(r);
          if (row && row.kind === 'frame' && !details.has(row.index)) askDetail(row.index);
        }
      }
      state = s;
      relayout();
      changed();
      break;
    }
    case 'rows':
      if (m.generation !== state.generation) break;
      m.rows.forEach((r, i) => {
        rows.set(m.start + i, r);
        if (r && r.kind === 'frame' && open.has(m.start + i)) askDetail(r.index);
      });
      forgetFar();
      relayout();
      changed();
      break;
    case 'detail':
      if (m.generation !== state.generation) break;
      details.set(m.frame, m.detail);
      relayout();
      showOpened();
      changed();
      break;
    case 'packet':
      packetText = m.text;
      changed();
      break;
    case 'pick': {
      // A byte clicked in the hex view: select the field that holds it.
      const rowIndex = [...rows.entries()].find(([, r]) => r?.kind === 'frame' && r.index === m.frame)?.[0];
      const d = details.get(m.frame);
      if (rowIndex === undefined || !d) break;
      const path = deepestAt(d.layers, m.offset);
      if (!path) break;
      toggleRow(rowIndex, true);
      const parts = path.split('.');
      for (let i = 1; i < parts.length; i++) toggleNode(rowIndex, parts.slice(0, i).join('.'), true);
      select(rowIndex, path);
      break;
    }
  }
});

post({ type: 'ready' });
