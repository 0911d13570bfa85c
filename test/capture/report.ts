// docs/conformance.md, written from the comparisons of the model with the stored captures
// (test/capture/conformance.test.ts writes it when KPATH_UPDATE_CONFORMANCE=1 or
// KPATH_UPDATE_GOLDEN=1).

import type { Difference } from '../../src/capture/compare';
import type { KnownDifference } from './suite';
import { auditMarkdown } from './audit';

export interface CaseResult {
  name: string;
  /** The scenario file, relative to the repository. */
  scenario: string;
  /** The scenario is an adjusted copy (test/captures/NAME/scenario.kpath). */
  adjusted: boolean;
  behaviour: string;
  kernel: string;
  modelFrames: number;
  kernelFrames: number;
  calls: number;
  differences: Difference[];
  /** Ids of the known differences that showed. */
  known: string[];
  /** The kernel's events compared (undefined: the capture has none): counts per side, the kernel's drop reasons. */
  events?: { model: EventCounts; kernel: EventCounts; reasons: string[] };
}

interface EventCounts {
  neigh: number;
  drops: number;
  xmit: number;
}

function esc(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function line(d: Difference): string {
  return `${d.where}: ${d.field}: model ${d.model}; kernel ${d.kernel}`;
}

export function conformanceMarkdown(results: CaseResult[], known: KnownDifference[], notAsWritten: Record<string, string>, notRepeatable: Record<string, string>, coverage: string[] = []): string {
  const kernels = [...new Set(results.map((r) => r.kernel))].join(', ');
  const agree = results.filter((r) => r.differences.length === 0).length;
  const unexplained = (r: CaseResult): Difference[] => r.differences.filter((d) => !attribution.has(d));
  const open = results.filter((r) => unexplained(r).length);
  const out: string[] = [];
  out.push('# Conformance with the real kernel');
  out.push('');
  out.push(`The model's results for ${results.length} scenarios, compared with what Linux ${kernels} (HZ 250, x86-64) did with the`);
  out.push('same scenarios. The captures are stored in `test/captures/NAME/` (`capture.pcap` and `result.json`, made by');
  out.push('`kpath capture`) and `npm test` compares the model with each of them');
  out.push('(`test/capture/conformance.test.ts`); as root, with network namespaces, tcpdump and the same kernel');
  out.push('version, it also captures each scenario again and fails when the kernel no longer does what the stored');
  out.push('capture says. This page is generated from those comparisons: `KPATH_UPDATE_CONFORMANCE=1 npm test`.');
  out.push('');
  out.push(open.length
    ? `${agree} of ${results.length} scenarios agree in everything compared; ${open.length} differ in ways not yet explained ([below](#not-yet-explained)), and the others only in the known differences below.`
    : `${agree} of ${results.length} scenarios agree in everything compared; the others differ only in the known differences below.`);
  out.push('');
  out.push('To compare one scenario yourself: `kpath compare FILE.kpath --capture test/captures/NAME` (any user),');
  out.push('or `sudo kpath compare FILE.kpath` to capture it live first.');
  out.push('');
  out.push('## How the captures are made');
  out.push('');
  out.push('- One network namespace for the host and one per link for its peers, a veth pair per link with the');
  out.push("  scenario's names, MACs, MTUs and addresses, and the routes (in the tables they name), policy rules,");
  out.push('  static neighbours, sysctls and nft rules. `rule add` becomes `ip rule add` with the same selectors and');
  out.push("  table; a rule without a priority gets the kernel's choice, as in the model (32765, then one below the");
  out.push("  lowest rule after the local table's). The nft tables get postrouting chains at the priorities of");
  out.push("  iptables' mangle, filter and nat (-150, 0, 100) and output chains for filter (`type filter hook output");
  out.push('  priority 0`) and mangle (`type route hook output priority -150`: a route chain, so that a mark, address');
  out.push("  or TOS it changes makes the kernel look the route up again, as iptables' mangle OUTPUT does); the");
  out.push("  device of `dup to A device NAME` is given by the capture's name for it.");
  out.push('- A scenario with an 802.1Q VLAN link is refused before anything is built when the kernel has no 802.1Q');
  out.push('  support (`/proc/net/vlan`, a test VLAN in an anonymous namespace of its own, or the kernel\'s');
  out.push('  configuration), naming the link\'s file, line and column ([below](#vlan)).');
  out.push("- TX checksum offload, TSO and GSO off on both ends of each veth (the scenarios' `offload off`), as in the");
  out.push("  reference captures of docs/kernel.md §13. lo's offload cannot be turned off.");
  out.push('- IPv6 off in every namespace (no router solicitations or MLD reports on the links).');
  out.push("- Peers are Linux hosts in their namespaces. Each gets its address at `up-at` (so ARP requests before then");
  out.push('  go unanswered); `silent` peers never get one. Their ICMP errors are switched off');
  out.push('  (`icmp_msgs_per_sec` 0), because a host answers UDP to a closed port with port unreachable and the');
  out.push("  model's peers do not. Further MACs on a link are macvlan devices with `arp_ignore` 1.");
  out.push('- A Python helper (standard library only) makes the socket calls at their times in the host namespace:');
  out.push('  the scenario\'s options (IP_MTU_DISCOVER, IP_TTL, IP_TOS, SO_MARK, SO_BROADCAST, SO_BINDTODEVICE,');
  out.push('  IP_MULTICAST_IF/TTL/LOOP, IP_RECVERR, IP_OPTIONS), bind, connect, `sendto` with MSG_DONTWAIT, raw ICMP');
  out.push('  echo, non-blocking TCP connect (EINPROGRESS counts as "ok"). Each datagram socket\'s send buffer is raised');
  out.push('  to 8 MiB (SO_SNDBUFFORCE), as in the reference captures, because the model has no send buffer limit.');
  out.push('  Sockets that join a group (`join`) are bound to the group and the ports sent to, and are read before');
  out.push('  the counters are taken (the kernel counts Udp.InDatagrams when the application reads).');
  out.push("- tcpdump on each of the host's devices (nanosecond timestamps); time 0 is the first call's moment minus");
  out.push("  its `at`. The run lasts the scenario's `run`, or until the model goes quiet plus 0.5 s.");
  out.push('- Counters are the deltas of `/proc/net/snmp` and `/proc/net/netstat` (IpExt) and of the devices\'');
  out.push('  statistics; the neighbour table is `ip -s neigh` at the end; the error queues are read at the end.');
  out.push('');
  out.push('A capture is two files. `capture.pcap`: the frames seen on the host\'s devices, Ethernet, nanosecond');
  out.push('timestamps. `result.json` (`CaptureDoc` in `src/capture/capture-doc.ts`): `sends` (each call\'s time and');
  out.push('result, "ok" or the errno name, and the options refused), `frames` (the device and direction of each pcap');
  out.push('record), `sockets` (their error queues and pending errors), `counters` and `devices` (the non-zero deltas),');
  out.push('`neighbours` (the final table), `notes` (what could not be as the scenario says), `kernel` (`uname -r`),');
  out.push('`scenarioDigest` (of the parsed scenario: the test reports a capture whose scenario has changed since),');
  out.push("and `events` and `eventInfo` (the kernel's tracepoints, below).");
  out.push('');
  out.push('## How they are compared');
  out.push('');
  out.push('`compare()` in `src/capture/compare.ts` aligns the frames of each kind (device, direction, ARP');
  out.push('operation, IP protocol, ICMP type) and compares them field by field. Fields the kernel randomises are');
  out.push('compared by their rules:');
  out.push('');
  out.push('- IP IDs by their relation to the previous ID of the same source, destination and protocol: 0 on both');
  out.push('  sides or neither (a counter that passes through 0 gives the next ID, not an ID of 0), shared (fragments');
  out.push('  of one datagram), ascending by at most the jiffies between the calls');
  out.push('  that made them, or unrelated (a new random start); a copy made by `dup` carries the ID of the datagram');
  out.push('  it copies, so which frames copy which (the same ID as an earlier datagram of the flow) must match too;');
  out.push('- ephemeral ports and ICMP echo identifiers one to one, TCP sequence numbers and timestamps by one offset');
  out.push('  per direction;');
  out.push('- times by their cause: a frame the model sends at the same instant as the event before it must follow that');
  out.push('  event within 5 ms; a frame sent later (a timer) must keep its delay after that event, or after the frame');
  out.push('  before it, within the timer wheel\'s granularity at that delay plus 2 ms (so an ARP retransmit 1000..1032');
  out.push('  ms after the request, then 1024 ms apart, a DELAY timer of 5 s within 260 ms). The frame before counts');
  out.push('  because the calls queued after the one that armed a timer take a different time on each run: 400 sends');
  out.push('  to an unresolved neighbour took 28.6 ms in one capture and 7.8 ms in another;');
  out.push('- order: the frames the model sends at a socket call\'s instant keep their order on the kernel, across');
  out.push('  devices too (one task sends them all, and a veth peer answers within it: an nft dup copy goes out, ARP');
  out.push('  and all, before its original continues). Frames of timers at one instant are not ordered.');
  out.push('');
  out.push('Everything else must be equal: lengths, MACs, ARP fields, TOS, TTL, DF/MF, offsets, options, checksum');
  out.push('validity, the result of every call and the setsockopt calls refused, the error queues, the SNMP counters');
  out.push("the model keeps (Ip, Icmp, Udp, Tcp; not the ARP cache's, which is global on a real kernel), the devices'");
  out.push('statistics, and the neighbour table (states, MACs, probes) as `ip neigh` shows it.');
  out.push('');
  out.push(...EVENTS_SECTION);
  out.push('');
  out.push(...FACTS_SECTION);
  out.push('');
  out.push('## Behaviours reproduced');
  out.push('');
  out.push('Events: neighbour events, drops and device transmit events (model / kernel), and the drop reasons');
  out.push('the kernel gave.');
  out.push('');
  out.push('| Scenario | Behaviour | Frames (model / kernel) | Calls | Events: neigh, drops, transmits | Drop reasons | Result |');
  out.push('|---|---|---|---|---|---|---|');
  const titles = new Map(known.map((k) => [k.id, k.title]));
  for (const r of results) {
    const scen = r.adjusted ? `\`${r.name}\` (adjusted copy)` : `\`${r.name}\``;
    const result = r.differences.length === 0
      ? 'agrees'
      : unexplained(r).length
        ? `**differs** ([not yet explained](#not-yet-explained))${r.known.length ? `; also ${r.known.map((id) => `[${titles.get(id) ?? id}](#${id})`).join('; ')}` : ''}`
        : `agrees except: ${r.known.map((id) => `[${titles.get(id) ?? id}](#${id})`).join('; ')}`;
    const ev = r.events
      ? `${r.events.model.neigh} / ${r.events.kernel.neigh}, ${r.events.model.drops} / ${r.events.kernel.drops}, ${r.events.model.xmit} / ${r.events.kernel.xmit}`
      : 'not recorded';
    const reasons = r.events ? r.events.reasons.join(', ') || '(none)' : '';
    out.push(`| ${scen} | ${esc(r.behaviour)} | ${r.modelFrames} / ${r.kernelFrames} | ${r.calls} | ${ev} | ${reasons} | ${esc(result)} |`);
  }
  out.push('');
  if (open.length) {
    out.push('## Differences not yet explained');
    out.push('');
    out.push('<a id="not-yet-explained"></a>The model and the kernel differ here, and no known difference explains it: the test');
    out.push('fails until the model (or the scenario) changes. What `kpath compare` says:');
    out.push('');
    out.push('```');
    for (const r of open) for (const d of unexplained(r)) out.push(`${r.name}: ${line(d)}`);
    out.push('```');
    out.push('');
  }
  out.push('## Known differences');
  out.push('');
  for (const k of known) {
    const shown = results.filter((r) => r.known.includes(k.id));
    out.push(`### ${k.title}`);
    out.push('');
    out.push(`<a id="${k.id}"></a>Seen in: ${shown.length ? shown.map((r) => `\`${r.name}\``).join(', ') : '(none of the stored captures now)'}.`);
    out.push('');
    out.push(`- Which side is right: ${k.right}`);
    out.push(`- Why: ${k.reason}`);
    out.push(`- Where the model would change: ${k.model}`);
    const examples = shown.flatMap((r) => r.differences.filter((d) => r.known.includes(k.id) && matchesId(d, r, k.id)).map((d) => `${r.name}: ${line(d)}`));
    if (examples.length) {
      out.push('- What the comparison shows:');
      out.push('');
      out.push('  ```');
      for (const e of examples.slice(0, 4)) out.push(`  ${e}`);
      if (examples.length > 4) out.push(`  ... ${examples.length - 4} more`);
      out.push('  ```');
    }
    out.push('');
  }
  out.push('## Scenarios not in the suite as written');
  out.push('');
  for (const [name, why] of Object.entries(notAsWritten)) out.push(`- \`${name}\`: ${why}`);
  out.push('');
  if (Object.keys(notRepeatable).length) {
    out.push('Stored captures that the kernel does not repeat frame for frame (the live check skips them):');
    out.push('');
    for (const [name, why] of Object.entries(notRepeatable)) out.push(`- \`${name}\`: ${why}.`);
    out.push('');
  }
  out.push(...auditMarkdown(), '');
  if (coverage.length) out.push(...coverage, '');
  return out.join('\n');
}

/** Filled by the test: which known difference each difference was attributed to. */
export const attribution = new WeakMap<Difference, string>();

function matchesId(d: Difference, _r: CaseResult, id: string): boolean {
  return attribution.get(d) === id;
}

const EVENTS_SECTION = [
  "## The kernel's events",
  '',
  "Beside the frames, `kpath capture` records the kernel's tracepoints through tracefs, in a trace instance",
  'of its own (`instances/kpath-<pid>-<n>`, its own buffer, clock `mono`, removed at the end; tracefs is',
  'mounted at /sys/kernel/tracing when it is not): neigh:neigh_create, neigh_update (old and new state),',
  'neigh_update_done, neigh_timer_handler, neigh_event_send_done and neigh_event_send_dead, skb:kfree_skb',
  '(with its drop reason), net:net_dev_queue and net_dev_xmit, qdisc:qdisc_enqueue and qdisc_dequeue.',
  "`result.json` keeps the host namespace's events (`events`) and how they were recorded (`eventInfo`:",
  'tracepoints enabled and missing, events set aside by why, events lost); `kpath capture --trace` also',
  'keeps the whole trace (`trace.txt`). The model fires the same tracepoints where the kernel has them',
  '(`kpath run` and `kpath compare` ask for them; a run that does not ask pays nothing: they fire only',
  'while a watcher is attached).',
  '',
  'Tracepoints are global, so the capture picks its own (`src/capture/trace-events.ts`):',
  '',
  '- every device of the capture has a name no other namespace has (`k<pid>_<n>_h0`, `..._lo`, `..._p0`; the',
  "  host's devices keep the scenario's names as alternative names) and the host's links an ifindex of",
  '  their own, and the events are filtered on them in the kernel; the neighbour, transmit and qdisc events',
  "  of the peers' devices are set aside;",
  '- kfree_skb names no device: a drop is the host\'s when it happens in the task context of the socket',
  "  helper (a process in the host namespace); in softirq context, when the packet was last seen queued on a",
  "  host device, sent by a peer to the host, or looped back by the host's lo (a packet sent on a link is the",
  "  peer's from then on); a frag_list part freed with its datagram (`skb_release_data`) is its datagram's;",
  "  a neighbour timer's drop of its queue (NEIGH_FAILED, NEIGH_DEAD) is the host's when the host's",
  '  neigh_timer_handler event closes it on the same CPU. Timers due in the same tick run back to back,',
  "  so the filter also keeps every namespace's neigh_timer_handler that ends FAILED: another capture's",
  "  drop is closed by its own timer's event. Other drops are set aside: their packets went",
  "  through devices the filters leave out. The live check captures three scenarios at once and requires",
  '  the same events each time, so a drop of a neighbouring capture counted as this one\'s would show.',
  '',
  '`compareEvents()` in `src/capture/compare-events.ts` then checks, each in order:',
  '',
  "- each neighbour entry's state transitions (the states its events show, repeats collapsed), and each",
  '  neigh_update\'s old state, requested state and link-layer address;',
  "- each drop's reason: the model's drop reasons are the kernel's `enum skb_drop_reason` names",
  "  (NEIGH_FAILED, NEIGH_QUEUEFULL, NO_SOCKET...); not the function, because the trace's location is a",
  '  return address and a tail call names the caller\'s caller (neigh_invalidate for arp_error_report);',
  "- each device's transmit sequence: net_dev_queue (length), net_dev_xmit (length, return code), and",
  '  qdisc_enqueue / qdisc_dequeue where a qdisc exists.',
  '',
  "Rules for what may differ: a neigh_timer_handler's delay after what armed it (the entry's latest state",
  'change or its previous timer) may differ by the timer wheel\'s granularity at that delay plus a jiffy and',
  '2 ms; a timer that finds the entry REACHABLE is not timed (reachable_time is random); other events\'',
  'times are not compared (the frames\' are); events of other namespaces are never compared, and a',
  "tracepoint one side's kernel lacks is not compared. A capture without events (an older one, or a",
  'kernel without tracefs) is compared on its frames alone.',
];

/** What this kernel does with policy routing, the LOCAL_OUT chains and dup, as found by hand before the captures, and what it cannot show. */
const FACTS_SECTION = [
  '## Policy routing, output chains and dup on this kernel',
  '',
  'Found by hand on Linux 6.18.44 before the captures were made, then checked by them. The set-up: a host',
  'namespace H with eth0 (192.0.2.1/24, MAC 02:00:00:00:00:01) on a veth to a namespace holding 192.0.2.254',
  '(02:00:00:00:00:aa), and eth1 (198.51.100.1/24, 02:00:00:00:00:02) on a veth to a namespace holding the',
  'gateway 198.51.100.254 (02:00:00:00:00:bb); TX checksum offload off, IPv6 off; tcpdump on eth0 and eth1;',
  "the tracepoints as `kpath capture` records them.",
  '',
  '```sh',
  'ip -n H route add default via 192.0.2.254 dev eth0',
  'ip -n H route add default via 198.51.100.254 dev eth1 table 100',
  'ip -n H rule add fwmark 7 lookup 100            # priority 32765, before main (32766)',
  "ip netns exec H nft -f - <<'EOF'",
  'add table ip mangle',
  'add chain ip mangle output { type route hook output priority -150; }',
  'add rule ip mangle output udp dport 9999 meta mark set 7',
  'EOF',
  '# a UDP socket in H: sendto(100 bytes, 203.0.113.5:9999)',
  '```',
  '',
  '- **Rerouting by mark (ip_route_me_harder;** `p-policy-reroute`**).** Nothing leaves eth0 and no neighbour entry is made there:',
  '  the route is looked up again at LOCAL_OUT, before any neighbour is. On eth1: `ARP who-has 198.51.100.254',
  '  tell 192.0.2.1`, the reply, then the datagram to 02:00:00:00:00:bb, source 192.0.2.1, DF, TTL 64, valid',
  "  checksums. The source stays the one the first route chose (the new lookup starts from the header's",
  "  source, and 198.51.100.1 is never used); the ARP request's sender is that source too, as it is local",
  '  (arp_announce 0). Events: neigh_create 198.51.100.254 on eth1, INCOMPLETE -> REACHABLE, the datagram',
  '  flushed from the queue. sendto returns 100.',
  '- **Rerouting to a smaller MTU** (eth1 at MTU 1400, `p-policy-reroute-mtu`): the datagram is cut for the new',
  "  route: 3000 B, built as 1480-byte pieces for eth0, leaves eth1 as 1376 + 1376 + 248; 1472 B sent with",
  '  IP_PMTUDISC_WANT (DF set, as it fitted eth0) or DONT leaves as 1376 + 96 without DF. With DO, sendto',
  '  returns EMSGSIZE and ip_fragment sends an ICMP fragmentation needed (MTU 1400) to 192.0.2.1 over lo,',
  "  which lands in the socket's error queue (EMSGSIZE, info 1400); Ip.FragFails and Ip.OutDiscards count it,",
  '  and kfree_skb gives no reason (NOT_SPECIFIED: ip_fragment frees it plainly). The ICMP handler looks the route up',
  "  without the mark, so the learned MTU goes on the main table's route: afterwards `ip -n H route get",
  "  203.0.113.5` shows `via 192.0.2.254 dev eth0 ... cache expires 599sec mtu 1400`, and a second DO send",
  '  of 1472 B fails with EMSGSIZE at once, with no frame (its own route, before any reroute, is now 1400).',
  '- **Rules by their selectors** (`p-policy-rules`): rules are tried by priority, each by all its selectors:',
  '  `to 203.0.113.128/25`, `fwmark 0x10/0xf0` (SO_MARK 0x17 matches, 0x27 does not), `from 198.51.100.1` (a',
  '  socket bound to it), `oif eth1` (SO_BINDTODEVICE); a rule at priority 50 wins over one at 100 for the',
  "  same destination. A datagram that a rule sends to table 100 at udp_sendmsg's own lookup gets the source of",
  "  the route found there (198.51.100.1, also its ARP sender), unlike a reroute, where the source was chosen",
  '  before the mark. Without the `oif` rule, a socket bound to eth1 with no route through eth1 would be sent',
  '  on-link (as a copy with no route is, below).',
  '- **dup in postrouting.** `add chain ip filter postrouting { type filter hook postrouting priority 0; }`,',
  '  `add rule ip filter postrouting udp dport 9999 dup to 198.51.100.254 device eth1`, a datagram to',
  '  192.0.2.254:9999 with neither neighbour known: the copy goes first and all the way: ARP on eth1 (sender',
  '  192.0.2.1), the reply, the copy to 02:00:00:00:00:bb with its IP destination unchanged (192.0.2.254); only',
  "  then does the original continue: ARP on eth0, the reply, the original. With both neighbours known the",
  '  copy still leaves first, a few microseconds ahead. The copy has the same IP ID and TTL as the original',
  '  (TTL is lowered only for copies made in PREROUTING or INPUT), DF set even when the original has none',
  '  (IP_PMTUDISC_DONT), and a valid header checksum (computed again by ip_local_out).',
  '- **dup in the output chain** (`type filter hook output priority 0`; `p-dup`): the same order and fields. A 3000 B',
  '  datagram sent with IP_PMTUDISC_DONT: the copy leaves as three fragments on eth1 (1514, 1514, 82 bytes,',
  '  one ID, no DF: fragmenting rewrites the flags), then the original\'s three on eth0, with the same ID.',
  '- **Counters.** Each copy goes through __ip_local_out, so it counts in Ip.OutRequests (and Ip.OutTransmits',
  "  for each frame, FragOKs/FragCreates when fragmented) but not in Udp.OutDatagrams: three datagrams with",
  '  two copies gave Ip.OutRequests 5 and Udp.OutDatagrams 3. A dropped datagram (EPERM) counts in neither',
  '  Udp.OutDatagrams nor Ip.OutTransmits.',
  '- **A copy to a host that never answers** (`dup to 198.51.100.77 device eth1`, nobody there; `p-dup-silent-copy`): three ARP',
  '  requests on eth1 about 1 s apart, then at FAILED the copy is freed (NEIGH_FAILED) and an ICMP host',
  '  unreachable about it (inner destination 192.0.2.254, the original\'s) goes to 192.0.2.1 over lo. It',
  "  reaches the original's socket: with IP_RECVERR its error queue holds EHOSTUNREACH (origin ICMP, type 3,",
  "  code 1, offender 192.0.2.1), and the socket's pending error is EHOSTUNREACH. The original itself was",
  '  delivered at once.',
  '- **A copy with no route.** `dup to 10.9.9.9` with no route to it: nf_dup_ipv4_route fails, the copy is freed',
  '  (kfree_skb NOT_SPECIFIED in nf_dup_ipv4), nothing is sent or counted for it, and the original goes on',
  '  (`p-dup-no-route`). With `device eth1` the lookup has an output interface, so the kernel assumes the address',
  '  is on that link ("assume on link" in ip_route_output_key_hash_rcu): a route without fib_info, so',
  '  rt_set_nexthop does not make the dup address its gateway, and the next hop is the IP destination: ARP',
  '  `who-has 192.0.2.2 tell 192.0.2.1` on eth1, three times 1 s apart, then FAILED and an ICMP host',
  "  unreachable to 192.0.2.1 over lo: EHOSTUNREACH in the original's socket (`p-route-oif-onlink`, which also",
  '  sends with SO_BINDTODEVICE to a destination routed only through another device: ARP for it on the bound',
  "  device, from that device's address).",
  '- **A drop in the output chain** (`add rule ip filter output udp dport 9999 drop`; `p-nft-output-drop`): sendto returns EPERM',
  '  (as for a drop in postrouting); nothing is sent and no neighbour entry is made; kfree_skb reason',
  '  NETFILTER_DROP; each dropped datagram counts Ip.OutRequests (counted before the LOCAL_OUT hook) and',
  '  Ip.OutDiscards. A 3000 B datagram is dropped whole before fragmenting: NETFILTER_DROP, then its two',
  '  frag_list parts freed with it (NOT_SPECIFIED, skb_release_data).',
  '',
  '<a id="vlan"></a>**802.1Q VLANs cannot be captured here.** This kernel was built without CONFIG_VLAN_8021Q',
  '(`zcat /proc/config.gz | grep VLAN_8021Q` says `# CONFIG_VLAN_8021Q is not set`) and cannot load modules,',
  'so `ip link add link eth0 name eth0.10 type vlan id 10` fails with "Error: Unknown device type." `kpath',
  'capture` finds this out before it builds anything (`src/capture/vlan-support.ts`: `/proc/net/vlan`, then',
  'that command on a veth pair in an anonymous namespace made with `unshare --net`, which leaves nothing',
  "behind, then the kernel's configuration) and refuses, naming the VLAN link's file, line and column;",
  '`kpath compare` without `--capture` says the same. The VLAN scenarios of `test/scenarios` are therefore',
  "checked only against the kernel's source (net/8021q/vlan_dev.c, vlan_core.c; see docs/kernel.md), not",
  'against frames. What would unblock it: a machine whose kernel has 802.1Q (CONFIG_VLAN_8021Q=y, or =m with',
  'the 8021q module loadable), and `kpath capture` building VLAN links (a VLAN device on the host\'s end of',
  "the parent's veth and one with the same ID on the peers' end), which it does not do yet.",
];
