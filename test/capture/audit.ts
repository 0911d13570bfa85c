// docs/conformance.md's audit of the output route lookup and source address choice: each special
// case of ip_route_output_key_hash_rcu (4.9: __ip_route_output_key_hash), __mkroute_output,
// fib_lookup / fib_select_path and inet_select_addr, against ip_route_output in
// src/model/kernel/route.ts and selectAddr / isLocal / broadcastDev in src/model/net/netns.ts.
// Both profiles unless a row says otherwise. `captures` lists the stored captures that check a
// modeled case; a case the model does not have says so.

export interface AuditRow {
  case: string;
  kernel: string;
  model: string;
  /** Stored captures (test/captures) that check it; empty when modeled without a capture. */
  captures: string[];
  modeled: boolean;
}

export const ROUTE_AUDIT: AuditRow[] = [
  {
    case: 'No route to the destination',
    kernel: 'fib_lookup fails: -ENETUNREACH, unless an output interface was given (below)',
    model: 'fibLookup finds nothing: -ENETUNREACH', captures: ['s13-f-gateway', 's13-g-multicast'], modeled: true,
  },
  {
    case: 'Longest prefix, a gateway, a route MTU',
    kernel: 'fib_lookup (main table), fib_select_path; the route\'s metrics',
    model: 'the longest matching prefix on a device that is up; gateway and mtu of the entry', captures: ['s13-f-gateway', 'p-route-mtu'], modeled: true,
  },
  {
    case: 'A destination that is one of the host\'s addresses, or in 127/8',
    kernel: 'the local table gives RTN_LOCAL: output over lo, RTCF_LOCAL; saddr = the local route\'s prefsrc',
    model: 'isLocal: RTN_LOCAL over lo; saddr = the local route\'s prefsrc (below)', captures: ['s11-17-loopback', 'p-route-src'], modeled: true,
  },
  {
    case: 'Local destination: the source of a secondary address or of 127.0.0.5',
    kernel: 'saddr = the local route\'s prefsrc: the primary address of that subnet; 127.0.0.1 for the rest of 127/8',
    model: 'localSource: the primary address of that subnet on its device, 127.0.0.1 for 127/8', captures: ['p-route-src'], modeled: true,
  },
  {
    case: 'Subnet-directed broadcast (10.0.0.255 on a /24)',
    kernel: 'local table RTN_BROADCAST: RTCF_BROADCAST | RTCF_LOCAL, no gateway',
    model: 'broadcastDev: RTN_BROADCAST on that device', captures: ['s11-16-broadcast', 's13-h-broadcast'], modeled: true,
  },
  {
    case: 'The network address (10.0.0.0 on a /24), 4.9 profile',
    kernel: '4.9\'s fib_add_ifaddr also adds a broadcast route for the network address (6.x does not)',
    model: 'unicast in both profiles', captures: [], modeled: false,
  },
  {
    case: 'Limited broadcast 255.255.255.255 without an output interface',
    kernel: 'fib_lookup of 255.255.255.255 (a default route, or -ENETUNREACH); __mkroute_output makes it RTN_BROADCAST without gateway',
    model: 'the same', captures: ['s11-16-broadcast', 's13-h-broadcast'], modeled: true,
  },
  {
    case: 'Limited broadcast or local multicast (224.0.0.x) with an output interface (SO_BINDTODEVICE, IP_MULTICAST_IF)',
    kernel: 'no FIB lookup; saddr = inet_select_addr(dev, 0, RT_SCOPE_LINK)',
    model: 'no FIB lookup; saddr = the device\'s first address', captures: ['s11-16-broadcast', 's13-g-multicast'], modeled: true,
  },
  {
    case: 'Other multicast with an output interface',
    kernel: 'fib_lookup restricted to that interface; on failure "assume on link"; a matching route\'s metrics (MTU) apply; a route shorter than /4 loses its gateway',
    model: 'no FIB lookup, so a route MTU for the group is not applied; the /4 gateway rule is modeled for the lookup without interface', captures: ['s11-15-multicast', 's13-g-multicast'], modeled: true,
  },
  {
    case: 'Multicast without an output interface',
    kernel: 'fib_lookup; no route: -ENETUNREACH; a default route: its device, without its gateway (prefix < 4)',
    model: 'the same', captures: ['s13-g-multicast'], modeled: true,
  },
  {
    case: 'RTCF_LOCAL on a multicast route (a local member)',
    kernel: 'ip_check_mc_rcu: the host joined the group on that device (every device is in 224.0.0.1)',
    model: 'the same', captures: ['s11-15-multicast'], modeled: true,
  },
  {
    case: 'Unicast with an output interface and no route (SO_BINDTODEVICE)',
    kernel: '"assume on link": RTN_UNICAST to the destination directly on that device, saddr = inet_select_addr(dev, 0, RT_SCOPE_LINK); no fib_info, so an nft dup copy routed this way has its IP destination as next hop, not the dup address',
    model: 'the same, in ip_route_output (route.ts)', captures: ['p-route-oif-onlink'], modeled: true,
  },
  {
    case: 'An output interface that does not exist, or is down',
    kernel: '-ENODEV; a device that is down: -ENETUNREACH',
    model: '-ENODEV; a device that is down is skipped by the lookup (-ENETUNREACH), but a broadcast or multicast on it is routed', captures: [], modeled: false,
  },
  {
    case: 'A bound source address (bind, `from`) that is the host\'s',
    kernel: 'kept as saddr; __ip_dev_find checks it is local',
    model: 'kept as saddr', captures: ['s11-18-masquerade', 's13-j2-nft-snat'], modeled: true,
  },
  {
    case: 'A bound source that is multicast, limited broadcast or 0.0.0.0/8; or not the host\'s',
    kernel: '-EINVAL; not local (without IP_FREEBIND / IP_TRANSPARENT): -ENETUNREACH',
    model: 'not checked in the lookup', captures: [], modeled: false,
  },
  {
    case: 'A bound source with a multicast or limited-broadcast destination and no interface',
    kernel: 'the interface is the one that holds the source address (__ip_dev_find), no FIB lookup',
    model: 'a FIB lookup as without a source', captures: [], modeled: false,
  },
  {
    case: 'Destination 0.0.0.0',
    kernel: 'sent to the source address, or to 127.0.0.1, over lo',
    model: 'looked up like any destination', captures: [], modeled: false,
  },
  {
    case: 'A loopback source on another device',
    kernel: '__mkroute_output: -EINVAL unless route_localnet',
    model: 'not checked', captures: [], modeled: false,
  },
  {
    case: 'A route `src` (prefsrc)',
    kernel: 'fib_select_path: saddr = the route\'s prefsrc',
    model: 'saddr = the entry\'s prefsrc (connected routes have their address as prefsrc)', captures: ['p-route-src'], modeled: true,
  },
  {
    case: 'Source of a route without `src` (inet_select_addr)',
    kernel: 'the first primary address of the nexthop device whose scope fits, preferring one in the gateway\'s subnet; a route without gateway asks with dst 0, so the first primary address',
    model: 'the device\'s first address, preferring one in the subnet of the gateway or, without gateway, of the destination', captures: ['s13-f-gateway'], modeled: true,
  },
  {
    case: 'Secondary addresses',
    kernel: 'inet_select_addr skips IFA_F_SECONDARY; a secondary\'s local route has the primary as prefsrc',
    model: 'no secondary flag, but the first address of a subnet (the primary) is found first, by selectAddr and by the connected route\'s prefsrc', captures: ['p-route-src'], modeled: true,
  },
  {
    case: 'A device without an address',
    kernel: 'inet_select_addr falls back to another device\'s address of a fitting scope (lo first, whose 127.0.0.1 is host scope)',
    model: 'the first address on a device other than lo', captures: ['p-route-noaddr'], modeled: true,
  },
  {
    case: 'Policy routing: rules by priority with from, to, fwmark/mask and oif selectors, each looking up a table',
    kernel: 'fib_rules_lookup, fib4_rule_match and fib_rule_match, fib4_rule_action (a table without a route for the flow passes to the next rule); a rule without a priority gets one below the lowest after the local table\'s',
    model: 'fib_lookup in route.ts walks the rules the same way; tables of unicast routes', captures: ['p-policy-rules', 'p-policy-reroute'], modeled: true,
  },
  {
    case: 'Routing again after a LOCAL_OUT chain changed the mark (nft route chain, iptables mangle OUTPUT)',
    kernel: 'nf_route_table_hook4 -> ip_route_me_harder: a lookup with the new mark and the header\'s source kept; the headroom grows to the new device\'s hard_header_len',
    model: 'ip_route_me_harder in ipv4_netfilter.ts', captures: ['p-policy-reroute', 'p-policy-reroute-mtu'], modeled: true,
  },
  {
    case: 'The route of an nft dup copy',
    kernel: 'nf_dup_ipv4_route: a lookup to the dup address (through the given device) with FLOWI_FLAG_KNOWN_NH, so that an uncached route\'s next hop is that address while the IP destination stays',
    model: 'ip_route_output with knownNh in route.ts (gateway = the dup address)', captures: ['p-dup', 'p-dup-silent-copy'], modeled: true,
  },
  {
    case: 'Multipath, several default routes, blackhole/unreachable/prohibit routes, rule actions other than lookup, the iif/tos/uidrange/ipproto/port selectors, nexthop exceptions (learnt PMTU), VRF',
    kernel: 'fib_select_multipath, fib_select_default, the route types\' errors, fib_rules actions, fnhe (an ICMP fragmentation needed about a rerouted datagram puts the learnt MTU on the route found without the mark: see above)',
    model: 'none of these', captures: [], modeled: false,
  },
];

export function auditMarkdown(rows: readonly AuditRow[] = ROUTE_AUDIT): string[] {
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  const out = [
    '## The output route lookup and source address: audit',
    '',
    'net/ipv4/route.c (ip_route_output_key_hash_rcu; 4.9: __ip_route_output_key_hash, the same cases),',
    '__mkroute_output, fib_lookup and fib_select_path, and inet_select_addr (net/ipv4/devinet.c), read case',
    'by case against `ip_route_output` in `src/model/kernel/route.ts` and `selectAddr`, `isLocal` and',
    '`broadcastDev` in `src/model/net/netns.ts`. Both profiles unless a row says otherwise.',
    '',
    '| Case | Kernel | Model | Status |',
    '|---|---|---|---|',
  ];
  for (const r of rows) {
    const status = !r.modeled ? 'not modeled' : r.captures.length ? `modeled; checked by ${r.captures.map((c) => `\`${c}\``).join(', ')}` : 'modeled; no capture';
    out.push(`| ${cell(r.case)} | ${cell(r.kernel)} | ${cell(r.model)} | ${status} |`);
  }
  return out;
}
