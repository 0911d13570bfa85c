// The path picture's page: the call graph of the modeled functions as boxes and arrows, the calls
// the packet made highlighted, the functions on the stack and the current one marked. The layout
// comes from the extension when it has one for the graph; otherwise this page loads ELK (once),
// lays the graph out and sends the layout back to be kept.

import type { PathMessage, PathLayout, ToWebview } from '../picture-messages';
import { elkGraph, fromElk, ElkGraph } from '../path-layout';
import { el, svg, fmt, root, showNotice, append } from './dom';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';

interface ElkApi {
  layout(graph: ElkGraph): Promise<ElkGraph>;
}
declare global {
  interface Window {
    kpathELK?: new () => ElkApi;
  }
}

/** The zoom the user chose (kept while the panel is hidden), or null: fit the width, at most 100%. */
let zoom: number | null = (vscode.getState() as { zoom?: number } | undefined)?.zoom ?? null;
const ZOOM_MIN = 0.4;
const ZOOM_MAX = 2;

/** Layouts made or received on this page, by graph key, and those being made. */
const layouts = new Map<string, PathLayout>();
const laying = new Set<string>();
/** The message drawn last, and the latest one (a layout may take a while). */
let latest: PathMessage | null = null;

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const m = e.data;
  if (m.type === 'notice') {
    latest = null;
    showNotice(m.text);
  } else if (m.type === 'path') {
    latest = m;
    if (m.layout) layouts.set(m.key, m.layout);
    const layout = layouts.get(m.key);
    if (layout) draw(m, layout);
    else if (!laying.has(m.key)) void layOut(m);
  }
});
vscode.postMessage({ type: 'ready' });

let elk: Promise<ElkApi> | null = null;

/** ELK, loaded on first use (a script of its own: the page does without it once a layout is known). */
function loadElk(): Promise<ElkApi> {
  elk ??= new Promise<ElkApi>((resolve, reject) => {
    const s = document.createElement('script');
    s.nonce = nonce;
    s.src = document.body.dataset.elk ?? '';
    s.onload = () => (window.kpathELK ? resolve(new window.kpathELK()) : reject(new Error('ELK did not load')));
    s.onerror = () => reject(new Error('ELK did not load'));
    document.head.append(s);
  });
  return elk;
}

async function layOut(m: PathMessage): Promise<void> {
  root().append(el('p', { class: 'notice' }, fmt(m.labels.layingOut, m.picture.profile)));
  laying.add(m.key);
  try {
    const api = await loadElk();
    const measure = textWidth();
    const laid = await api.layout(elkGraph(m.picture, measure));
    const layout = fromElk(laid, m.picture.edges);
    layouts.set(m.key, layout);
    vscode.postMessage({ type: 'laidOut', key: m.key, layout });
    // Draw what came last, if it fits this layout (another profile's waits for its own).
    if (latest && layouts.has(latest.key)) draw(latest, layouts.get(latest.key)!);
  } catch (e) {
    showNotice(String(e instanceof Error ? e.message : e));
  } finally {
    laying.delete(m.key);
  }
}

/** The width of a function's name as the boxes draw it. */
function textWidth(): (s: string) => number {
  const ctx = document.createElement('canvas').getContext('2d');
  const probe = svg('text', { class: 'fn-name' });
  const holder = svg('svg', { class: 'probe' });
  holder.append(probe);
  document.body.append(holder);
  const style = getComputedStyle(probe);
  const font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  holder.remove();
  if (!ctx) return (s) => s.length * 7.5;
  ctx.font = font;
  return (s) => ctx.measureText(s).width;
}

function draw(m: PathMessage, layout: PathLayout): void {
  const p = m.picture;
  const L = m.labels;
  const taken = new Set(p.path.edges.map((e) => `${e.from}>${e.to}`));
  const visited = new Set(p.path.functions);
  const onStack = new Set(p.stack);
  const files = new Map(p.functions.map((f) => [f.name, f.file]));

  const graph = svg('svg', { width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'group', 'aria-label': L.title });
  const defs = svg('defs');
  for (const id of ['arrow', 'arrow-taken']) {
    const marker = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: id }));
    defs.append(marker);
  }
  graph.append(defs);
  // Calls not taken first, so that the taken ones are drawn over them.
  const edges = [...layout.edges].sort((a, b) => Number(taken.has(`${a.from}>${a.to}`)) - Number(taken.has(`${b.from}>${b.to}`)));
  for (const e of edges) {
    if (e.points.length < 2) continue;
    const on = taken.has(`${e.from}>${e.to}`);
    const d = e.points.map((pt, i) => `${i ? 'L' : 'M'} ${pt.x} ${pt.y}`).join(' ');
    const path = svg('path', { d, class: `call${on ? ' taken' : ''}`, 'marker-end': `url(#${on ? 'arrow-taken' : 'arrow'})`, 'data-from': e.from, 'data-to': e.to });
    graph.append(path);
  }
  let current: SVGGElement | null = null;
  for (const n of layout.nodes) {
    const cls = ['fn'];
    if (visited.has(n.id)) cls.push('taken');
    if (onStack.has(n.id)) cls.push('stack');
    if (n.id === p.current) cls.push('current');
    const g = svg('g', { class: cls.join(' '), transform: `translate(${n.x} ${n.y})`, tabindex: 0, role: 'button', 'data-fn': n.id, 'aria-label': fmt(L.open, n.id, files.get(n.id) ?? '') });
    const title = svg('title');
    title.textContent = `${n.id} (${files.get(n.id) ?? ''})`;
    const rect = svg('rect', { width: n.width, height: n.height, rx: 4, ry: 4 });
    const text = svg('text', { x: n.width / 2, y: n.height / 2, class: 'fn-name', 'text-anchor': 'middle', 'dominant-baseline': 'central' });
    text.textContent = n.id;
    g.append(title, rect, text);
    const open = (): void => vscode.postMessage({ type: 'open', name: n.id });
    g.addEventListener('click', open);
    g.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        open();
      }
    });
    if (n.id === p.current) current = g;
    graph.append(g);
  }

  const heading = p.packet !== null ? fmt(L.packet, p.packet, p.profile) : fmt(L.noPacket, p.profile);
  const legend = el('p', { class: 'legend path-legend' },
    el('span', { class: 'key key-current' }, L.current), ' ',
    el('span', { class: 'key key-stack' }, L.stack), ' ',
    el('span', { class: 'key key-taken' }, L.taken), ' ',
    el('span', { class: 'key key-untaken' }, L.untaken));
  const area = el('div', { class: 'graph' }, graph);
  const scale = (): number => zoom ?? Math.max(ZOOM_MIN, Math.min(1, (area.clientWidth - 4) / layout.width));
  const apply = (): void => {
    graph.setAttribute('width', String(Math.round(layout.width * scale())));
    graph.setAttribute('height', String(Math.round(layout.height * scale())));
  };
  const setZoom = (z: number | null): void => {
    zoom = z === null ? null : Math.max(ZOOM_MIN, Math.min(ZOOM_MAX, Math.round(z * 10) / 10));
    vscode.setState({ zoom: zoom ?? undefined });
    apply();
  };
  const button = (text: string, label: string, act: () => void): HTMLElement => {
    const b = el('button', { attrs: { type: 'button', 'aria-label': label }, title: label }, text);
    b.addEventListener('click', act);
    return b;
  };
  const tools = el('div', { class: 'zoom' },
    button('\u2212', L.zoomOut, () => setZoom(scale() - 0.1)),
    button('+', L.zoomIn, () => setZoom(scale() + 0.1)),
    button(L.fit, L.fit, () => setZoom(null)));
  const page = root();
  page.className = 'path-page';
  page.dataset.current = p.current ?? '';
  append(page,
    el('header', {}, el('div', { class: 'title-row' }, el('h1', {}, heading), tools), legend, el('p', { class: 'legend' }, L.hint),
      p.skipped ? el('p', { class: 'legend' }, fmt(L.skipped, p.skipped)) : null),
    area,
  );
  apply();
  const c = current as SVGGElement | null;
  if (c) c.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

window.addEventListener('resize', () => {
  if (zoom === null && latest && layouts.has(latest.key)) draw(latest, layouts.get(latest.key)!);
});
