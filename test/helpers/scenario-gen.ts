// fast-check arbitraries of valid scenarios, as .kpath text: one or two links (now and then down), addresses, routes
// (with via, mtu), static neighbours, sysctls, nft rules of the three tables, peers (silent, late,
// slow), multicast joins, and sends of udp, icmp echo and tcp syn with their options, in both
// kernel profiles. Sizes and counts stay small so that a case runs in milliseconds.

import fc from 'fast-check';

export interface GenOptions {
  /** TX checksum offload on some links (off by default: every checksum is then on the wire). */
  offload?: boolean;
}

const MAC = (n: number): string => `02:00:00:00:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;

/** Host numbers of peers and neighbours on a /24. */
const hostNo = fc.integer({ min: 2, max: 30 });

const link = (name: string, offload: boolean) =>
  fc.record({
    type: fc.constantFrom('veth', 'ethernet'),
    mtu: fc.oneof(fc.constant(1500), fc.constantFrom(68, 576, 1280, 9000), fc.integer({ min: 68, max: 9000 })),
    txqueuelen: fc.constantFrom(1000, 1, 2, 10),
    qdisc: fc.constantFrom('', 'noqueue', 'pfifo_fast'),
    offload: offload ? fc.boolean() : fc.constant(false),
    down: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  }).map((l) => `link add ${name} type ${l.type} mtu ${l.mtu} txqueuelen ${l.txqueuelen}${l.qdisc ? ` qdisc ${l.qdisc}` : ''}${l.offload ? ' offload on' : ''}${l.down ? ' down' : ''}`);

const duration = fc.oneof(fc.constantFrom('0ms', '1ms', '10us', '500us', '2ms', '1s'), fc.integer({ min: 0, max: 3000 }).map((n) => `${n}us`));

const sendOptions = (proto: 'udp' | 'icmp' | 'tcp', twoLinks: boolean) =>
  fc.record(
    {
      size: proto === 'tcp' ? fc.constant(undefined) : fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(1472, 1473, 3000, 8972, 20000), fc.integer({ min: 0, max: 9000 })),
      df: fc.constantFrom('do', 'dont', 'want', 'probe'),
      ttl: fc.integer({ min: 1, max: 255 }),
      tos: fc.integer({ min: 0, max: 255 }),
      mark: fc.integer({ min: 0, max: 10 }),
      count: fc.integer({ min: 1, max: 6 }),
      every: duration,
      socket: fc.constantFrom('s1', 's2'),
      connected: fc.constant(true),
      recverr: fc.constant(true),
      bindDev: fc.constantFrom(...(twoLinks ? ['eth0', 'eth1'] : ['eth0'])),
      ipOptions: fc.constantFrom('ra', 'rr', 'ra,rr'),
    },
    { requiredKeys: [] },
  ).map((o) => {
    let t = '';
    if (o.size !== undefined) t += ` size ${o.size}`;
    if (o.df) t += ` df ${o.df}`;
    if (o.ttl !== undefined) t += ` ttl ${o.ttl}`;
    if (o.tos !== undefined) t += ` tos ${o.tos}`;
    if (o.mark !== undefined) t += ` mark ${o.mark}`;
    if (o.count !== undefined) t += ` count ${o.count}`;
    if (o.every !== undefined) t += ` every ${o.every}`;
    // A named socket is shared by sends of one protocol only.
    if (o.socket !== undefined) t += ` socket ${proto}-${o.socket}`;
    if (o.connected && proto === 'udp') t += ' connected';
    if (o.recverr) t += ' recverr';
    if (o.bindDev !== undefined) t += ` bind-dev ${o.bindDev}`;
    if (o.ipOptions !== undefined && proto !== 'tcp') t += ` ip-options ${o.ipOptions}`;
    return t;
  });

/** A destination: a peer, an unknown host on a link, a host behind the gateway, a broadcast or multicast group, loopback. */
const destination = (twoLinks: boolean) =>
  fc.oneof(
    { weight: 5, arbitrary: hostNo.map((h) => `192.0.2.${h}`) },
    { weight: 2, arbitrary: fc.constantFrom('203.0.113.7', '198.51.100.77') },
    { weight: 1, arbitrary: fc.constantFrom('192.0.2.255', '239.1.2.3', '224.0.0.1', '127.0.0.1', '192.0.2.1') },
    { weight: twoLinks ? 2 : 0, arbitrary: hostNo.map((h) => `10.9.0.${h}`) },
  );

const send = (twoLinks: boolean) =>
  fc.constantFrom('udp' as const, 'udp' as const, 'icmp' as const, 'tcp' as const).chain((proto) =>
    fc.record({
      at: fc.integer({ min: 0, max: 5000 }),
      to: destination(twoLinks),
      port: fc.integer({ min: 1, max: 65535 }),
      opts: sendOptions(proto, twoLinks),
      broadcast: fc.boolean(),
    }).map((s) => ({ at: s.at, proto, text: `send ${proto === 'icmp' ? `icmp echo to ${s.to}` : proto === 'tcp' ? `tcp syn to ${s.to}:${s.port}` : `udp to ${s.to}:${s.port}`}${s.opts}${s.broadcast && proto !== 'tcp' && s.to.endsWith('.255') ? ' broadcast' : ''}` })),
  );

const nftRule = fc.oneof(
  fc.constantFrom(
    'filter postrouting udp dport 9999 drop',
    'filter postrouting ip protocol icmp counter',
    'filter postrouting ip daddr 203.0.113.0/24 counter accept',
    'filter postrouting meta mark 3 drop',
    'nat postrouting oif eth0 snat to 192.0.2.77',
    'nat postrouting udp dport 7 masquerade',
    'mangle postrouting ip ttl set 9',
    'mangle postrouting ip dscp set ef',
    'mangle postrouting udp sport 1000 meta mark set 3',
  ),
  fc.integer({ min: 1, max: 65535 }).map((p) => `filter postrouting udp dport ${p} drop`),
);

const sysctl = fc.oneof(
  fc.integer({ min: 1, max: 255 }).map((n) => `net.ipv4.ip_default_ttl=${n}`),
  fc.integer({ min: 0, max: 3 }).map((n) => `net.ipv4.ip_no_pmtu_disc=${n}`),
  fc.integer({ min: 1, max: 2000 }).map((n) => `net.ipv4.neigh.eth0.retrans_time_ms=${n}`),
  fc.integer({ min: 0, max: 5 }).map((n) => `net.ipv4.neigh.eth0.mcast_solicit=${n}`),
  fc.integer({ min: 0, max: 5 }).map((n) => `net.ipv4.neigh.eth0.ucast_solicit=${n}`),
  fc.integer({ min: 0, max: 5 }).map((n) => `net.ipv4.neigh.eth0.unres_qlen=${n}`),
  fc.integer({ min: 1, max: 3000 }).map((n) => `net.ipv4.neigh.eth0.base_reachable_time_ms=${n}`),
  fc.integer({ min: 0, max: 3 }).map((n) => `net.ipv4.neigh.eth0.delay_first_probe_time=${n}`),
);

const peer = fc.record({
  host: hostNo,
  mac: fc.integer({ min: 2, max: 30 }),
  silent: fc.boolean(),
  upAt: fc.option(duration, { nil: undefined }),
  delay: fc.option(fc.constantFrom('10us', '1ms', '100ms'), { nil: undefined }),
}).map((p) => `peer 192.0.2.${p.host} lladdr ${MAC(p.mac)}${p.silent ? ' silent' : ''}${p.upAt ? ` up-at ${p.upAt}` : ''}${p.delay ? ` reply-delay ${p.delay}` : ''}`);

/** A valid scenario as text. */
export function validScenario(opts: GenOptions = {}): fc.Arbitrary<string> {
  return fc.boolean().chain((twoLinks) =>
    fc.record({
      kernel: fc.constantFrom('6.18', '4.9'),
      eth0: link('eth0', !!opts.offload),
      eth1: link('eth1', !!opts.offload),
      gateway: fc.boolean(),
      routeMtu: fc.option(fc.integer({ min: 576, max: 1500 }), { nil: undefined }),
      defaultRoute: fc.boolean(),
      neighs: fc.uniqueArray(fc.record({ host: hostNo, nud: fc.constantFrom('permanent', 'reachable', 'stale', 'noarp') }), { maxLength: 2, selector: (n) => n.host }),
      sysctls: fc.array(sysctl, { maxLength: 3 }),
      nft: fc.array(nftRule, { maxLength: 3 }),
      peers: fc.uniqueArray(peer, { maxLength: 4, selector: (p) => p.split(' ')[1] }),
      gwPeer: fc.boolean(),
      farPeer: fc.boolean(),
      join: fc.boolean(),
      sends: fc.array(send(twoLinks), { minLength: 1, maxLength: 5 }),
      run: fc.option(fc.constantFrom('10ms', '1s', '5s'), { nil: undefined }),
    }).map((s) => {
      const lines = [`kernel ${s.kernel}`, s.eth0, 'addr add 192.0.2.1/24 dev eth0'];
      if (twoLinks) lines.push(s.eth1, 'addr add 10.9.0.1/24 dev eth1');
      if (s.gateway) lines.push(`route add 203.0.113.0/24 via 192.0.2.254${s.routeMtu ? ` mtu ${s.routeMtu}` : ''}`);
      if (s.defaultRoute) lines.push('route add default via 192.0.2.254');
      for (const n of s.neighs) lines.push(`neigh add 192.0.2.${n.host + 100} lladdr ${MAC(n.host + 100)} dev eth0 nud ${n.nud}`);
      for (const x of s.sysctls) lines.push(`sysctl ${x}`);
      for (const r of s.nft) lines.push(`nft add rule ip ${r}`);
      lines.push(...s.peers);
      if (s.gwPeer) lines.push('peer 192.0.2.254 lladdr 02:00:00:00:00:fe');
      if (twoLinks && s.farPeer) lines.push('peer 10.9.0.2 lladdr 02:00:00:00:01:02');
      if (s.join) lines.push('join 239.1.2.3 dev eth0');
      for (const x of s.sends.sort((a, b) => a.at - b.at)) lines.push(`at ${x.at}us ${x.text}`);
      if (s.run) lines.push(`run ${s.run}`);
      return lines.join('\n') + '\n';
    }),
  );
}
