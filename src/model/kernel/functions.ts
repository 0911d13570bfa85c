// Every modeled kernel function: its name, the kernel source file it models, the model file that
// holds it, and the profiles it runs in. Breakpoints by function name are checked against this.

import type { KernelProfile } from '../scenario/types';

export interface ModeledFunction {
  name: string;
  /** The Linux source file it comes from. */
  source: string;
  /** The model file (under src/model/kernel) that implements it. */
  model: string;
  profiles: readonly KernelProfile[];
}

const BOTH = ['6.18', '4.9'] as const;
const NEW = ['6.18'] as const;
const OLD = ['4.9'] as const;

export const MODELED_FUNCTIONS: readonly ModeledFunction[] = [
  { name: 'udp_sendmsg', source: 'net/ipv4/udp.c', model: 'udp.ts', profiles: BOTH },
  { name: 'raw_sendmsg', source: 'net/ipv4/raw.c', model: 'raw.ts', profiles: BOTH },
  { name: 'tcp_v4_connect', source: 'net/ipv4/tcp_ipv4.c', model: 'tcp_ipv4.ts', profiles: BOTH },
  { name: 'ip_queue_xmit', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: 'ip_route_output_flow', source: 'net/ipv4/route.c', model: 'route.ts', profiles: BOTH },
  { name: 'ip_make_skb', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: 'ip_send_skb', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: 'ip_local_out', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: '__ip_local_out', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: 'dst_output', source: 'include/net/dst.h', model: 'dst.ts', profiles: BOTH },
  { name: 'ip_output', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: 'ip_mc_output', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: 'ip_mc_finish_output', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: NEW },
  { name: 'nf_hook_slow', source: 'net/netfilter/core.c', model: 'netfilter.ts', profiles: BOTH },
  { name: 'ip_route_me_harder', source: 'net/ipv4/netfilter.c', model: 'ipv4_netfilter.ts', profiles: BOTH },
  { name: 'nf_dup_ipv4', source: 'net/ipv4/netfilter/nf_dup_ipv4.c', model: 'nf_dup_ipv4.ts', profiles: BOTH },
  { name: 'ip_finish_output', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: '__ip_finish_output', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: NEW },
  { name: 'ip_finish_output_gso', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: 'ip_fragment', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: 'ip_do_fragment', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: 'ip_finish_output2', source: 'net/ipv4/ip_output.c', model: 'ip_output.ts', profiles: BOTH },
  { name: 'skb_expand_head', source: 'net/core/skbuff.c', model: 'skbuff.ts', profiles: NEW },
  { name: 'skb_realloc_headroom', source: 'net/core/skbuff.c', model: 'skbuff.ts', profiles: OLD },
  { name: '__ipv4_neigh_lookup_noref', source: 'include/net/arp.h', model: 'neighbour.ts', profiles: BOTH },
  { name: '__neigh_create', source: 'net/core/neighbour.c', model: 'neighbour.ts', profiles: BOTH },
  { name: 'arp_constructor', source: 'net/ipv4/arp.c', model: 'arp.ts', profiles: BOTH },
  { name: 'neigh_output', source: 'include/net/neighbour.h', model: 'neighbour.ts', profiles: NEW },
  { name: 'dst_neigh_output', source: 'include/net/dst.h', model: 'neighbour.ts', profiles: OLD },
  { name: 'neigh_hh_output', source: 'include/net/neighbour.h', model: 'neighbour.ts', profiles: BOTH },
  { name: 'neigh_resolve_output', source: 'net/core/neighbour.c', model: 'neighbour.ts', profiles: BOTH },
  { name: 'neigh_connected_output', source: 'net/core/neighbour.c', model: 'neighbour.ts', profiles: BOTH },
  { name: '__neigh_event_send', source: 'net/core/neighbour.c', model: 'neighbour.ts', profiles: BOTH },
  { name: 'neigh_probe', source: 'net/core/neighbour.c', model: 'neighbour.ts', profiles: BOTH },
  { name: 'neigh_timer_handler', source: 'net/core/neighbour.c', model: 'neighbour.ts', profiles: BOTH },
  { name: 'neigh_update', source: 'net/core/neighbour.c', model: 'neighbour.ts', profiles: BOTH },
  { name: 'neigh_invalidate', source: 'net/core/neighbour.c', model: 'neighbour.ts', profiles: BOTH },
  { name: 'arp_solicit', source: 'net/ipv4/arp.c', model: 'arp.ts', profiles: BOTH },
  { name: 'arp_xmit', source: 'net/ipv4/arp.c', model: 'arp.ts', profiles: BOTH },
  { name: 'arp_process', source: 'net/ipv4/arp.c', model: 'arp.ts', profiles: BOTH },
  { name: 'arp_error_report', source: 'net/ipv4/arp.c', model: 'arp.ts', profiles: BOTH },
  { name: '__icmp_send', source: 'net/ipv4/icmp.c', model: 'icmp.ts', profiles: BOTH },
  { name: 'icmp_rcv', source: 'net/ipv4/icmp.c', model: 'icmp.ts', profiles: BOTH },
  { name: 'ip_rcv', source: 'net/ipv4/ip_input.c', model: 'ip_input.ts', profiles: BOTH },
  { name: 'skb_checksum_help', source: 'net/core/dev.c', model: 'dev.ts', profiles: BOTH },
  { name: 'dev_queue_xmit', source: 'net/core/dev.c', model: 'dev.ts', profiles: BOTH },
  { name: '__dev_xmit_skb', source: 'net/core/dev.c', model: 'dev.ts', profiles: BOTH },
  { name: 'validate_xmit_skb', source: 'net/core/dev.c', model: 'dev.ts', profiles: BOTH },
  { name: 'dev_hard_start_xmit', source: 'net/core/dev.c', model: 'dev.ts', profiles: BOTH },
  { name: 'do_softirq', source: 'kernel/softirq.c', model: 'softirq.ts', profiles: BOTH },
  { name: 'net_rx_action', source: 'net/core/dev.c', model: 'dev.ts', profiles: BOTH },
  { name: '__netif_receive_skb', source: 'net/core/dev.c', model: 'ip_input.ts', profiles: BOTH },
  { name: 'dev_loopback_xmit', source: 'net/core/dev.c', model: 'dev.ts', profiles: BOTH },
  { name: 'vlan_dev_hard_header', source: 'net/8021q/vlan_dev.c', model: 'vlan_dev.ts', profiles: BOTH },
  { name: 'vlan_dev_hard_start_xmit', source: 'net/8021q/vlan_dev.c', model: 'vlan_dev.ts', profiles: BOTH },
];

export function findFunction(name: string): ModeledFunction | undefined {
  return MODELED_FUNCTIONS.find((f) => f.name === name);
}
