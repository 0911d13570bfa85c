// A capture made by `kpath capture`: OUTDIR/capture.pcap (the frames seen on the host's devices,
// time 0 = the first socket call's moment minus its `at`) and OUTDIR/result.json (this shape:
// what the socket calls returned, which device each frame was seen on and in which direction, the
// sockets' error queues, the counters that changed, the final neighbour table).

import * as l10n from '@vscode/l10n';
import fs = require('node:fs');
import path = require('node:path');
import { createHash } from 'node:crypto';
import { PcapError, readPcap } from '../model/wire/pcap';
import type { Scenario } from '../model/scenario/types';
import type { SendResult, ErrqueueEntry, KernelEvent } from '../model/result';

export const CAPTURE_DOC_VERSION = 1;

export interface CaptureFrameMeta {
  /** Index of the frame in capture.pcap. */
  index: number;
  /** ns after time 0 (the same as the pcap record's timestamp). */
  time: number;
  dev: string;
  /** tx: left the host; rx: arrived from a peer. */
  dir: 'tx' | 'rx';
  len: number;
}

/** A socket call as the kernel answered it: the model's record without packet ids (time -1: never made). */
export type CaptureSend = Omit<SendResult, 'packets'>;

/** An error-queue entry; the kernel does not always stamp a time on it. */
export type CaptureErr = Omit<ErrqueueEntry, 'time'> & { time?: number };

export interface CaptureDoc {
  kpath: typeof CAPTURE_DOC_VERSION;
  kind: 'capture';
  /** The scenario file, as given on the command line. */
  scenario: string;
  /** scenarioDigest() of the scenario that ran: a stored capture of another scenario is stale. */
  scenarioDigest: string;
  /** `uname -r` of the kernel that ran it. */
  kernel: string;
  /** ns after time 0 when the run ended. */
  endTime: number;
  sends: CaptureSend[];
  frames: CaptureFrameMeta[];
  sockets: { name: string; protocol: string; local: string; remote?: string; pendingError?: string; errqueue: CaptureErr[] }[];
  /** Deltas of /proc/net/snmp (Ip, Icmp, IcmpMsg, Tcp, Udp, UdpLite) and /proc/net/netstat IpExt; non-zero only. */
  counters: Record<string, Record<string, number>>;
  /** Deltas of the host's devices' statistics. */
  devices: Record<string, Record<string, number>>;
  /** `ip -s neigh show` after the run. */
  neighbours: { dev: string; dst: string; lladdr: string | null; state: string; probes: number }[];
  /** The table is `ip -s neigh show nud all`: NOARP entries and lo's are in it (older captures lack them). */
  neighboursNudAll?: true;
  /** Where the capture could not be what the scenario says, and anything that went wrong. */
  notes: string[];
  /**
   * The kernel's tracepoints for the host namespace, in order (trace-events.ts), devices by the
   * scenario's names and `skb` the packet's address as the trace prints it. Absent in a capture
   * made without them (an older capture, or a kernel without tracefs): not recorded.
   */
  events?: (KernelEvent & { skb?: string })[];
  /** How the events were recorded: the tracepoints enabled and missing, the events of other namespaces set aside, events lost. */
  eventInfo?: { tracepoints: string[]; missing: string[]; setAside: Record<string, number>; lost: number };
}

export interface StoredCapture {
  dir: string;
  doc: CaptureDoc;
  /** The frames of capture.pcap, in order, with their timestamps (ns). */
  packets: { timeNs: number; frame: Uint8Array }[];
}

/** Reads DIR/result.json and DIR/capture.pcap. Throws with a message naming what is wrong. */
export function readCapture(dir: string): StoredCapture {
  const jsonPath = path.join(dir, 'result.json');
  const pcapPath = path.join(dir, 'capture.pcap');
  let doc: CaptureDoc;
  try {
    doc = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as CaptureDoc;
  } catch (e) {
    throw new Error(l10n.t('cannot read {0}: {1}', jsonPath, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
  if (doc?.kind !== 'capture' || doc.kpath !== CAPTURE_DOC_VERSION || !Array.isArray(doc.frames) || !Array.isArray(doc.sends)) {
    throw new Error(l10n.t('{0} is not a kpath capture (kind "capture", kpath {1})', jsonPath, CAPTURE_DOC_VERSION));
  }
  let packets: StoredCapture['packets'];
  try {
    packets = readPcap(new Uint8Array(fs.readFileSync(pcapPath)));
  } catch (e) {
    const why = e instanceof PcapError ? pcapProblem(e) : (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new Error(l10n.t('cannot read {0}: {1}', pcapPath, why));
  }
  if (packets.length !== doc.frames.length) {
    throw new Error(l10n.t('{0} has {1} frames but {2} describes {3}', pcapPath, packets.length, jsonPath, doc.frames.length));
  }
  return { dir, doc, packets };
}

/** What is wrong with a pcap file, in the user's language. */
function pcapProblem(e: PcapError): string {
  if (e.problem === 'short') return l10n.t('pcap: the file is shorter than its global header');
  if (e.problem === 'magic') return l10n.t('pcap: bad magic 0x{0}', e.magic.toString(16).padStart(8, '0'));
  return l10n.t('pcap: the record at byte {0} runs past the end of the file', e.at);
}

/** result.json as text: one line per call, frame, socket and neighbour, so that stored captures stay small and diff well. */
export function formatCaptureDoc(doc: CaptureDoc): string {
  const parts = Object.entries(doc).map(([k, v]) => {
    const body = Array.isArray(v) && v.length
      ? `[\n  ${v.map((x) => JSON.stringify(x)).join(',\n  ')}\n ]`
      : JSON.stringify(v);
    return ` ${JSON.stringify(k)}: ${body}`;
  });
  return `{\n${parts.join(',\n')}\n}\n`;
}

/**
 * SHA-256 of what a scenario says, without where it says it (positions, file name): comments,
 * blank lines and the file's place do not make a capture stale; any change to what runs does.
 */
export function scenarioDigest(s: Scenario): string {
  // Statements the language gained later are left out while empty, so that a capture made
  // before them still matches its unchanged scenario.
  const json = JSON.stringify(s, (k, v) => (k === 'pos' || k === 'file' || (k === 'rules' && Array.isArray(v) && v.length === 0) ? undefined : v));
  return createHash('sha256').update(json).digest('hex');
}
