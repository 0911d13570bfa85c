// Command-line arguments of `kpath`: each subcommand's options, read by Node's util.parseArgs, and
// its help text.

import * as l10n from '@vscode/l10n';
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

/** Above this many socket calls, `kpath run` keeps totals instead of records (see --counts). */
export const AUTO_COUNTS_CALLS = 100_000;

export interface RunArgs {
  file: string;
  pcap?: string;
  trace: boolean;
  json: boolean;
  breaks: string[];
  kernel?: '6.18' | '4.9';
  /** --counts / --records: keep totals, or every record; otherwise chosen by the run's size. */
  record?: 'counts' | 'all';
  /** --kernel-source DIR: a Linux tree; trace lines name the file:line of each function there. */
  kernelSource?: string;
}

export function mainHelp(): string {
  return l10n.t(`kpath: step through a model of the Linux IPv4 transmit path

Usage:
  kpath run FILE.kpath [options]   run a scenario headless (see: kpath run --help)
  kpath dap                        the debug adapter on stdin/stdout (see: kpath dap --help)
  kpath capture FILE.kpath OUTDIR  run it on this machine's kernel, as root (see: kpath capture --help)
  kpath compare FILE.kpath         the model against the real kernel (see: kpath compare --help)
  kpath tutorial check [DIR|FILE]  check lessons against the model (see: kpath tutorial --help)
  kpath functions                  list the modeled kernel functions
  kpath --help                     this text
  kpath --version                  the version

A scenario (.kpath) describes one host, its links, routes, neighbours, netfilter rules, the peers
on its links, and timed socket calls. The language is documented in docs/scenario.md.

Exit status: 0 the scenario ran; 2 bad scenario or bad arguments; 1 a fault in kpath itself
(kpath compare: 1 when the model and the kernel differ; kpath tutorial check: 1 when a lesson
fails against the model).`);
}

export function runHelp(): string {
  return l10n.t(`Usage: kpath run FILE.kpath [--pcap OUT.pcap] [--trace] [--json] [--break FUNC]... [--kernel 6.18|4.9] [--kernel-source DIR] [--counts|--records]

Runs the scenario on the model's virtual clock and prints what happened: the result of each
socket call, the frames on the wire (like a packet capture), drops with their reasons, ICMP
errors, the neighbour table and the counters that changed.

Options:
  --pcap OUT.pcap   write the frames seen on the host's devices to a pcap file (Ethernet,
                    nanosecond timestamps from the virtual clock, time 0 = scenario start);
                    Wireshark and tshark open it. Written atomically.
  --trace           print one line per modeled function entered: virtual time, context
                    (task or softirq), packet id, function (indented by call depth), the
                    packet's length and the decision taken (e.g. "len 3028 > mtu 1500 -> ip_fragment").
  --json            print one JSON document instead of text (shape: docs/json.md); with --trace
                    it has a "trace" array too.
  --break FUNC      mark each call of the kernel function FUNC in the trace, with its hit count
                    (repeatable). Without --trace only the hits are printed. Names as in the kernel:
                    ip_finish_output2, __neigh_create, ... ("kpath functions" lists them).
  --kernel V        run with kernel profile V (6.18 or 4.9) instead of the scenario's.
  --kernel-source DIR
                    a Linux source tree: each trace line ends with the file:line of the
                    function in it (docs/kernel-source.md); what kpath cannot map there is
                    listed on stderr. The tree is parsed once and the result cached.
  --counts          keep totals per send line instead of a record per socket call and per
                    frame (the pcap still gets every frame); memory stays bounded. This is
                    the default above {0} socket calls, and kpath says so on stderr.
  --records         keep a record per call and per frame whatever the run's size.
  -h, --help        this text

A long run shows its progress on stderr when stderr is a terminal.`, AUTO_COUNTS_CALLS);
}

/** A subcommand's options: each a flag (`boolean`) or one taking a value (`string`, maybe repeated). */
type OptionSpec = Record<string, { type: 'boolean' | 'string'; multiple?: boolean }>;
type OptionValues<S extends OptionSpec> = {
  [K in keyof S]?: S[K] extends { multiple: true } ? string[] : S[K] extends { type: 'string' } ? string : boolean;
};

/**
 * The options and operands of a subcommand (`--name value`, `--name=value`, `--` before operands
 * that start with a dash). An option it does not take, a value given to a flag, or a missing or
 * empty value is a UsageError that names the option and the help to read.
 */
export function readArgs<S extends OptionSpec>(argv: string[], spec: S, help: string): { options: OptionValues<S>; operands: string[] } {
  const { values, positionals, tokens } = parseArgs({ args: argv, options: spec, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const type = Object.hasOwn(spec, t.name) ? spec[t.name].type : undefined;
    if (!type || (type === 'boolean' && t.inlineValue)) {
      throw new UsageError(l10n.t('unknown option {0} (see {1})', t.inlineValue ? `${t.rawName}=${t.value}` : t.rawName, help));
    }
    if (type === 'string' && (!t.value || (!t.inlineValue && t.value.startsWith('--')))) {
      throw new UsageError(l10n.t('{0} needs a value', t.rawName));
    }
  }
  return { options: values as OptionValues<S>, operands: positionals };
}

/** The one scenario file a subcommand takes. */
export function oneScenario(operands: string[], command: string): string {
  if (operands.length > 1) throw new UsageError(l10n.t('one scenario file at a time ("{0}" and "{1}")', operands[0], operands[1]));
  if (!operands.length) throw new UsageError(l10n.t('{0} needs a scenario file (see {1})', command, `${command} --help`));
  return operands[0];
}

export function parseRunArgs(argv: string[]): RunArgs {
  const spec = {
    pcap: { type: 'string' },
    trace: { type: 'boolean' },
    json: { type: 'boolean' },
    counts: { type: 'boolean' },
    records: { type: 'boolean' },
    break: { type: 'string', multiple: true },
    'kernel-source': { type: 'string' },
    kernel: { type: 'string' },
  } as const;
  const { options: o, operands } = readArgs(argv, spec, 'kpath run --help');
  if (o.counts && o.records) throw new UsageError(l10n.t('{0} and {1} contradict each other: give one of them', '--counts', '--records'));
  if (o.kernel !== undefined && o.kernel !== '6.18' && o.kernel !== '4.9') throw new UsageError(l10n.t('{0} must be 6.18 or 4.9, not "{1}"', '--kernel', o.kernel));
  return {
    file: oneScenario(operands, 'kpath run'),
    pcap: o.pcap,
    trace: o.trace ?? false,
    json: o.json ?? false,
    breaks: o.break ?? [],
    kernel: o.kernel,
    record: o.counts ? 'counts' : o.records ? 'all' : undefined,
    kernelSource: o['kernel-source'],
  };
}

export function dapHelp(): string {
  return l10n.t(`Usage: kpath dap

Serves the Debug Adapter Protocol on stdin/stdout, for any DAP client (VS Code, nvim-dap, ...).
Launch arguments: "scenario" (a .kpath path or a scenario object), "stopOnEntry", "kernel"
("6.18" or "4.9"), "trace" (trace lines to the debug console), "kernelSource" (a Linux source
tree: frames and line breakpoints in its files, docs/kernel-source.md). The adapter exits when its
client closes the connection. docs/debugging.md shows an nvim-dap configuration.`);
}

export function functionsHelp(): string {
  return l10n.t(`Usage: kpath functions

Lists the modeled kernel functions, one a line: the kernel's name (what --break and function
breakpoints take), the kernel source file it comes from, and the kernel profiles it runs in.`);
}

export function captureHelp(): string {
  return l10n.t(`Usage: kpath capture FILE.kpath OUTDIR [--force] [--trace]

Runs the scenario on this machine's kernel and records what it did, for comparing with the model
(kpath compare). Needs root and network namespaces. It builds the scenario in namespaces of its
own (kpath-<pid>-...): one for the host, one per link for the peers, a veth pair per link with the
scenario's names, addresses, MACs and MTUs, TX checksum offload off, the routes, neighbours,
sysctls and nft rules; peers get their addresses at up-at, silent peers never. It makes the socket
calls at their times (virtual time becomes real time), captures the host's devices with tcpdump
until the scenario's run time (or until the model goes quiet, plus 0.5 s), and writes:

  OUTDIR/capture.pcap   the frames, Ethernet, ns timestamps, time 0 = the first call minus its at
  OUTDIR/result.json    the calls' results, the device and direction of each frame, the sockets'
                        error queues, the SNMP counters that changed, the final neighbour table,
                        and the kernel's events for the host namespace (tracepoints through
                        tracefs: neighbour states, drops with their reasons, device transmits)
  OUTDIR/trace.txt      with --trace: the kernel's trace as tracefs wrote it (every namespace's
                        events)

OUTDIR is checked before the capture starts (made if missing; it must be a folder kpath can
write in), and a capture already there is kept unless --force replaces it. The files appear
complete or not at all.

Traffic stays inside those namespaces, and they are deleted at the end, on errors and on Ctrl-C.
Nothing is installed: without tcpdump, iproute2, python3 (or nftables when the scenario has nft
rules) it names the Debian packages to install and exits 2; without root or namespaces, too.`);
}

export function compareHelp(): string {
  return l10n.t(`Usage: kpath compare FILE.kpath [--capture DIR] [--keep DIR [--force]] [--json]

Runs the scenario on the model and compares it with the real kernel frame by frame, then the
calls' results, error queues, counters, the neighbour table and, when the capture recorded them,
the kernel's events (each neighbour's state transitions, each drop's reason, each device's
transmits; docs/conformance.md says by which rules). Fields the kernel randomises are
compared by their rules: IP IDs by their relations (zero, shared by fragments, ascending, unrelated),
ephemeral ports, echo identifiers and TCP sequence numbers by consistency, times within tolerances
(a frame sent at once within 5 ms of its cause, a timer's frame within the timer wheel's
granularity: an ARP retransmit 1000..1032 ms after the request, later ones 1024 ms).

Options:
  --capture DIR   compare with a capture made earlier by kpath capture (no root needed)
  --keep DIR      capture live (as root) and keep the capture in DIR
  --force         with --keep: replace a capture already in DIR
  --json          print {agree, differences, ignored, eventsCompared, rows} as JSON

Exit status: 0 they agree; 1 they differ; 2 bad input, or a live capture is not possible here.`);
}
