// The expression language's names for what the run has done (src/debugger/run-views.ts, env.ts):
// frames and their filtered lists, sends with their results (also for the call going on, and after
// a knob change at a stop), drops, ICMP errors, counters, neigh(), dev(), sock(), stack and kernel;
// and a lesson's targets and evidence at a stop (src/debugger/targets.ts).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../src/model/scenario/parse';
import { Runtime, Stop } from '../../src/debugger/runtime';
import { evaluate, formatValue, complete } from '../../src/debugger/expr';
import { targetHolds, evidence, evaluateAnswer, where } from '../../src/debugger/targets';
import { parseTarget, Target } from '../../src/tutorial/lesson';

const SCENARIO = `
link add veth0 mtu 1500 address 02:00:00:00:00:01
addr add 192.0.2.1/24 dev veth0
peer 192.0.2.2 lladdr 02:00:00:00:00:02
at 0ms   send udp to 192.0.2.2:9000 size 3000 df do socket big
at 10ms  send udp to 192.0.2.2:9000 size 100 socket small
at 20ms  send udp to 192.0.2.2:9000 size 3000 df dont socket frag
at 30ms  send udp to 192.0.2.99:9000 size 100 recverr socket lost
`;

function runtime(text = SCENARIO): Runtime {
  const rt = new Runtime(parseScenario(text, 'names.kpath'));
  rt.start(true);
  return rt;
}

const target = (text: string): Target => {
  const t = parseTarget(text);
  if (typeof t === 'string') throw new Error(t);
  return t;
};

/** Runs to the first stop where the target holds. */
function reach(rt: Runtime, text: string): Stop {
  const t = target(text);
  const r = rt.current && targetHolds(rt.current, t) ? { stop: rt.current } : rt.until((s) => targetHolds(s, t));
  if (!r.stop) throw new Error(`never reached: ${text}`);
  return r.stop;
}

const ev = (rt: Runtime, e: string): string => formatValue(evaluate(e, rt.env(0)));

describe('names for what the run has done', () => {
  it('frames: the frames on the wire up to the stop, with their headers and filtered lists', () => {
    const rt = runtime();
    reach(rt, 'return ip_do_fragment');
    assert.equal(ev(rt, 'frames.count'), '6', 'ARP request, reply, the 100 B datagram, three fragments');
    assert.equal(ev(rt, 'frames.arp.count'), '2');
    assert.equal(ev(rt, 'frames.tx.count'), '5');
    assert.equal(ev(rt, 'frames.rx.count'), '1');
    assert.equal(ev(rt, 'frames.arp.tx.count'), '1', 'the filters combine');
    assert.equal(ev(rt, 'frames[0].eth.dst'), '"ff:ff:ff:ff:ff:ff"');
    assert.equal(ev(rt, 'frames[0].arp.op'), '1');
    assert.equal(ev(rt, 'frames[0].arp.tpa'), '"192.0.2.2"');
    assert.equal(ev(rt, 'frames[1].dir'), '"rx"');
    assert.equal(ev(rt, 'frames[2].udp.len'), '108');
    assert.equal(ev(rt, 'frames.ip[1].ip.offset'), '0', 'the first fragment (frames.ip[0] is the 100 B datagram)');
    assert.equal(ev(rt, 'frames.last.ip.offset'), '2960');
    assert.equal(ev(rt, 'frames.last.ip.tot_len'), '68');
    assert.equal(ev(rt, 'frames.last.ip.MF'), 'false');
    assert.equal(ev(rt, 'frames.first.protocol'), '"ARP"', 'the first call sent nothing (EMSGSIZE): the second one\'s ARP comes first');
    assert.equal(ev(rt, 'frames[3].ip.DF'), 'false');
    assert.equal(ev(rt, 'frames[3].len'), '1514');
    assert.equal(ev(rt, 'frames.udp.count'), '4');
    assert.equal(ev(rt, 'frames.icmp.count'), '0');
    assert.equal(ev(rt, 'frames.arp[0].ip'), 'NULL', 'an ARP frame has no IP header');
    assert.match(ev(rt, 'frames'), /^frames \(6\)$/);
    assert.match(ev(rt, 'frames[0]'), /^#0 10\.000 ms veth0 tx 42 B 02:00:00:00:00:01 > Broadcast ARP Who has 192\.0\.2\.2\? Tell 192\.0\.2\.1$/);
    assert.throws(() => evaluate('frames[6]', rt.env(0)), /index 6 is out of range for frames \(it has 6 elements\)/);
    assert.throws(() => evaluate('frames.tcpp', rt.env(0)), /did you mean "tcp"/);
  });

  it('sends: each socket call with its result, "pending" for the one going on', () => {
    const rt = runtime();
    reach(rt, 'function ip_do_fragment');
    assert.equal(ev(rt, 'sends.count'), '3');
    assert.equal(ev(rt, 'sends[0].result'), '"EMSGSIZE"');
    assert.equal(ev(rt, 'sends[0].socket'), '"big"');
    assert.equal(ev(rt, 'sends[1].result'), '"ok"');
    assert.equal(ev(rt, 'sends[1].to'), '"192.0.2.2:9000"');
    assert.equal(ev(rt, 'sends[1].time'), '10000000');
    assert.equal(ev(rt, 'sends[2].result'), '"pending"');
    assert.equal(ev(rt, 'sends[2].size'), '3000');
    assert.equal(ev(rt, 'sends[2].line'), '7');
    // Stepping back gives the same answers: the calls are the run's, not the re-execution's.
    rt.stepBack();
    assert.equal(ev(rt, 'sends[0].result'), '"EMSGSIZE"');
  });

  it('sends after a knob change at a stop: the calls after the change are the changed run\'s', () => {
    const rt = runtime();
    reach(rt, 'function udp_sendmsg when sends.count == 2');
    // The history knows later calls already (from a run further on); a change forgets them.
    rt.until(() => false);
    rt.start(true);
    reach(rt, 'function udp_sendmsg when sends.count == 2');
    assert.equal(ev(rt, 'sends.count'), '2');
    rt.intervene((s) => {
      s.kernel.net.devices.find((d) => d.name === 'veth0')!.mtu = 1000;
    });
    reach(rt, 'function udp_sendmsg when sends.count == 4');
    assert.equal(ev(rt, 'sends[1].result'), '"ok"');
    assert.equal(ev(rt, 'sends[2].result'), '"ok"');
    assert.equal(ev(rt, 'frames.ip.count'), '5', 'the 100 B datagram and four fragments of the 3000 B one at MTU 1000');
  });

  it('drops, icmp, counters, neigh(), neighbours, dev(), sock(), stack and kernel', () => {
    const rt = runtime();
    reach(rt, 'drop NEIGH_FAILED');
    assert.equal(ev(rt, 'drops.count'), '1');
    assert.equal(ev(rt, 'drops[0].reason'), '"NEIGH_FAILED"');
    assert.equal(ev(rt, 'drops[0].function'), '"arp_error_report"');
    assert.equal(ev(rt, 'icmp.count'), '1');
    assert.equal(ev(rt, 'icmp[0].name'), '"host unreachable"');
    assert.equal(ev(rt, 'icmp[0].code'), '1');
    assert.equal(ev(rt, 'counters.Ip.FragCreates'), '3');
    assert.equal(ev(rt, 'counters.Icmp.OutDestUnreachs'), '1');
    assert.equal(ev(rt, 'counters.ArpCache.res_failed'), '1');
    assert.equal(ev(rt, 'neigh("192.0.2.2").state'), '"REACHABLE"');
    assert.equal(ev(rt, 'neigh(192.0.2.2).lladdr'), '"02:00:00:00:00:02"');
    assert.equal(ev(rt, 'neigh("192.0.2.99").state'), '"FAILED"');
    assert.equal(ev(rt, 'neigh("192.0.2.99").lladdr'), 'NULL');
    assert.equal(ev(rt, 'neigh("192.0.2.77")'), 'NULL', 'no entry');
    assert.equal(ev(rt, 'neighbours.count'), '3', '192.0.2.2, 192.0.2.99, and lo\'s for the ICMP error to this host');
    assert.equal(ev(rt, 'dev("veth0").mtu'), '1500');
    assert.equal(ev(rt, 'dev("eth9")'), 'NULL');
    assert.equal(ev(rt, 'sock("lost").errqueue'), '0', 'the ICMP error reaches the socket later, through lo');
    assert.equal(ev(rt, 'stack[0].fn'), '"arp_error_report"');
    assert.equal(ev(rt, 'stack[1].fn'), '"neigh_invalidate"');
    assert.equal(ev(rt, 'kernel'), '"6.18"');
    assert.throws(() => evaluate('neigh()', rt.env(0)), /neigh expects one IPv4 address/);
    assert.throws(() => evaluate('dev(1)', rt.env(0)), /dev expects one device name/);
    const names = complete('', 0, rt.env(0)).map((c) => c.label);
    for (const n of ['frames', 'sends', 'drops', 'icmp', 'counters', 'neighbours', 'stack', 'kernel', 'neigh', 'dev', 'sock']) assert.ok(names.includes(n), `${n} completes`);
    reach(rt, 'when sock("lost").errqueue > 0');
    assert.equal(ev(rt, 'sock("lost").errqueue'), '1');
  });
});

describe('targets at a stop', () => {
  it('function, return, when, frame, drop and neigh targets hold where the model is', () => {
    const rt = runtime();
    const s1 = reach(rt, 'function ip_finish_output2');
    assert.equal(s1.frames[0].fn, 'ip_finish_output2');
    assert.ok(!targetHolds(s1, target('function ip_finish_output2 when skb->len == 68')));
    const s2 = reach(rt, 'function ip_finish_output2 when skb->len == 68');
    assert.equal(s2.frames[0].skb?.len, 68);
    assert.ok(targetHolds(s2, target('frame arp.op == 2')), 'a frame on the wire, its fields as names');
    assert.ok(!targetHolds(s2, target('frame icmp.type == 3')));
    assert.ok(targetHolds(s2, target('neigh 192.0.2.2 REACHABLE')));
    assert.ok(targetHolds(s2, target('neigh 192.0.2.99 NONE')), 'no entry is NONE');
    assert.ok(!targetHolds(s2, target('when nosuchname > 0')), 'an expression that cannot be evaluated does not hold');
    const s3 = reach(rt, 'return ip_do_fragment');
    assert.equal(s3.kind, 'leave');
    const s4 = rt.stepOut().stop!;
    assert.ok(targetHolds(s4, target('return ip_do_fragment')), 'just after the return (Step Out) counts too');
    const s5 = reach(rt, 'drop NEIGH_FAILED');
    assert.equal(s5.exception?.kind, 'drop');
  });

  it('an answer is evaluated at the stop, with evidence: the trace line and what the answer reads', () => {
    const rt = runtime();
    const s = reach(rt, 'return ip_do_fragment');
    assert.deepEqual(evaluateAnswer(s, 'frames.ip.count'), { value: 4, display: '4' });
    assert.deepEqual(evaluateAnswer(s, 'frames[0]').value, evaluateAnswer(s, 'frames[0]').display, 'objects by their display');
    assert.throws(() => evaluateAnswer(s, 'frames.nope'), /has no field "nope"/);
    const e = evidence(s, 'frames.ip.count + counters.Ip.FragCreates');
    assert.match(e[0], /^20\.000 ms task ip_do_fragment \(return\) skb #\d+ len 3028: frag_list fast path: 3 fragments of 1480\/1480\/48 bytes$/);
    assert.equal(e[0], where(s));
    assert.equal(e[1], 'frames.ip: 4 items');
    assert.equal(e.length, 2 + 4 + 2);
    assert.match(e[2], /^ {2}#2 .* UDP /);
    assert.equal(e[6], 'frames.ip.count = 4');
    assert.equal(e[7], 'counters.Ip.FragCreates = 3');
    assert.deepEqual(evidence(s, 'neigh("192.0.2.2").state').slice(1), ['neigh("192.0.2.2").state = "REACHABLE"']);
    assert.deepEqual(evidence(s, 'syntax error (').slice(1), [], 'no evidence for an answer that does not parse');
  });
});
