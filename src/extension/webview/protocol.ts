// What the Wire view's webview and the extension say to each other, and the rows and details the
// adapter answers kpath/wire and kpath/frameDetail with. Types only: both sides import them.

import type { DetailNode } from '../../adapter/detail-node';

/** A frame in the list, summarised (kpath/wire). */
export interface FrameRow {
  kind: 'frame';
  /** Frame number in the run, from 0. */
  index: number;
  /** Virtual time, ns. */
  time: number;
  dev: string;
  dir: 'tx' | 'rx';
  len: number;
  src: string;
  dst: string;
  protocol: string;
  info: string;
  /** The skb that carried it (0: a frame from a peer). */
  packet: number;
}

/** A dropped packet in the list (kpath/wire, kpath/drops). */
export interface DropRow {
  kind: 'drop';
  /** Drop number in the run, from 0. */
  index: number;
  time: number;
  packet: number;
  function: string;
  reason: string;
  len: number;
  /** Frames on the wire before it. */
  frame: number;
}

export type WireRow = FrameRow | DropRow;

export type { DetailNode };

export interface FrameDetail {
  index: number;
  /** The frame's bytes as hex. */
  hex: string;
  layers: DetailNode[];
  problems: string[];
}

/** The bytes a selection covers, for the hex view. */
export interface ByteRange {
  offset: number;
  length: number;
  mask?: number;
}

/** The view's strings, already in the user's language. */
export interface WireStrings {
  columns: string[];
  columnTips: string[];
  drop: string;
  /** "{0} in {1} (packet #{2})": a drop's reason, function and packet. */
  dropInfo: string;
  loading: string;
  unavailable: string;
  empty: string;
  noDetail: string;
  problems: string;
  list: string;
}

/** What the list shows: the totals at the current position and where it is. */
export interface WireState {
  /** Bumped whenever rows or details already sent may no longer hold (a new position, a restart). */
  generation: number;
  frames: number;
  drops: number;
  /** A line above the list: totals and position, or why there is nothing. */
  status: string;
  /** The session has ended: what was not fetched before is not available. */
  ended: boolean;
  /** Rows and details from an earlier generation that still hold: those before these counts. */
  keepFrames: number;
  keepRows: number;
}

export type ToWebview =
  | { type: 'state'; state: WireState }
  | { type: 'rows'; generation: number; start: number; rows: (WireRow | null)[] }
  | { type: 'detail'; generation: number; frame: number; detail: FrameDetail | null }
  | { type: 'packet'; text: string }
  | { type: 'pick'; frame: number; offset: number };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'want'; generation: number; start: number; count: number }
  | { type: 'detail'; generation: number; frame: number }
  | { type: 'select'; row: WireRow | null; field: ByteRange | null; label: string };

/** The hex view's messages. */
export type ToBytes = { type: 'show'; title: string; hex: string; highlight: ByteRange | null; empty: string };
export type FromBytes = { type: 'ready' } | { type: 'pick'; offset: number };
