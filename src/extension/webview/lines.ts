// The Wire view's lines: one per row of the list (a frame or a drop), and below each frame that is
// open, its details (layers, and the fields of the layers that are open). A million rows with a
// few frames open: lines are found by position without building the list.

import type { DetailNode } from './protocol';

/** A line of an open frame's details. `path`: the node's indices from the top ("2.6.1"). */
export interface DetailLine {
  path: string;
  depth: number;
  node: DetailNode;
  expandable: boolean;
  expanded: boolean;
}

/** The details' lines, layers first, the children of the nodes in `open` below them. */
export function flattenDetail(layers: readonly DetailNode[], open: ReadonlySet<string>): DetailLine[] {
  const out: DetailLine[] = [];
  const walk = (nodes: readonly DetailNode[], prefix: string, depth: number): void => {
    nodes.forEach((node, i) => {
      const path = prefix ? `${prefix}.${i}` : String(i);
      const expandable = !!node.children?.length;
      const expanded = expandable && open.has(path);
      out.push({ path, depth, node, expandable, expanded });
      if (expanded) walk(node.children!, path, depth + 1);
    });
  };
  walk(layers, '', 0);
  return out;
}

/** The path of the deepest node that covers byte `offset` (for a click in the hex view), or ''. */
export function deepestAt(layers: readonly DetailNode[], offset: number): string {
  let best = '';
  const walk = (nodes: readonly DetailNode[], prefix: string): void => {
    nodes.forEach((node, i) => {
      if (node.length > 0 && offset >= node.offset && offset < node.offset + node.length) {
        const path = prefix ? `${prefix}.${i}` : String(i);
        // The frame's own line (the first layer, the whole frame) counts only when nothing else does.
        if (!(prefix === '' && i === 0) || !best) best = path;
        if (node.children) walk(node.children, path);
      }
    });
  };
  walk(layers, '');
  return best;
}

/** The node at `path`. */
export function nodeAt(layers: readonly DetailNode[], path: string): DetailNode | undefined {
  let list: readonly DetailNode[] | undefined = layers;
  let node: DetailNode | undefined;
  for (const part of path.split('.')) {
    node = list?.[Number(part)];
    list = node?.children;
  }
  return node;
}

/** Rows with extra lines below them (open frames), by row. */
export interface Opened {
  row: number;
  lines: number;
}

/** Where a line is: row `row`, and `sub` -1 for the row's own line or the index of its detail line. */
export interface LinePlace {
  row: number;
  sub: number;
}

export class Lines {
  /** The open rows in order, and the lines before each one's first extra line. */
  private readonly opened: Opened[];
  private readonly before: number[] = [];
  readonly count: number;

  constructor(readonly rows: number, opened: readonly Opened[]) {
    this.opened = opened.filter((o) => o.row < rows && o.lines > 0).slice().sort((a, b) => a.row - b.row);
    let extra = 0;
    for (const o of this.opened) {
      this.before.push(o.row + 1 + extra);
      extra += o.lines;
    }
    this.count = rows + extra;
  }

  /** The row and detail line of display line `line` (0 <= line < count). */
  at(line: number): LinePlace {
    // The last open row whose extra lines start at or before `line`.
    let lo = 0;
    let hi = this.opened.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.before[mid] <= line) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    if (k < 0) return { row: line, sub: -1 };
    const o = this.opened[k];
    const into = line - this.before[k];
    if (into < o.lines) return { row: o.row, sub: into };
    // Past that row's details: rows after it, shifted by the extra lines so far.
    const extra = this.before[k] - o.row - 1 + o.lines;
    return { row: line - extra, sub: -1 };
  }

  /** The display line of row `row` (sub -1) or of its detail line `sub`. */
  lineOf(row: number, sub = -1): number {
    let extra = 0;
    for (const o of this.opened) {
      if (o.row >= row) break;
      extra += o.lines;
    }
    return row + extra + (sub >= 0 ? 1 + sub : 0);
  }
}
