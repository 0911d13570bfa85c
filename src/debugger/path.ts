// The path a packet took through the modeled functions, picked out of the calls a re-execution saw
// (Runtime.packetCalls): the calls made with the packet, the callers that led to them, and what
// those callers did first on the way (the route lookup and ip_make_skb before ip_send_skb, the
// fragments sent before this one). The path picture highlights it.

/** A call of a modeled function, as a re-execution saw it. */
export interface CallRecord {
  fn: string;
  /** Index of the caller in the same list; -1 for the first call of an event. */
  parent: number;
  /** The id of the packet it was entered with; 0 without one. */
  packet: number;
}

/** A step point a call ran: 'enter', a w.at label or 'leave'. */
export interface StepRecord {
  /** Index of the call in the list of calls. */
  call: number;
  step: string;
  /** The entry's state the model reported at the step, for step points the kernel writes once per state. */
  nud_state?: string;
}

export interface PacketPath {
  /** The functions on the path, in the order they were first entered. */
  functions: string[];
  /** Caller -> callee on the path, each once, in the order first taken. */
  edges: { from: string; to: string }[];
}

/** The functions and calls of packet `packet`'s path (onPath), in the order first taken. */
export function packetPath(calls: readonly CallRecord[], packet: number | null): PacketPath {
  const on = onPath(calls, packet);
  const n = calls.length;
  const functions: string[] = [];
  const edges: { from: string; to: string }[] = [];
  const seenFn = new Set<string>();
  const seenEdge = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (!on[i]) continue;
    const c = calls[i];
    if (!seenFn.has(c.fn)) {
      seenFn.add(c.fn);
      functions.push(c.fn);
    }
    if (c.parent >= 0 && on[c.parent]) {
      const from = calls[c.parent].fn;
      const key = `${from}>${c.fn}`;
      if (!seenEdge.has(key)) {
        seenEdge.add(key);
        edges.push({ from, to: c.fn });
      }
    }
  }
  return { functions, edges };
}

/**
 * Which of `calls` belong to packet `packet`'s path: those entered with it, their callers up to
 * the event's first call, what each of those callers called before its call on the path (one
 * level: its own calls, not theirs), and the calls without a packet made by a call with it. With
 * `packet` null (a stop with no packet in sight), every call.
 */
export function onPath(calls: readonly CallRecord[], packet: number | null): Uint8Array {
  const n = calls.length;
  const on = new Uint8Array(n);
  if (packet === null) {
    on.fill(1);
    return on;
  }
  const ancestor = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (calls[i].packet !== packet) continue;
    on[i] = 1;
    for (let p = calls[i].parent; p >= 0 && !ancestor[p]; p = calls[p].parent) ancestor[p] = 1;
  }
  // The first child of each caller on the path that is on it, to take its earlier calls.
  const firstOn = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const p = calls[i].parent;
    if (p >= 0 && (on[i] || ancestor[i]) && firstOn[p] < 0) firstOn[p] = i;
  }
  for (let i = 0; i < n; i++) {
    const p = calls[i].parent;
    if (ancestor[i]) on[i] = 1;
    else if (p >= 0 && ancestor[p] && i < firstOn[p]) on[i] = 1;
    else if (p >= 0 && calls[p].packet === packet && calls[i].packet === 0) on[i] = 1;
  }
  return on;
}
