// The sysctls a scenario may set, with their ranges. Keys are spelled as on a real kernel
// (`sysctl -w`), so the same line can configure one. `DEV` stands for a link name or `default`
// (which sets every link; a real non-initial namespace has no `default`, so prefer the link's name).

export interface SysctlSpec {
  /** Key pattern; `DEV` is replaced by a link name or `default`. */
  key: string;
  min: number;
  max: number;
  help: string;
}

export const SYSCTLS: readonly SysctlSpec[] = [
  { key: 'net.ipv4.neigh.DEV.mcast_solicit', min: 0, max: 255, help: 'broadcast ARP requests before FAILED' },
  { key: 'net.ipv4.neigh.DEV.ucast_solicit', min: 0, max: 255, help: 'unicast probes in PROBE state' },
  { key: 'net.ipv4.neigh.DEV.app_solicit', min: 0, max: 255, help: 'requests handed to a user-space daemon' },
  { key: 'net.ipv4.neigh.DEV.mcast_resolicit', min: 0, max: 255, help: 'broadcast re-probes in PROBE state' },
  { key: 'net.ipv4.neigh.DEV.retrans_time_ms', min: 1, max: 2147483, help: 'time between ARP requests (ms)' },
  { key: 'net.ipv4.neigh.DEV.base_reachable_time_ms', min: 1, max: 2147483, help: 'REACHABLE lasts a random 0.5x..1.5x of this (ms)' },
  { key: 'net.ipv4.neigh.DEV.delay_first_probe_time', min: 0, max: 2147483, help: 'seconds in DELAY before the first unicast probe' },
  { key: 'net.ipv4.neigh.DEV.unres_qlen_bytes', min: 0, max: 2147483647, help: 'bytes (truesize) queued on an unresolved entry' },
  { key: 'net.ipv4.neigh.DEV.unres_qlen', min: 0, max: 2147483647, help: 'the same limit in packets (sets unres_qlen_bytes = N x truesize(1514))' },
  { key: 'net.ipv4.neigh.DEV.locktime', min: 0, max: 2147483, help: 'ARP replies within this many jiffies of an update do not override it' },
  { key: 'net.ipv4.ip_default_ttl', min: 1, max: 255, help: 'TTL of unicast datagrams without IP_TTL' },
  { key: 'net.ipv4.ip_no_pmtu_disc', min: 0, max: 3, help: 'non-zero: sockets start with IP_PMTUDISC_DONT' },
];

/** The spec a concrete key matches, with the device part (undefined for global keys). */
export function findSysctl(key: string): { spec: SysctlSpec; dev?: string } | undefined {
  for (const spec of SYSCTLS) {
    const i = spec.key.indexOf('DEV');
    if (i < 0) {
      if (spec.key === key) return { spec };
      continue;
    }
    const before = spec.key.slice(0, i);
    const after = spec.key.slice(i + 3);
    if (key.length > before.length + after.length && key.startsWith(before) && key.endsWith(after)) {
      const dev = key.slice(before.length, key.length - after.length);
      if (!dev.includes('.')) return { spec, dev };
    }
  }
  return undefined;
}
