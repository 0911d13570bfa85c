// The words of the .kpath language with their documentation, in English and Simplified Chinese.
// The parser's lists of statements, options and values are the keys of these tables, and the
// editor's completion and hover read the same entries: a word added here is accepted, offered and
// explained at once (its meaning still needs its case in parse.ts). `kernel` names what the word
// becomes in the kernel (a socket option, a field, a function).

/** What a word means, in both languages, and what it maps to in the kernel. */
export interface WordDoc {
  /** How the statement or option is written (`mtu N`). */
  syntax?: string;
  /** The kernel's name for it: a field, a socket call, a constant. */
  kernel?: string;
  en: string;
  zh: string;
}

/** What follows an option word. */
export type ValueKind = 'int' | 'dev' | 'addr' | 'addr-port' | 'mac' | 'duration' | 'name' | 'list' | 'enum';

/** An option of a statement: a flag when it takes nothing, else the kind of value (and the values, for `enum`). */
export interface OptionDoc extends WordDoc {
  takes?: ValueKind;
  values?: Readonly<Record<string, WordDoc>>;
}

const ON_OFF = (en: string, zh: string): Record<string, WordDoc> => ({
  on: { en: `${en} on.`, zh: `开启${zh}。` },
  off: { en: `${en} off.`, zh: `关闭${zh}。` },
});

/** The kernel profiles a scenario may run on. */
export const KERNEL_VALUES = {
  '6.18': { en: 'Linux 6.18: today\'s transmit path (drop reasons, NEIGH_CREATEFAIL returned, GSO for UDP).', zh: 'Linux 6.18：当前的发送路径（带 drop reason，邻居表满时返回 NEIGH_CREATEFAIL，UDP 走 GSO）。' },
  '4.9': { en: 'Linux 4.9: the older path (UFO with offload, -EINVAL when the neighbour table is full).', zh: 'Linux 4.9：较早的发送路径（开启 offload 时走 UFO，邻居表满时返回 -EINVAL）。' },
} as const satisfies Record<string, WordDoc>;

/** The statements, in the order the reference lists them. */
export const STATEMENT_WORDS = {
  kernel: { syntax: 'kernel 6.18|4.9', en: 'The kernel profile to model (default 6.18).', zh: '要模拟的内核版本（默认 6.18）。' },
  link: { syntax: 'link add NAME [options]', kernel: 'struct net_device', en: 'Adds a network device (`ip link add`). A veth has no qdisc and never pads; an ethernet NIC has pfifo_fast and pads frames to 60 bytes.', zh: '添加一个网络设备（`ip link add`）。veth 没有 qdisc，也不补齐帧；ethernet 网卡用 pfifo_fast，并把帧补齐到 60 字节。' },
  addr: { syntax: 'addr add A/PREFIX dev NAME', kernel: 'struct in_ifaddr', en: 'Gives the host an address on a link (`ip addr add`); it also adds the connected route of its subnet.', zh: '给主机在某个链路上配置地址（`ip addr add`），同时加上该子网的直连路由。' },
  route: { syntax: 'route add PREFIX|default [via A] [dev NAME] [mtu N] [src A] [table N|main]', kernel: 'struct fib_info', en: 'Adds a route (`ip route add`): the longest matching prefix decides the gateway and the device (fib_lookup).', zh: '添加一条路由（`ip route add`）：由最长前缀匹配决定网关和出口设备（fib_lookup）。' },
  rule: { syntax: 'rule add [priority N] [fwmark N[/MASK]] [from PREFIX] [to PREFIX] [oif NAME] lookup N|main', kernel: 'struct fib_rule', en: 'Adds a policy routing rule (`ip rule add`): before the main table, the rules are tried by priority (local 0, yours, main 32766, default 32767); the first whose selectors match and whose table has a route decides (fib_rules_lookup).', zh: '添加一条策略路由规则（`ip rule add`）：按优先级依次尝试各条规则（local 为 0，然后是用户规则，main 为 32766，default 为 32767）；第一条选择条件匹配、且其路由表中有匹配路由的规则决定结果（fib_rules_lookup）。' },
  neigh: { syntax: 'neigh add A lladdr MAC dev NAME [nud STATE]', kernel: 'struct neighbour', en: 'Adds a static neighbour entry (`ip neigh add`): the MAC of an address on a link, without ARP.', zh: '添加一条静态邻居表项（`ip neigh add`）：直接给出链路上某个地址的 MAC，不走 ARP。' },
  sysctl: { syntax: 'sysctl KEY=VALUE', en: 'Sets a sysctl, spelled as `sysctl -w` on a real kernel.', zh: '设置一个 sysctl，写法与真实内核上的 `sysctl -w` 相同。' },
  nft: { syntax: 'nft add rule ip TABLE postrouting|output MATCH... STATEMENT...', kernel: 'NF_INET_POST_ROUTING, NF_INET_LOCAL_OUT', en: 'Adds an nftables rule to the postrouting hook (run by NF_HOOK in ip_output) or to the output hook (run by __ip_local_out; filter or mangle, where mangle is a `type route` chain that reroutes a packet whose mark, addresses or TOS it changed).', zh: '在 postrouting 钩子（由 ip_output 中的 NF_HOOK 执行）或 output 钩子（由 __ip_local_out 执行；只能是 filter 或 mangle，mangle 是 `type route` 链，改了 mark、地址或 TOS 的包会重新查路由）上添加一条 nftables 规则。' },
  peer: { syntax: 'peer A lladdr MAC [dev NAME] [silent] [up-at DUR] [reply-delay DUR]', en: 'A host at the other end of a link: it answers ARP for its address (unless silent) and receives the frames sent to it.', zh: '链路对端的一台主机：它为自己的地址应答 ARP（除非设为 silent），并接收发给它的帧。' },
  join: { syntax: 'join GROUP dev NAME', kernel: 'IP_ADD_MEMBERSHIP', en: 'A local socket joins a multicast group on a link (setsockopt IP_ADD_MEMBERSHIP): the host becomes a member, and its own sends to the group loop back.', zh: '本地 socket 在某链路上加入组播组（setsockopt IP_ADD_MEMBERSHIP）：主机成为组成员，发往该组的报文也会回环给自己。' },
  at: { syntax: 'at TIME send udp to A:PORT | icmp echo to A | tcp syn to A:PORT [options]', kernel: 'sendmsg()', en: 'At a time on the virtual clock, a socket sends: a UDP datagram (udp_sendmsg), an ICMP echo request (ping_v4_sendmsg) or a TCP SYN (tcp_connect).', zh: '在虚拟时钟的某个时刻由 socket 发送：一个 UDP 数据报（udp_sendmsg）、一个 ICMP 回显请求（ping_v4_sendmsg）或一个 TCP SYN（tcp_connect）。' },
  run: { syntax: 'run DURATION', en: 'Stops the virtual clock at this time; without it the run ends when nothing is pending.', zh: '虚拟时钟运行到这个时刻为止；不写时，等到没有待处理的事件就结束。' },
} as const satisfies Record<string, WordDoc>;

export type StatementWord = keyof typeof STATEMENT_WORDS;

/** The words inside a statement that are not options: `add`, `send`, `to`, the protocols. */
export const KEYWORDS = {
  add: { en: 'Adds the item, as in `ip link add`, `ip addr add`, `ip route add`, `ip neigh add`, `nft add rule`.', zh: '添加这一项，与 `ip link add`、`ip addr add`、`ip route add`、`ip neigh add`、`nft add rule` 中的 add 相同。' },
  default: { en: 'The default route: 0.0.0.0/0, the prefix every address matches.', zh: '默认路由：0.0.0.0/0，所有地址都匹配的前缀。' },
  send: { en: 'What the socket sends at this time.', zh: '在这个时刻 socket 发送的内容。' },
  udp: { kernel: 'udp_sendmsg', en: 'A UDP datagram of `size` bytes of payload (default 100), from a SOCK_DGRAM socket.', zh: '一个负载为 `size` 字节（默认 100）的 UDP 数据报，由 SOCK_DGRAM socket 发出。' },
  icmp: { kernel: 'ping_v4_sendmsg', en: 'An ICMP echo request (as ping, from a SOCK_DGRAM ICMP socket) with `size` bytes of data (default 56).', zh: '一个 ICMP 回显请求（与 ping 相同，由 SOCK_DGRAM 的 ICMP socket 发出），数据 `size` 字节（默认 56）。' },
  echo: { en: 'ICMP type 8, echo request.', zh: 'ICMP 类型 8，回显请求。' },
  tcp: { kernel: 'tcp_connect', en: 'A TCP SYN: connect() on a SOCK_STREAM socket; it carries no payload.', zh: '一个 TCP SYN：在 SOCK_STREAM socket 上调用 connect()，不带负载。' },
  syn: { en: 'The first segment of a TCP handshake.', zh: 'TCP 三次握手的第一个报文段。' },
  to: { en: 'The destination: an address, and a port for udp and tcp.', zh: '目的地：一个地址，udp 和 tcp 还要带端口。' },
  rule: { en: 'An nftables rule.', zh: '一条 nftables 规则。' },
  postrouting: { kernel: 'NF_INET_POST_ROUTING', en: 'The postrouting hook, run in ip_output before ip_finish_output.', zh: 'postrouting 钩子，在 ip_output 中、ip_finish_output 之前执行。' },
  output: { kernel: 'NF_INET_LOCAL_OUT', en: 'The output hook, run by __ip_local_out before dst_output: filter (priority 0) and mangle (a `type route` chain at priority -150: a changed mark, address or TOS makes ip_route_me_harder look the route up again).', zh: 'output 钩子，由 __ip_local_out 在 dst_output 之前执行：filter（优先级 0）和 mangle（优先级 -150 的 `type route` 链：改了 mark、地址或 TOS 后，ip_route_me_harder 会重新查路由）。' },
  '-w': { en: 'Write the value, as `sysctl -w` (optional).', zh: '写入数值，同 `sysctl -w`（可省略）。' },
} as const satisfies Record<string, WordDoc>;

export const LINK_WORDS = {
  type: {
    takes: 'enum', syntax: 'type veth|ethernet|vlan', en: 'The kind of device (default veth).', zh: '设备类型（默认 veth）。',
    values: {
      veth: { en: 'A virtual ethernet pair: no qdisc (noqueue), frames are never padded.', zh: '虚拟以太网对：没有 qdisc（noqueue），帧不补齐。' },
      ethernet: { en: 'A physical NIC: pfifo_fast qdisc, short frames padded to 60 bytes (skb_put_padto).', zh: '物理网卡：qdisc 为 pfifo_fast，短帧补齐到 60 字节（skb_put_padto）。' },
      vlan: { kernel: 'vlan_dev_hard_header', en: 'An 802.1Q VLAN device on `link PARENT` with `id N`: its frames carry the tag (TPID 0x8100, VID) and leave through the parent. Without the parent\'s offload, hard_header_len is 18 (vlan_dev_hard_header writes the tag); with it, 14 (the tag is put in by __vlan_hwaccel_put_tag).', zh: '建在 `link PARENT` 上、`id N` 的 802.1Q VLAN 设备：帧带 VLAN 标签（TPID 0x8100、VID），经父设备发出。父设备不开 offload 时 hard_header_len 为 18（标签由 vlan_dev_hard_header 写入）；开启时为 14（标签由 __vlan_hwaccel_put_tag 放入）。' },
    },
  },
  link: { takes: 'dev', syntax: 'link PARENT', kernel: 'vlan->real_dev', en: 'The parent of a VLAN device: a veth or ethernet link written before it. The VLAN takes its MTU and MAC unless given.', zh: 'VLAN 设备的父设备：写在它之前的一条 veth 或 ethernet 链路。不指定时，VLAN 沿用它的 MTU 和 MAC。' },
  id: { takes: 'int', syntax: 'id N', kernel: 'vlan->vlan_id', en: 'The VLAN ID of a VLAN device, 1..4094: the VID in the 802.1Q tag of every frame it sends.', zh: 'VLAN 设备的 VLAN ID，1..4094：它发出的每个帧的 802.1Q 标签中的 VID。' },
  mtu: { takes: 'int', syntax: 'mtu N', kernel: 'dev->mtu', en: 'The device\'s MTU, 68..65535 (default 1500): ip_finish_output fragments a packet longer than this (ip_fragment) or, with DF, refuses it.', zh: '设备的 MTU，68..65535（默认 1500）：比它长的包由 ip_finish_output 分片（ip_fragment），带 DF 时则拒绝发送。' },
  address: { takes: 'mac', syntax: 'address MAC', kernel: 'dev->dev_addr', en: 'The device\'s MAC address (default 02:00:00:00:00:NN by link order): the source of every frame it sends.', zh: '设备的 MAC 地址（默认按链路顺序为 02:00:00:00:00:NN）：它发出的每个帧的源地址。' },
  qdisc: {
    takes: 'enum', syntax: 'qdisc noqueue|pfifo_fast', kernel: 'dev->qdisc', en: 'The queueing discipline that __dev_queue_xmit hands the packet to.', zh: '__dev_queue_xmit 把包交给的排队规则（qdisc）。',
    values: {
      noqueue: { en: 'No queue: dev_hard_start_xmit is called at once (the veth default).', zh: '不排队：直接调用 dev_hard_start_xmit（veth 的默认值）。' },
      pfifo_fast: { en: 'Three FIFO bands by priority, txqueuelen packets deep (the ethernet default).', zh: '按优先级分三个 FIFO 频带，深度为 txqueuelen 个包（ethernet 的默认值）。' },
    },
  },
  txqueuelen: { takes: 'int', syntax: 'txqueuelen N', kernel: 'dev->tx_queue_len', en: 'The qdisc\'s queue length in packets (default 1000); a packet beyond it is dropped.', zh: 'qdisc 队列长度（包数，默认 1000）；超出的包被丢弃。' },
  offload: { takes: 'enum', syntax: 'offload on|off', kernel: 'NETIF_F_HW_CSUM | NETIF_F_GSO | NETIF_F_HW_VLAN_CTAG_TX', en: 'TX checksum offload, and with it TSO/GSO (UFO on 4.9) and VLAN tag insertion (a VLAN on this link then has hard_header_len 14). Default off.', zh: '发送校验和卸载，以及随之开启的 TSO/GSO（4.9 上为 UFO）和 VLAN 标签插入（此时建在该链路上的 VLAN 的 hard_header_len 为 14）。默认关闭。', values: ON_OFF('Checksum offload and GSO', '校验和卸载和 GSO') },
  down: { syntax: 'down', kernel: '!IFF_UP', en: 'The device is administratively down: the routes through it are not used and nothing is sent on it.', zh: '设备处于管理性关闭状态：经过它的路由不可用，也不会从它发出任何包。' },
} as const satisfies Record<string, OptionDoc>;

export const ADDR_WORDS = {
  dev: { takes: 'dev', syntax: 'dev NAME', kernel: 'in_ifaddr->ifa_dev', en: 'The link the address is on.', zh: '地址所在的链路。' },
} as const satisfies Record<string, OptionDoc>;

export const ROUTE_WORDS = {
  via: { takes: 'addr', syntax: 'via A', kernel: 'fib_nh->nh_gw', en: 'The gateway: the next hop whose MAC ARP resolves (rt_gateway), on a connected subnet.', zh: '网关：下一跳，ARP 解析的是它的 MAC（rt_gateway），必须在直连子网上。' },
  dev: { takes: 'dev', syntax: 'dev NAME', kernel: 'fib_nh->nh_dev', en: 'The output device; without via, the destination is on the link itself.', zh: '出口设备；不写 via 时，目的地址就在该链路上。' },
  mtu: { takes: 'int', syntax: 'mtu N', kernel: 'RTAX_MTU', en: 'The route\'s MTU (a locked metric), used instead of the device\'s by ip_dst_mtu_maybe_forward / ip_skb_dst_mtu.', zh: '路由的 MTU（锁定的 metric），由 ip_skb_dst_mtu 取代设备 MTU 使用。' },
  src: { takes: 'addr', syntax: 'src A', kernel: 'fib_info->fib_prefsrc', en: 'The preferred source address of packets sent by this route.', zh: '走这条路由发出的包优先使用的源地址。' },
  table: {
    takes: 'int', syntax: 'table N|main', kernel: 'fib_table', en: 'The routing table the route goes in (default main, 254); a `rule add ... lookup N` makes lookups use it. Any number but 0 and 255 (local).', zh: '路由所在的路由表（默认 main，即 254）；`rule add ... lookup N` 会让查找用到它。可以是除 0 和 255（local）以外的任何编号。',
    values: { main: { kernel: 'RT_TABLE_MAIN', en: 'The main table (254).', zh: 'main 表（254）。' } },
  },
} as const satisfies Record<string, OptionDoc>;

export const RULE_WORDS = {
  priority: { takes: 'int', syntax: 'priority N', kernel: 'fib_rule->pref', en: 'The rule\'s preference, 0..4294967295: lower is tried first. Without it the kernel gives one less than the lowest user rule (32765 for the first) (fib_default_rule_pref).', zh: '规则的优先级，0..4294967295：越小越先尝试。不写时，内核取最小的用户规则优先级减一（第一条为 32765）（fib_default_rule_pref）。' },
  fwmark: { takes: 'int', syntax: 'fwmark N[/MASK]', kernel: 'fib_rule->mark, mark_mask', en: 'Matches the flow\'s mark (flowi4_mark: SO_MARK, or skb->mark when ip_route_me_harder reroutes) under the mask (default 0xffffffff).', zh: '在掩码（默认 0xffffffff）下匹配流的 mark（flowi4_mark：即 SO_MARK，或 ip_route_me_harder 重新查路由时的 skb->mark）。' },
  from: { takes: 'addr', syntax: 'from A[/N]', kernel: 'fib4_rule->src', en: 'Matches the source address of the lookup (0.0.0.0 before the source is chosen, so use it for bound sockets).', zh: '匹配查找时的源地址（选定源地址之前为 0.0.0.0，所以用于已绑定地址的 socket）。' },
  to: { takes: 'addr', syntax: 'to A[/N]', kernel: 'fib4_rule->dst', en: 'Matches the destination address.', zh: '匹配目的地址。' },
  oif: { takes: 'dev', syntax: 'oif NAME', kernel: 'fib_rule->oifindex', en: 'Matches the output device of the lookup (flowi4_oif: SO_BINDTODEVICE, or the device nft dup names).', zh: '匹配查找时的出口设备（flowi4_oif：SO_BINDTODEVICE，或 nft dup 指定的设备）。' },
  lookup: {
    takes: 'int', syntax: 'lookup N|main', kernel: 'FR_ACT_TO_TBL', en: 'The table to look in. When it has no route for the destination the next rule is tried.', zh: '要查找的路由表。表中没有到该目的地的路由时，继续尝试下一条规则。',
    values: { main: { kernel: 'RT_TABLE_MAIN', en: 'The main table (254).', zh: 'main 表（254）。' } },
  },
} as const satisfies Record<string, OptionDoc>;

const NUD_VALUES = {
  permanent: { kernel: 'NUD_PERMANENT', en: 'Never expires and never probes (the default).', zh: '永不过期，也不探测（默认值）。' },
  reachable: { kernel: 'NUD_REACHABLE', en: 'Confirmed recently; goes STALE after base_reachable_time.', zh: '刚确认过可达；base_reachable_time 后变为 STALE。' },
  stale: { kernel: 'NUD_STALE', en: 'Usable, but the next packet moves it to DELAY and then probes.', zh: '可以使用，但下一个包会把它转入 DELAY，随后开始探测。' },
  noarp: { kernel: 'NUD_NOARP', en: 'Valid without ARP, never probed.', zh: '无需 ARP 即有效，从不探测。' },
} as const satisfies Record<string, WordDoc>;

export const NEIGH_WORDS = {
  lladdr: { takes: 'mac', syntax: 'lladdr MAC', kernel: 'neighbour->ha', en: 'The neighbour\'s link-layer (MAC) address.', zh: '邻居的链路层（MAC）地址。' },
  dev: { takes: 'dev', syntax: 'dev NAME', kernel: 'neighbour->dev', en: 'The link the neighbour is on.', zh: '邻居所在的链路。' },
  nud: { takes: 'enum', syntax: 'nud permanent|reachable|stale|noarp', kernel: 'neighbour->nud_state', en: 'The entry\'s state (default permanent).', zh: '表项的状态（默认 permanent）。', values: NUD_VALUES },
} as const satisfies Record<string, OptionDoc>;

export const PEER_WORDS = {
  lladdr: { takes: 'mac', syntax: 'lladdr MAC', en: 'The peer\'s MAC address: what its ARP replies carry.', zh: '对端的 MAC 地址，即它的 ARP 应答中携带的地址。' },
  dev: { takes: 'dev', syntax: 'dev NAME', en: 'The link the peer is on (default: the link whose subnet holds its address).', zh: '对端所在的链路（默认为子网包含其地址的那条链路）。' },
  silent: { syntax: 'silent', en: 'Never answers ARP: the neighbour entry stays INCOMPLETE until it FAILS, and the queued packets are dropped.', zh: '从不应答 ARP：邻居表项一直停在 INCOMPLETE 直到 FAILED，排队的包被丢弃。' },
  'up-at': { takes: 'duration', syntax: 'up-at DURATION', en: 'The peer only answers from this time on (default 0).', zh: '对端从这个时刻起才应答（默认 0）。' },
  'reply-delay': { takes: 'duration', syntax: 'reply-delay DURATION', en: 'How long the peer takes to answer an ARP request (default 0).', zh: '对端应答 ARP 请求所需的时间（默认 0）。' },
} as const satisfies Record<string, OptionDoc>;

const PMTU_VALUES = {
  do: { kernel: 'IP_PMTUDISC_DO', en: 'Always set DF; a datagram over the MTU fails with EMSGSIZE instead of being fragmented.', zh: '始终置 DF；超过 MTU 的数据报返回 EMSGSIZE，不分片。' },
  dont: { kernel: 'IP_PMTUDISC_DONT', en: 'Never set DF: the kernel fragments as needed.', zh: '从不置 DF：内核按需分片。' },
  want: { kernel: 'IP_PMTUDISC_WANT', en: 'Set DF unless the datagram is over the path MTU, then fragment locally (the default).', zh: '数据报不超过路径 MTU 时置 DF，超过时在本机分片（默认值）。' },
  probe: { kernel: 'IP_PMTUDISC_PROBE', en: 'Set DF and ignore the path MTU: send up to the device MTU.', zh: '置 DF 并忽略路径 MTU：按设备 MTU 发送。' },
  interface: { kernel: 'IP_PMTUDISC_INTERFACE', en: 'Use the interface MTU and never a learned path MTU; DF set.', zh: '使用接口 MTU，从不使用学到的路径 MTU；置 DF。' },
  omit: { kernel: 'IP_PMTUDISC_OMIT', en: 'As interface, but fragment rather than fail, without DF.', zh: '与 interface 类似，但超长时分片而不是报错，不置 DF。' },
} as const satisfies Record<string, WordDoc>;

export const SEND_WORDS = {
  from: { takes: 'addr-port', syntax: 'from A[:PORT]', kernel: 'bind()', en: 'Binds the socket to a local address (and port): the packet\'s source (inet->inet_saddr).', zh: '把 socket 绑定到本地地址（和端口）：即包的源地址（inet->inet_saddr）。' },
  size: { takes: 'int', syntax: 'size N', en: 'Bytes of payload given to sendmsg (default 100 for udp, 56 for icmp, 0 for tcp).', zh: '交给 sendmsg 的负载字节数（udp 默认 100，icmp 默认 56，tcp 为 0）。' },
  df: { takes: 'enum', syntax: 'df do|dont|want|probe|interface|omit', kernel: 'IP_MTU_DISCOVER', en: 'Path MTU discovery for the socket: setsockopt IP_MTU_DISCOVER (default want).', zh: 'socket 的路径 MTU 发现方式：setsockopt IP_MTU_DISCOVER（默认 want）。', values: PMTU_VALUES },
  ttl: { takes: 'int', syntax: 'ttl N', kernel: 'IP_TTL', en: 'setsockopt IP_TTL: the packet\'s TTL (default net.ipv4.ip_default_ttl, 64).', zh: 'setsockopt IP_TTL：包的 TTL（默认取 net.ipv4.ip_default_ttl，即 64）。' },
  tos: { takes: 'int', syntax: 'tos N', kernel: 'IP_TOS', en: 'setsockopt IP_TOS: the TOS byte (DSCP and ECN), decimal or 0x hex.', zh: 'setsockopt IP_TOS：TOS 字节（DSCP 和 ECN），十进制或 0x 十六进制。' },
  mark: { takes: 'int', syntax: 'mark N', kernel: 'SO_MARK', en: 'setsockopt SO_MARK: skb->mark, seen by routing and nft `meta mark`.', zh: 'setsockopt SO_MARK：即 skb->mark，路由和 nft 的 `meta mark` 都能看到。' },
  count: { takes: 'int', syntax: 'count N', kernel: 'sendmsg() x N', en: 'How many times the socket calls sendmsg (default 1).', zh: 'socket 调用 sendmsg 的次数（默认 1）。' },
  every: { takes: 'duration', syntax: 'every DURATION', kernel: 'sendmsg() interval', en: 'The time between two sendmsg calls of a count (default 0: all at once).', zh: '多次发送时两次 sendmsg 调用之间的间隔（默认 0：一次全部发出）。' },
  socket: { takes: 'name', syntax: 'socket NAME', kernel: 'socket()', en: 'Sends with the same name share one socket (its options, its cached route, its IP ID).', zh: '同名的发送共用一个 socket（共享其选项、缓存的路由和 IP ID）。' },
  connected: { syntax: 'connected', kernel: 'connect()', en: 'connect() the UDP socket first: the route is cached on the socket (sk_dst_cache).', zh: '先对 UDP socket 调用 connect()：路由缓存在 socket 上（sk_dst_cache）。' },
  broadcast: { syntax: 'broadcast', kernel: 'SO_BROADCAST', en: 'setsockopt SO_BROADCAST: allows sending to a broadcast address.', zh: 'setsockopt SO_BROADCAST：允许发往广播地址。' },
  'bind-dev': { takes: 'dev', syntax: 'bind-dev NAME', kernel: 'SO_BINDTODEVICE', en: 'setsockopt SO_BINDTODEVICE: the socket only sends on this link.', zh: 'setsockopt SO_BINDTODEVICE：socket 只从这条链路发送。' },
  'multicast-if': { takes: 'addr', syntax: 'multicast-if A', kernel: 'IP_MULTICAST_IF', en: 'setsockopt IP_MULTICAST_IF: the local address whose link multicast goes out on.', zh: 'setsockopt IP_MULTICAST_IF：组播从该本地地址所在的链路发出。' },
  'multicast-ttl': { takes: 'int', syntax: 'multicast-ttl N', kernel: 'IP_MULTICAST_TTL', en: 'setsockopt IP_MULTICAST_TTL: the TTL of multicast packets (default 1).', zh: 'setsockopt IP_MULTICAST_TTL：组播包的 TTL（默认 1）。' },
  'multicast-loop': { takes: 'enum', syntax: 'multicast-loop on|off', kernel: 'IP_MULTICAST_LOOP', en: 'setsockopt IP_MULTICAST_LOOP: whether a joined group\'s packets loop back to the host (default on).', zh: 'setsockopt IP_MULTICAST_LOOP：已加入组的组播包是否回环给本机（默认开启）。', values: ON_OFF('Multicast loopback', '组播回环') },
  recverr: { syntax: 'recverr', kernel: 'IP_RECVERR', en: 'setsockopt IP_RECVERR: errors such as ENOBUFS and EMSGSIZE come back to sendmsg instead of being hidden.', zh: 'setsockopt IP_RECVERR：ENOBUFS、EMSGSIZE 等错误返回给 sendmsg，而不是被隐藏。' },
  'ip-options': {
    takes: 'list', syntax: 'ip-options ra,rr', kernel: 'IP_OPTIONS', en: 'setsockopt IP_OPTIONS: router alert (ra) and record route with one slot (rr); the header grows and fragments copy only some options.', zh: 'setsockopt IP_OPTIONS：路由器警告（ra）和一个槽位的记录路由（rr）；IP 头变长，分片时只复制部分选项。',
    values: {
      ra: { kernel: 'IPOPT_RA', en: 'Router alert (4 bytes, copied into every fragment).', zh: '路由器警告（4 字节，每个分片都复制）。' },
      rr: { kernel: 'IPOPT_RR', en: 'Record route with one slot (only in the first fragment).', zh: '记录路由，一个槽位（只出现在第一个分片中）。' },
    },
  },
  gso: { takes: 'int', syntax: 'gso N', kernel: 'UDP_SEGMENT', en: 'setsockopt UDP_SEGMENT (udp only, 6.18): one GSO skb cut into UDP datagrams of N payload bytes by the device or validate_xmit_skb; 0 turns it off. 4.9 refuses it (ENOPROTOOPT).', zh: 'setsockopt UDP_SEGMENT（仅 udp，6.18）：一个 GSO skb，由设备或 validate_xmit_skb 切成每个带 N 字节净荷的 UDP 数据报；0 表示关闭。4.9 不支持（ENOPROTOOPT）。' },
} as const satisfies Record<string, OptionDoc>;

/** The options of each statement that has options. */
export const OPTIONS_OF = {
  link: LINK_WORDS,
  addr: ADDR_WORDS,
  route: ROUTE_WORDS,
  rule: RULE_WORDS,
  neigh: NEIGH_WORDS,
  peer: PEER_WORDS,
  at: SEND_WORDS,
} as const satisfies Partial<Record<StatementWord, Record<string, OptionDoc>>>;

/** The words of an nft rule after `TABLE postrouting`. */
export const NFT_RULE_WORDS = {
  udp: { syntax: 'udp dport|sport N', en: 'Matches a UDP port.', zh: '匹配 UDP 端口。' },
  tcp: { syntax: 'tcp dport|sport N', en: 'Matches a TCP port.', zh: '匹配 TCP 端口。' },
  ip: { syntax: 'ip daddr|saddr A[/N] | protocol P | ttl set N | dscp set V', en: 'Matches or sets a field of the IPv4 header.', zh: '匹配或修改 IPv4 头部的字段。' },
  meta: { syntax: 'meta mark N | mark set N | l4proto P', en: 'Matches or sets packet metadata (skb->mark, the layer 4 protocol).', zh: '匹配或修改包的元数据（skb->mark、四层协议）。' },
  mark: { syntax: 'mark N | mark set N', kernel: 'skb->mark', en: 'Matches or sets skb->mark (as meta mark).', zh: '匹配或修改 skb->mark（同 meta mark）。' },
  oif: { syntax: 'oif NAME', kernel: 'skb->dev', en: 'Matches the output device.', zh: '匹配出口设备。' },
  oifname: { syntax: 'oifname "NAME"', kernel: 'skb->dev->name', en: 'Matches the output device by name.', zh: '按名称匹配出口设备。' },
  accept: { kernel: 'NF_ACCEPT', en: 'Verdict: the packet goes on.', zh: '判决：放行，包继续发送。' },
  drop: { kernel: 'NF_DROP', en: 'Verdict: the packet is freed (drop reason NETFILTER_DROP); sendmsg returns EPERM.', zh: '判决：丢弃包（drop reason 为 NETFILTER_DROP）；sendmsg 返回 EPERM。' },
  counter: { en: 'Counts the packets and bytes that reach it.', zh: '统计经过它的包数和字节数。' },
  snat: { syntax: 'snat to A', kernel: 'nf_nat_setup_info', en: 'Source NAT to an address (nat table).', zh: '源地址转换为指定地址（nat 表）。' },
  masquerade: { kernel: 'nf_nat_masquerade_ipv4', en: 'Source NAT to the output device\'s address (nat table).', zh: '源地址转换为出口设备的地址（nat 表）。' },
  dup: { syntax: 'dup to A [device NAME]', kernel: 'nf_dup_ipv4', en: 'Sends a copy of the packet to A (through NAME when given): the copy is routed again and sent by ip_local_out, with the headroom of the original (filter or mangle table).', zh: '把包的一份副本发往 A（指定了 NAME 时从该设备发出）：副本重新查路由并由 ip_local_out 发送，头部空间沿用原包（filter 或 mangle 表）。' },
} as const satisfies Record<string, WordDoc>;

/** nft words that follow another: tables, fields, `set`. */
export const NFT_PART_WORDS = {
  filter: { en: 'The filter table: verdicts, counters, marks.', zh: 'filter 表：判决、计数、打标记。' },
  nat: { en: 'The nat table: snat and masquerade.', zh: 'nat 表：snat 和 masquerade。' },
  mangle: { en: 'The mangle table: changing marks, TTL and DSCP.', zh: 'mangle 表：修改标记、TTL 和 DSCP。' },
  daddr: { kernel: 'iph->daddr', en: 'The destination address.', zh: '目的地址。' },
  saddr: { kernel: 'iph->saddr', en: 'The source address.', zh: '源地址。' },
  protocol: { kernel: 'iph->protocol', en: 'The layer 4 protocol: udp, tcp or icmp.', zh: '四层协议：udp、tcp 或 icmp。' },
  l4proto: { en: 'The layer 4 protocol: udp, tcp or icmp.', zh: '四层协议：udp、tcp 或 icmp。' },
  dport: { en: 'The destination port.', zh: '目的端口。' },
  sport: { en: 'The source port.', zh: '源端口。' },
  ttl: { kernel: 'iph->ttl', en: 'The TTL (with set: rewrites it and the checksum).', zh: 'TTL（配合 set：改写 TTL 并更新校验和）。' },
  dscp: { kernel: 'iph->tos >> 2', en: 'The DSCP bits of the TOS byte (a name such as ef, af41, cs6, or 0..63).', zh: 'TOS 字节中的 DSCP 位（名称如 ef、af41、cs6，或 0..63）。' },
  set: { en: 'Sets the field instead of matching it.', zh: '修改该字段，而不是匹配它。' },
  device: { syntax: 'device NAME', kernel: 'nf_dup_ipv4 oif', en: 'The device the copy of `dup` leaves by (the route lookup is made with it as oif).', zh: '`dup` 的副本的出口设备（查路由时把它作为 oif）。' },
} as const satisfies Record<string, WordDoc>;

/** The keys of a table, in order, with their literal types. */
export function wordsOf<T extends object>(table: T): (keyof T & string)[] {
  return Object.keys(table) as (keyof T & string)[];
}
