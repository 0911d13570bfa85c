// net/socket.c and the setsockopt handlers (net/ipv4/ip_sockglue.c, net/core/sock.c): creating the
// scenario's sockets, applying the options a send line names, binding and connecting.

import * as l10n from '@vscode/l10n';
import type { Kernel } from './kernel';
import type { Send } from '../scenario/types';
import { Sock, PMTUDISC_BY_NAME, IP_PMTUDISC_DONT, IP_PMTUDISC_WANT } from '../net/sock';
import { parseIpv4 } from '../wire/addr';
import { buildIpOptions } from '../wire/ipv4';
import { ip_route_output } from './route';
import { ENETUNREACH } from './errno';
import { LIMITS, LimitError, countText } from '../scenario/limits';

/** The socket a send line uses: its named socket, or a new one per call (closed after it: inet_release). */
export function socketFor(k: Kernel, s: Send, index: number): Sock {
  const name = s.socket ?? `#${index}`;
  let sk = k.net.sockets.get(name);
  if (!sk) {
    if (k.net.sockets.size >= LIMITS.sockets) throw new LimitError(l10n.t('more than {0} sockets open at once: the most a run may hold (docs/limits.md)', countText(LIMITS.sockets)));
    sk = new Sock(k.net.nextSocketId++, name, s.proto, k.net.ip_no_pmtu_disc ? IP_PMTUDISC_DONT : IP_PMTUDISC_WANT);
    if (s.proto === 'icmp') sk.echoId = 1 + k.rng.below(0xfffe);
    k.net.sockets.set(name, sk);
  }
  return sk;
}

/**
 * inet_release: close() of a socket. It leaves the namespace's tables, so nothing (an ICMP error, a
 * RST) finds it any more; packets it sent that still wait (for ARP, say) keep it and go out.
 */
export function inet_release(k: Kernel, sk: Sock): void {
  k.net.sockets.delete(sk.name);
}

/** setsockopt for each option the line names; returns the refused ones (e.g. IP_TTL 0: EINVAL), or null. */
export function applyOptions(k: Kernel, sk: Sock, s: Send): { option: string; result: string }[] | null {
  let refused: { option: string; result: string }[] | null = null;
  const pmtudisc = PMTUDISC_BY_NAME[s.df];
  if (pmtudisc !== undefined) sk.pmtudisc = pmtudisc;
  if (s.ttl !== undefined) {
    if (s.ttl < 1 || s.ttl > 255) (refused ??= []).push({ option: 'IP_TTL', result: 'EINVAL' });
    else sk.uc_ttl = s.ttl;
  }
  if (s.tos !== undefined) sk.tos = s.tos;
  if (s.mark !== undefined) sk.mark = s.mark >>> 0;
  if (s.broadcast) sk.broadcast = true;
  if (s.bindDev) sk.bound_dev_if = k.net.dev(s.bindDev)?.ifindex ?? 0;
  if (s.multicastIf) {
    const a = parseIpv4(s.multicastIf)!;
    const ifa = k.net.addrs.find((x) => x.address === a);
    sk.mc_addr = a;
    sk.mc_index = ifa ? ifa.dev.ifindex : 0;
  }
  if (s.multicastTtl !== undefined) sk.mc_ttl = s.multicastTtl;
  if (s.multicastLoop !== undefined) sk.mc_loop = s.multicastLoop;
  if (s.recverr) sk.recverr = true;
  if (s.ipOptions) sk.opt = buildIpOptions(s.ipOptions);
  if (s.gso !== undefined) {
    // udp_lib_setsockopt: UDP_SEGMENT came with UDP GSO (v4.18); 4.9 does not know the option.
    if (k.v49) (refused ??= []).push({ option: 'UDP_SEGMENT', result: 'ENOPROTOOPT' });
    else sk.gso_size = s.gso;
  }
  if (s.from) sk.inet_saddr = parseIpv4(s.from)!;
  if (s.fromPort) sk.inet_sport = s.fromPort;
  return refused;
}

/** inet_autobind: an ephemeral source port on first use. */
export function autobind(k: Kernel, sk: Sock): void {
  if (sk.inet_sport) return;
  const net = k.net;
  sk.inet_sport = net.nextEphemeral;
  net.nextEphemeral = net.nextEphemeral >= 60999 ? 32768 : net.nextEphemeral + 1;
}

/** connect() on a datagram socket: route now, remember the peer, start the per-socket IP ID. */
export function ip4_datagram_connect(k: Kernel, sk: Sock, daddr: number, dport: number): number {
  const r = ip_route_output(k, { daddr, saddr: sk.inet_saddr, oif: sk.bound_dev_if, tos: sk.tos, mark: sk.mark });
  if (typeof r === 'number') {
    if (r === -ENETUNREACH) k.net.counters.Ip.OutNoRoutes++;
    return r;
  }
  if (!sk.inet_saddr) sk.inet_saddr = r.saddr;
  sk.inet_daddr = daddr;
  sk.inet_dport = dport;
  sk.dst = r;
  // The per-socket counter starts at a random value (6.x: get_random_u16; 4.9: jiffies-based).
  sk.inet_id = k.rng.below(0x10000);
  autobind(k, sk);
  return 0;
}
