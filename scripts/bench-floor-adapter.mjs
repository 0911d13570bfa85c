// A debug adapter that does no work, for `npm run bench`: it answers each request at once with
// what kpath's adapter answered to the same request at one stop (recorded by the bench into the
// JSON file named on the command line). Stepping against it measures what the pipes, the process
// wake-ups and the client cost on this machine: the floor under kpath's step round trip.
//
//   node scripts/bench-floor-adapter.mjs recorded.json

import * as fs from 'node:fs';

const recorded = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let seq = 1;
let buf = Buffer.alloc(0);

/** Writes messages in one write, as kpath's adapter does for a request's response and events. */
function send(messages) {
  let text = '';
  for (const m of messages) {
    const json = JSON.stringify({ ...m, seq: seq++ });
    text += `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
  }
  process.stdout.write(text);
}

function answer(req) {
  const ok = { type: 'response', request_seq: req.seq, command: req.command, success: true };
  switch (req.command) {
    case 'initialize':
      return [{ ...ok, body: {} }, { type: 'event', event: 'initialized' }];
    case 'launch':
      return [ok, recorded.stopped];
    case 'next':
      return [ok, ...recorded.stopEvents];
    case 'stackTrace':
      return [{ ...ok, body: recorded.stackTrace }];
    case 'scopes':
      return [{ ...ok, body: recorded.scopes }];
    case 'variables':
      return [{ ...ok, body: recorded.variables[req.arguments?.variablesReference] ?? { variables: [] } }];
    default:
      return [ok];
  }
}

process.stdin.on('data', (d) => {
  buf = buf.length ? Buffer.concat([buf, d]) : d;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, end).toString())[1]);
    if (buf.length < end + 4 + len) return;
    const req = JSON.parse(buf.subarray(end + 4, end + 4 + len).toString());
    buf = buf.subarray(end + 4 + len);
    send(answer(req));
  }
});
