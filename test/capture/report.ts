// docs/conformance.md, written from the comparisons of the model with the stored captures
// (test/capture/conformance.test.ts writes it when KPATH_UPDATE_CONFORMANCE=1 or
// KPATH_UPDATE_GOLDEN=1).

import type { Difference } from '../../src/capture/compare';
import type { KnownDifference } from './suite';

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
}

function esc(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function line(d: Difference): string {
  return `${d.where}: ${d.field}: model ${d.model}; kernel ${d.kernel}`;
}

export function conformanceMarkdown(results: CaseResult[], known: KnownDifference[], notAsWritten: Record<string, string>, notRepeatable: Record<string, string>): string {
  const kernels = [...new Set(results.map((r) => r.kernel))].join(', ');
  const agree = results.filter((r) => r.differences.length === 0).length;
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
  out.push(`${agree} of ${results.length} scenarios agree in everything compared; the others differ only in the known differences below.`);
  out.push('');
  out.push('To compare one scenario yourself: `kpath compare FILE.kpath --capture test/captures/NAME` (any user),');
  out.push('or `sudo kpath compare FILE.kpath` to capture it live first.');
  out.push('');
  out.push('## How the captures are made');
  out.push('');
  out.push('- One network namespace for the host and one per link for its peers, a veth pair per link with the');
  out.push("  scenario's names, MACs, MTUs and addresses, and the routes, static neighbours, sysctls and nft rules");
  out.push('  (the nft tables get postrouting chains at the priorities of iptables\' mangle, filter and nat).');
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
  out.push('`neighbours` (the final table), `notes` (what could not be as the scenario says), `kernel` (`uname -r`) and');
  out.push('`scenarioDigest` (of the parsed scenario: the test reports a capture whose scenario has changed since).');
  out.push('');
  out.push('## How they are compared');
  out.push('');
  out.push('`compare()` in `src/capture/compare.ts` aligns the frames of each kind (device, direction, ARP');
  out.push('operation, IP protocol, ICMP type) and compares them field by field. Fields the kernel randomises are');
  out.push('compared by their rules:');
  out.push('');
  out.push('- IP IDs by their relation to the previous ID of the same source, destination and protocol: 0 on both');
  out.push('  sides or neither, shared (fragments of one datagram), ascending by at most the jiffies between the calls');
  out.push('  that made them, or unrelated (a new random start);');
  out.push('- ephemeral ports and ICMP echo identifiers one to one, TCP sequence numbers and timestamps by one offset');
  out.push('  per direction;');
  out.push('- times by their cause: a frame the model sends at the same instant as the event before it must follow that');
  out.push('  event within 5 ms; a frame sent later (a timer) must keep its delay after that event within the timer');
  out.push('  wheel\'s granularity at that delay plus 2 ms (so an ARP retransmit 1000..1032 ms after the request, then');
  out.push('  1024 ms apart, a DELAY timer of 5 s within 260 ms).');
  out.push('');
  out.push('Everything else must be equal: lengths, MACs, ARP fields, TOS, TTL, DF/MF, offsets, options, checksum');
  out.push('validity, the result of every call and the setsockopt calls refused, the error queues, the SNMP counters');
  out.push("the model keeps (Ip, Icmp, Udp, Tcp; not the ARP cache's, which is global on a real kernel), the devices'");
  out.push('statistics, and the neighbour table (states, MACs, probes) as `ip neigh` shows it.');
  out.push('');
  out.push('## Behaviours reproduced');
  out.push('');
  out.push('| Scenario | Behaviour | Frames (model / kernel) | Calls | Result |');
  out.push('|---|---|---|---|---|');
  const titles = new Map(known.map((k) => [k.id, k.title]));
  for (const r of results) {
    const scen = r.adjusted ? `\`${r.name}\` (adjusted copy)` : `\`${r.name}\``;
    const result = r.differences.length === 0
      ? 'agrees'
      : `agrees except: ${r.known.map((id) => `[${titles.get(id) ?? id}](#${id})`).join('; ')}`;
    out.push(`| ${scen} | ${esc(r.behaviour)} | ${r.modelFrames} / ${r.kernelFrames} | ${r.calls} | ${esc(result)} |`);
  }
  out.push('');
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
  return out.join('\n');
}

/** Filled by the test: which known difference each difference was attributed to. */
export const attribution = new WeakMap<Difference, string>();

function matchesId(d: Difference, _r: CaseResult, id: string): boolean {
  return attribution.get(d) === id;
}
