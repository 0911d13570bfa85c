// How a scenario is set up on a real kernel: the namespaces, the commands that build them, and
// the schedule of socket calls. Pure: the live capture (live.ts) runs what this returns, and the
// tests check it without root.
//
// Layout: one namespace for the host ("this machine") and one per link for the hosts on that
// link. Each link is a veth pair with the host's end named, addressed and sized as the scenario
// says; the other end sits in the link's peer namespace and carries the MAC of the first peer
// on the link (further MACs get macvlan devices on top of it). A peer gets its address at
// `up-at` (ARP requests before then go unanswered) and a `silent` peer never gets one, so nothing
// answers for it. Every command names its namespace (`ip -n`, `ip netns exec`): nothing here
// touches the namespace kpath itself runs in.
//
// With a device prefix (PlanOptions.devicePrefix) every device of the capture gets a name no
// other namespace of the machine has, the host's lo included, and the host's devices keep the
// scenario's names as alternative names: the kernel's tracepoints name devices but not their
// namespaces, so that is how the capture tells its own events from those of other namespaces.

import * as l10n from '@vscode/l10n';
import type { Scenario, Send, Link, Rule } from '../model/scenario/types';
import { findSysctl } from '../model/scenario/sysctl';
import { formatNftRule } from '../model/scenario/nft';
import { buildIpOptions } from '../model/wire/ipv4';
import { parseIpv4, prefixMask, formatIpv4 } from '../model/wire/addr';
import type { HelperAction, HelperPlan, HelperSend } from './helper-py';

export interface SetupStep {
  /** What the step does, for messages ("link veth0: create the veth pair"). */
  what: string;
  argv: string[];
  /** Text fed to the command's standard input (an nft script). */
  input?: string;
}

export interface CapturePlan {
  /** Every namespace name starts with this: `kpath-<pid>-<seq>`. */
  prefix: string;
  hostNs: string;
  /** The peer namespace of each link, in link order. */
  peerNs: { link: string; ns: string }[];
  /** Every namespace, in creation order. */
  namespaces: string[];
  setup: SetupStep[];
  helper: HelperPlan;
  /** The host's devices to capture on (every link, then lo), with their MACs and their names in the kernel. */
  devices: { name: string; mac: string; kernel: string }[];
  /** The prefix of every device name of the capture ('' when the devices have the scenario's names). */
  devicePrefix: string;
  /** The kernel's name of each host device (scenario name -> kernel name, lo included). */
  hostNames: Record<string, string>;
  /** The kernel's names of the peers' devices (the other ends of the links, and their macvlans). */
  peerNames: string[];
  /** The ifindex given to each host link (scenario name -> ifindex), when the plan chose them. */
  ifindex: Record<string, number>;
  needs: { nft: boolean; tc: boolean };
  /** Where the real setup cannot be what the scenario says. */
  notes: string[];
}

export interface PlanOptions {
  /** `kpath-<pid>-<seq>` */
  prefix: string;
  /** Path of the helper program (helper-py.ts written to a file). */
  helperPath: string;
  /** The Python interpreter (live.ts: /usr/bin/python3), run with -I. */
  python?: string;
  /** Use `ethtool -K` (when installed) instead of the helper's ioctl. */
  ethtool?: boolean;
  /** End of the run, ns after time 0. */
  end: number;
  /** Lead time between "go" and time 0 (ns). */
  lead?: number;
  /**
   * A prefix no other namespace's devices have (`k<pid>_<seq>_`, at most 10 characters): every
   * device is then named with it, the host's with the scenario's names as alternative names.
   * Without it the devices have the scenario's names.
   */
  devicePrefix?: string;
  /** The first ifindex of the host's links (one each, in link order), so that qdisc events name them alone. */
  ifindexBase?: number;
}

/** The device the first peer MAC of a link uses in its peer namespace; later MACs get peer1, peer2... */
export const PEER_DEV = 'peer';

/**
 * The socket calls in the order the model makes them: each send line schedules its next
 * repetition when it runs, and calls at the same time run in the order they were scheduled.
 */
export function callOrder(s: Scenario): { send: Send; rep: number; t: number }[] {
  type Ev = { t: number; seq: number; send: Send; rep: number };
  const queue: Ev[] = [];
  let seq = 0;
  const push = (e: Omit<Ev, 'seq'>): void => {
    queue.push({ ...e, seq: seq++ });
  };
  for (const send of s.sends) if (send.count > 0) push({ t: send.at, send, rep: 0 });
  const out: { send: Send; rep: number; t: number }[] = [];
  // A binary heap by (time, order scheduled): n log n for n calls, whatever the number of lines.
  const less = (a: Ev, b: Ev): boolean => a.t < b.t || (a.t === b.t && a.seq < b.seq);
  const heap: Ev[] = [];
  const add = (e: Ev): void => {
    heap.push(e);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!less(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const take = (): Ev => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (l + 1 < heap.length && less(heap[l + 1], heap[m])) m = l + 1;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  for (const e of queue) add(e);
  while (heap.length) {
    const e = take();
    if (e.rep + 1 < e.send.count) add({ t: e.t + e.send.every, send: e.send, rep: e.rep + 1, seq: seq++ });
    out.push({ send: e.send, rep: e.rep, t: e.t });
  }
  return out;
}

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** `/proc/sys` path of a sysctl key; `DEV` = `default` stands for every link and lo. */
function sysctlPaths(key: string, links: readonly Link[], kn: (dev: string) => string = (d) => d): string[] {
  const f = findSysctl(key);
  if (f?.dev === undefined) return [key.replace(/\./g, '/')];
  const i = f.spec.key.indexOf('DEV');
  const before = f.spec.key.slice(0, i).replace(/\./g, '/');
  const after = f.spec.key.slice(i + 3).replace(/\./g, '/');
  // A non-initial namespace has no net.ipv4.neigh.default: the default means every device.
  const devs = (f.dev === 'default' ? [...links.map((l) => l.name), 'lo'] : [f.dev]).map(kn);
  return devs.map((d) => `${before}${d}${after}`);
}

function helperSend(send: Send, index: number, kn: (dev: string) => string): HelperSend {
  const h: HelperSend = {
    index, line: send.pos.line, proto: send.proto, to: send.to, port: send.port, size: send.size,
    socket: send.socket ?? `#${index}`, df: send.df, connected: send.connected, broadcast: send.broadcast,
    recverr: send.recverr, close: send.socket === undefined,
  };
  if (send.ttl !== undefined) h.ttl = send.ttl;
  if (send.tos !== undefined) h.tos = send.tos;
  if (send.mark !== undefined) h.mark = send.mark;
  if (send.from !== undefined) h.from = send.from;
  if (send.fromPort !== undefined) h.fromPort = send.fromPort;
  if (send.bindDev !== undefined) h.bindDev = kn(send.bindDev);
  if (send.multicastIf !== undefined) h.multicastIf = send.multicastIf;
  if (send.multicastTtl !== undefined) h.multicastTtl = send.multicastTtl;
  if (send.multicastLoop !== undefined) h.multicastLoop = send.multicastLoop;
  if (send.ipOptions) h.ipOptions = hex(buildIpOptions(send.ipOptions));
  if (send.gso !== undefined) h.gso = send.gso;
  return h;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/** What a capture may build and do: each link is a namespace and a veth pair, each further peer MAC a macvlan, each call a socket call of the helper. */
export const CAPTURE_LIMITS = { links: 64, peerDevices: 256, calls: 100_000 } as const;

/** The scenario's needs past CAPTURE_LIMITS, as problems to report before anything is set up. */
export function captureLimitProblems(s: Scenario): string[] {
  const problems: string[] = [];
  if (s.links.length > CAPTURE_LIMITS.links) problems.push(l10n.t('the scenario has {0} links; kpath capture builds at most {1} (a namespace and a veth pair each)', s.links.length, CAPTURE_LIMITS.links));
  const macs = new Set(s.peers.map((p) => `${p.dev} ${p.lladdr}`));
  if (macs.size > CAPTURE_LIMITS.peerDevices) problems.push(l10n.t('the scenario\'s peers have {0} MAC addresses; kpath capture builds at most {1} peer devices', macs.size, CAPTURE_LIMITS.peerDevices));
  let calls = 0;
  for (const send of s.sends) calls += send.count;
  if (calls > CAPTURE_LIMITS.calls) problems.push(l10n.t('the scenario makes {0} socket calls; kpath capture makes at most {1}', calls, CAPTURE_LIMITS.calls));
  return problems;
}

export function planCapture(s: Scenario, o: PlanOptions): CapturePlan {
  const py = o.python ?? '/usr/bin/python3';
  const hostNs = `${o.prefix}-h`;
  const peerNs = s.links.map((l, i) => ({ link: l.name, ns: `${o.prefix}-p${i}` }));
  const nsByLink = new Map(peerNs.map((p) => [p.link, p.ns]));
  const linkByNs = new Map(peerNs.map((p) => [p.ns, p.link]));
  const nsOf = (link: string): string => nsByLink.get(link)!;
  const setup: SetupStep[] = [];
  const notes: string[] = [];
  const step = (what: string, argv: string[], input?: string): void => {
    setup.push(input === undefined ? { what, argv } : { what, argv, input });
  };
  // The kernel's device names: the scenario's, or unique ones (see the top of this file).
  const pre = o.devicePrefix;
  const hostNames: Record<string, string> = {};
  s.links.forEach((l, i) => (hostNames[l.name] = pre ? `${pre}h${i}` : l.name));
  hostNames.lo = pre ? `${pre}lo` : 'lo';
  const kn = (dev: string): string => hostNames[dev] ?? dev;
  const peerName = (linkIndex: number, mac: number): string => (pre ? `${pre}p${linkIndex}${mac ? `m${mac}` : ''}` : mac ? `${PEER_DEV}${mac}` : PEER_DEV);
  const peerNames: string[] = [];
  const ifindex: Record<string, number> = {};
  const inNs = (ns: string, argv: string[]): string[] => ['ip', 'netns', 'exec', ns, ...argv];
  // One helper run per namespace once its devices exist (a Python start is the slow part of the
  // setup): sysctls and offloads, in order.
  const nsSetup = new Map<string, string[]>();
  const later = (ns: string, ...items: string[]): void => {
    const list = nsSetup.get(ns);
    if (list) list.push(...items);
    else nsSetup.set(ns, items);
  };

  // IPv6 off (no router solicitations or MLD reports on the links; nothing is up before this
  // runs), and peers that never answer with ICMP errors: a Linux host that gets UDP on a closed
  // port would send "port unreachable", which the hosts of a scenario do not.
  step('create the host namespace', ['ip', 'netns', 'add', hostNs]);
  for (const p of peerNs) step(`link ${p.link}: create the peer namespace`, ['ip', 'netns', 'add', p.ns]);
  if (pre) {
    step('host: lo gets a name of its own', ['ip', '-n', hostNs, 'link', 'set', 'dev', 'lo', 'name', kn('lo')]);
    step('host: lo keeps its name as an alternative name', ['ip', '-n', hostNs, 'link', 'property', 'add', 'dev', kn('lo'), 'altname', 'lo']);
  }
  later(hostNs, 'net/ipv6/conf/all/disable_ipv6=1', 'net/ipv6/conf/default/disable_ipv6=1', 'net/ipv4/igmp_qrv=1');
  for (const p of peerNs) {
    later(p.ns, 'net/ipv6/conf/all/disable_ipv6=1', 'net/ipv6/conf/default/disable_ipv6=1',
      'net/ipv4/icmp_msgs_per_sec=0', 'net/ipv4/icmp_msgs_burst=0',
      'net/ipv4/conf/all/arp_ignore=1', 'net/ipv4/conf/default/arp_ignore=1');
  }

  // Peer MACs per link: the first one is the veth end's, the others macvlans on it.
  const macs = new Map<string, string[]>();
  const macIndex = new Map<string, Map<string, number>>();
  for (const p of s.peers) {
    const list = macs.get(p.dev) ?? [];
    const index = macIndex.get(p.dev) ?? new Map<string, number>();
    if (!index.has(p.lladdr)) {
      index.set(p.lladdr, list.length);
      list.push(p.lladdr);
    }
    macs.set(p.dev, list);
    macIndex.set(p.dev, index);
  }
  const peerDev = (link: string, mac: string): string => {
    const i = macIndex.get(link)?.get(mac) ?? -1;
    return peerName(s.links.findIndex((l) => l.name === link), Math.max(0, i));
  };
  // Addresses and peers by link, so that each peer looks only at its own link's.
  const addrsOf = groupBy(s.addrs, (a) => a.dev);
  const peersOf = groupBy(s.peers.filter((p) => !p.silent), (p) => p.dev);

  let tc = false;
  s.links.forEach((l, li) => {
    const pns = nsOf(l.name);
    const dev = kn(l.name);
    const peer0 = peerName(li, 0);
    const add = ['ip', '-n', hostNs, 'link', 'add', 'name', dev];
    if (o.ifindexBase !== undefined) {
      ifindex[l.name] = o.ifindexBase + li;
      add.push('index', String(ifindex[l.name]));
    }
    step(`link ${l.name}: create the veth pair`, [...add, 'type', 'veth', 'peer', 'name', peer0, 'netns', pns]);
    if (pre) step(`link ${l.name}: the scenario's name as an alternative name`, ['ip', '-n', hostNs, 'link', 'property', 'add', 'dev', dev, 'altname', l.name]);
    step(`link ${l.name}: address and MTU`, ['ip', '-n', hostNs, 'link', 'set', 'dev', dev, 'address', l.address, 'mtu', String(l.mtu), 'txqueuelen', String(l.txqueuelen)]);
    const list = macs.get(l.name) ?? [];
    peerNames.push(peer0);
    const first = ['ip', '-n', pns, 'link', 'set', 'dev', peer0, 'mtu', String(l.mtu)];
    if (list.length) first.push('address', list[0]);
    step(`link ${l.name}: the peers' end`, first);
    list.slice(1).forEach((mac, i) => {
      peerNames.push(peerName(li, i + 1));
      step(`link ${l.name}: peer MAC ${mac}`, ['ip', '-n', pns, 'link', 'add', 'link', peer0, 'name', peerName(li, i + 1), 'address', mac, 'mtu', String(l.mtu), 'type', 'macvlan', 'mode', 'bridge']);
    });
    if (!l.offload) {
      // The reference captures were made with TX checksum offload off on the sender's veth, so
      // that the capture shows finished checksums; the peers' end too, for their replies.
      if (o.ethtool) {
        step(`link ${l.name}: TX checksum offload off`, inNs(hostNs, ['ethtool', '-K', dev, 'tx', 'off', 'tso', 'off', 'gso', 'off']));
        step(`link ${l.name}: TX checksum offload off on the peers' end`, inNs(pns, ['ethtool', '-K', peer0, 'tx', 'off', 'tso', 'off', 'gso', 'off']));
      } else {
        later(hostNs, `offload:${dev}`);
        later(pns, `offload:${peer0}`);
      }
    }
    if (l.qdisc === 'pfifo_fast') {
      tc = true;
      step(`link ${l.name}: qdisc pfifo_fast`, inNs(hostNs, ['tc', 'qdisc', 'replace', 'dev', dev, 'root', 'pfifo_fast']));
    }
    if (!l.up) notes.push(l10n.t('link {0} is down: nothing is captured on it', l.name));
    if (l.type === 'ethernet') {
      notes.push(l10n.t('link {0} is type ethernet: a veth stands in for it, so frames are not padded to 60 bytes and there is no pfifo_fast unless the qdisc is set', l.name));
    }
  });

  for (const sc of s.sysctls) for (const p of sysctlPaths(sc.key, s.links, kn)) later(hostNs, `${p}=${sc.value}`);
  for (const [ns, items] of nsSetup) {
    const what = ns === hostNs ? 'host: sysctls and offloads' : `link ${linkByNs.get(ns)}: the peers' sysctls and offload`;
    step(what, inNs(ns, [py, '-I', o.helperPath, 'setup', ...items]));
  }

  for (const a of s.addrs) step(`addr ${a.address}/${a.prefix} on ${a.dev}`, ['ip', '-n', hostNs, 'addr', 'add', `${a.address}/${a.prefix}`, 'dev', kn(a.dev)]);

  // Peers' addresses: the prefix of the host's subnet that holds them, else a host route back.
  const actions: HelperAction[] = [];
  const peerRoutes: SetupStep[] = [];
  for (const p of s.peers) {
    if (p.replyDelay > 0) notes.push(l10n.t('peer {0}: reply-delay is not reproduced (it needs the netem qdisc); it answers as fast as Linux does', p.address));
    if (p.silent) continue;
    const pns = nsOf(p.dev);
    const dev = peerDev(p.dev, p.lladdr);
    const a = parseIpv4(p.address)!;
    const own = (addrsOf.get(p.dev) ?? []).find((x) => ((parseIpv4(x.address)! ^ a) & prefixMask(x.prefix)) === 0);
    const add = ['ip', '-n', pns, 'addr', 'add', `${p.address}/${own ? own.prefix : 32}`, 'dev', dev];
    if (p.upAt > 0) actions.push({ kind: 'exec', t: p.upAt, what: `peer ${p.address} up`, argv: add });
    else step(`peer ${p.address}`, add);
  }
  // Several peers on a link share its namespace, so each peer device gets a routing table of its
  // own, chosen by source address: a peer answers from its own device and MAC, and a peer outside
  // the host's subnets has a route back to them.
  for (const l of s.links) {
    const peers = peersOf.get(l.name) ?? [];
    const linkAddrs = addrsOf.get(l.name) ?? [];
    const outside = peers.some((p) => !linkAddrs.some((x) => ((parseIpv4(x.address)! ^ parseIpv4(p.address)!) & prefixMask(x.prefix)) === 0));
    if ((macs.get(l.name) ?? []).length < 2 && !outside) continue;
    const pns = nsOf(l.name);
    const nets = linkAddrs.map((x) => `${formatIpv4(parseIpv4(x.address)! & prefixMask(x.prefix))}/${x.prefix}`);
    const byMac = groupBy(peers, (p) => p.lladdr);
    (macs.get(l.name) ?? []).forEach((mac, i) => {
      const dev = peerDev(l.name, mac);
      const table = String(100 + i);
      for (const net of nets) peerRoutes.push({ what: `link ${l.name}: ${dev}'s route to ${net}`, argv: ['ip', '-n', pns, 'route', 'add', net, 'dev', dev, 'table', table] });
      for (const p of byMac.get(mac) ?? []) {
        peerRoutes.push({ what: `peer ${p.address}: answers from ${dev}`, argv: ['ip', '-n', pns, 'rule', 'add', 'from', p.address, 'lookup', table] });
      }
    });
  }

  step('host: lo up', ['ip', '-n', hostNs, 'link', 'set', 'dev', kn('lo'), 'up']);
  s.links.forEach((l, li) => {
    if (l.up) step(`link ${l.name}: up`, ['ip', '-n', hostNs, 'link', 'set', 'dev', kn(l.name), 'up']);
    const pns = nsOf(l.name);
    step(`link ${l.name}: the peers' end up`, ['ip', '-n', pns, 'link', 'set', 'dev', peerName(li, 0), 'up']);
    (macs.get(l.name) ?? []).slice(1).forEach((_, i) => step(`link ${l.name}: peer MAC device up`, ['ip', '-n', pns, 'link', 'set', 'dev', peerName(li, i + 1), 'up']));
  });
  // Routes in the peers' namespaces need their devices up.
  setup.push(...peerRoutes);

  for (const r of s.routes) {
    const argv = ['ip', '-n', hostNs, 'route', 'add', r.prefix === 0 ? 'default' : `${r.dst}/${r.prefix}`];
    if (r.via) argv.push('via', r.via);
    if (r.dev) argv.push('dev', kn(r.dev));
    if (r.src) argv.push('src', r.src);
    if (r.mtu !== undefined) argv.push('mtu', String(r.mtu));
    if (r.table !== undefined) argv.push('table', String(r.table));
    step(`route ${r.prefix === 0 ? 'default' : `${r.dst}/${r.prefix}`}${r.table !== undefined ? ` table ${r.table}` : ''}`, argv);
  }
  for (const r of s.rules ?? []) step(`rule lookup ${r.table}`, ruleArgv(r, hostNs, kn));
  for (const n of s.neighs) {
    step(`neigh ${n.address}`, ['ip', '-n', hostNs, 'neigh', 'replace', n.address, 'lladdr', n.lladdr, 'dev', kn(n.dev), 'nud', n.nud]);
  }
  if (s.nft.length) step('nft rules', inNs(hostNs, ['nft', '-f', '-']), nftScript(s, kn));

  // The socket calls, and which ports the joined groups listen on.
  const order = callOrder(s);
  order.forEach((c, index) => actions.push({ kind: 'send', t: c.t, send: helperSend(c.send, index, kn) }));
  // A peer that comes up at the same time as a call is up for it.
  actions.sort((a, b) => a.t - b.t || (a.kind === b.kind ? 0 : a.kind === 'exec' ? -1 : 1));
  const joins = s.joins.map((j) => {
    const ports = [...new Set(s.sends.filter((x) => x.proto === 'udp' && x.to === j.group).map((x) => x.port))];
    return { group: j.group, dev: kn(j.dev), ports: ports.length ? ports : [0] };
  });

  return {
    prefix: o.prefix,
    hostNs,
    peerNs,
    namespaces: [hostNs, ...peerNs.map((p) => p.ns)],
    setup,
    helper: {
      actions, end: o.end, joins, lead: o.lead ?? 100_000_000,
      devices: [...s.links.map((l) => kn(l.name)), kn('lo')],
    },
    // A device that is down sends nothing, and tcpdump cannot open it.
    devices: [...s.links.filter((l) => l.up).map((l) => ({ name: l.name, mac: l.address, kernel: kn(l.name) })), { name: 'lo', mac: '00:00:00:00:00:00', kernel: kn('lo') }],
    devicePrefix: pre ?? '',
    hostNames,
    peerNames,
    ifindex,
    needs: { nft: s.nft.length > 0, tc },
    notes,
  };
}

/**
 * `ip rule add` for a policy routing rule. Without a priority the kernel picks one (one below the
 * lowest rule after the local table's, 32765 for the first), as the model does; without a mask
 * a fwmark is matched whole (the kernel's default mask for a non-zero mark is 0xffffffff).
 */
export function ruleArgv(r: Rule, ns: string, kn: (dev: string) => string = (d) => d): string[] {
  const argv = ['ip', '-n', ns, 'rule', 'add'];
  if (r.priority !== undefined) argv.push('pref', String(r.priority));
  if (r.fwmark !== undefined) argv.push('fwmark', `0x${r.fwmark.toString(16)}${r.fwmask !== undefined ? `/0x${r.fwmask.toString(16)}` : ''}`);
  if (r.from) argv.push('from', `${r.from.address}/${r.from.prefix}`);
  if (r.to) argv.push('to', `${r.to.address}/${r.to.prefix}`);
  if (r.oif !== undefined) argv.push('oif', kn(r.oif));
  argv.push('lookup', String(r.table));
  return argv;
}

/**
 * The chain of each table and hook, at the priorities of iptables' tables, which the model
 * follows (mangle, filter, then NAT). The mangle output chain is a `type route` chain: when it
 * changes the mark, an address or the TOS, the kernel looks the route up again
 * (ip_route_me_harder), as iptables' mangle OUTPUT does.
 */
const CHAIN: Record<string, string> = {
  'mangle postrouting': 'type filter hook postrouting priority -150;',
  'filter postrouting': 'type filter hook postrouting priority 0;',
  'nat postrouting': 'type nat hook postrouting priority 100;',
  'mangle output': 'type route hook output priority -150;',
  'filter output': 'type filter hook output priority 0;',
  'nat output': 'type nat hook output priority -100;',
};

/**
 * The scenario's nft rules as an `nft -f` script, with the tables and chains they need; `kn`
 * gives the kernel's name of a device the rules name (nft does not look devices up by their
 * alternative names).
 */
export function nftScript(s: Scenario, kn: (dev: string) => string = (d) => d): string {
  const lines: string[] = [];
  const tables = [...new Set(s.nft.map((r) => r.table))];
  for (const t of tables) {
    lines.push(`add table ip ${t}`);
    const chains = [...new Set(s.nft.filter((r) => r.table === t).map((r) => r.chain))];
    for (const c of chains) lines.push(`add chain ip ${t} ${c} { ${CHAIN[`${t} ${c}`]} }`);
  }
  for (const r of s.nft) {
    // Rebuilt from the parsed rule, with the devices it names (oif, dup's device) as the kernel names them.
    const matches = r.matches.map((m) => (m.kind === 'oif' ? { ...m, name: kn(m.name) } : m));
    const statements = r.statements.map((x) => (x.kind === 'dup' && x.dev !== undefined ? { ...x, dev: kn(x.dev) } : x));
    lines.push(`add rule ip ${formatNftRule({ table: r.table, chain: r.chain, matches, statements })}`);
  }
  return lines.join('\n') + '\n';
}
