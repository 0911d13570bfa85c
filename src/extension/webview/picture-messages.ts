// The messages between the extension and the two picture webviews. Every string a webview shows
// comes in them, already translated; whatever comes from a packet or a scenario is shown as text.

import type { SkbPicture, PathPicture } from '../../adapter/pictures';

/** Strings a webview shows, by key, in the user's language. */
export type Labels = Record<string, string>;

/** A webview with nothing to draw says why (no kpath session, running, ended, no skb in the stack). */
export interface NoticeMessage {
  type: 'notice';
  text: string;
  labels: Labels;
}

/** The sk_buff picture, with the fields that changed since this packet was last shown and what they were. */
export interface SkbMessage {
  type: 'skb';
  picture: SkbPicture;
  changed: string[];
  before: Record<string, number | string | null>;
  labels: Labels;
}

/** Where the path picture's boxes and arrows go (ELK's layout, in pixels). */
export interface PathLayout {
  width: number;
  height: number;
  nodes: { id: string; x: number; y: number; width: number; height: number }[];
  edges: { from: string; to: string; points: { x: number; y: number }[] }[];
}

/** The path picture: the graph (laid out when `layout` is missing: the webview answers with `laidOut`). */
export interface PathMessage {
  type: 'path';
  /** Names the graph's shape: a layout made for one key fits every graph with that key. */
  key: string;
  picture: PathPicture;
  layout: PathLayout | null;
  labels: Labels;
}

export type ToWebview = NoticeMessage | SkbMessage | PathMessage;

/** From a webview: it has loaded; it laid out a graph; a box was clicked. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'laidOut'; key: string; layout: PathLayout }
  | { type: 'open'; name: string };
