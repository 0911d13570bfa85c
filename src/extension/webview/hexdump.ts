// A frame's bytes as a hex view shows them: lines of 16, each with its offset, the bytes in hex
// and as ASCII (a dot for what does not print).

export interface HexLine {
  offset: string;
  bytes: { hex: string; ascii: string; at: number }[];
}

export function hexLines(hex: string): HexLine[] {
  const n = Math.floor(hex.length / 2);
  const out: HexLine[] = [];
  for (let start = 0; start < n; start += 16) {
    const bytes: HexLine['bytes'] = [];
    for (let at = start; at < Math.min(n, start + 16); at++) {
      const h = hex.slice(2 * at, 2 * at + 2);
      const v = parseInt(h, 16);
      bytes.push({ hex: h, ascii: v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.', at });
    }
    out.push({ offset: start.toString(16).padStart(4, '0'), bytes });
  }
  return out;
}
