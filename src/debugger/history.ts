// The index of a run: where each segment starts and what it touched, so that a re-execution can run
// the segments it does not need to watch on the model's fast path.

/**
 * The index of a run, built by the re-executions as they record: for each segment (an event, or
 * one call of a send line repeated at one instant), the step and call counts it starts with, the
 * sequence number of its event, the id the next new packet gets (so the segment that made a packet
 * is known), and 64 bits of what it touched (each function entered and each exception kind maps to
 * a bit), 40 bytes a segment.
 */
export class History {
  n = 0;
  private start = new Float64Array(256);
  private calls = new Float64Array(256);
  private event = new Float64Array(256);
  private packets = new Float64Array(256);
  private lo = new Int32Array(256);
  private hi = new Int32Array(256);
  private readonly bits = new Map<string, number>();

  bit(name: string): number {
    let b = this.bits.get(name);
    if (b === undefined) {
      b = this.bits.size % 64;
      this.bits.set(name, b);
    }
    return b;
  }

  mask(names: string[]): [number, number] {
    let lo = 0;
    let hi = 0;
    for (const n of names) {
      const b = this.bit(n);
      if (b < 32) lo |= 1 << b;
      else hi |= 1 << (b - 32);
    }
    return [lo, hi];
  }

  push(start: number, calls: number, event: number, packets: number): void {
    if (this.n === this.start.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as { new (n: number): T })(a.length * 2);
        b.set(a);
        return b;
      };
      this.start = grow(this.start);
      this.calls = grow(this.calls);
      this.event = grow(this.event);
      this.packets = grow(this.packets);
      this.lo = grow(this.lo);
      this.hi = grow(this.hi);
    }
    const i = this.n++;
    this.start[i] = start;
    this.calls[i] = calls;
    this.event[i] = event;
    this.packets[i] = packets;
    this.lo[i] = 0;
    this.hi[i] = 0;
  }

  setTouched(i: number, lo: number, hi: number): void {
    if (i < this.n) {
      this.lo[i] = lo;
      this.hi[i] = hi;
    }
  }

  touches(i: number, m: [number, number]): boolean {
    return ((this.lo[i] & m[0]) | (this.hi[i] & m[1])) !== 0;
  }

  startOf(i: number): number {
    return this.start[i];
  }

  callsOf(i: number): number {
    return this.calls[i];
  }

  eventOf(i: number): number {
    return this.event[i];
  }

  /** The segment that holds step `step` (segment i holds steps startOf(i)+1 .. startOf(i+1)). */
  segmentOf(step: number): number {
    let a = 0;
    let b = this.n - 1;
    while (a < b) {
      const m = (a + b + 1) >> 1;
      if (this.start[m] < step) a = m;
      else b = m - 1;
    }
    return Math.max(0, a);
  }

  /** The segment that made packet `id` (its skb got the id there); the last known one if none did yet. */
  segmentOfPacket(id: number): number {
    let a = 0;
    let b = this.n - 1;
    while (a < b) {
      const m = (a + b + 1) >> 1;
      if (this.packets[m] <= id) a = m;
      else b = m - 1;
    }
    return Math.max(0, a);
  }

  truncate(n: number): void {
    if (n < this.n) this.n = Math.max(0, n);
  }

  stepsKnown(): number {
    return this.n ? this.start[this.n - 1] : 0;
  }

  bytes(): number {
    return this.start.length * (8 * 4 + 4 * 2);
  }
}
