// A debug session run inline, as an editor extension hosts it: requests in through handleMessage,
// responses and events out through onDidSendMessage, with no stdio and no child process.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { KpathDebugSession } from '../../src/adapter/session';

export interface InlineClient {
  /** Every message the session sent, in order. */
  sent: DebugProtocol.ProtocolMessage[];
  request(command: string, args?: object): Promise<DebugProtocol.Response>;
  /** The next event that `pred` accepts (or named `pred`). */
  event(pred: string | ((e: DebugProtocol.Event) => boolean)): Promise<DebugProtocol.Event>;
}

export function inlineClient(session: KpathDebugSession): InlineClient {
  const sent: DebugProtocol.ProtocolMessage[] = [];
  const waiters: ((m: DebugProtocol.ProtocolMessage) => boolean)[] = [];
  session.onDidSendMessage((m) => {
    const msg = m as DebugProtocol.ProtocolMessage;
    sent.push(msg);
    for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i](msg)) waiters.splice(i, 1);
  });
  let seq = 1;
  return {
    sent,
    request: (command, args) =>
      new Promise((resolve) => {
        const s = seq++;
        waiters.push((m) => {
          if (m.type !== 'response' || (m as DebugProtocol.Response).request_seq !== s) return false;
          resolve(m as DebugProtocol.Response);
          return true;
        });
        session.handleMessage({ seq: s, type: 'request', command, arguments: args } as DebugProtocol.Request);
      }),
    event: (pred) =>
      new Promise((resolve) => {
        const ok = typeof pred === 'string' ? (e: DebugProtocol.Event) => e.event === pred : pred;
        waiters.push((m) => {
          if (m.type !== 'event' || !ok(m as DebugProtocol.Event)) return false;
          resolve(m as DebugProtocol.Event);
          return true;
        });
      }),
  };
}
