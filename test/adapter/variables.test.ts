// What a stop shows through a real DAP client over stdio: the scopes (Locals, sk_buff, Device,
// Route, Neighbours, Devices, Netfilter, Counters, Sysctl, Wire) and their variables, the packet's
// bytes through readMemory, the knobs setVariable can turn (and how it refuses nonsense), and the
// expression language in evaluate (watch, hover, repl) and completions.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapSession, DEFAULT_SCENARIO, FIXTURES, findVar, errorOf } from '../helpers/dap';

let s: DapSession;
beforeEach(async () => {
  s = await new DapSession().start();
});
afterEach(async () => {
  await s.stop();
});

/** Launches the default scenario with function breakpoints and continues to the `hit`-th stop (1-based). */
async function stopAt(names: string[], hit = 1, extra: Record<string, unknown> = {}): Promise<{ st: DebugProtocol.StoppedEvent; frames: DebugProtocol.StackFrame[] }> {
  let st = await s.launch({ scenario: DEFAULT_SCENARIO, ...extra }, async () => {
    await s.dc.setFunctionBreakpointsRequest({ breakpoints: names.map((name) => ({ name })) });
  });
  for (let i = 1; i < hit; i++) st = await s.exec('continue');
  assert.ok(st, `stop ${hit} at ${names.join(', ')}`);
  return { st, frames: await s.stack(st) };
}

/** name -> value of a variable list. */
function values(vars: DebugProtocol.Variable[]): Record<string, string> {
  return Object.fromEntries(vars.map((v) => [v.name, v.value]));
}

async function scopeVars(frameId: number): Promise<Map<string, DebugProtocol.Variable[]>> {
  const out = new Map<string, DebugProtocol.Variable[]>();
  for (const sc of await s.scopes(frameId)) out.set(sc.name, await s.variables(sc.variablesReference));
  return out;
}

const SKB_FIELDS = ['len', 'data_len', 'headroom', 'tailroom', 'protocol', 'dev', 'dst', 'mark', 'priority', 'gso_size', 'gso_segs', 'gso_type', 'IPCB', 'iph'];
const IPH_FIELDS = ['version', 'ihl', 'tos', 'tot_len', 'id', 'frag_off', 'ttl', 'protocol', 'check', 'saddr', 'daddr'];

describe('scopes and variables', () => {
  it('a stop in the IP path has the frame\'s Locals, the sk_buff, the device, the route and the host\'s tables', async () => {
    const { frames } = await stopAt(['ip_finish_output2'], 2); // the first fragment
    const scopes = await s.scopes(frames[0].id);
    assert.deepEqual(scopes.map((x) => x.name), ['Locals', 'sk_buff', 'Device', 'Route', 'Neighbours', 'Devices', 'Netfilter', 'Counters', 'Sysctl', 'Wire']);
    const v = await scopeVars(frames[0].id);

    const locals = v.get('Locals')!;
    assert.ok(locals.some((x) => x.name === 'skb'), 'the skb argument');
    const skb = v.get('sk_buff')!;
    for (const f of SKB_FIELDS) assert.ok(skb.some((x) => x.name === f), `sk_buff has ${f}`);
    const sv = values(skb);
    assert.equal(sv.len, '1500');
    assert.equal(sv.data_len, '0');
    assert.equal(sv.protocol, '"0x0800"');
    assert.equal(sv.dev, 'eth0 mtu 1500');
    assert.match(sv.dst, /RTN_UNICAST dev eth0/);
    assert.equal(findVar(skb, 'len').evaluateName, 'skb->len');

    const iph = await s.variables(findVar(skb, 'iph').variablesReference);
    for (const f of IPH_FIELDS) assert.ok(iph.some((x) => x.name === f), `iph has ${f}`);
    const iv = values(iph);
    assert.equal(iv.version, '4');
    assert.equal(iv.ihl, '5');
    assert.equal(iv.tot_len, '1500');
    assert.equal(iv.ttl, '64');
    assert.equal(iv.protocol, '17');
    assert.equal(iv.saddr, '"192.0.2.1"');
    assert.equal(iv.daddr, '"192.0.2.2"');
    assert.equal(iv.MF, 'true', 'the first fragment has more fragments after it');
    assert.equal(iv.offset, '0');
    const ipcb = values(await s.variables(findVar(skb, 'IPCB').variablesReference));
    assert.ok('flags' in ipcb, 'IPCB flags');

    const dev = values(v.get('Device')!);
    assert.equal(dev.name, '"eth0"');
    assert.equal(dev.mtu, '1500');
    assert.equal(dev.dev_addr, '"02:00:00:00:00:01"');
    const route = values(v.get('Route')!);
    assert.equal(route.rt_type, '"RTN_UNICAST"');
    assert.equal(route.daddr, '"192.0.2.2"');

    const neigh = v.get('Neighbours')!;
    assert.equal(neigh.length, 1);
    assert.equal(neigh[0].value, '192.0.2.2 REACHABLE');
    const entry = values(await s.variables(neigh[0].variablesReference));
    assert.equal(entry.nud_state, '"REACHABLE"');
    assert.equal(entry.ha, '"02:00:00:00:00:02"');

    assert.deepEqual(v.get('Devices')!.map((x) => x.value), ['lo mtu 65536', 'eth0 mtu 1500']);
    assert.deepEqual(v.get('Netfilter'), [], 'no rules in the default scenario');
    const counters = values(v.get('Counters')!);
    assert.match(counters.Ip, /OutRequests=2/);
    assert.match(counters.ArpCache, /allocs=1/);
    assert.ok(v.get('Sysctl')!.some((x) => x.name === 'net.ipv4.neigh.eth0'));
    const wire = v.get('Wire')!;
    assert.equal(wire.length, 3, 'ARP request, ARP reply and the first datagram are on the wire');
    assert.match(wire[0].value, /ARP/);
    assert.match(wire[2].value, /UDP 142/);
  });

  it('the neighbour table shows the entry INCOMPLETE while it waits for the ARP reply', async () => {
    const { frames } = await stopAt(['neigh_probe']);
    const neigh = await s.scope(frames[0].id, 'Neighbours');
    assert.deepEqual(neigh.map((x) => x.value), ['192.0.2.2 INCOMPLETE']);
    const entry = values(await s.variables(neigh[0].variablesReference));
    assert.match(entry.arp_queue, /arp_queue\[1\]/, 'the datagram waits on the arp_queue');
  });

  it('names and structure stay the same from one stop to the next', async () => {
    const shape = async (): Promise<string> => {
      const st = s.eventsOf('stopped').pop() as DebugProtocol.StoppedEvent;
      const frames = await s.stack(st);
      const scopes = await s.scopes(frames[0].id);
      const out: string[] = [];
      for (const sc of scopes) {
        if (['Locals', 'Wire', 'Neighbours', 'Netfilter'].includes(sc.name)) {
          out.push(sc.name);
          continue;
        }
        const vars = await s.variables(sc.variablesReference);
        out.push(`${sc.name}: ${vars.map((x) => `${x.name}${x.variablesReference ? '{}' : ''}`).join(' ')}`);
      }
      return out.join('\n');
    };
    await stopAt(['ip_finish_output2']);
    const first = await shape();
    await s.exec('next');
    await s.exec('next');
    assert.equal(await shape(), first, 'two steps later in ip_finish_output2');
    await s.exec('continue');
    assert.equal(await shape(), first, 'at the next packet');
  });

  it('Locals has no two variables with the same name', async () => {
    const st = await s.launch({ scenario: path.join(FIXTURES, 'silent-peer.kpath') }, async () => {
      await s.dc.setExceptionBreakpointsRequest({ filters: ['neigh-failed'] });
    });
    assert.ok(st);
    const frames = await s.stack(st);
    const names = (await s.scope(frames[0].id, 'Locals')).map((x) => x.name);
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    assert.deepEqual(dup, [], `Locals: ${names.join(', ')}`);
  });

  it('a variable with an evaluateName evaluates to the value shown', async () => {
    const st = await s.launch({ scenario: path.join(FIXTURES, 'silent-peer.kpath') }, async () => {
      await s.dc.setExceptionBreakpointsRequest({ filters: ['neigh-failed'] });
    });
    assert.ok(st);
    const frames = await s.stack(st);
    for (const v of await s.scope(frames[0].id, 'Locals')) {
      if (!v.evaluateName) continue;
      assert.equal(await s.value(v.evaluateName, frames[0].id), v.value, `${v.name} (evaluateName ${v.evaluateName})`);
    }
  });

  it('a variables request with paging (start, count) returns that slice', async () => {
    const { frames } = await stopAt(['ip_finish_output2']);
    const ref = (await s.scopes(frames[0].id)).find((x) => x.name === 'sk_buff')!.variablesReference;
    const all = await s.variables(ref);
    const page = (await s.dc.variablesRequest({ variablesReference: ref, start: 2, count: 3 })).body.variables;
    assert.deepEqual(page.map((x) => x.name), all.slice(2, 5).map((x) => x.name));
  });
});

describe('packet bytes (readMemory)', () => {
  /** RFC 1071 checksum of a header: 0 when the header's own checksum is right. */
  function checksum(b: Buffer): number {
    let sum = 0;
    for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | b[i + 1];
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    return ~sum & 0xffff;
  }

  it('the skb has a memoryReference, and readMemory returns its bytes from the IP header on', async () => {
    const { frames } = await stopAt(['ip_finish_output2'], 3); // the second fragment
    const skb = findVar(await s.scope(frames[0].id, 'Locals'), 'skb');
    assert.ok(skb.memoryReference, 'skb has a memoryReference');
    const r = await s.dc.customRequest('readMemory', { memoryReference: skb.memoryReference, offset: 0, count: 1500 });
    const bytes = Buffer.from(r.body.data, 'base64');
    assert.equal(bytes.length, 1500);
    assert.equal(r.body.unreadableBytes ?? 0, 0);
    const h = bytes.subarray(0, 20);
    assert.equal(h[0], 0x45, 'version 4, IHL 5');
    assert.equal(h.readUInt16BE(2), 1500, 'tot_len');
    assert.equal(h.readUInt16BE(4), Number(await s.value('ip_hdr(skb)->id')), 'IP ID');
    const frag = h.readUInt16BE(6);
    assert.equal(frag & 0x2000, 0x2000, 'MF');
    assert.equal((frag & 0x1fff) * 8, 1480, 'fragment offset');
    assert.equal(h[8], 64, 'TTL');
    assert.equal(h[9], 17, 'UDP');
    assert.equal(h.subarray(12, 16).join('.'), '192.0.2.1');
    assert.equal(h.subarray(16, 20).join('.'), '192.0.2.2');
    assert.equal(checksum(h), 0, 'the header checksum is valid');
  });

  it('two packets never share a memoryReference (the first fragment and the datagram it was cut from)', async () => {
    const { frames } = await stopAt(['ip_finish_output2'], 2);
    const read = async (ref: string): Promise<number> =>
      Buffer.from((await s.dc.customRequest('readMemory', { memoryReference: ref, count: 100000 })).body.data ?? '', 'base64').length;
    const fragment = findVar(await s.scope(frames[0].id, 'Locals'), 'skb');
    assert.equal(await read(fragment.memoryReference!), 1500);
    const outer = frames.find((f) => f.name === 'ip_do_fragment')!;
    const datagram = findVar(await s.scope(outer.id, 'Locals'), 'skb');
    assert.equal(await read(datagram.memoryReference!), 3028);
    assert.equal(await read(fragment.memoryReference!), 1500, `the fragment's bytes, still (${fragment.memoryReference} vs ${datagram.memoryReference})`);
  });

  it('evaluate gives the same memoryReference; reads past the end are unreadable bytes', async () => {
    await stopAt(['ip_finish_output2']);
    const ev = await s.evaluate('skb');
    assert.ok(ev.memoryReference);
    const r = await s.dc.customRequest('readMemory', { memoryReference: ev.memoryReference, offset: 120, count: 16 });
    assert.equal(Buffer.from(r.body.data ?? '', 'base64').length, 8, '128 bytes: 8 left from offset 120');
    assert.equal(r.body.unreadableBytes, 8);
    await assert.rejects(s.dc.customRequest('readMemory', { memoryReference: 'skb#999999', count: 4 }), /no memory at skb#999999/);
  });
});

describe('setVariable', () => {
  it('Device mtu: 1400 makes the fragments 1396 bytes (also after a restart); 10 is refused', async () => {
    const { frames } = await stopAt(['ip_finish_output2']);
    const dev = (await s.scopes(frames[0].id)).find((x) => x.name === 'Device')!;
    const bad = await errorOf(s.dc.setVariableRequest({ variablesReference: dev.variablesReference, name: 'mtu', value: '10' }));
    assert.match(bad, /mtu must be an integer 68\.\.65535, not "10"/);
    const ok = await s.dc.setVariableRequest({ variablesReference: dev.variablesReference, name: 'mtu', value: '1400' });
    assert.equal(ok.body.value, '1400');
    assert.equal(await s.value('skb->dev->mtu'), '1400');
    const lens: string[] = [];
    for (let st = await s.exec('continue'); st; st = await s.exec('continue')) lens.push(await s.value('skb->len'));
    assert.deepEqual(lens, ['1396', '1396', '276']);
    // The change belongs to the run: a restart keeps it.
    const again: string[] = [];
    for (let st = await s.exec('restart'); st; st = await s.exec('continue')) again.push(await s.value('skb->len'));
    assert.deepEqual(again, ['128', '1396', '1396', '276']);
  });

  it('a neighbour\'s nud_state takes a state name; "BOGUS" is refused with the list of states', async () => {
    const { frames } = await stopAt(['ip_finish_output2'], 2);
    const neigh = await s.scope(frames[0].id, 'Neighbours');
    const ref = neigh[0].variablesReference;
    const bad = await errorOf(s.dc.setVariableRequest({ variablesReference: ref, name: 'nud_state', value: 'BOGUS' }));
    assert.match(bad, /nud_state must be one of .*REACHABLE.*FAILED.*not "BOGUS"/);
    const ok = await s.dc.setVariableRequest({ variablesReference: ref, name: 'nud_state', value: '"STALE"' });
    assert.equal(ok.body.value, 'STALE');
    assert.equal(values(await s.variables(ref)).nud_state, '"STALE"');
  });

  it('a Sysctl value takes a whole number; nonsense is refused', async () => {
    const { frames } = await stopAt(['ip_finish_output2']);
    const sysctl = await s.scope(frames[0].id, 'Sysctl');
    const eth0 = findVar(sysctl, 'net.ipv4.neigh.eth0');
    const ok = await s.dc.setVariableRequest({ variablesReference: eth0.variablesReference, name: 'retrans_time_ms', value: '500' });
    assert.equal(ok.body.value, '500');
    assert.equal(values(await s.variables(eth0.variablesReference)).retrans_time_ms, '500');
    assert.match(await errorOf(s.dc.setVariableRequest({ variablesReference: eth0.variablesReference, name: 'mcast_solicit', value: 'lots' })), /mcast_solicit must be an integer 0\.\.255, not "lots"/);
    assert.match(await errorOf(s.dc.setVariableRequest({ variablesReference: eth0.variablesReference, name: 'retrans_time_ms', value: '0' })), /retrans_time_ms must be an integer 1\.\.2147483, not "0"/);
    assert.match(await errorOf(s.dc.setVariableRequest({ variablesReference: eth0.variablesReference, name: 'reachable_time_ms', value: '5' })), /cannot be set/);
  });

  it('fields that are not knobs are refused with what can be set', async () => {
    const { frames } = await stopAt(['ip_finish_output2']);
    const skb = (await s.scopes(frames[0].id)).find((x) => x.name === 'sk_buff')!;
    assert.match(await errorOf(s.dc.setVariableRequest({ variablesReference: skb.variablesReference, name: 'len', value: '5' })), /len is not a knob that can be set/);
    assert.match(await errorOf(s.dc.setVariableRequest({ variablesReference: 987654, name: 'mtu', value: '1400' })), /cannot be set/);
  });
});

describe('evaluate and completions', () => {
  it('skb->len > mtu and ip_hdr(skb)->ttl, in watch, hover and repl alike', async () => {
    const { frames } = await stopAt(['ip_fragment']);
    for (const context of ['watch', 'hover', 'repl'] as const) {
      assert.equal((await s.evaluate('skb->len > mtu', frames[0].id, context)).result, 'true', context);
      assert.equal((await s.evaluate('ip_hdr(skb)->ttl', frames[0].id, context)).result, '64', context);
    }
    assert.equal(await s.value('skb->len'), '3028');
    assert.equal(await s.value('mtu'), '1500');
    assert.equal(await s.value('ip_hdr(skb)->daddr == 192.0.2.2'), 'true');
    assert.equal(await s.value('(skb->len - 20 + 1479) / 1480'), '3', 'three fragments');
  });

  it('an object result can be expanded', async () => {
    await stopAt(['ip_fragment']);
    const r = await s.evaluate('ip_hdr(skb)');
    assert.ok(r.variablesReference > 0);
    const fields = values(await s.variables(r.variablesReference));
    assert.equal(fields.tot_len, '3028');
  });

  it('evaluates in the frame it is given: skb->len is 1500 in ip_finish_output2 and 3028 in ip_fragment', async () => {
    const { frames } = await stopAt(['ip_finish_output2'], 2);
    const fragFrame = frames.find((f) => f.name === 'ip_fragment')!;
    assert.equal(await s.value('skb->len', frames[0].id), '1500');
    assert.equal(await s.value('skb->len', fragFrame.id), '3028');
  });

  it('bad expressions get an error response with a readable message', async () => {
    await stopAt(['ip_fragment']);
    assert.match(await errorOf(s.evaluate('skb->len >')), /expected an expression after ">"/);
    assert.match(await errorOf(s.evaluate('skb->lenn')), /no field "lenn".*did you mean "len"/);
    assert.match(await errorOf(s.evaluate('nosuchname + 1')), /unknown name "nosuchname"/);
    assert.match(await errorOf(s.evaluate('skb->len = 5')), /assignment/);
    assert.match(await errorOf(s.evaluate('frob(skb)')), /unknown function "frob"/);
    assert.match(await errorOf(s.evaluate('"unterminated')), /unterminated string/);
    for (const msg of [await errorOf(s.evaluate('skb->len >')), await errorOf(s.evaluate(')'))]) {
      assert.doesNotMatch(msg, /\n\s+at /, 'no stack trace');
    }
  });

  it('completions offer fields after -> and names and functions otherwise', async () => {
    const { frames } = await stopAt(['ip_fragment']);
    const at = async (text: string): Promise<DebugProtocol.CompletionItem[]> =>
      (await s.dc.completionsRequest({ text, column: text.length + 1, frameId: frames[0].id })).body.targets;
    const len = (await at('skb->le')).find((x) => x.label === 'len');
    assert.ok(len, 'len after skb->le');
    assert.equal(len.length, 2, 'it replaces the two letters typed');
    assert.ok((await at('ip_hdr(skb)->tt')).some((x) => x.label === 'ttl'));
    const names = (await at('sk')).map((x) => x.label);
    assert.ok(names.includes('skb') && names.includes('skb_headroom'), names.join(', '));
    assert.ok((await at('m')).some((x) => x.label === 'mtu'), 'the frame\'s arguments');
    assert.deepEqual(await at('"unterminated'), []);
  });
});
