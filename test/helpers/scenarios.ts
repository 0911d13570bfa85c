// Small scenarios for the command's tests, written into temporary directories.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** One link, this host at 192.0.2.1/24, a peer at 192.0.2.2 that answers ARP. */
export const BASE = [
  'link add eth0 mtu 1500 address 02:00:00:00:00:01',
  'addr add 192.0.2.1/24 dev eth0',
  'peer 192.0.2.2 lladdr 02:00:00:00:00:02',
].join('\n');

/**
 * A scenario that fills every list of the --json document: a silent peer (ARP failure, a drop, a
 * local ICMP error, an errqueue entry and a pending error), a refused setsockopt, a netfilter drop
 * (EPERM), a looped-back broadcast, a TCP SYN answered by RST, an ICMP echo and its reply, a DF
 * datagram too big for the MTU (EMSGSIZE), a connected socket, and a datagram with IP options.
 */
export const RICH = [
  BASE,
  'peer 192.0.2.3 lladdr 02:00:00:00:00:03 silent',
  'nft add rule ip filter postrouting udp dport 9999 counter drop',
  'at 0ms send udp to 192.0.2.3:9000 size 100 recverr socket s1',
  'at 1ms send udp to 192.0.2.2:9000 size 10 ttl 0',
  'at 2ms send udp to 192.0.2.2:9999 size 10',
  'at 3ms send udp to 192.0.2.255:9000 size 10 broadcast',
  'at 4ms send tcp syn to 192.0.2.2:80',
  'at 5ms send icmp echo to 192.0.2.2 size 56',
  'at 6ms send udp to 192.0.2.2:9000 size 3000 df do',
  'at 7ms send udp to 192.0.2.2:9001 size 20 connected socket c1',
  'at 8ms send udp to 192.0.2.2:9000 size 20 ip-options ra',
  '',
].join('\n');

/** Writes `text` as `dir/name` and returns the path. */
export function writeScenario(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
