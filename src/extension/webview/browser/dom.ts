// Small helpers for the picture webviews. Every text goes in through textContent (never as HTML),
// so a name or a payload that looks like markup is shown, never run.

/** An element with classes, attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; attrs?: Record<string, string>; title?: string } = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.class) e.className = props.class;
  if (props.title) e.title = props.title;
  for (const [k, v] of Object.entries(props.attrs ?? {})) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** A label with {0}, {1}... replaced by `args` (the labels come translated from the extension). */
export function fmt(template: string | undefined, ...args: (string | number)[]): string {
  return (template ?? '').replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));
}

/** Appends the children that are there (null, undefined and false are left out). */
export function append(parent: Element, ...children: (Node | string | null | undefined | false)[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) parent.append(c);
}

/** The page's root, emptied; a screen reader announces what it shows next. */
export function root(): HTMLElement {
  const r = document.getElementById('root')!;
  r.setAttribute('aria-live', 'polite');
  r.replaceChildren();
  return r;
}

/** Shows a notice instead of a picture. */
export function showNotice(text: string): void {
  root().append(el('p', { class: 'notice' }, text));
}
