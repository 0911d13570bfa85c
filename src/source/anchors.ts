// Where each step point of the model sits in the real Linux source: for every modeled function,
// the statement each of its step points models, recognised by what the statement does (it assigns
// `mtu`, it calls neigh_output, it tests IP_DF), never by a line number. 'enter' is the line of the
// function's name and 'leave' its closing brace; they need no entry. The listings
// (src/model/listing) say which step points a function has in each profile.
//
// A profile covers a range of kernels (6.18: 6.1 to 6.18; 4.9: 4.4 to 4.19), so an anchor names
// what stays the same across them; where kernels differ, `anyOf` lists the forms in order.

import type { ListingProfile } from '../model/listing';
// Imported from @vscode/l10n itself so that npm run l10n finds the strings; src/l10n sets its language.
import * as l10n from '@vscode/l10n';

/** A statement, recognised by what it does. A string is a whole name; a RegExp tests the text. */
export type Statement =
  /** `x = v`, `T x = v` or `WRITE_ONCE(x, v)`; `value` tests v. */
  | { assigns: string | RegExp; value?: RegExp }
  /** A call of a function or macro (a string also matches a pointer member: `->solicit(...)`); `args` tests the arguments. */
  | { calls: string | RegExp; args?: RegExp }
  /** The condition of an if, while, for or switch. */
  | { tests: RegExp }
  /** Any statement whose own text (the condition, for a conditional) matches. */
  | { text: RegExp };

export type Anchor = Statement & {
  /** Only inside a block whose condition matches (`if (rt->rt_flags & RTCF_MULTICAST) { ... }`). */
  within?: RegExp;
  /** When several statements match: the first or the last. Without it, several is ambiguous: not mapped. */
  pick?: 'first' | 'last';
};

export type StepAnchor =
  | Anchor
  /** The first form that matches anything (kernels in the profile's range differ). */
  | { anyOf: Anchor[] }
  /** No statement of the kernel is this step point; the reason, for the user. */
  | { none: () => string }
  /** The model passes one step point where the kernel has one statement per case: the line depends on a local of the step. */
  | { byLocal: string; cases: Record<string, Anchor>; otherwise?: Anchor };

type PerProfile<T> = T | { '6.18'?: T; '4.9'?: T };

export interface FunctionAnchors {
  /** The kernel file, when it is not the one functions.ts names. */
  file?: string;
  /** Other names the function may be defined under, tried in order when its own is not found. */
  alias?: string[];
  /** Real functions the model folds into this one ('name' or 'path:name'), searched after it. */
  folds?: string[];
  /** The step points (w.at labels) and the statements they model. */
  steps?: Record<string, PerProfile<StepAnchor>>;
  /** How the kernel reaches a modeled callee when it does not call it by name. */
  calls?: Record<string, Anchor>;
}

/** ip_finish_output (4.9) and __ip_finish_output (5.3 on): the xfrm reroute, the MTU, the GSO and fragmentation branches. */
const FINISH_OUTPUT_STEPS: Record<string, StepAnchor> = {
  xfrm: { tests: /->xfrm\b/ },
  mtu: { assigns: 'mtu' },
  gso: { calls: 'ip_finish_output_gso' },
  fragment: { calls: 'ip_fragment' },
};

const nud = (state: string): Anchor => ({ assigns: 'neigh->nud_state', value: new RegExp(`\\bNUD_${state}\\b`) });

let table: Record<string, FunctionAnchors> | undefined;

/** The table, built on first use: a debug session without a Linux tree never needs its regular expressions. */
export function anchors(): Record<string, FunctionAnchors> {
  return (table ??= anchorTable());
}

const anchorTable = (): Record<string, FunctionAnchors> => ({
  // net/ipv4/udp.c
  udp_sendmsg: {
    steps: {
      autobind: { none: () => l10n.t('the kernel binds the source port in inet_sendmsg (net/ipv4/af_inet.c), before udp_sendmsg runs') },
      udp_send_skb: { calls: 'udp_send_skb' },
      // UDP_SEGMENT's checks open udp_send_skb, which the model folds in here.
      gso: { text: /^cork->gso_size$/ },
    },
    folds: ['udp_send_skb'],
    calls: { ip_send_skb: { calls: 'udp_send_skb' } },
  },
  // net/ipv4/raw.c: the kernel copies the user's echo request with ip_append_data
  raw_sendmsg: {
    steps: { echo: { calls: 'ip_append_data' } },
    calls: { ip_make_skb: { calls: 'ip_append_data' }, ip_send_skb: { calls: 'ip_push_pending_frames' } },
  },
  // net/ipv4/tcp_ipv4.c
  tcp_v4_connect: {
    steps: {
      syn_sent: { calls: 'tcp_set_state', args: /\bTCP_SYN_SENT\b/ },
      syn: { calls: 'tcp_connect' },
    },
    calls: { ip_route_output_flow: { calls: 'ip_route_connect' }, ip_queue_xmit: { calls: 'tcp_connect' } },
  },
  // net/ipv4/route.c: the lookup and __mkroute_output are in the functions it calls
  ip_route_output_flow: {
    folds: ['ip_route_output_key_hash_rcu', 'ip_route_output_key_hash', '__ip_route_output_key_hash'],
    steps: { route: { calls: '__mkroute_output' } },
  },
  // net/ipv4/ip_output.c
  ip_make_skb: {
    folds: ['__ip_append_data', '__ip_make_skb'],
    steps: {
      mtu: { assigns: 'maxnonfragsize' },
      alloc: { calls: 'sock_alloc_send_skb' },
      iph: { calls: /^ip_select_ident(_segs)?$/ },
    },
  },
  ip_send_skb: {},
  ip_local_out: {},
  __ip_local_out: { steps: { tot_len: { assigns: 'iph->tot_len' }, nf_hook: { calls: 'nf_hook' } }, calls: { nf_hook_slow: { calls: 'nf_hook' } } },
  ip_queue_xmit: {
    folds: ['__ip_queue_xmit'],
    steps: { iph: { calls: 'ip_select_ident_segs' } },
  },
  ip_output: {
    steps: {
      // 4.9 counts OutRequests and OutOctets here (IPSTATS_MIB_OUT); 6.x does not.
      stats: { calls: 'IP_UPD_PO_STATS' },
      set_dev: { assigns: 'skb->dev' },
      nf_hook: { calls: 'NF_HOOK_COND' },
    },
    calls: { nf_hook_slow: { calls: 'NF_HOOK_COND' } },
  },
  ip_mc_output: {
    steps: {
      mc_loop: { calls: 'skb_clone', within: /RTCF_MULTICAST/ },
      bc_loop: { calls: 'skb_clone', within: /RTCF_BROADCAST/ },
      nf_hook: { calls: 'NF_HOOK_COND' },
    },
    calls: { nf_hook_slow: { calls: /^NF_HOOK(_COND)?$/ } },
  },
  ip_mc_finish_output: {},
  ip_finish_output: {
    // 4.9 computes the MTU here; from 5.3 on the body moved to __ip_finish_output.
    folds: ['__ip_finish_output'],
    steps: FINISH_OUTPUT_STEPS,
  },
  __ip_finish_output: { steps: FINISH_OUTPUT_STEPS },
  ip_finish_output_gso: {
    steps: {
      seglen: { tests: /\bskb_gso_validate_(network_len|mtu)\(/ },
      segment: { calls: 'ip_fragment' },
    },
  },
  ip_fragment: {
    steps: { df: { tests: /frag_off\s*&\s*htons\(IP_DF\)/ } },
    calls: { __icmp_send: { calls: 'icmp_send' } },
  },
  ip_do_fragment: {
    steps: {
      geometry: { tests: /\bskb_has_frag_list\(/ },
      output: { none: () => l10n.t('the kernel calls output() in two places, on the frag_list fast path and on the copying slow path, and this step point does not say which') },
    },
  },
  ip_finish_output2: {
    steps: {
      mcast: { calls: 'IP_UPD_PO_STATS', args: /\bIPSTATS_MIB_OUTMCAST\b/ },
      bcast: { calls: 'IP_UPD_PO_STATS', args: /\bIPSTATS_MIB_OUTBCAST\b/ },
      stats: { assigns: 'hh_len' },
      // 4.9 makes a new skb with room; 5.15 on grow the skb in place.
      headroom: { '6.18': { calls: 'skb_expand_head' }, '4.9': { calls: 'skb_realloc_headroom' } },
      // 4.9 also frees the skb when skb_realloc_headroom fails: the drop of no neighbour is the last.
      no_neigh: { '6.18': { calls: 'kfree_skb_reason', args: /\bSKB_DROP_REASON_NEIGH_CREATEFAIL\b/ }, '4.9': { calls: 'kfree_skb', pick: 'last' } },
      nexthop: { '6.18': { anyOf: [{ calls: 'ip_neigh_for_gw' }, { assigns: 'nexthop' }] }, '4.9': { assigns: 'nexthop' } },
      // 4.11 to 4.19 call neigh_output where 4.9 called dst_neigh_output.
      neigh: { '6.18': { calls: 'neigh_output' }, '4.9': { anyOf: [{ calls: 'dst_neigh_output' }, { calls: 'neigh_output' }] } },
    },
    calls: { __ipv4_neigh_lookup_noref: { calls: 'ip_neigh_for_gw' }, __neigh_create: { calls: 'ip_neigh_for_gw' } },
  },
  // include/net/dst.h
  // 5.x on call the route's output through INDIRECT_CALL_INET(skb_dst(skb)->output, ...).
  dst_output: { steps: { output: { text: /->output\b/ } }, calls: { ip_output: { text: /->output\b/ }, ip_mc_output: { text: /->output\b/ } } },
  dst_neigh_output: {
    steps: { connected: { tests: /\bNUD_CONNECTED\b/ } },
    calls: { neigh_resolve_output: { calls: 'output' }, neigh_connected_output: { calls: 'output' } },
  },
  // net/netfilter/core.c
  nf_hook_slow: {
    steps: { verdict: { assigns: 'verdict' } },
    // The chains' hook functions (nft_do_chain, nf_route_table_hook4) call them.
    calls: { ip_route_me_harder: { assigns: 'verdict' }, nf_dup_ipv4: { assigns: 'verdict' } },
  },
  // include/net/arp.h
  __ipv4_neigh_lookup_noref: { steps: { key: { assigns: 'key', value: /\bINADDR_ANY\b|^0$/ } } },
  // net/core/neighbour.c
  __neigh_create: {
    folds: ['___neigh_create'],
    steps: { alloc: { assigns: 'n', value: /\bneigh_alloc\(/ } },
    calls: { arp_constructor: { calls: 'constructor' } },
  },
  neigh_resolve_output: {
    steps: {
      hh_init: { calls: 'neigh_hh_init' },
      header: { calls: 'dev_hard_header' },
    },
    calls: { __neigh_event_send: { calls: 'neigh_event_send' }, vlan_dev_hard_header: { calls: 'dev_hard_header' } },
  },
  __neigh_event_send: {
    steps: {
      nud_state: { byLocal: 'nud_state', cases: { INCOMPLETE: nud('INCOMPLETE'), FAILED: nud('FAILED'), DELAY: nud('DELAY') } },
      queued: { calls: '__skb_queue_tail' },
      bh_enable: { calls: 'local_bh_enable' },
    },
  },
  neigh_probe: { calls: { arp_solicit: { calls: 'solicit' } } },
  neigh_timer_handler: {
    steps: {
      nud_state: { byLocal: 'nud_state', cases: { DELAY: nud('DELAY'), STALE: nud('STALE'), REACHABLE: nud('REACHABLE'), PROBE: nud('PROBE'), FAILED: nud('FAILED') } },
      mod_timer: { calls: 'mod_timer' },
    },
  },
  neigh_update: {
    // From 4.18 on the body is __neigh_update (with extack).
    folds: ['__neigh_update'],
    steps: {
      nud_state: {
        byLocal: 'nud_state',
        cases: {
          NONE: { assigns: 'neigh->nud_state', value: /^new$/, within: /!\s*\(\s*new\s*&\s*NUD_VALID\s*\)/ },
          INCOMPLETE: { assigns: 'neigh->nud_state', value: /^new$/, within: /!\s*\(\s*new\s*&\s*NUD_VALID\s*\)/ },
          FAILED: { assigns: 'neigh->nud_state', value: /^new$/, within: /!\s*\(\s*new\s*&\s*NUD_VALID\s*\)/ },
        },
        otherwise: { assigns: 'neigh->nud_state', value: /^new$/, within: /^new\s*!=\s*old$/ },
      },
      lladdr: { calls: 'memcpy', args: /neigh->ha\b/ },
      flush: { calls: 'output' },
    },
    calls: { neigh_resolve_output: { calls: 'output' } },
  },
  neigh_invalidate: {
    steps: { error_report: { calls: 'error_report' } },
    calls: { arp_error_report: { calls: 'error_report' } },
  },
  neigh_connected_output: { calls: { vlan_dev_hard_header: { calls: 'dev_hard_header' } } },
  // include/net/neighbour.h
  neigh_output: {
    steps: { connected: { tests: /\bNUD_CONNECTED\b/ } },
    calls: { neigh_resolve_output: { calls: 'output' }, neigh_connected_output: { calls: 'output' } },
  },
  neigh_hh_output: { steps: { push: { calls: '__skb_push' } } },
  // net/ipv4/arp.c
  arp_constructor: { steps: { state: { tests: /nud_state\s*&\s*NUD_VALID/ } } },
  arp_solicit: {
    steps: { saddr: { assigns: 'saddr', value: /\binet_select_addr\(/ } },
    calls: { arp_xmit: { calls: 'arp_send_dst' } },
  },
  arp_xmit: { calls: { dev_queue_xmit: { calls: 'NF_HOOK' } } },
  arp_process: { steps: { state: { assigns: 'override' } } },
  arp_error_report: { calls: { __icmp_send: { calls: 'dst_link_failure' } } },
  // net/core/dev.c: from 5.x on dev_queue_xmit is an inline in netdevice.h around __dev_queue_xmit
  dev_queue_xmit: { alias: ['__dev_queue_xmit'], folds: ['__dev_queue_xmit'], steps: { unlock_bh: { calls: 'rcu_read_unlock_bh', pick: 'last' } } },
  // kernel/softirq.c
  do_softirq: {},
  // process_backlog is the backlog's NAPI poll, folded into net_rx_action.
  net_rx_action: {
    folds: ['process_backlog'],
    steps: { dequeue: { calls: '__skb_dequeue' }, done: { calls: '__raise_softirq_irqoff' } },
  },
  // __netif_receive_skb_core: the VLAN tag in the metadata first, then the protocol's handler.
  __netif_receive_skb: {
    folds: ['__netif_receive_skb_one_core', '__netif_receive_skb_core'],
    steps: { vlan: { calls: 'vlan_do_receive', pick: 'first' } },
  },
  __dev_xmit_skb: {
    steps: {
      // 6.x: pfifo_fast is lockless (TCQ_F_NOLOCK); the enqueue that does not bypass is the last one there.
      // 4.16 to 4.19 have the lockless branch too (q->enqueue in both): the model's is that one.
      enqueue: {
        '6.18': { calls: 'dev_qdisc_enqueue', within: /TCQ_F_NOLOCK/, pick: 'last' },
        '4.9': { anyOf: [{ calls: 'enqueue', within: /TCQ_F_NOLOCK/ }, { calls: 'enqueue' }] },
      },
    },
    calls: {
      validate_xmit_skb: { calls: /^(sch_direct_xmit|__qdisc_run|qdisc_run)$/ },
      dev_hard_start_xmit: { calls: /^(sch_direct_xmit|__qdisc_run|qdisc_run)$/ },
    },
  },
  validate_xmit_skb: {
    steps: { segs: { assigns: 'segs' }, vlan: { calls: 'validate_xmit_vlan' } },
    calls: { skb_checksum_help: { calls: 'skb_csum_hwoffload_help' } },
  },
  skb_checksum_help: { steps: { csum: { calls: 'csum_fold' } } },
  dev_hard_start_xmit: {
    folds: ['xmit_one'],
    steps: { wire: { calls: 'netdev_start_xmit' } },
    calls: { vlan_dev_hard_start_xmit: { calls: 'netdev_start_xmit' } },
  },
  dev_loopback_xmit: {},
  // net/ipv4/netfilter.c
  ip_route_me_harder: {
    steps: { route: { calls: 'skb_dst_set', pick: 'first' }, headroom: { calls: 'pskb_expand_head' } },
    calls: { ip_route_output_flow: { calls: 'ip_route_output_key' } },
  },
  // net/ipv4/netfilter/nf_dup_ipv4.c
  nf_dup_ipv4: {
    folds: ['nf_dup_ipv4_route'],
    steps: { copy: { text: /frag_off\s*\|=\s*htons\(IP_DF\)/ }, route: { assigns: 'skb->dev' } },
    calls: { ip_route_output_flow: { calls: 'ip_route_output_key' } },
  },
  // net/core/skbuff.c
  skb_expand_head: {
    steps: { clone: { assigns: 'skb', value: /^nskb$/ }, expand: { text: /truesize\s*\+=\s*delta/ } },
  },
  skb_realloc_headroom: { steps: { copy: { calls: 'pskb_expand_head' } } },
  // net/8021q/vlan_dev.c
  vlan_dev_hard_header: { steps: { header: { calls: 'dev_hard_header' } } },
  // Some kernels tag a second time in a branch for frames that carry a tag already: the first call is this one.
  vlan_dev_hard_start_xmit: { steps: { tag: { calls: '__vlan_hwaccel_put_tag', pick: 'first' } } },
  // net/ipv4/icmp.c
  __icmp_send: {
    steps: { quote: { assigns: /^icmp_param(\.|->)data_len$/, value: /\bskb_in->len\b/ } },
    calls: { ip_route_output_flow: { calls: 'icmp_route_lookup' }, ip_make_skb: { calls: 'icmp_push_reply' }, ip_send_skb: { calls: 'icmp_push_reply' } },
  },
  icmp_rcv: {},
  // net/ipv4/ip_input.c: the receive path runs through netfilter's PRE_ROUTING to the protocol
  ip_rcv: { calls: { icmp_rcv: { calls: 'NF_HOOK' } } },
});

/** The anchor of a step point in a profile (undefined: the table has none). */
export function stepAnchor(fn: string, step: string, profile: ListingProfile): StepAnchor | undefined {
  const s = anchors()[fn]?.steps?.[step];
  if (!s) return undefined;
  if ('6.18' in s || '4.9' in s) return (s as { '6.18'?: StepAnchor; '4.9'?: StepAnchor })[profile];
  return s as StepAnchor;
}
