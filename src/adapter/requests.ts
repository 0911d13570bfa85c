// The kpath/* requests a client may send beside DAP's own (docs/debugging.md). Each is answered
// from the runtime at the current position; a feature adds its request in a file of its own and
// one line to the table below.

import type { Runtime } from '../debugger/runtime';
import type { Listings } from './listings';
import type { KernelSourceView } from './kernel-source';
import { framesRequest } from './frames';
import { skbRequest } from './skb';
import { pathRequest, functionSourceRequest } from './path';
import { annotationsRequest } from './annotations';
import { inlineValuesRequest } from './inline-values';
import { linesRunRequest, packetsRequest } from './lines-run';
import { dropsRequest } from './drops';
import { wireRequest } from './wire';
import { frameDetailRequest } from './detail';
import { packetRequest } from './packet';
import { exportPcapRequest } from './pcap';
import { lessonStepRequest } from './lesson';

/** What a kpath/* request sees: the runtime and listings of the launched scenario (null before a launch). */
export interface RequestContext {
  runtime: Runtime | null;
  listings: Listings | null;
  /** The launch's Linux tree (kernelSource), when it names one. */
  kernelSource: KernelSourceView | null;
  /** The index in the current stop's stack of a frame id from a stackTrace response; undefined for a frame of an earlier stop. */
  frameIndex(frameId: number): number | undefined;
}

/** Answers a request's arguments with the response body, or throws an Error whose message the client sees. */
export type CustomRequest = (ctx: RequestContext, args: Record<string, unknown>) => object;

export const CUSTOM_REQUESTS: Readonly<Record<string, CustomRequest>> = {
  'kpath/frames': framesRequest,
  'kpath/skb': skbRequest,
  'kpath/path': pathRequest,
  'kpath/functionSource': functionSourceRequest,
  'kpath/annotations': annotationsRequest,
  'kpath/inlineValues': inlineValuesRequest,
  'kpath/linesRun': linesRunRequest,
  'kpath/packets': packetsRequest,
  'kpath/drops': dropsRequest,
  'kpath/wire': wireRequest,
  'kpath/frameDetail': frameDetailRequest,
  'kpath/packet': packetRequest,
  'kpath/exportPcap': exportPcapRequest,
  'kpath/lessonStep': lessonStepRequest,
};
