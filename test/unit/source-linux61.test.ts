// The step points of the model on a real Linux tree (Debian's linux-source-6.1): every step point
// of the 6.18 profile maps to a line inside its function's body or is in the list of those that
// cannot, with the reason; a dozen mapped lines read what the step point models; the 4.9 profile
// on this newer tree maps less but never outside a body; the mapping is cached by the files' bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { linux61, lineOf, tempCache } from '../helpers/linux-tree';
import { loadSourceMap } from '../../src/source/load';
import { computeSourceMap } from '../../src/source/compute';
import { KernelSourceMap } from '../../src/source/map';
import { stepsOf } from '../../src/source/match';
import { isUnmapped } from '../../src/source/types';
import type { MappedLine, StepMapping } from '../../src/source/types';
import { MODELED_FUNCTIONS } from '../../src/model/kernel/functions';

const tree = linux61();
const skip = tree.skip;
const cache = tempCache();

async function load(profile: '6.18' | '4.9'): Promise<KernelSourceMap> {
  const r = await loadSourceMap(tree.root!, profile, { cache, compute: computeSourceMap });
  assert.ok(!('problem' in r), 'problem' in r ? r.problem : '');
  return r.map;
}

/** The step points of the 6.18 profile that this tree cannot have a line for, and why. */
const EXPECTED_UNMAPPED: Record<string, RegExp> = {
  'udp_sendmsg:autobind': /inet_sendmsg/,
  'ip_do_fragment:output': /two places/,
};

/** Every line a step mapping has. */
function lines(m: StepMapping): MappedLine[] {
  if (isUnmapped(m)) return [];
  if (!('byLocal' in m)) return [m];
  return [...Object.values(m.cases), ...(m.otherwise ? [m.otherwise] : [])].filter((c): c is MappedLine => !isUnmapped(c));
}

test('6.18 on Linux 6.1: every step point maps, or is an expected exception with its reason', { skip }, async () => {
  const map = await load('6.18');
  assert.match(map.version, /^6\.1\.\d+$/);
  assert.ok(map.inRange);
  const unmapped = map.unmapped();
  assert.deepEqual(unmapped.map((u) => `${u.fn}:${u.step}`).sort(), Object.keys(EXPECTED_UNMAPPED).sort());
  for (const u of unmapped) assert.match(u.reason, EXPECTED_UNMAPPED[`${u.fn}:${u.step}`], `${u.fn}:${u.step}`);
  // Every function of the profile is there, with every step point of its listing.
  for (const m of MODELED_FUNCTIONS.filter((f) => f.profiles.includes('6.18'))) {
    const f = map.function(m.name);
    assert.ok(f && !isUnmapped(f), `${m.name}: ${f && isUnmapped(f) ? f.reason : 'missing'}`);
    assert.deepEqual(Object.keys(f.steps).sort(), stepsOf(m.name, '6.18').sort(), m.name);
  }
  const { steps, mapped } = map.counts();
  assert.equal(mapped, steps - Object.keys(EXPECTED_UNMAPPED).length);
});

test('6.18 on Linux 6.1: every mapped line is inside the body of the function it names, enter and leave on its name and brace', { skip }, async () => {
  const map = await load('6.18');
  let checked = 0;
  for (const m of MODELED_FUNCTIONS.filter((f) => f.profiles.includes('6.18'))) {
    const f = map.function(m.name);
    if (!f || isUnmapped(f)) continue;
    for (const [step, sm] of Object.entries(f.steps)) {
      for (const at of lines(sm)) {
        const def = f.defs.find((d) => d.name === at.in && d.path === at.path);
        assert.ok(def, `${m.name}:${step} is in ${at.in}, not one of ${f.defs.map((d) => d.name).join(', ')}`);
        assert.ok(at.line >= def.line && at.line <= def.close, `${m.name}:${step} line ${at.line} is outside ${def.name} (${def.line}-${def.close})`);
        checked++;
      }
    }
    const enter = f.steps.enter as MappedLine;
    assert.match(lineOf(tree.root!, enter.path, enter.line), new RegExp(`\\b${enter.in.replace(/\$/g, '\\$')}\\(`), `${m.name} enter`);
    const leave = f.steps.leave as MappedLine;
    assert.equal(lineOf(tree.root!, leave.path, leave.line), '}', `${m.name} leave`);
  }
  assert.ok(checked > 120, `only ${checked} lines checked`);
});

test('6.18 on Linux 6.1: mapped lines read what the step point models', { skip }, async () => {
  const map = await load('6.18');
  const spot: [string, string, RegExp, Record<string, unknown>?][] = [
    ['udp_sendmsg', 'udp_send_skb', /\budp_send_skb\(/],
    ['ip_make_skb', 'mtu', /maxnonfragsize\s*=/],
    ['ip_make_skb', 'alloc', /\bsock_alloc_send_skb\(/],
    ['__ip_local_out', 'tot_len', /iph->tot_len\s*=/],
    ['ip_output', 'set_dev', /skb->dev\s*=\s*dev;/],
    ['ip_output', 'nf_hook', /NF_HOOK_COND\(NFPROTO_IPV4, NF_INET_POST_ROUTING/],
    ['__ip_finish_output', 'mtu', /mtu\s*=\s*ip_skb_dst_mtu\(/],
    ['ip_fragment', 'df', /frag_off & htons\(IP_DF\)/],
    ['dst_output', 'output', /INDIRECT_CALL_INET\(skb_dst\(skb\)->output,/],
    ['__ip_finish_output', 'xfrm', /if \(skb_dst\(skb\)->xfrm\)/],
    ['__ip_finish_output', 'gso', /return ip_finish_output_gso\(/],
    ['__ip_finish_output', 'fragment', /return ip_fragment\(net, sk, skb, mtu, ip_finish_output2\)/],
    ['ip_finish_output2', 'mcast', /IPSTATS_MIB_OUTMCAST/],
    ['ip_finish_output2', 'bcast', /IPSTATS_MIB_OUTBCAST/],
    ['ip_finish_output2', 'headroom', /skb = skb_expand_head\(skb, hh_len\)/],
    ['ip_finish_output2', 'no_neigh', /kfree_skb_reason\(skb, SKB_DROP_REASON_NEIGH_CREATEFAIL\)/],
    ['neigh_output', 'connected', /if \(!skip_cache &&/],
    ['ip_finish_output2', 'nexthop', /\bip_neigh_for_gw\(/],
    ['ip_finish_output2', 'neigh', /\bneigh_output\(neigh, skb/],
    ['neigh_hh_output', 'push', /__skb_push\(skb, hh_len\)/],
    ['__neigh_event_send', 'nud_state', /nud_state, NUD_INCOMPLETE/, { nud_state: 'INCOMPLETE' }],
    ['neigh_timer_handler', 'nud_state', /nud_state, NUD_PROBE/, { nud_state: 'PROBE' }],
    ['neigh_update', 'nud_state', /nud_state, new\)/, { nud_state: 'REACHABLE' }],
    ['arp_solicit', 'saddr', /saddr = inet_select_addr\(/],
    ['dev_hard_start_xmit', 'wire', /\bnetdev_start_xmit\(/],
    ['__icmp_send', 'quote', /data_len = skb_in->len/],
  ];
  for (const [fn, step, re, locals] of spot) {
    const p = map.position(fn, step, locals);
    assert.ok(p, `${fn}:${step} has no line`);
    assert.match(lineOf(tree.root!, p.path, p.line), re, `${fn}:${step} at ${p.path}:${p.line}`);
    assert.equal(p.file, path.join(tree.root!, p.path));
  }
  // Without its local, a per-case step point has no single line; the reverse map knows each case.
  assert.equal(map.position('__neigh_event_send', 'nud_state'), undefined);
  const delay = map.position('neigh_timer_handler', 'nud_state', { nud_state: 'DELAY' })!;
  assert.deepEqual(map.stepsAt(delay.file, delay.line), [{ fn: 'neigh_timer_handler', step: 'nud_state', when: { local: 'nud_state', values: ['DELAY'], negate: false } }]);
});

test('6.18 on Linux 6.1: callers show the line of their call; lines and step points both ways', { skip }, async () => {
  const map = await load('6.18');
  const call = map.callPosition('ip_finish_output2', 'nexthop', '__neigh_create')!;
  assert.match(lineOf(tree.root!, call.path, call.line), /ip_neigh_for_gw\(/);
  const out = map.callPosition('ip_output', 'nf_hook', 'ip_finish_output')!;
  assert.equal(out.line, map.position('ip_output', 'nf_hook')!.line, 'ip_finish_output is passed to NF_HOOK_COND');
  const probe = map.callPosition('neigh_probe', 'enter', 'arp_solicit')!;
  assert.match(lineOf(tree.root!, probe.path, probe.line), /->solicit\(/);
  // A caller whose call the kernel makes through a function it folds (__neigh_update).
  const flush = map.callPosition('neigh_update', 'flush', 'neigh_resolve_output')!;
  assert.match(lineOf(tree.root!, flush.path, flush.line), /->output\)?\(n1, skb\)/);
  // Every mapped line comes back as its step point.
  const p = map.position('ip_finish_output2', 'neigh')!;
  assert.deepEqual(map.stepsAt(p.file, p.line), [{ fn: 'ip_finish_output2', step: 'neigh' }]);
  assert.deepEqual(map.stepsAt('net/ipv4/ip_output.c', p.line), [{ fn: 'ip_finish_output2', step: 'neigh' }]);
  assert.deepEqual(map.stepsAt(p.file, p.line + 1), []);
  assert.equal(map.nearestStepLine(p.file, p.line + 1), p.line);
  assert.deepEqual(map.functionAt(p.file, p.line + 1), { fn: 'ip_finish_output2', in: 'ip_finish_output2' });
  assert.equal(map.kernelPath(path.join(tree.root!, '..', 'x.c')), undefined);
});

test('4.9 on Linux 6.1 (outside its range): what maps is inside a body; the 6.x-only forms do not map', { skip }, async () => {
  const map = await load('4.9');
  assert.equal(map.inRange, false);
  // dst_neigh_output left include/net/dst.h in 4.11: no line, never a wrong one.
  assert.ok(map.unmapped().some((u) => u.fn === 'dst_neigh_output' && /not defined/.test(u.reason)));
  assert.ok(map.unmapped().some((u) => u.fn === 'ip_finish_output2' && u.step === 'nexthop' && /assigns nexthop/.test(u.reason)));
  // The hand-over to the neighbour layer: neigh_output, as from 4.11 on.
  const neigh = map.position('ip_finish_output2', 'neigh')!;
  assert.match(lineOf(tree.root!, neigh.path, neigh.line), /\bneigh_output\(neigh, skb/);
  // 4.9's ip_finish_output computed the MTU; this tree split it into __ip_finish_output: the step follows it there.
  const mtu = map.position('ip_finish_output', 'mtu')!;
  assert.equal(mtu.in, '__ip_finish_output');
  assert.match(lineOf(tree.root!, mtu.path, mtu.line), /mtu = ip_skb_dst_mtu/);
  for (const m of MODELED_FUNCTIONS.filter((f) => f.profiles.includes('4.9'))) {
    const f = map.function(m.name);
    if (!f || isUnmapped(f)) continue;
    for (const sm of Object.values(f.steps)) {
      for (const at of lines(sm)) {
        const def = f.defs.find((d) => d.name === at.in)!;
        assert.ok(at.line >= def.line && at.line <= def.close, `${m.name} line ${at.line}`);
      }
    }
  }
});

test('the mapping is cached under a hash of the files, and read back without parsing', { skip }, async () => {
  const own = tempCache();
  let computed = 0;
  const compute = async (files: Map<string, Buffer | null>, version: string) => {
    computed++;
    return computeSourceMap(files, version);
  };
  const first = await loadSourceMap(tree.root!, '6.18', { cache: own, compute });
  const second = await loadSourceMap(tree.root!, '6.18', { cache: own, compute });
  assert.ok(!('problem' in first) && !('problem' in second));
  assert.equal(first.cached, false);
  assert.equal(second.cached, true);
  assert.equal(computed, 1);
  assert.equal(first.cacheFile, second.cacheFile);
  assert.match(path.basename(first.cacheFile!), /^[0-9a-f]{32}\.json$/);
  assert.equal(path.dirname(first.cacheFile!), path.join(own, 'source-map'));
  assert.equal(fs.statSync(path.dirname(first.cacheFile!)).mode & 0o077, 0, 'a private folder');
  assert.deepEqual(second.map.data, first.map.data);
  // The other profile comes from the same file.
  const other = await loadSourceMap(tree.root!, '4.9', { cache: own, compute });
  assert.ok(!('problem' in other) && other.cached);
  assert.ok(!fs.readdirSync(tree.root!).some((f) => f.includes('kpath') && f !== '.kpath-unpacked'), 'nothing written into the tree');
});
