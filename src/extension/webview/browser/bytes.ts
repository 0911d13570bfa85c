// The frame bytes page: the selected frame's bytes in hex and ASCII, the selected field's bytes
// highlighted; a click on a byte asks the Wire view to select the field that holds it.

import type { FromBytes, ToBytes } from '../protocol';
import { hexLines } from '../hexdump';

interface VsCodeApi {
  postMessage(message: FromBytes): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const root = document.getElementById('root')!;
const title = document.createElement('div');
title.className = 'title';
const dump = document.createElement('div');
dump.className = 'dump';
dump.setAttribute('role', 'grid');
root.append(title, dump);

function show(m: ToBytes): void {
  title.textContent = m.title;
  if (!m.hex) {
    dump.replaceChildren();
    dump.textContent = m.empty;
    return;
  }
  const hl = m.highlight;
  const inRange = (at: number): boolean => !!hl && at >= hl.offset && at < hl.offset + hl.length;
  const out: HTMLElement[] = [];
  let first: HTMLElement | null = null;
  for (const line of hexLines(m.hex)) {
    const row = document.createElement('div');
    row.className = 'hexline';
    row.setAttribute('role', 'row');
    const off = document.createElement('span');
    off.className = 'offset';
    off.textContent = line.offset;
    const hex = document.createElement('span');
    hex.className = 'hex';
    const ascii = document.createElement('span');
    ascii.className = 'ascii';
    line.bytes.forEach((b, i) => {
      const h = document.createElement('span');
      h.textContent = b.hex;
      h.dataset.at = String(b.at);
      const a = document.createElement('span');
      a.textContent = b.ascii;
      a.dataset.at = String(b.at);
      if (inRange(b.at)) {
        h.className = a.className = 'hl';
        first ??= row;
      }
      if (i === 8) hex.append(document.createTextNode(' '));
      hex.append(h, document.createTextNode(' '));
      ascii.append(a);
    });
    row.append(off, hex, ascii);
    out.push(row);
  }
  dump.replaceChildren(...out);
  if (first) (first as HTMLElement).scrollIntoView({ block: 'nearest' });
}

dump.addEventListener('click', (e) => {
  const at = (e.target as HTMLElement).dataset.at;
  if (at !== undefined) api.postMessage({ type: 'pick', offset: Number(at) });
});

window.addEventListener('message', (event: MessageEvent<ToBytes>) => {
  if (event.data.type === 'show') show(event.data);
});

api.postMessage({ type: 'ready' });
