// The nftables ruleset of the POST_ROUTING hook: base chains at their priorities, rules with
// counters, and the NAT bindings that conntrack keeps per flow.

import type { NftRule } from '../scenario/types';

export const NF_DROP = 0;
export const NF_ACCEPT = 1;

/** Base-chain priorities at POST_ROUTING (smaller runs first). */
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
  chains: Chain[] = [];
  nat = new Map<string, NatBinding>();
  verdicts = { accept: 0, drop: 0 };

  constructor(rules: NftRule[]) {
    for (const rule of rules) {
      let chain = this.chains.find((c) => c.table === rule.table);
      if (!chain) {
        chain = { table: rule.table, priority: CHAIN_PRIORITY[rule.table], rules: [] };
        this.chains.push(chain);
      }
      chain.rules.push({ rule, packets: 0, bytes: 0 });
    }
    this.chains.sort((a, b) => a.priority - b.priority);
  }

  get empty(): boolean {
    return this.chains.length === 0;
  }
}
