// struct net: the state of the sending host's network namespace, built from a scenario.

import type { Scenario, Peer, Rule } from '../scenario/types';
import { NetDevice, deviceFromLink, loopbackDevice } from './device';
import { NeighTable, Neighbour, NeighParms, NUD_BY_NAME, NUD_CONNECTED, NUD_NOARP, NUD_PERMANENT } from './neigh';
import type { FibEntry, FibRule } from './route';
import { RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN } from './route';
import { Sock } from './sock';
import { newCounters, Counters } from './snmp';
import { Netfilter } from './netfilter';
import { ether_addr_equal, parseIpv4, parseMac, prefixMask } from '../wire/addr';
import { msToJiffies, HZ } from '../core/clock';
import { findSysctl } from '../scenario/sysctl';
import { SKB_TRUESIZE } from './skbuff';
import type { Rng } from '../core/rng';

export interface IfAddr {
  address: number;
  prefix: number;
  mask: number;
  dev: NetDevice;
}

/** A host on one of the links: answers ARP (unless silent), echo requests, and SYNs with RST. */
export interface PeerHost {
  spec: Peer;
  address: number;
  mac: Uint8Array;
  dev: NetDevice;
  /** The peer's own IP ID counter for its replies. */
  ipId: number;
  /** Fragments it is reassembling, by source, ID and protocol. */
  fragments: Map<string, { parts: { off: number; data: Uint8Array }[]; end: number; header: Uint8Array | null }>;
}

export class Net {
  devices: NetDevice[] = [];
  lo: NetDevice;
  addrs: IfAddr[] = [];
  /** The main table's routes (the connected routes of the addresses, and `route add`). */
  fib: FibEntry[] = [];
  /** Every table by number: main is `fib`; others come from `route ... table N`. */
  tables = new Map<number, FibEntry[]>([[RT_TABLE_MAIN, this.fib]]);
  /**
   * The policy database, by preference (net/ipv4/fib_rules.c): empty while the scenario has no
   * `rule` (lookups go straight to the main table, as the kernel's fib_lookup does while no
   * custom rules were added), else local, the scenario's rules, main and default.
   */
  rules: FibRule[] = [];
  arp_tbl = new NeighTable();
  parms = new Map<NetDevice, NeighParms>();
  sockets = new Map<string, Sock>();
  counters: Counters = newCounters();
  nf: Netfilter;
  peers: PeerHost[] = [];
  /** Multicast groups joined per device (ifindex -> groups). */
  joins = new Map<number, Set<number>>();
  ip_default_ttl = 64;
  ip_no_pmtu_disc = 0;
  /** __ip_select_ident's hashed generator: bucket -> {id, last jiffy used}. */
  idents = new Map<number, { id: number; stamp: number }>();
  identSecret: number;
  nextSocketId = 1;
  /** The per-namespace socket ICMP errors are sent from (icmp_sk: pmtudisc DONT). */
  icmpSock = new Sock(0, 'icmp_sk', 'icmp', 0);
  /** The global ICMP rate limit's bucket (icmp_global): credit and the jiffy of its last refill. */
  icmpCredit = 0;
  icmpStamp = -1e9;
  nextEphemeral: number;

  constructor(s: Scenario, v49: boolean, rng: Rng, now: () => number) {
    this.lo = loopbackDevice();
    this.devices.push(this.lo);
    s.links.forEach((link, i) => {
      const mac = parseMac(link.address)!;
      const parent = link.parent !== undefined ? this.dev(link.parent) : undefined;
      this.devices.push(deviceFromLink(i + 2, link, mac, v49, parent));
    });
    for (const dev of this.devices) this.parms.set(dev, defaultParms(v49, rng));

    this.addAddress(0x7f000001, 8, this.lo);
    for (const a of s.addrs) this.addAddress(parseIpv4(a.address)!, a.prefix, this.dev(a.dev)!);
    for (const r of s.routes) {
      const dev = r.dev ? this.dev(r.dev)! : this.devForGateway(parseIpv4(r.via!)!)!;
      const table = r.table ?? RT_TABLE_MAIN;
      if (!this.tables.has(table)) this.tables.set(table, []);
      this.tables.get(table)!.push({
        table,
        dst: parseIpv4(r.dst)!, prefix: r.prefix, mask: prefixMask(r.prefix),
        gw: r.via ? parseIpv4(r.via)! : 0, dev, mtu: r.mtu ?? 0, prefsrc: r.src ? parseIpv4(r.src)! : 0, proto: 'static',
      });
    }
    if (s.rules.length) {
      this.rules = [defaultRule(0, RT_TABLE_LOCAL), defaultRule(0x7ffe, RT_TABLE_MAIN), defaultRule(0x7fff, RT_TABLE_DEFAULT)];
      for (const r of s.rules) this.addRule(r);
    }
    for (const sc of s.sysctls) this.applySysctl(sc.key, sc.value, rng);
    for (const n of s.neighs) {
      const dev = this.dev(n.dev)!;
      const neigh = new Neighbour(parseIpv4(n.address)!, dev, this.parms.get(dev)!);
      neigh.nud_state = NUD_BY_NAME[n.nud.toUpperCase()];
      neigh.ha = parseMac(n.lladdr)!;
      // arp_hh_ops: output and connected_output alike; a VLAN's arp_generic_ops: neigh_connected_output.
      neigh.output = dev.header_ops === 'eth_header_ops' || !(neigh.nud_state & NUD_CONNECTED) ? 'neigh_resolve_output' : 'neigh_connected_output';
      const j = now();
      neigh.confirmed = j;
      neigh.updated = j;
      neigh.used = j;
      if (neigh.nud_state & (NUD_PERMANENT | NUD_NOARP)) neigh.probes = 0;
      this.arp_tbl.entries.set(NeighTable.key(dev, neigh.key), neigh);
    }
    this.nf = new Netfilter(s.nft);
    for (const p of s.peers) {
      const address = parseIpv4(p.address)!;
      // The peer's ID counter starts from its address, so that it draws nothing from the generator.
      this.peers.push({ spec: p, address, mac: parseMac(p.lladdr)!, dev: this.dev(p.dev)!, ipId: Math.imul(address, 0x9e3779b1) >>> 16, fragments: new Map() });
    }
    for (const j of s.joins) {
      const dev = this.dev(j.dev)!;
      if (!this.joins.has(dev.ifindex)) this.joins.set(dev.ifindex, new Set());
      this.joins.get(dev.ifindex)!.add(parseIpv4(j.group)!);
    }
    this.identSecret = rng.u32();
    this.nextEphemeral = 32768 + rng.below(61000 - 32768);
  }

  dev(name: string): NetDevice | undefined {
    return this.devices.find((d) => d.name === name);
  }

  devByIndex(ifindex: number): NetDevice | undefined {
    return this.devices.find((d) => d.ifindex === ifindex);
  }

  /** Is `a` one of this host's addresses (inet_addr_type == RTN_LOCAL)? */
  isLocal(a: number): boolean {
    if ((a >>> 24) === 127) return true;
    const addrs = this.addrs;
    for (let i = 0; i < addrs.length; i++) if (addrs[i].address === a) return true;
    return false;
  }

  /**
   * The prefsrc of the local table's route to the host's own address `a` (fib_add_ifaddr): the
   * primary address of its subnet on its device (the first added; later ones are secondary), and
   * 127.0.0.1 for the rest of 127/8.
   */
  localSource(a: number): number {
    if ((a >>> 24) === 127) return a === 0x7f000001 ? a : 0x7f000001;
    const x = this.addrs.find((y) => y.address === a);
    if (!x) return a;
    const primary = this.addrs.find((y) => y.dev === x.dev && y.prefix === x.prefix && ((y.address ^ x.address) & x.mask) === 0);
    return primary ? primary.address : a;
  }

  /** A subnet-directed broadcast address of one of the host's subnets (local table "broadcast"). */
  broadcastDev(a: number): NetDevice | undefined {
    for (const x of this.addrs) {
      if (x.prefix >= 31 || x.dev === this.lo) continue;
      if (((x.address & x.mask) | ~x.mask) >>> 0 === a) return x.dev;
    }
    return undefined;
  }

  /** inet_select_addr: the device's primary address, preferring one in the same subnet as dst. */
  selectAddr(dev: NetDevice, dst: number): number {
    let first = 0;
    for (const x of this.addrs) {
      if (x.dev !== dev) continue;
      if (!first) first = x.address;
      if (dst && ((x.address ^ dst) & x.mask) === 0) return x.address;
    }
    if (first) return first;
    // No address on the device: any address of the host (link scope rules aside).
    const any = this.addrs.find((x) => x.dev !== this.lo);
    return any ? any.address : 0;
  }

  peerFor(dev: NetDevice, addr: number): PeerHost | undefined {
    for (const p of this.peers) if (p.dev === dev && p.address === addr) return p;
    return undefined;
  }

  peersByMac(dev: NetDevice, mac: Uint8Array): PeerHost | undefined {
    for (const p of this.peers) if (p.dev === dev && ether_addr_equal(p.mac, mac)) return p;
    return undefined;
  }

  private addAddress(address: number, prefix: number, dev: NetDevice): void {
    const mask = prefixMask(prefix);
    this.addrs.push({ address, prefix, mask, dev });
    if (dev !== this.lo && prefix < 32) {
      this.fib.push({ table: RT_TABLE_MAIN, dst: (address & mask) >>> 0, prefix, mask, gw: 0, dev, mtu: 0, prefsrc: address, proto: 'kernel' });
    }
  }

  /**
   * fib_nl_newrule: a rule without a preference gets one less than the first rule after local's
   * (fib_default_rule_pref); it goes after every rule whose preference is not larger.
   */
  private addRule(r: Rule): void {
    const second = this.rules[1];
    const pref = r.priority ?? (second && second.pref ? second.pref - 1 : 0);
    const src = r.from ? parseIpv4(r.from.address)! : 0;
    const dst = r.to ? parseIpv4(r.to.address)! : 0;
    const rule: FibRule = {
      pref,
      mark: r.fwmark ?? 0,
      // FRA_FWMARK without FRA_FWMASK: the whole mark (fib_nl2rule).
      mark_mask: r.fwmark === undefined ? 0 : r.fwmask ?? 0xffffffff,
      src, srcmask: r.from ? prefixMask(r.from.prefix) : 0, src_len: r.from?.prefix ?? 0,
      dst, dstmask: r.to ? prefixMask(r.to.prefix) : 0, dst_len: r.to?.prefix ?? 0,
      oifindex: r.oif !== undefined ? this.dev(r.oif)!.ifindex : 0,
      table: r.table,
      text: ruleText(pref, r),
    };
    const at = this.rules.findIndex((x) => x.pref > pref);
    this.rules.splice(at < 0 ? this.rules.length : at, 0, rule);
  }

  private devForGateway(gw: number): NetDevice | undefined {
    for (const x of this.addrs) if (x.dev !== this.lo && ((x.address ^ gw) & x.mask) === 0) return x.dev;
    return undefined;
  }

  private applySysctl(key: string, value: number, rng: Rng): void {
    const found = findSysctl(key);
    if (!found) return;
    if (found.dev === undefined) {
      if (key === 'net.ipv4.ip_default_ttl') this.ip_default_ttl = value;
      if (key === 'net.ipv4.ip_no_pmtu_disc') this.ip_no_pmtu_disc = value;
      return;
    }
    const targets = found.dev === 'default' ? this.devices : [this.dev(found.dev)!];
    const field = key.slice(key.lastIndexOf('.') + 1);
    for (const dev of targets) {
      const p = this.parms.get(dev)!;
      switch (field) {
        case 'mcast_solicit': p.mcast_probes = value; break;
        case 'ucast_solicit': p.ucast_probes = value; break;
        case 'app_solicit': p.app_probes = value; break;
        case 'mcast_resolicit': p.mcast_reprobes = value; break;
        case 'retrans_time_ms': p.retrans_time = msToJiffies(value); break;
        case 'base_reachable_time_ms':
          p.base_reachable_time = msToJiffies(value);
          // Writing base_reachable_time redraws reachable_time (neigh_proc_base_reachable_time).
          p.reachable_time = randReachTime(p.base_reachable_time, rng);
          break;
        case 'delay_first_probe_time': p.delay_probe_time = value * HZ; break;
        case 'unres_qlen_bytes': p.queue_len_bytes = value; break;
        case 'unres_qlen': p.queue_len_bytes = value * SKB_TRUESIZE(1514); break; // ETH_FRAME_LEN
        case 'locktime': p.locktime = value; break;
      }
    }
  }
}

/** neigh_rand_reach_time: uniform in [base/2, 3*base/2). */
export function randReachTime(base: number, rng: Rng): number {
  return base ? (base >> 1) + rng.below(base) : 0;
}

function defaultParms(v49: boolean, rng: Rng): NeighParms {
  const base = 30 * HZ;
  return {
    mcast_probes: 3,
    ucast_probes: 3,
    app_probes: 0,
    mcast_reprobes: 0,
    retrans_time: 1 * HZ,
    base_reachable_time: base,
    delay_probe_time: 5 * HZ,
    gc_staletime: 60 * HZ,
    // 4.9: 64 KiB; 6.x: SK_WMEM_MAX = SKB_TRUESIZE(256) * 256 = 212992 on x86-64.
    queue_len_bytes: v49 ? 65536 : SKB_TRUESIZE(256) * 256,
    locktime: 1 * HZ,
    reachable_time: randReachTime(base, rng),
  };
}

/** One of the kernel's own rules: local (0), main (32766), default (32767). */
function defaultRule(pref: number, table: number): FibRule {
  const name = table === RT_TABLE_LOCAL ? 'local' : table === RT_TABLE_MAIN ? 'main' : 'default';
  return { pref, mark: 0, mark_mask: 0, src: 0, srcmask: 0, src_len: 0, dst: 0, dstmask: 0, dst_len: 0, oifindex: 0, table, text: `${pref}: from all lookup ${name}` };
}

/** A rule as `ip rule show` prints it. */
function ruleText(pref: number, r: Rule): string {
  const net = (a: { address: string; prefix: number }): string => (a.prefix === 32 ? a.address : `${a.address}/${a.prefix}`);
  let t = `${pref}: from ${r.from ? net(r.from) : 'all'}`;
  if (r.to) t += ` to ${net(r.to)}`;
  if (r.fwmark !== undefined) t += ` fwmark 0x${r.fwmark.toString(16)}${r.fwmask !== undefined && r.fwmask !== 0xffffffff ? `/0x${r.fwmask.toString(16)}` : ''}`;
  if (r.oif !== undefined) t += ` oif ${r.oif}`;
  t += ` lookup ${r.table === RT_TABLE_MAIN ? 'main' : r.table === RT_TABLE_DEFAULT ? 'default' : r.table}`;
  return t;
}
