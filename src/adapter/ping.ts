// Pings: how an editor warms up the pipes of an adapter it started ahead (`kpath dap --warm`).
//
// The warm-up in the background (warmup.ts) runs the model, the views and the protocol's encoding,
// but not the code that reads requests from stdin and writes answers to stdout: Node.js's stream
// and pipe code, the framing, JSON parsing. Those run only when bytes cross the process's own
// pipes: a warm-up over pipes made inside the process, even through sockets built as Node.js
// builds stdin and stdout, gained about a third as much (V8 compiles for the shapes of the objects
// it ran with). So the editor that started the process sends it pings on its real stdin, one at a
// time, while the process warms up; each is answered at once on its real stdout. Measured side by
// side, 1,500 pings take the median of a session's first 300 steps from about 1.12 to 0.92 ms
// (3,000: 0.89), for about 1 s of the process's time.
//
// A ping is outside any session: it is answered with seq 0 (the session's own messages still
// count from 1), it does not stop the background warm-up, and a client never shows its answer.

/** The request: no arguments, answered at once with success. */
export const PING = 'kpath/ping';

/** How many pings an editor sends an adapter it starts ahead (more helps little: see above). */
export const PINGS_AHEAD = 1500;

interface Message {
  type?: string;
  command?: string;
}

/** Is this message the answer to a ping (which a client drops)? */
export function isPong(m: Message): boolean {
  return m.type === 'response' && m.command === PING;
}

/** The answer to the ping with sequence number `requestSeq`, framed. */
export function pongFrame(requestSeq: number): string {
  return frame({ seq: 0, type: 'response', request_seq: requestSeq, command: PING, success: true });
}

/**
 * Sends `count` pings through `write` (which takes a framed message), each when the one before
 * has been answered: call `answered` with every message the adapter sends. Stops early on `stop()`
 * (the editor's session starts), or when `write` throws (the process has gone).
 */
export class Pinger {
  private left: number;
  private stopped = false;
  /** Pings answered so far. */
  pongs = 0;

  constructor(private readonly write: (framed: string) => void, count = PINGS_AHEAD) {
    this.left = count;
    this.send();
  }

  /** True for a ping's answer, which the caller must not pass on; sends the next ping. */
  answered(m: Message): boolean {
    if (!isPong(m)) return false;
    this.pongs++;
    this.send();
    return true;
  }

  stop(): void {
    this.stopped = true;
  }

  private send(): void {
    if (this.stopped || this.left <= 0) return;
    this.left--;
    try {
      // Seq 0: a ping is no request of the session, whose requests count from 1.
      this.write(frame({ seq: 0, type: 'request', command: PING }));
    } catch {
      this.stopped = true;
    }
  }
}

/** A message framed as DAP frames it on a stream: a Content-Length header, then the JSON. */
export function frame(m: object): string {
  const json = JSON.stringify(m);
  return `Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`;
}
