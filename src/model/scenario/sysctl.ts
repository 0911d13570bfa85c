// The sysctls a scenario may set, with their ranges. Keys are spelled as on a real kernel
// (`sysctl -w`), so the same line can configure one. `DEV` stands for a link name or `default`
// (which sets every link; a real non-initial namespace has no `default`, so prefer the link's name).

export interface SysctlSpec {
  /** Key pattern; `DEV` is replaced by a link name or `default`. */
  key: string;
  min: number;
  max: number;
  help: string;
  /** The help in Simplified Chinese. */
  zh: string;
}

export const SYSCTLS: readonly SysctlSpec[] = [
  { key: 'net.ipv4.neigh.DEV.mcast_solicit', min: 0, max: 255, help: 'broadcast ARP requests before FAILED' , zh: '进入 FAILED 之前发送的广播 ARP 请求数' },
  { key: 'net.ipv4.neigh.DEV.ucast_solicit', min: 0, max: 255, help: 'unicast probes in PROBE state' , zh: 'PROBE 状态下的单播探测次数' },
  { key: 'net.ipv4.neigh.DEV.app_solicit', min: 0, max: 255, help: 'requests handed to a user-space daemon' , zh: '交给用户态守护进程处理的请求数' },
  { key: 'net.ipv4.neigh.DEV.mcast_resolicit', min: 0, max: 255, help: 'broadcast re-probes in PROBE state' , zh: 'PROBE 状态下的广播重新探测次数' },
  { key: 'net.ipv4.neigh.DEV.retrans_time_ms', min: 1, max: 2147483, help: 'time between ARP requests (ms)' , zh: '两次 ARP 请求之间的间隔（毫秒）' },
  { key: 'net.ipv4.neigh.DEV.base_reachable_time_ms', min: 1, max: 2147483, help: 'REACHABLE lasts a random 0.5x..1.5x of this (ms)' , zh: 'REACHABLE 持续时间为该值的 0.5 到 1.5 倍之间的随机值（毫秒）' },
  { key: 'net.ipv4.neigh.DEV.delay_first_probe_time', min: 0, max: 2147483, help: 'seconds in DELAY before the first unicast probe' , zh: '在 DELAY 状态停留多少秒后发送第一个单播探测' },
  { key: 'net.ipv4.neigh.DEV.unres_qlen_bytes', min: 0, max: 2147483647, help: 'bytes (truesize) queued on an unresolved entry' , zh: '未解析表项上排队的字节数上限（按 truesize 计）' },
  { key: 'net.ipv4.neigh.DEV.unres_qlen', min: 0, max: 2147483647, help: 'the same limit in packets (sets unres_qlen_bytes = N x truesize(1514))' , zh: '同一上限按包数计（设置 unres_qlen_bytes = N x truesize(1514)）' },
  { key: 'net.ipv4.neigh.DEV.locktime', min: 0, max: 2147483, help: 'ARP replies within this many jiffies of an update do not override it' , zh: '表项更新后这么多 jiffies 内收到的 ARP 应答不会覆盖它' },
  { key: 'net.ipv4.ip_default_ttl', min: 1, max: 255, help: 'TTL of unicast datagrams without IP_TTL' , zh: '未设置 IP_TTL 的单播数据报的 TTL' },
  { key: 'net.ipv4.ip_no_pmtu_disc', min: 0, max: 3, help: 'non-zero: sockets start with IP_PMTUDISC_DONT' , zh: '非零时 socket 初始为 IP_PMTUDISC_DONT' },
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
