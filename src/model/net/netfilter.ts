// The nftables ruleset of the POST_ROUTING and LOCAL_OUT hooks: base chains at their priorities,
// rules with counters, and the NAT bindings that conntrack keeps per flow. The mangle output chain
// is nft's `type route` chain (nf_route_table_hook4).

import type { NftRule } from '../scenario/types';

export const NF_DROP = 0;
export const NF_ACCEPT = 1;

/** Base-chain priorities (smaller runs first): mangle -150 (NF_IP_PRI_MANGLE), filter 0, nat 100 (srcnat). */
export const CHAIN_PRIORITY: Record<NftRule['table'], number> = { mangle: -150, filter: 0, nat: 100 };

export interface RuleState {
  rule: NftRule;
  packets: number;
  bytes: number;
}

export interface Chain {
  table: NftRule['table'];
  priority: number;
  rules: RuleState[];
}

/** A NAT binding (conntrack entry with its manip), made on a flow's first packet. */
export interface NatBinding {
  /** New source address, or 0 when the nat chain left the flow alone. */
  saddr: number;
}

export class Netfilter {
  /** The POST_ROUTING chains. */
  chains: Chain[] = [];
  /** The LOCAL_OUT chains (filter, and mangle as a route chain). */
  output: Chain[] = [];
  nat = new Map<string, NatBinding>();
  verdicts = { accept: 0, drop: 0 };
  /** current->in_nf_duplicate (6.x) / the per-CPU nf_skb_duplicated (4.9): a dup is being sent. */
  inDuplicate = false;

  constructor(rules: NftRule[]) {
    for (const rule of rules) {
      const list = rule.chain === 'output' ? this.output : this.chains;
      let chain = list.find((c) => c.table === rule.table);
      if (!chain) {
        chain = { table: rule.table, priority: CHAIN_PRIORITY[rule.table], rules: [] };
        list.push(chain);
      }
      chain.rules.push({ rule, packets: 0, bytes: 0 });
    }
    this.chains.sort((a, b) => a.priority - b.priority);
    this.output.sort((a, b) => a.priority - b.priority);
  }

  /** No POST_ROUTING chain. */
  get empty(): boolean {
    return this.chains.length === 0;
  }
}
