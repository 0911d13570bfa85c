// The mapping on small kernel-like trees written here: a 4.9-like tree (dst_neigh_output in
// dst.h, ip_finish_output that computes the MTU, skb_realloc_headroom, plain nud_state
// assignments, q->enqueue), a 6.x-like one, and the edge cases: lines shifted by a comment block,
// a renamed local, a missing function, a function split in two, definitions under #ifdef, and a
// statement that matches twice. A step point lands on the right line or on none, with the reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { syntheticTree, lineOf, tempCache } from '../helpers/linux-tree';
import { loadSourceMap, KEEP } from '../../src/source/load';
import { computeSourceMap } from '../../src/source/compute';
import type { KernelSourceMap } from '../../src/source/map';
import { isUnmapped } from '../../src/source/types';

const cache = tempCache();

async function mapOf(root: string, profile: '6.18' | '4.9'): Promise<KernelSourceMap> {
  const r = await loadSourceMap(root, profile, { cache, compute: computeSourceMap });
  assert.ok(!('problem' in r), 'problem' in r ? r.problem : '');
  return r.map;
}

/** The text at a step point's line, or the reason it has none. */
function at(map: KernelSourceMap, fn: string, step: string, locals?: Record<string, unknown>): string {
  const p = map.position(fn, step, locals);
  if (p) return lineOf(map.root, p.path, p.line).trim();
  return `UNMAPPED: ${map.unmapped().find((u) => u.fn === fn && u.step === step && (!locals || !u.value || u.value === locals.nud_state))?.reason}`;
}

/** The text of the line where `fn` (at `step`) calls `callee`. */
function called(map: KernelSourceMap, fn: string, step: string, callee: string): string {
  const p = map.callPosition(fn, step, callee);
  return p ? lineOf(map.root, p.path, p.line).trim() : 'NO CALL';
}

const FINISH_OUTPUT_49 = `
static int ip_finish_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	unsigned int mtu;

#if defined(CONFIG_NETFILTER) && defined(CONFIG_XFRM)
	/* Policy lookup after SNAT yielded a new policy */
	if (skb_dst(skb)->xfrm) {
		IPCB(skb)->flags |= IPSKB_REROUTED;
		return dst_output(net, sk, skb);
	}
#endif
	mtu = ip_skb_dst_mtu(sk, skb);
	if (skb_is_gso(skb))
		return ip_finish_output_gso(net, sk, skb, mtu);

	if (skb->len > mtu || (IPCB(skb)->flags & IPSKB_FRAG_PMTU))
		return ip_fragment(net, sk, skb, mtu, ip_finish_output2);

	return ip_finish_output2(net, sk, skb);
}
`;

const FINISH_OUTPUT_SPLIT = `
static int __ip_finish_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	unsigned int mtu;

	mtu = ip_skb_dst_mtu(sk, skb);
	if (skb->len > mtu || IPCB(skb)->frag_max_size)
		return ip_fragment(net, sk, skb, mtu, ip_finish_output2);
	return ip_finish_output2(net, sk, skb);
}

static int ip_finish_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	int ret;

	ret = BPF_CGROUP_RUN_PROG_INET_EGRESS(sk, skb);
	if (ret)
		return ret;
	return __ip_finish_output(net, sk, skb);
}
`;

const OUTPUT2_49 = `
static int ip_finish_output2(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	struct dst_entry *dst = skb_dst(skb);
	struct rtable *rt = (struct rtable *)dst;
	struct net_device *dev = dst->dev;
	unsigned int hh_len = LL_RESERVED_SPACE(dev);
	struct neighbour *neigh;
	u32 nexthop;

	if (rt->rt_type == RTN_MULTICAST) {
		IP_UPD_PO_STATS(net, IPSTATS_MIB_OUTMCAST, skb->len);
	} else if (rt->rt_type == RTN_BROADCAST)
		IP_UPD_PO_STATS(net, IPSTATS_MIB_OUTBCAST, skb->len);

	/* not enough room for the link header: a bigger copy */
	if (unlikely(skb_headroom(skb) < hh_len && dev->header_ops)) {
		struct sk_buff *skb2;

		skb2 = skb_realloc_headroom(skb, LL_RESERVED_SPACE(dev));
		if (!skb2) {
			kfree_skb(skb);
			return -ENOMEM;
		}
		consume_skb(skb);
		skb = skb2;
	}

	rcu_read_lock_bh();
	nexthop = (__force u32) rt_nexthop(rt, ip_hdr(skb)->daddr);
	neigh = __ipv4_neigh_lookup_noref(dev, nexthop);
	if (unlikely(!neigh))
		neigh = __neigh_create(&arp_tbl, &nexthop, dev, false);
	if (!IS_ERR(neigh)) {
		int res = dst_neigh_output(dst, neigh, skb);

		rcu_read_unlock_bh();
		return res;
	}
	rcu_read_unlock_bh();
	kfree_skb(skb);
	return -EINVAL;
}
`;

const IP_OUTPUT = `
int ip_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	struct net_device *dev = skb_dst(skb)->dev;

	IP_UPD_PO_STATS(net, IPSTATS_MIB_OUT, skb->len);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);

	return NF_HOOK_COND(NFPROTO_IPV4, NF_INET_POST_ROUTING, net, sk, skb, NULL, dev,
			    ip_finish_output, !(IPCB(skb)->flags & IPSKB_REROUTED));
}
`;

const DST_H_49 = `#ifndef _NET_DST_H
#define _NET_DST_H

static inline int dst_neigh_output(struct dst_entry *dst, struct neighbour *n,
				   struct sk_buff *skb)
{
	const struct hh_cache *hh = &n->hh;

	if ((n->nud_state & NUD_CONNECTED) && hh->hh_len)
		return neigh_hh_output(hh, skb);
	else
		return n->output(n, skb);
}

static inline int dst_output(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	return skb_dst(skb)->output(net, sk, skb);
}
#endif
`;

const NEIGHBOUR_49 = `
static void neigh_timer_handler(unsigned long arg)
{
	unsigned long now, next;
	struct neighbour *neigh = (struct neighbour *)arg;
	unsigned int state;

	write_lock(&neigh->lock);
	state = neigh->nud_state;
	now = jiffies;
	next = now + HZ;

	if (state & NUD_REACHABLE) {
		if (time_before_eq(now, neigh->confirmed + neigh->parms->reachable_time)) {
			next = neigh->confirmed + neigh->parms->reachable_time;
		} else {
			neigh->nud_state = NUD_STALE;
			neigh->updated = jiffies;
		}
	} else if (state & NUD_DELAY) {
		neigh->nud_state = NUD_PROBE;
		atomic_set(&neigh->probes, 0);
		next = now + max(NEIGH_VAR(neigh->parms, RETRANS_TIME), HZ/2);
	}

	if ((neigh->nud_state & (NUD_INCOMPLETE | NUD_PROBE)) &&
	    atomic_read(&neigh->probes) >= neigh_max_probes(neigh)) {
		neigh->nud_state = NUD_FAILED;
		neigh_invalidate(neigh);
		goto out;
	}

	if (neigh->nud_state & NUD_IN_TIMER) {
		if (time_before(next, jiffies + HZ/2))
			next = jiffies + HZ/2;
		if (!mod_timer(&neigh->timer, next))
			neigh_hold(neigh);
	}
	if (neigh->nud_state & (NUD_INCOMPLETE | NUD_PROBE)) {
		neigh_probe(neigh);
	} else {
out:
		write_unlock(&neigh->lock);
	}
	neigh_release(neigh);
}
`;

const DEV_49 = `
static inline int __dev_xmit_skb(struct sk_buff *skb, struct Qdisc *q,
				 struct net_device *dev,
				 struct netdev_queue *txq)
{
	struct sk_buff *to_free = NULL;
	int rc;

	if (unlikely(test_bit(__QDISC_STATE_DEACTIVATED, &q->state))) {
		__qdisc_drop(skb, &to_free);
		rc = NET_XMIT_DROP;
	} else if ((q->flags & TCQ_F_CAN_BYPASS) && !qdisc_qlen(q)) {
		sch_direct_xmit(skb, q, dev, txq, NULL, true);
		rc = NET_XMIT_SUCCESS;
	} else {
		rc = q->enqueue(skb, q, &to_free) & NET_XMIT_MASK;
		__qdisc_run(q);
	}
	return rc;
}

static int __dev_queue_xmit(struct sk_buff *skb, void *accel_priv)
{
	struct net_device *dev = skb->dev;
	struct netdev_queue *txq;
	struct Qdisc *q;
	int rc = -ENOMEM;

	skb_reset_mac_header(skb);
	txq = netdev_pick_tx(dev, skb, accel_priv);
	q = rcu_dereference_bh(txq->qdisc);
	if (q->enqueue) {
		rc = __dev_xmit_skb(skb, q, dev, txq);
		goto out;
	}
	kfree_skb(skb);
	return -ENETDOWN;
out:
	return rc;
}

int dev_queue_xmit(struct sk_buff *skb)
{
	return __dev_queue_xmit(skb, NULL);
}
`;

function tree49(extra: Record<string, string> = {}): string {
  return syntheticTree('4.9.0', {
    'net/ipv4/ip_output.c': `// SPDX-License-Identifier: GPL-2.0\n${OUTPUT2_49}${FINISH_OUTPUT_49}${IP_OUTPUT}`,
    'include/net/dst.h': DST_H_49,
    'net/core/neighbour.c': NEIGHBOUR_49,
    'net/core/dev.c': DEV_49,
    ...extra,
  });
}

test('a 4.9-like tree: 4.9 functions map to what their step points model', async () => {
  const map = await mapOf(tree49(), '4.9');
  assert.equal(map.version, '4.9.0');
  assert.ok(map.inRange);
  assert.equal(at(map, 'ip_finish_output', 'mtu'), 'mtu = ip_skb_dst_mtu(sk, skb);');
  // The seed's path: the xfrm reroute (inside #if), the GSO and fragmentation branches.
  assert.equal(at(map, 'ip_finish_output', 'xfrm'), 'if (skb_dst(skb)->xfrm) {');
  assert.equal(at(map, 'ip_finish_output', 'gso'), 'return ip_finish_output_gso(net, sk, skb, mtu);');
  assert.equal(at(map, 'ip_finish_output', 'fragment'), 'return ip_fragment(net, sk, skb, mtu, ip_finish_output2);');
  assert.equal(at(map, 'ip_output', 'stats'), 'IP_UPD_PO_STATS(net, IPSTATS_MIB_OUT, skb->len);');
  assert.equal(at(map, 'ip_finish_output2', 'mcast'), 'IP_UPD_PO_STATS(net, IPSTATS_MIB_OUTMCAST, skb->len);');
  assert.equal(at(map, 'ip_finish_output2', 'bcast'), 'IP_UPD_PO_STATS(net, IPSTATS_MIB_OUTBCAST, skb->len);');
  assert.equal(at(map, 'ip_finish_output2', 'headroom'), 'skb2 = skb_realloc_headroom(skb, LL_RESERVED_SPACE(dev));');
  // Two kfree_skb: the one after the neighbour lookup is the drop of no neighbour.
  assert.equal(at(map, 'ip_finish_output2', 'no_neigh'), 'kfree_skb(skb);');
  assert.ok(map.position('ip_finish_output2', 'no_neigh')!.line > map.position('ip_finish_output2', 'neigh')!.line);
  assert.equal(at(map, 'dst_output', 'output'), 'return skb_dst(skb)->output(net, sk, skb);');
  assert.equal(at(map, 'dst_neigh_output', 'connected'), 'if ((n->nud_state & NUD_CONNECTED) && hh->hh_len)');
  assert.equal(map.position('ip_finish_output', 'mtu')!.in, 'ip_finish_output');
  assert.equal(at(map, 'ip_finish_output2', 'stats'), 'unsigned int hh_len = LL_RESERVED_SPACE(dev);');
  assert.equal(at(map, 'ip_finish_output2', 'nexthop'), 'nexthop = (__force u32) rt_nexthop(rt, ip_hdr(skb)->daddr);');
  assert.equal(at(map, 'ip_finish_output2', 'neigh'), 'int res = dst_neigh_output(dst, neigh, skb);');
  assert.equal(at(map, 'ip_finish_output2', 'enter'), 'static int ip_finish_output2(struct net *net, struct sock *sk, struct sk_buff *skb)');
  assert.equal(at(map, 'ip_output', 'set_dev'), 'skb->dev = dev;');
  // The calls a 4.9 ip_finish_output2 makes by name.
  assert.equal(called(map, 'ip_finish_output2', 'nexthop', '__neigh_create'), 'neigh = __neigh_create(&arp_tbl, &nexthop, dev, false);');
  // dst_neigh_output in include/net/dst.h, and its call through n->output.
  assert.equal(at(map, 'dst_neigh_output', 'enter'), 'static inline int dst_neigh_output(struct dst_entry *dst, struct neighbour *n,');
  assert.equal(called(map, 'dst_neigh_output', 'enter', 'neigh_resolve_output'), 'return n->output(n, skb);');
  assert.equal(called(map, 'dst_output', 'enter', 'ip_output'), 'return skb_dst(skb)->output(net, sk, skb);');
  // nud_state written one state at a time, each on its line.
  assert.equal(at(map, 'neigh_timer_handler', 'nud_state', { nud_state: 'STALE' }), 'neigh->nud_state = NUD_STALE;');
  assert.equal(at(map, 'neigh_timer_handler', 'nud_state', { nud_state: 'PROBE' }), 'neigh->nud_state = NUD_PROBE;');
  assert.equal(at(map, 'neigh_timer_handler', 'nud_state', { nud_state: 'FAILED' }), 'neigh->nud_state = NUD_FAILED;');
  assert.match(at(map, 'neigh_timer_handler', 'nud_state', { nud_state: 'DELAY' }), /^UNMAPPED: no statement in neigh_timer_handler assigns neigh->nud_state/);
  assert.equal(at(map, 'neigh_timer_handler', 'mod_timer'), 'if (!mod_timer(&neigh->timer, next))');
  assert.equal(at(map, 'neigh_timer_handler', 'enter'), 'static void neigh_timer_handler(unsigned long arg)');
  // dev_queue_xmit is its own (wrapper) function in 4.9; its work is in __dev_queue_xmit.
  assert.equal(at(map, 'dev_queue_xmit', 'enter'), 'int dev_queue_xmit(struct sk_buff *skb)');
  assert.equal(called(map, 'dev_queue_xmit', 'enter', '__dev_xmit_skb'), 'rc = __dev_xmit_skb(skb, q, dev, txq);');
  assert.equal(at(map, '__dev_xmit_skb', 'enqueue'), 'rc = q->enqueue(skb, q, &to_free) & NET_XMIT_MASK;');
});

test('4.9 on a 4.19-like tree: neigh_output instead of dst_neigh_output, the lockless qdisc branch', async () => {
  const output2 = OUTPUT2_49.replace('int res = dst_neigh_output(dst, neigh, skb);', 'int res = neigh_output(neigh, skb);');
  const dev = DEV_49.replace(`	if (unlikely(test_bit(__QDISC_STATE_DEACTIVATED, &q->state))) {`, `	if (q->flags & TCQ_F_NOLOCK) {
		rc = q->enqueue(skb, q, &to_free) & NET_XMIT_MASK;
		qdisc_run(q);
		return rc;
	}
	if (unlikely(test_bit(__QDISC_STATE_DEACTIVATED, &q->state))) {`);
  const map = await mapOf(tree49({ 'net/ipv4/ip_output.c': `${output2}${FINISH_OUTPUT_49}${IP_OUTPUT}`, 'net/core/dev.c': dev }), '4.9');
  assert.equal(at(map, 'ip_finish_output2', 'neigh'), 'int res = neigh_output(neigh, skb);');
  const enqueue = map.position('__dev_xmit_skb', 'enqueue')!;
  assert.equal(lineOf(map.root, enqueue.path, enqueue.line + 1).trim(), 'qdisc_run(q);', 'the enqueue of the lockless branch');
});

test('a missing file or function: unmapped with the reason, the rest maps', async () => {
  const map = await mapOf(tree49(), '4.9');
  assert.match(at(map, 'udp_sendmsg', 'udp_send_skb'), /net\/ipv4\/udp\.c is not in the tree/);
  assert.match(at(map, 'ip_mc_output', 'nf_hook'), /ip_mc_output is not defined in net\/ipv4\/ip_output\.c/);
  assert.equal(map.position('udp_sendmsg', 'enter'), undefined);
  assert.ok(map.unmapped().some((u) => u.fn === 'ip_fragment' && u.step === 'enter' && /not defined/.test(u.reason)));
});

test('lines shifted by an inserted comment block: every step point moves with its statement', async () => {
  const plain = await mapOf(tree49(), '4.9');
  const block = `/*\n${Array.from({ length: 27 }, (_, i) => ` * line ${i} of a new comment ip_finish_output(x) mtu = 1;`).join('\n')}\n */\n`;
  const shifted = await mapOf(tree49({ 'net/ipv4/ip_output.c': `// SPDX-License-Identifier: GPL-2.0\n${block}${OUTPUT2_49}${FINISH_OUTPUT_49}${IP_OUTPUT}` }), '4.9');
  let n = 0;
  for (const fn of ['ip_finish_output2', 'ip_finish_output', 'ip_output']) {
    for (const step of ['enter', 'stats', 'nexthop', 'neigh', 'mtu', 'set_dev', 'nf_hook', 'leave']) {
      const a = plain.position(fn, step);
      const b = shifted.position(fn, step);
      assert.equal(!!a, !!b, `${fn}:${step}`);
      if (a && b) {
        assert.equal(b.line - a.line, 29, `${fn}:${step}`);
        n++;
      }
    }
  }
  assert.ok(n >= 10);
});

test('a renamed local: the step point that names it has no line (never a wrong one); the others are untouched', async () => {
  const plain = await mapOf(tree49(), '4.9');
  const renamed = FINISH_OUTPUT_49.replace(/\bmtu\b/g, 'pmtu');
  const map = await mapOf(tree49({ 'net/ipv4/ip_output.c': `// SPDX-License-Identifier: GPL-2.0\n${OUTPUT2_49}${renamed}${IP_OUTPUT}` }), '4.9');
  assert.match(at(map, 'ip_finish_output', 'mtu'), /^UNMAPPED: no statement in ip_finish_output assigns mtu/);
  assert.equal(map.position('ip_finish_output', 'enter')?.line, plain.position('ip_finish_output', 'enter')?.line);
  // A local no anchor names (neigh -> n) changes nothing.
  const other = await mapOf(tree49({ 'net/ipv4/ip_output.c': `// SPDX-License-Identifier: GPL-2.0\n${OUTPUT2_49.replace(/\bneigh\b/g, 'n')}${FINISH_OUTPUT_49}${IP_OUTPUT}` }), '4.9');
  for (const step of ['stats', 'nexthop', 'neigh', 'leave']) assert.equal(other.position('ip_finish_output2', step)?.line, plain.position('ip_finish_output2', step)!.line, step);
});

test('a function split in two: the 4.9 step point follows the body into __ip_finish_output; 6.18 maps each half', async () => {
  const split = tree49({ 'net/ipv4/ip_output.c': `// SPDX-License-Identifier: GPL-2.0\n${OUTPUT2_49}${FINISH_OUTPUT_SPLIT}${IP_OUTPUT}` });
  const old = await mapOf(split, '4.9');
  const mtu = old.position('ip_finish_output', 'mtu')!;
  assert.equal(mtu.in, '__ip_finish_output');
  assert.equal(lineOf(split, mtu.path, mtu.line).trim(), 'mtu = ip_skb_dst_mtu(sk, skb);');
  assert.equal(at(old, 'ip_finish_output', 'enter'), 'static int ip_finish_output(struct net *net, struct sock *sk, struct sk_buff *skb)');
  const now = await mapOf(split, '6.18');
  assert.equal(now.position('__ip_finish_output', 'mtu')!.line, mtu.line);
  assert.equal(called(now, 'ip_finish_output', 'enter', '__ip_finish_output'), 'return __ip_finish_output(net, sk, skb);');
  // The unsplit 4.9 body has no __ip_finish_output for the 6.18 profile: no line, never ip_finish_output's.
  const unsplit = await mapOf(tree49(), '6.18');
  assert.match(at(unsplit, '__ip_finish_output', 'mtu'), /__ip_finish_output is not defined/);
  assert.match(at(unsplit, 'ip_finish_output2', 'neigh'), /^UNMAPPED: no statement in ip_finish_output2 calls neigh_output/);
  assert.equal(at(unsplit, 'ip_finish_output2', 'nexthop'), 'nexthop = (__force u32) rt_nexthop(rt, ip_hdr(skb)->daddr);');
});

test('a 6.x-like tree for the 6.18 profile: ip_neigh_for_gw, neigh_output, skb_expand_head, __dev_queue_xmit', async () => {
  const root = syntheticTree('6.18.0', {
    'net/ipv4/ip_output.c': `
static int ip_finish_output2(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	struct dst_entry *dst = skb_dst(skb);
	struct rtable *rt = (struct rtable *)dst;
	struct net_device *dev = dst->dev;
	unsigned int hh_len = LL_RESERVED_SPACE(dev);
	struct neighbour *neigh;
	bool is_v6gw = false;

	if (unlikely(skb_headroom(skb) < hh_len && dev->header_ops)) {
		skb = skb_expand_head(skb, hh_len);
		if (!skb)
			return -ENOMEM;
	}
	rcu_read_lock();
	neigh = ip_neigh_for_gw(rt, skb, &is_v6gw);
	if (!IS_ERR(neigh)) {
		int res;

		res = neigh_output(neigh, skb, is_v6gw);
		rcu_read_unlock();
		return res;
	}
	rcu_read_unlock();
	kfree_skb_reason(skb, SKB_DROP_REASON_NEIGH_CREATEFAIL);
	return PTR_ERR(neigh);
}
${FINISH_OUTPUT_SPLIT}`,
    'include/net/neighbour.h': `
static inline int neigh_output(struct neighbour *n, struct sk_buff *skb,
			       bool skip_cache)
{
	const struct hh_cache *hh = &n->hh;

	if (!skip_cache && (READ_ONCE(n->nud_state) & NUD_CONNECTED) && READ_ONCE(hh->hh_len))
		return neigh_hh_output(hh, skb);
	return READ_ONCE(n->output)(n, skb);
}
`,
    'net/core/dev.c': `
int __dev_queue_xmit(struct sk_buff *skb, struct net_device *sb_dev)
{
	struct net_device *dev = skb->dev;
	struct netdev_queue *txq = NULL;
	struct Qdisc *q;
	int rc = -ENOMEM;

	skb_reset_mac_header(skb);
	if (!txq)
		txq = netdev_core_pick_tx(dev, skb, sb_dev);
	q = rcu_dereference_bh(txq->qdisc);
	if (q->enqueue) {
		rc = __dev_xmit_skb(skb, q, dev, txq);
		goto out;
	}
	return -ENETDOWN;
out:
	return rc;
}
`,
  });
  const map = await mapOf(root, '6.18');
  assert.equal(at(map, 'ip_finish_output2', 'nexthop'), 'neigh = ip_neigh_for_gw(rt, skb, &is_v6gw);');
  assert.equal(at(map, 'ip_finish_output2', 'neigh'), 'res = neigh_output(neigh, skb, is_v6gw);');
  assert.equal(at(map, 'ip_finish_output2', 'stats'), 'unsigned int hh_len = LL_RESERVED_SPACE(dev);');
  const lookup = map.callPosition('ip_finish_output2', 'nexthop', '__ipv4_neigh_lookup_noref')!;
  assert.equal(lookup.line, map.position('ip_finish_output2', 'nexthop')!.line, 'the lookup is inside ip_neigh_for_gw');
  assert.equal(called(map, 'neigh_output', 'enter', 'neigh_resolve_output'), 'return READ_ONCE(n->output)(n, skb);');
  // From 5.x on, dev_queue_xmit is an inline in netdevice.h: __dev_queue_xmit stands in for it.
  assert.equal(at(map, 'dev_queue_xmit', 'enter'), 'int __dev_queue_xmit(struct sk_buff *skb, struct net_device *sb_dev)');
  assert.equal(map.position('dev_queue_xmit', 'enter')!.in, '__dev_queue_xmit');
});

test('definitions under #ifdef: the one a kernel with its options on builds; several otherwise: no line', async () => {
  const arp = (cond: string) => `
${cond}
static inline struct neighbour *__ipv4_neigh_lookup_noref(struct net_device *dev, u32 key)
{
	return ___neigh_lookup_noref(&arp_tbl, neigh_key_eq32, arp_hashfn, &key, dev);
}
#else
static inline
struct neighbour *__ipv4_neigh_lookup_noref(struct net_device *dev, u32 key)
{
	return NULL;
}
#endif
`;
  const on = await mapOf(tree49({ 'include/net/arp.h': arp('#ifdef CONFIG_INET') }), '4.9');
  assert.equal(at(on, '__ipv4_neigh_lookup_noref', 'enter'), 'static inline struct neighbour *__ipv4_neigh_lookup_noref(struct net_device *dev, u32 key)');
  const off = await mapOf(tree49({ 'include/net/arp.h': arp('#ifndef CONFIG_INET') }), '4.9');
  assert.equal(at(off, '__ipv4_neigh_lookup_noref', 'enter'), 'struct neighbour *__ipv4_neigh_lookup_noref(struct net_device *dev, u32 key)');
  const unknown = await mapOf(tree49({ 'include/net/arp.h': arp('#if BITS_PER_LONG == 64') }), '4.9');
  assert.match(at(unknown, '__ipv4_neigh_lookup_noref', 'enter'), /^UNMAPPED: __ipv4_neigh_lookup_noref is defined 2 times in include\/net\/arp\.h/);
});

test('a statement that matches twice is ambiguous: no line, with both lines in the reason', async () => {
  const twice = IP_OUTPUT.replace('\tskb->protocol = htons(ETH_P_IP);', '\tskb->protocol = htons(ETH_P_IP);\n\tif (!dev)\n\t\tskb->dev = NULL;');
  const map = await mapOf(tree49({ 'net/ipv4/ip_output.c': `${OUTPUT2_49}${FINISH_OUTPUT_49}${twice}` }), '4.9');
  assert.match(at(map, 'ip_output', 'set_dev'), /^UNMAPPED: 2 statements in ip_output match "assigns skb->dev" \(lines \d+, \d+\)/);
  assert.ok(map.position('ip_output', 'nf_hook'));
});

test('not a Linux tree: a clear reason, no mapping', async () => {
  const noMakefile = syntheticTree('6.1.0', {});
  require('node:fs').rmSync(require('node:path').join(noMakefile, 'Makefile'));
  const r1 = await loadSourceMap(noMakefile, '6.18', { cache, compute: computeSourceMap });
  assert.ok('problem' in r1 && /is not a Linux source tree: it has no Makefile/.test(r1.problem));
  const noIp = syntheticTree('6.1.0', { 'net/core/dev.c': DEV_49 });
  const r2 = await loadSourceMap(noIp, '6.18', { cache, compute: computeSourceMap });
  assert.ok('problem' in r2 && /no net\/ipv4\/ip_output\.c/.test(r2.problem));
  const r3 = await loadSourceMap('/no/such/kernel/tree', '6.18', { cache, compute: computeSourceMap });
  assert.ok('problem' in r3 && /does not exist/.test(r3.problem));
  const notLinux = syntheticTree('6.1.0', { 'net/ipv4/ip_output.c': 'int x;\n' });
  require('node:fs').writeFileSync(require('node:path').join(notLinux, 'Makefile'), 'all:\n\techo hi\n');
  const r4 = await loadSourceMap(notLinux, '6.18', { cache, compute: computeSourceMap });
  assert.ok('problem' in r4 && /no VERSION and PATCHLEVEL/.test(r4.problem));
});

test('the cache key is the bytes: an edited file is parsed again, the same bytes elsewhere are not', async () => {
  const own = tempCache();
  let computed = 0;
  const compute = async (f: Map<string, Buffer | null>, v: string) => {
    computed++;
    return computeSourceMap(f, v);
  };
  const a = tree49();
  const b = tree49();
  const ra = await loadSourceMap(a, '4.9', { cache: own, compute });
  const rb = await loadSourceMap(b, '4.9', { cache: own, compute });
  assert.equal(computed, 1, 'a copy of the same files uses the same mapping');
  assert.ok(!('problem' in rb) && rb.cached && rb.map.root === b);
  require('node:fs').appendFileSync(require('node:path').join(b, 'include', 'net', 'dst.h'), '\n/* edited */\n');
  const rc = await loadSourceMap(b, '4.9', { cache: own, compute });
  assert.equal(computed, 2);
  assert.ok(!('problem' in ra) && !('problem' in rc) && ra.cacheFile !== rc.cacheFile);
  assert.ok(!isUnmapped(rc.map.function('dst_output')!));
});

test('the cache keeps the mappings used last: older ones go when a new one is written, a read one stays', async () => {
  const fs = require('node:fs') as typeof import('node:fs');
  const path = require('node:path') as typeof import('node:path');
  const own = tempCache();
  const a = tree49();
  const ra = await loadSourceMap(a, '4.9', { cache: own, compute: computeSourceMap });
  assert.ok(!('problem' in ra));
  const dir = path.dirname(ra.cacheFile!);
  // Mappings of trees used days ago, the oldest first; and a file that is not a mapping.
  const day = 86_400_000;
  const stale = Array.from({ length: KEEP + 2 }, (_, i) => {
    const f = path.join(dir, `${String(i).padStart(32, '0')}.json`);
    fs.writeFileSync(f, '{}');
    const t = new Date(Date.now() - (20 - i) * day);
    fs.utimesSync(f, t, t);
    return f;
  });
  fs.writeFileSync(path.join(dir, 'README'), 'not a mapping');
  const long = new Date(Date.now() - 30 * day);
  fs.utimesSync(ra.cacheFile!, long, long);
  // Reading a's mapping marks it used; an edited tree writes a new mapping and trims the folder.
  const again = await loadSourceMap(a, '4.9', { cache: own, compute: computeSourceMap });
  assert.ok(!('problem' in again) && again.cached);
  fs.appendFileSync(path.join(a, 'include', 'net', 'dst.h'), '\n/* edited */\n');
  const edited = await loadSourceMap(a, '4.9', { cache: own, compute: computeSourceMap });
  assert.ok(!('problem' in edited) && !edited.cached);
  const left = fs.readdirSync(dir).sort();
  assert.equal(left.filter((f) => f.endsWith('.json')).length, KEEP);
  assert.ok(left.includes(path.basename(ra.cacheFile!)), 'the mapping read last is kept');
  assert.ok(left.includes(path.basename(edited.cacheFile!)));
  assert.ok(left.includes('README'), 'other files are left alone');
  // The newest of the stale ones stay, the oldest go.
  assert.deepEqual(stale.filter((f) => left.includes(path.basename(f))), stale.slice(stale.length - (KEEP - 2)));
});
