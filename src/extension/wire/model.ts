// What the Wire view shows of one debug session, as a function of the session's position: the
// totals at the current stop, the rows fetched so far (in pages, from kpath/wire), the frames'
// details (from kpath/frameDetail), and the rows the adapter's events announce between two stops,
// which are all there is once the session has ended. No vscode here: the view and the tests drive it.

import type { FrameDetail, DetailNode, WireRow, FrameRow, DropRow } from '../webview/protocol';

/** Sends a kpath/* request to the session's adapter. */
export type Request = (command: string, args: object) => Promise<unknown>;

export interface WireModelOptions {
  /** Rows per kpath/wire request. */
  pageSize?: number;
  /** Rows kept at most (whole pages, least recently used first out). */
  maxRows?: number;
  /** Frame details kept at most. */
  maxDetails?: number;
}

/** The body of a kpath/frame event (the fields the view uses): a row, with the frame's bytes and layers. */
export type FrameEvent = Omit<FrameRow, 'kind'> & { hex?: string; layers?: DetailNode[]; decoded?: { problems?: string[] } };

/** The body of a kpath/drop event. */
export type DropEvent = Omit<DropRow, 'kind'>;

export class WireModel {
  /** Bumped whenever rows or details handed out before may no longer hold. */
  generation = 0;
  frames = 0;
  drops = 0;
  /** Virtual time of the current stop (ns), or of the end. */
  time = 0;
  /** The model's step number at the current stop (0 before the first). */
  step = 0;
  /** The session can still be asked (it has not ended). */
  live = true;
  /** The run has reached its end (the totals are the whole run's). */
  ended = false;
  /** Rows and frames that still hold after the last change (what a view may keep). */
  keepRows = 0;
  keepFrames = 0;

  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly maxDetails: number;
  /** Pages of rows by page number; a Map keeps them in order of last use. */
  private pages = new Map<number, (WireRow | undefined)[]>();
  private pending = new Map<number, Promise<void>>();
  private details = new Map<number, FrameDetail>();
  /** The next frame and drop an event may announce, or -1 once one went missing (until the next stop). */
  private nextFrame = 0;
  private nextDrop = 0;

  constructor(private request: Request | null, opts: WireModelOptions = {}) {
    this.pageSize = opts.pageSize ?? 200;
    this.maxPages = Math.max(2, Math.ceil((opts.maxRows ?? 50_000) / this.pageSize));
    this.maxDetails = opts.maxDetails ?? 2000;
  }

  get total(): number {
    return this.frames + this.drops;
  }

  /** A stop: `frames` frames and `drops` drops before it. What lies beyond them is forgotten. */
  position(frames: number, drops: number, time: number, step = 0): void {
    this.moveTo(frames, drops, time, false);
    this.step = step;
  }

  /** The run has ended with `frames` frames and `drops` drops in all. */
  end(frames: number, drops: number, time: number): void {
    this.moveTo(frames, drops, time, true);
  }

  /** The session is gone: from now on only what is kept can be shown. */
  detach(): void {
    this.live = false;
    this.request = null;
    this.pending.clear();
    this.generation++;
    this.keepRows = this.total;
    this.keepFrames = this.frames;
  }

  /** A restart: nothing of the old run holds. */
  reset(): void {
    this.pages.clear();
    this.pending.clear();
    this.details.clear();
    this.frames = this.drops = this.time = this.step = 0;
    this.nextFrame = this.nextDrop = 0;
    this.ended = false;
    this.keepRows = this.keepFrames = 0;
    this.generation++;
  }

  /** A frame the adapter put on the wire after the current stop (kpath/frame). */
  frameEvent(e: FrameEvent): void {
    if (this.nextFrame < 0 || e.index !== this.nextFrame) {
      this.nextFrame = -1;
      return;
    }
    const row: FrameRow = { kind: 'frame', index: e.index, time: e.time, dev: e.dev, dir: e.dir, len: e.len, src: e.src, dst: e.dst, protocol: e.protocol, info: e.info, packet: e.packet };
    this.put(this.nextFrame + this.nextDrop, row);
    if (e.hex !== undefined && e.layers) this.keepDetail({ index: e.index, hex: e.hex, layers: e.layers, problems: e.decoded?.problems ?? [] });
    this.nextFrame++;
  }

  /** A packet dropped after the current stop (kpath/drop). */
  dropEvent(e: DropEvent): void {
    if (this.nextFrame < 0 || e.index !== this.nextDrop || e.frame !== this.nextFrame) {
      this.nextFrame = -1;
      return;
    }
    this.put(e.index + e.frame, { kind: 'drop', index: e.index, time: e.time, packet: e.packet, function: e.function, reason: e.reason, len: e.len, frame: e.frame });
    this.nextDrop++;
  }

  /** The rows from `start` that are at hand (undefined for the others). */
  cached(start: number, count: number): (WireRow | undefined)[] {
    const out: (WireRow | undefined)[] = [];
    const end = Math.min(this.total, start + count);
    for (let r = Math.max(0, start); r < end; r++) out.push(this.get(r));
    return out;
  }

  /**
   * Rows `start` .. `start + count - 1` (within the total): fetched in pages when missing. Null for
   * a row that can no longer be had (the session has ended). Undefined when the position changed
   * meanwhile (ask again).
   */
  async rows(start: number, count: number): Promise<(WireRow | null)[] | undefined> {
    const gen = this.generation;
    const from = Math.max(0, start);
    const end = Math.min(this.total, start + count);
    const waits: Promise<void>[] = [];
    for (let p = Math.floor(from / this.pageSize); p * this.pageSize < end; p++) {
      if (this.pageComplete(p)) continue;
      const w = this.fetchPage(p);
      if (w) waits.push(w);
    }
    await Promise.all(waits);
    if (gen !== this.generation) return undefined;
    const out: (WireRow | null)[] = [];
    for (let r = from; r < end; r++) out.push(this.get(r) ?? null);
    return out;
  }

  /** A frame's details: kept, or fetched. Null when it cannot be had; undefined if the position changed. */
  async detail(frame: number): Promise<FrameDetail | null | undefined> {
    const kept = this.details.get(frame);
    if (kept) {
      this.details.delete(frame);
      this.details.set(frame, kept);
      return kept;
    }
    if (!this.request || frame >= this.frames) return null;
    const gen = this.generation;
    let d: FrameDetail;
    try {
      d = (await this.request('kpath/frameDetail', { index: frame })) as FrameDetail;
    } catch {
      return gen === this.generation ? null : undefined;
    }
    if (gen !== this.generation) return undefined;
    this.keepDetail(d);
    return d;
  }

  /** What the model holds (for tests and measurements). */
  stats(): { rows: number; pages: number; details: number } {
    let rows = 0;
    for (const p of this.pages.values()) for (const r of p) if (r) rows++;
    return { rows, pages: this.pages.size, details: this.details.size };
  }

  // --- inside --------------------------------------------------------------------------------

  private get(row: number): WireRow | undefined {
    const page = this.pages.get(Math.floor(row / this.pageSize));
    return page?.[row % this.pageSize];
  }

  private put(row: number, r: WireRow): void {
    const p = Math.floor(row / this.pageSize);
    let page = this.pages.get(p);
    if (!page) {
      page = [];
      this.pages.set(p, page);
      this.trim();
    }
    page[row % this.pageSize] = r;
  }

  private pageComplete(p: number): boolean {
    const page = this.pages.get(p);
    if (!page) return false;
    const end = Math.min(this.pageSize, this.total - p * this.pageSize);
    for (let i = 0; i < end; i++) if (!page[i]) return false;
    // In use: to the back of the line.
    this.pages.delete(p);
    this.pages.set(p, page);
    return true;
  }

  private fetchPage(p: number): Promise<void> | undefined {
    const request = this.request;
    if (!request) return undefined;
    const already = this.pending.get(p);
    if (already) return already;
    const w = this.load(request, p).finally(() => {
      if (this.pending.get(p) === w) this.pending.delete(p);
    });
    this.pending.set(p, w);
    return w;
  }

  private async load(request: Request, p: number): Promise<void> {
    const gen = this.generation;
    let body: { rows: WireRow[] };
    try {
      body = (await request('kpath/wire', { start: p * this.pageSize, count: this.pageSize })) as { rows: WireRow[] };
    } catch {
      // The session went away or the position moved on: the view asks again if it still needs these rows.
      return;
    }
    if (gen !== this.generation) return;
    const page: (WireRow | undefined)[] = body.rows.slice();
    // Rows past the current position that events announced meanwhile stay.
    const old = this.pages.get(p);
    if (old) for (let i = page.length; i < old.length; i++) page[i] = old[i];
    this.pages.delete(p);
    this.pages.set(p, page);
    this.trim();
  }

  private trim(): void {
    // Once the session has ended nothing can be fetched again: keep everything (events add at most a few thousand rows).
    if (!this.live) return;
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value as number;
      this.pages.delete(oldest);
    }
  }

  private keepDetail(d: FrameDetail): void {
    this.details.delete(d.index);
    this.details.set(d.index, d);
    while (this.details.size > this.maxDetails) this.details.delete(this.details.keys().next().value as number);
  }

  private moveTo(frames: number, drops: number, time: number, ended: boolean): void {
    this.forgetFrom(frames, drops);
    this.frames = frames;
    this.drops = drops;
    this.time = time;
    this.ended = ended;
    // Events after a stop announce what follows it.
    this.nextFrame = frames;
    this.nextDrop = drops;
    this.generation++;
  }

  /** Forgets rows at or after row frames + drops, and the details of frames at or after `frames`. */
  private forgetFrom(frames: number, drops: number): void {
    const rows = frames + drops;
    this.keepRows = Math.min(this.total, rows);
    this.keepFrames = Math.min(this.frames, frames);
    // Rows past the old total may be rows announced by events: they are kept only if the new total covers them.
    const p0 = Math.floor(rows / this.pageSize);
    for (const p of [...this.pages.keys()]) {
      if (p > p0) this.pages.delete(p);
      else if (p === p0) this.pages.get(p)!.length = rows - p * this.pageSize;
    }
    for (const f of [...this.details.keys()]) if (f >= frames) this.details.delete(f);
    this.pending.clear();
  }
}
