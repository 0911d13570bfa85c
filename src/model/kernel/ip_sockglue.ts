// net/ipv4/ip_sockglue.c: errors queued on a socket with IP_RECVERR (ip_local_error, ip_icmp_error).

import type { Kernel } from './kernel';
import type { Sock } from '../net/sock';
import { errnoName } from './errno';
import { formatIpv4 } from '../wire/addr';

/** ip_local_error: an error detected on this host (EMSGSIZE with the MTU as ee_info). */
export function ip_local_error(k: Kernel, sk: Sock, err: number, daddr: number, port: number, info: number): void {
  if (!sk.recverr) return;
  // A local error has no offending host: the queued entry's offender address is 0.0.0.0.
  sk.errqueue.push({ time: k.now, errno: errnoName(err), origin: 'local', type: 0, code: 0, info, offender: formatIpv4(0), payloadLen: 0 });
  void daddr;
  void port;
}
