// A line of a frame's details as the adapter sends it (kpath/frameDetail, kpath/frame): a type only,
// so that the webviews' pages can name it without the adapter's code.

/** A line of a frame's details: a layer, or a field of one, with the bytes it covers. */
export interface DetailNode {
  label: string;
  value: string;
  offset: number;
  length: number;
  /** Bits of those bytes, for fields narrower than a byte or two. */
  mask?: number;
  /** A checksum that does not check out. */
  bad?: boolean;
  children?: DetailNode[];
}
