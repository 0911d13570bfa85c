// Where a virtual list's rows are for a scroll position. Browsers cap an element's height (a
// million 22-pixel rows is over 20 million pixels), so past a limit the scroll range is scaled:
// the scroll bar's position is the position in the list.

/** The tallest spacer the list uses; past it, scroll positions are scaled. */
export const MAX_SCROLL_PX = 8_000_000;

export interface Window {
  /** The first line shown, and how far above the top of the visible area it starts (0 or less). */
  first: number;
  offsetPx: number;
  /** How many lines fill the visible area (the last may be cut). */
  count: number;
}

/** The height of the scrolled content for `lines` lines of `rowPx`. */
export function contentPx(lines: number, rowPx: number): number {
  return Math.min(lines * rowPx, MAX_SCROLL_PX);
}

/** The lines shown at `scrollTop` in a visible area of `viewPx`. */
export function windowAt(scrollTop: number, viewPx: number, lines: number, rowPx: number): Window {
  const count = Math.max(1, Math.ceil(viewPx / rowPx) + 1);
  const full = lines * rowPx;
  let exact: number;
  if (full <= MAX_SCROLL_PX) {
    exact = scrollTop / rowPx;
  } else {
    const range = Math.max(1, MAX_SCROLL_PX - viewPx);
    const fraction = Math.min(1, Math.max(0, scrollTop / range));
    exact = fraction * Math.max(0, lines - viewPx / rowPx);
  }
  exact = Math.max(0, Math.min(exact, Math.max(0, lines - 1)));
  const first = Math.floor(exact);
  return { first, offsetPx: first === exact ? 0 : (first - exact) * rowPx, count: Math.min(count, Math.max(0, lines - first)) };
}

/** A scroll position that shows line `line` whole, moving as little as possible from `scrollTop`. */
export function scrollToShow(line: number, scrollTop: number, viewPx: number, lines: number, rowPx: number): number {
  const w = windowAt(scrollTop, viewPx, lines, rowPx);
  const fits = Math.max(1, Math.floor(viewPx / rowPx));
  if (line >= w.first + (w.offsetPx < 0 ? 1 : 0) && line < w.first + fits) return scrollTop;
  const top = line < w.first + 1 ? line : line - fits + 1;
  return scrollTopOf(Math.max(0, top), viewPx, lines, rowPx);
}

/** The scroll position whose first line is `line`. */
export function scrollTopOf(line: number, viewPx: number, lines: number, rowPx: number): number {
  const full = lines * rowPx;
  if (full <= MAX_SCROLL_PX) return line * rowPx;
  const range = Math.max(1, MAX_SCROLL_PX - viewPx);
  const span = Math.max(1, lines - viewPx / rowPx);
  return Math.min(range, (line / span) * range);
}
