// The sk_buff picture's page: the buffer from head to end as one strip (headroom, the headers
// pushed so far as coloured bands, the payload, tailroom) with head, data, tail and end marked
// under it, the frag_list members and GSO segments when there are any, and the fields, with those
// that changed since the packet was last shown marked.

import type { SkbMessage, ToWebview, Labels } from '../picture-messages';
import type { SkbPicture } from '../../../adapter/pictures';
import { el, fmt, root, showNotice, append } from './dom';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void };
const vscode = acquireVsCodeApi();

/** Fields of the table, in order (band.* fields are the bands themselves). */
const FIELDS = ['len', 'data_len', 'truesize', 'headroom', 'tailroom', 'head', 'data', 'tail', 'end', 'mac_header', 'network_header', 'transport_header', 'protocol', 'ip_summed', 'gso_size', 'gso_segs', 'gso_type', 'frag_list'];

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const m = e.data;
  if (m.type === 'notice') showNotice(m.text);
  else if (m.type === 'skb') draw(m);
});
vscode.postMessage({ type: 'ready' });

function draw(m: SkbMessage): void {
  const p = m.picture;
  const L = m.labels;
  const changed = new Set(m.changed);
  const page = root();
  // The stop drawn, for whoever waits for the next one (the end-to-end tests).
  page.dataset.step = String(p.step);
  append(page,
    el('header', {},
      el('h1', {}, fmt(L.packet, p.packet)),
      el('p', { class: 'where' }, fmt(L.where, p.fn, p.frame)),
      changed.size ? el('p', { class: 'legend changed-legend' }, el('span', { class: 'change-mark', attrs: { 'aria-hidden': 'true' } }, '\u0394'), ' ', fmt(L.changed, p.packet)) : null,
    ),
    strip(p, L, changed),
    p.gso ? gsoRow(p, L) : null,
    p.frag_list && p.frag_list.length ? fragRow(p, L) : null,
    fieldTable(p, L, changed, m.before),
    el('p', { class: 'legend' }, L.legend),
  );
}

/** One segment of the strip: `bytes` wide (at least a minimum), a name and a size, marks under it. */
function segment(cls: string, name: string, bytes: number, L: Labels, marks: { left?: string; right?: string; changed?: boolean }, changed: boolean): HTMLElement {
  const seg = el('div', {
    class: `seg ${cls}${changed ? ' changed' : ''}`,
    attrs: { role: 'listitem' },
    title: `${name}: ${fmt(L.bytes, bytes)}`,
  },
  el('span', { class: 'seg-name' }, name),
  el('span', { class: 'seg-size' }, fmt(L.bytes, bytes)),
  changed ? el('span', { class: 'change-mark', attrs: { 'aria-label': L.newBand } }, '\u0394') : null,
  );
  // Through the CSSOM: the page's Content-Security-Policy allows no style attributes.
  seg.style.flexGrow = String(Math.max(bytes, 1));
  if (marks.left) seg.append(el('span', { class: `mark mark-left${marks.changed ? ' changed' : ''}` }, marks.left));
  if (marks.right) seg.append(el('span', { class: `mark mark-right${marks.changed ? ' changed' : ''}` }, marks.right));
  return seg;
}

function strip(p: SkbPicture, L: Labels, changed: Set<string>): HTMLElement {
  const list = el('div', { class: 'strip', attrs: { role: 'list', 'aria-label': L.buffer } });
  const moved = (k: string): boolean => changed.has(k);
  const dataMark = p.headroom === 0 ? `head = data ${p.data}` : `data ${p.data}`;
  const tailMark = p.tailroom === 0 ? `tail = end ${p.tail}` : `tail ${p.tail}`;
  if (p.headroom > 0) list.append(segment('headroom', L.headroom, p.headroom, L, { left: 'head 0' }, moved('headroom')));
  p.bands.forEach((b, i) => {
    const first = i === 0;
    const last = i === p.bands.length - 1;
    list.append(segment(`band band-${b.kind}`, L[`band.${b.kind}`] ?? b.kind, b.length, L, {
      left: first ? dataMark : undefined,
      right: last && p.tailroom === 0 ? tailMark : undefined,
      changed: (first && moved('data')) || (last && moved('tail')),
    }, changed.has(`band.${b.kind}`)));
  });
  if (!p.bands.length) list.append(segment('empty', L.none, 0, L, { left: dataMark }, false));
  if (p.tailroom > 0) {
    const t = segment('tailroom', L.tailroom, p.tailroom, L, { left: tailMark, right: `end ${p.end}`, changed: moved('tail') }, moved('tailroom'));
    list.append(t);
  }
  return el('section', { class: 'buffer' }, el('h2', {}, L.buffer), list);
}

function gsoRow(p: SkbPicture, L: Labels): HTMLElement {
  const g = p.gso!;
  const payload = p.bands.filter((b) => b.kind === 'payload').reduce((a, b) => a + b.length, 0);
  const segs = g.segs || (g.size ? Math.ceil(payload / g.size) : 0);
  const row = el('div', { class: 'strip small', attrs: { role: 'list' } });
  for (let i = 0, left = payload; i < segs; i++) {
    const n = g.size ? Math.min(g.size, Math.max(0, left)) : 0;
    left -= n;
    row.append(segment('gso-seg', fmt(L.segment, i + 1), n, L, {}, false));
  }
  return el('section', { class: 'gso' }, el('h2', {}, fmt(L.gso, segs, g.size, g.types.join(' | ') || String(g.type))), row);
}

function fragRow(p: SkbPicture, L: Labels): HTMLElement {
  const sizes = p.frag_list!;
  const row = el('div', { class: 'strip small', attrs: { role: 'list' } });
  row.append(segment('frag-head', fmt(L.fragMember, 1), p.len - p.data_len, L, {}, false));
  sizes.forEach((n, i) => row.append(segment('frag-member', fmt(L.fragMember, i + 2), n, L, {}, false)));
  return el('section', { class: 'frags' }, el('h2', {}, fmt(L.fragList, sizes.length)), row, el('p', { class: 'legend' }, L.fragNote));
}

function fieldTable(p: SkbPicture, L: Labels, changed: Set<string>, before: SkbMessage['before']): HTMLElement {
  const body = el('tbody');
  for (const f of FIELDS) {
    if (!(f in p.fields)) continue;
    const c = changed.has(f);
    body.append(el('tr', { class: c ? 'changed' : '', attrs: { 'data-field': f } },
      el('th', { attrs: { scope: 'row' } }, f),
      el('td', {}, String(p.fields[f]),
        c ? el('span', { class: 'was' }, ' ', el('span', { class: 'change-mark', attrs: { 'aria-hidden': 'true' } }, '\u0394'), ' ', fmt(L.was, before[f] ?? '-')) : null),
    ));
  }
  return el('section', { class: 'fields' }, el('h2', {}, L.fields),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, L.field), el('th', {}, L.value))), body));
}
