// Breakpoints through a real DAP client over stdio: function breakpoints by kernel name (checked
// against the modeled functions and the run's profile), line breakpoints in the model listings
// (checked against the step points on the line), conditions, hit counts, logpoints, and exception
// breakpoints with their filters and filter conditions.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapSession, DEFAULT_SCENARIO, FIXTURES, findVar, lineOf, lineText } from '../helpers/dap';

const SILENT_PEER = path.join(FIXTURES, 'silent-peer.kpath');
const NFT_DROP = path.join(FIXTURES, 'nft-drop.kpath');

let s: DapSession;
beforeEach(async () => {
  s = await new DapSession().start();
});
afterEach(async () => {
  await s.stop();
});

/** Resolves once `file` exists: a breakpoint's listing is written just after the answer. */
async function written(file: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!fs.existsSync(file)) {
    assert.ok(Date.now() < deadline, `${file} was not written within 5 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Continues until the run ends, collecting every stop (its event and top frame) on the way. */
interface SeenStop {
  event: DebugProtocol.StoppedEvent;
  top: DebugProtocol.StackFrame;
  /** Function names of the stack, innermost first. */
  names: string[];
  /** skb->len in the innermost frame, or "-". */
  len: string;
}

async function collectStops(first: DebugProtocol.StoppedEvent | null, max = 50): Promise<SeenStop[]> {
  const out: SeenStop[] = [];
  let st = first;
  while (st) {
    assert.ok(out.length < max, `more than ${max} stops`);
    const frames = await s.stack(st);
    const len = await s.value('skb->len', frames[0].id).catch(() => '-');
    out.push({ event: st, top: frames[0], names: frames.map((f) => f.name), len });
    st = await s.exec('continue');
  }
  return out;
}

describe('function breakpoints', () => {
  it('ip_finish_output2 is hit once per IP packet: 4 times (1 datagram + 3 fragments) before the session terminates', async () => {
    const first = await s.launch({ scenario: DEFAULT_SCENARIO }, async () => {
      const r = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2' }] });
      assert.equal(r.body.breakpoints.length, 1);
      assert.equal(r.body.breakpoints[0].verified, true, r.body.breakpoints[0].message);
    });
    const stops = await collectStops(first);
    assert.equal(stops.length, 4, stops.map((x) => x.top.name).join(', '));
    for (const x of stops) {
      assert.equal(x.event.body.reason, 'function breakpoint');
      assert.equal(x.top.name, 'ip_finish_output2');
      assert.equal(x.event.body.threadId, 1, 'the task sends every packet');
    }
    assert.deepEqual(stops.map((x) => x.len), ['128', '1500', '1500', '68']);
    assert.equal(s.eventsOf('terminated').length, 1);
  });

  it('__neigh_create is hit only once: for the first packet to the new next hop', async () => {
    const first = await s.launch({ scenario: DEFAULT_SCENARIO }, async () => {
      const r = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '__neigh_create' }] });
      assert.equal(r.body.breakpoints[0].verified, true, r.body.breakpoints[0].message);
    });
    const stops = await collectStops(first);
    assert.equal(stops.length, 1);
    assert.equal(stops[0].top.name, '__neigh_create');
    // The stack is the one of that packet: __neigh_create called from ip_finish_output2.
    assert.deepEqual(stops[0].names.slice(0, 2), ['__neigh_create', 'ip_finish_output2']);
    assert.equal(stops[0].len, '128', 'the 100 B datagram (128 B with headers) is the first packet to 192.0.2.2');
  });

  it('skb->len is 3028 at ip_fragment (the whole datagram) and 1500, 1500, 68 at each fragment\'s ip_finish_output2', async () => {
    const first = await s.launch({ scenario: DEFAULT_SCENARIO }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_fragment' }, { name: 'ip_finish_output2' }] });
    });
    const stops = await collectStops(first);
    assert.deepEqual(stops.map((x) => `${x.top.name} ${x.len}`), [
      'ip_finish_output2 128',
      'ip_fragment 3028',
      'ip_finish_output2 1500',
      'ip_finish_output2 1500',
      'ip_finish_output2 68',
    ]);
  });

  it('answers with the listing source and line of the function, and says why a name is not accepted', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true }, async () => {
      const r = await s.dc.setFunctionBreakpointsRequest({
        breakpoints: [{ name: 'ip_finish_output2' }, { name: 'no_such_function' }, { name: 'dst_neigh_output' }, { name: 'ip_fragment', condition: 'skb->len >' }, { name: 'ip_output', hitCondition: 'often' }],
      });
      const [ok, unknown, otherProfile, badCond, badHit] = r.body.breakpoints;
      assert.equal(ok.verified, true);
      assert.ok(ok.source?.path, 'the answer names the listing');
      await written(ok.source.path);
      assert.match(lineText(ok.source.path, ok.line!), /ip_finish_output2\s*\(/, 'the line is the function\'s signature');
      assert.equal(unknown.verified, false);
      assert.match(unknown.message ?? '', /no_such_function is not a modeled function/);
      assert.equal(otherProfile.verified, false);
      assert.match(otherProfile.message ?? '', /dst_neigh_output is not on the 6\.18 path.*4\.9/);
      assert.equal(badCond.verified, false);
      assert.match(badCond.message ?? '', /expected an expression/);
      assert.equal(badHit.verified, false);
      assert.match(badHit.message ?? '', /hit count/);
    });
  });

  it('the listing a breakpoint is in is written just after the answer: the line is known before, and the file is there soon after', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-listings-'));
    const fresh = await new DapSession(undefined, { XDG_CACHE_HOME: cache }).start();
    try {
      let bp: DebugProtocol.Breakpoint | undefined;
      const first = await fresh.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true }, async () => {
        bp = (await fresh.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2' }] })).body.breakpoints[0];
      });
      assert.equal(path.relative(cache, bp!.source!.path!), path.join('kpath', 'listings', '6.18', 'net', 'ipv4', 'ip_output.c'));
      await written(bp!.source!.path!);
      assert.match(lineText(bp!.source!.path!, bp!.line!), /ip_finish_output2\s*\(/, 'the line answered is the function\'s signature in the file written');
      // The stop itself is in another listing, written when the stack trace points into it.
      const top = (await fresh.stack(first!))[0];
      assert.equal(path.relative(cache, top.source!.path!), path.join('kpath', 'listings', '6.18', 'net', 'ipv4', 'udp.c'));
      assert.ok(fs.existsSync(top.source!.path!));
    } finally {
      await fresh.stop();
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('on the 4.9 profile, names of the 6.18 path are unverified and dst_neigh_output is accepted', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO, kernel: '4.9', stopOnEntry: true }, async () => {
      const r = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'dst_neigh_output' }, { name: 'neigh_output' }, { name: '__ip_finish_output' }] });
      assert.deepEqual(r.body.breakpoints.map((b) => b.verified), [true, false, false]);
      assert.match(r.body.breakpoints[1].message ?? '', /not on the 4\.9 path/);
    });
  });

  it('a condition selects the stops (skb->len > 1400: only the two full fragments)', async () => {
    const first = await s.launch({ scenario: DEFAULT_SCENARIO }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2', condition: 'skb->len > 1400' }] });
    });
    const stops = await collectStops(first);
    assert.deepEqual(stops.map((x) => x.len), ['1500', '1500']);
  });

  it('a hit count selects the stops (>=3: the second and third fragments; %2: every second hit)', async () => {
    let stops = await collectStops(await s.launch({ scenario: DEFAULT_SCENARIO }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2', hitCondition: '>=3' }] });
    }));
    assert.deepEqual(stops.map((x) => x.len), ['1500', '68']);
    await s.stop();
    s = await new DapSession().start();
    stops = await collectStops(await s.launch({ scenario: DEFAULT_SCENARIO }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2', hitCondition: '%2' }] });
    }));
    assert.deepEqual(stops.map((x) => x.len), ['1500', '68']);
  });

  it('the stopped event names the breakpoint id the setFunctionBreakpoints response gave', async () => {
    let ids: (number | undefined)[] = [];
    const first = await s.launch({ scenario: DEFAULT_SCENARIO }, async () => {
      const r = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_fragment' }, { name: 'ip_finish_output2' }] });
      ids = r.body.breakpoints.map((b) => b.id);
    });
    assert.ok(ids.every((id) => typeof id === 'number'), 'every breakpoint has an id');
    const stops = await collectStops(first);
    assert.deepEqual(stops[0].event.body.hitBreakpointIds, [ids[1]], 'first stop: ip_finish_output2');
    assert.deepEqual(stops[1].event.body.hitBreakpointIds, [ids[0]], 'second stop: ip_fragment');
  });

  it('can be replaced while stopped: an empty list runs to the end', async () => {
    const first = await s.launch({ scenario: DEFAULT_SCENARIO }, async () => {
      await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2' }] });
    });
    assert.ok(first);
    await s.dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    assert.equal(await s.exec('continue'), null, 'no breakpoint left: the run ends');
  });
});

describe('line breakpoints', () => {
  /** The ip_output.c listing, found through a function breakpoint's answer. */
  async function ipOutputListing(): Promise<string> {
    const r = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2' }] });
    await s.dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const file = r.body.breakpoints[0].source?.path;
    assert.ok(file && fs.existsSync(file), `listing ${file}`);
    return file;
  }

  it('are verified on lines with step points, and unverified elsewhere with the reason', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    const file = await ipOutputListing();
    const nexthop = lineOf(file, 'nexthop = rt_nexthop(rt');
    const blank = lineOf(file, 'struct neighbour *neigh;');
    const r = await s.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: nexthop }, { line: blank }, { line: 100000 }] });
    const [ok, between, past] = r.body.breakpoints;
    assert.equal(ok.verified, true, ok.message);
    assert.equal(ok.line, nexthop);
    assert.equal(between.verified, false);
    assert.match(between.message ?? '', /no step point on line \d+; the nearest is line \d+/);
    assert.equal(past.verified, false);
    assert.match(past.message ?? '', /no step point on line 100000/);
    const other = await s.dc.setBreakpointsRequest({ source: { path: path.join(FIXTURES, 'silent-peer.kpath') }, breakpoints: [{ line: 1 }] });
    assert.equal(other.body.breakpoints[0].verified, false);
    assert.match(other.body.breakpoints[0].message ?? '', /not a kpath model listing/);
  });

  it('stop at their step point, with the condition and hit count applied, and the frame on that line', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    const file = await ipOutputListing();
    const nexthop = lineOf(file, 'nexthop = rt_nexthop(rt');
    const r = await s.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: nexthop, condition: 'skb->len < 1000' }] });
    assert.equal(r.body.breakpoints[0].verified, true);
    const stops = await collectStops(await s.exec('continue'));
    assert.deepEqual(stops.map((x) => `${x.top.name}:${x.top.line} ${x.len}`), [`ip_finish_output2:${nexthop} 128`, `ip_finish_output2:${nexthop} 68`]);
    assert.equal(stops[0].event.body.reason, 'breakpoint');
    assert.equal(stops[0].top.source?.path, file);
  });

  it('the stopped event names the breakpoint id the setBreakpoints response gave', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    const file = await ipOutputListing();
    const r = await s.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line: lineOf(file, 'nexthop = rt_nexthop(rt') }] });
    const st = await s.exec('continue');
    assert.ok(st);
    assert.deepEqual(st.body.hitBreakpointIds, [r.body.breakpoints[0].id]);
  });

  it('logpoints print the interpolated message as output and do not stop', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    const file = await ipOutputListing();
    const since = s.mark();
    const r = await s.dc.setBreakpointsRequest({
      source: { path: file },
      breakpoints: [{ line: lineOf(file, 'nexthop = rt_nexthop(rt'), logMessage: 'xmit len={skb->len} id={ip_hdr(skb)->id} to {ip_hdr(skb)->daddr} {{literal}} {nope}' }],
    });
    assert.equal(r.body.breakpoints[0].verified, true);
    assert.equal(await s.exec('continue'), null, 'a logpoint never stops');
    const lines = s.eventsOf('output', since).map((e) => (e as DebugProtocol.OutputEvent).body.output).filter((o) => o.startsWith('xmit '));
    assert.equal(lines.length, 4, lines.join(''));
    assert.match(lines[0], /^xmit len=128 id=\d+ to 192\.0\.2\.2 \{literal\} <error: unknown name "nope">\n$/);
    assert.deepEqual(lines.map((l) => /len=(\d+)/.exec(l)![1]), ['128', '1500', '1500', '68']);
    const ids = lines.slice(1).map((l) => /id=(\d+)/.exec(l)![1]);
    assert.equal(new Set(ids).size, 1, 'the three fragments share one IP ID');
  });
});

describe('breakpoints set before launch', () => {
  it('are checked once the scenario is known: verified in the answer or by a later breakpoint event', async () => {
    // Where the listings live, from a first session.
    await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    const file = (await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_finish_output2' }] })).body.breakpoints[0].source!.path!;
    await s.stop();

    // An editor may send the configuration as soon as the adapter says it is initialized.
    s = await new DapSession().start();
    await s.initialize();
    const line = lineOf(file, 'nexthop = rt_nexthop(rt');
    const lineBp = (await s.dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [{ line }] })).body.breakpoints[0];
    const fnBps = (await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'ip_fragment' }, { name: 'dst_neigh_output' }] })).body.breakpoints;
    const since = s.mark();
    await s.dc.launchRequest({ scenario: DEFAULT_SCENARIO } as DebugProtocol.LaunchRequestArguments);
    await s.dc.configurationDoneRequest();
    const st = await s.nextStop(since);
    assert.ok(st, 'the line breakpoint takes effect');
    assert.equal((await s.stack(st)).at(0)?.line, line);

    /** Whether the client ends up showing a breakpoint as verified: its answer, updated by breakpoint events. */
    const finalState = (bp: DebugProtocol.Breakpoint): boolean => {
      let verified = bp.verified;
      for (const e of s.eventsOf('breakpoint')) {
        const b = (e as DebugProtocol.BreakpointEvent).body.breakpoint;
        if (b.id !== undefined && b.id === bp.id) verified = b.verified;
      }
      return verified;
    };
    assert.equal(finalState(lineBp), true, `the line breakpoint shows as verified (answer: ${lineBp.message ?? 'verified'})`);
    assert.equal(finalState(fnBps[0]), true, 'ip_fragment shows as verified');
    assert.equal(finalState(fnBps[1]), false, 'dst_neigh_output is not on the 6.18 path, and the client is told so');
  });
});

describe('exception breakpoints', () => {
  it('the initialize response lists the filters drop, icmp, neigh-failed and nf-drop, with conditions', async () => {
    const caps = await s.initialize();
    assert.deepEqual(caps.exceptionBreakpointFilters?.map((f) => f.filter), ['drop', 'icmp', 'neigh-failed', 'nf-drop']);
    assert.ok(caps.exceptionBreakpointFilters?.every((f) => f.supportsCondition));
    assert.equal(caps.supportsExceptionFilterOptions, true);
    assert.equal(caps.supportsExceptionInfoRequest, true);
  });

  it('neigh-failed stops where a silent peer\'s neighbour entry turns FAILED, in the softirq context', async () => {
    const st = await s.launch({ scenario: SILENT_PEER }, async () => {
      const r = await s.dc.setExceptionBreakpointsRequest({ filters: ['neigh-failed'] });
      assert.deepEqual(r.body?.breakpoints?.map((b) => b.verified), [true]);
    });
    assert.ok(st, 'the run stops');
    assert.equal(st.body.reason, 'exception');
    assert.equal(st.body.threadId, 2, 'the neighbour timer runs in softirq context');
    assert.match(st.body.text ?? '', /192\.0\.2\.2.*FAILED/);
    const frames = await s.stack(st);
    assert.equal(frames[0].name, 'neigh_timer_handler');
    const info = await s.dc.exceptionInfoRequest({ threadId: 2 });
    assert.equal(info.body.exceptionId, 'neigh-failed');
    assert.equal(info.body.breakMode, 'always');
    assert.match(info.body.description ?? '', /neighbour 192\.0\.2\.2 on eth0 FAILED with 1 packets queued/);
    assert.equal(await s.value('neigh', frames[0].id), '"192.0.2.2"');
    const neighbours = await s.scope(frames[0].id, 'Neighbours');
    assert.match(findVar(neighbours, '0').value, /192\.0\.2\.2 FAILED/);
    assert.equal(await s.exec('continue'), null, 'only one neighbour fails');
  });

  it('drop with the condition reason == "NEIGH_FAILED" stops where the queued datagram is freed', async () => {
    const st = await s.launch({ scenario: SILENT_PEER }, async () => {
      const r = await s.dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'drop', condition: 'reason == "NEIGH_FAILED"' }] });
      assert.deepEqual(r.body?.breakpoints?.map((b) => b.verified), [true]);
    });
    assert.ok(st);
    assert.equal(st.body.reason, 'exception');
    assert.match(st.body.text ?? '', /dropped.*NEIGH_FAILED/);
    const frames = await s.stack(st);
    assert.equal(await s.value('reason', frames[0].id), '"NEIGH_FAILED"');
    assert.equal(await s.value('skb->len', frames[0].id), '128', 'the 100 B datagram that waited on the arp_queue');
    const info = await s.dc.exceptionInfoRequest({ threadId: st.body.threadId! });
    assert.equal(info.body.exceptionId, 'drop');
    assert.match(info.body.description ?? '', /NEIGH_FAILED/);
    assert.equal(await s.exec('continue'), null);
  });

  it('both filters: the neighbour failure comes first, then the drop', async () => {
    const first = await s.launch({ scenario: SILENT_PEER }, async () => {
      await s.dc.setExceptionBreakpointsRequest({ filters: ['neigh-failed'], filterOptions: [{ filterId: 'drop', condition: 'reason == "NEIGH_FAILED"' }] });
    });
    const stops = await collectStops(first);
    const kinds: string[] = [];
    for (const x of stops) kinds.push(x.event.body.text ?? '');
    assert.equal(stops.length, 2, kinds.join(' | '));
    assert.match(kinds[0], /FAILED with/);
    assert.match(kinds[1], /dropped/);
  });

  it('a drop condition that never holds does not stop', async () => {
    const st = await s.launch({ scenario: SILENT_PEER }, async () => {
      await s.dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'drop', condition: 'reason == "NO_SUCH_REASON"' }] });
    });
    assert.equal(st, null);
  });

  it('icmp stops where the host generates the host-unreachable error for the failed neighbour', async () => {
    const st = await s.launch({ scenario: SILENT_PEER }, async () => {
      await s.dc.setExceptionBreakpointsRequest({ filters: ['icmp'] });
    });
    assert.ok(st);
    const info = await s.dc.exceptionInfoRequest({ threadId: st.body.threadId! });
    assert.equal(info.body.exceptionId, 'icmp');
    assert.match(info.body.description ?? '', /ICMP error type 3 code 1/);
  });

  it('nf-drop stops where a netfilter rule drops a packet, and exceptionInfo names the rule', async () => {
    const st = await s.launch({ scenario: NFT_DROP }, async () => {
      await s.dc.setExceptionBreakpointsRequest({ filters: ['nf-drop'] });
    });
    assert.ok(st);
    assert.equal(st.body.threadId, 1);
    const info = await s.dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'nf-drop');
    assert.match(info.body.description ?? '', /udp dport 9999/);
    const netfilter = await s.scope((await s.stack(st))[0].id, 'Netfilter');
    assert.equal(netfilter.length, 1);
    assert.match(netfilter[0].value, /udp dport 9999 counter drop/);
    assert.equal(await s.exec('continue'), null);
  });

  it('unknown filters and bad conditions are unverified with a message', async () => {
    await s.launch({ scenario: SILENT_PEER, stopOnEntry: true }, async () => {
      const r = await s.dc.setExceptionBreakpointsRequest({ filters: ['bogus'], filterOptions: [{ filterId: 'drop', condition: 'reason ==' }] });
      const [bogus, badCond] = r.body?.breakpoints ?? [];
      assert.equal(bogus.verified, false);
      assert.match(bogus.message ?? '', /unknown exception filter bogus/);
      assert.equal(badCond.verified, false);
      assert.match(badCond.message ?? '', /expected an expression/);
    });
  });

  it('exceptionInfo at a stop that is not an exception is an error response', async () => {
    await s.launch({ scenario: DEFAULT_SCENARIO, stopOnEntry: true });
    await assert.rejects(s.dc.exceptionInfoRequest({ threadId: 1 }), /not stopped on an exception/);
  });
});
