// What the kpath/skb and kpath/path requests answer, as types with no code: the extension and its
// webviews read them too (they never import the adapter's code or the model).

/** What a band of the buffer holds: a header, the data after the headers, or bytes not understood. */
export type BandKind = 'eth' | 'link' | 'ip' | 'ipopt' | 'udp' | 'tcp' | 'icmp' | 'arp' | 'payload' | 'data';

export interface SkbBand {
  kind: BandKind;
  /** Offset from head. */
  start: number;
  length: number;
}

export interface SkbPicture {
  packet: number;
  /** The stop (its step number) and the frame (0 = innermost) whose skb this is, and its function. */
  step: number;
  frame: number;
  fn: string;
  /** Offsets from head (head itself is 0); end is the size of the buffer. */
  data: number;
  tail: number;
  end: number;
  headroom: number;
  tailroom: number;
  len: number;
  data_len: number;
  truesize: number;
  mac_header: number | null;
  network_header: number;
  transport_header: number;
  /** The bytes from data to tail, in order. */
  bands: SkbBand[];
  /** Sizes of the skbs chained on frag_list after the head (the model keeps their bytes in the head's buffer). */
  frag_list: number[] | null;
  gso: { size: number; segs: number; type: number; types: string[] } | null;
  /** Every field the picture shows, by name, for marking what changed between two stops. */
  fields: Record<string, number | string>;
}

/** A modeled function in the path picture's graph. */
export interface PathFunction {
  name: string;
  /** The kernel source file it comes from. */
  file: string;
}

/** The answer to kpath/path. */
export interface PathPicture {
  profile: string;
  /** The modeled functions of the profile and the calls between them (static per profile). */
  functions: PathFunction[];
  edges: { from: string; to: string }[];
  /** The packet whose path this is; null when no frame of the stop has one (then: the event's calls). */
  packet: number | null;
  /** The function of the frame the picture is about, and the functions on the stack, innermost first. */
  current: string | null;
  stack: string[];
  /** The functions and calls the packet went through up to the stop. */
  path: { functions: string[]; edges: { from: string; to: string }[] };
  /** Segments between the packet's first one and the current one that were left out. */
  skipped: number;
}

/** kpath/skb when no frame of the stop has an skb. */
export interface NoSkb {
  packet: null;
  step: number;
  frame: number;
  fn: string;
}
