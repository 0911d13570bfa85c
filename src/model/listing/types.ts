// The model listing: kpath's own C-like text of each modeled kernel file, shown by the debugger
// with the current step point highlighted. It is written for kpath (not copied from the kernel),
// follows what the model in src/model/kernel does, and uses the kernel's names for kernel things.

export type ListingProfile = '6.18' | '4.9';

export interface ListingLine {
  text: string;
  /** 'enter' (the signature), 'leave' (the closing brace) or a label the model passes to w.at(). */
  step?: string;
  /** Only in these profiles; absent means both. */
  profiles?: ListingProfile[];
}

export interface ListingFunction {
  /** The modeled function's name, as in src/model/kernel/functions.ts and w.enter(). */
  name: string;
  profiles: ListingProfile[];
  readonly lines: ListingLine[];
  /** How many lines the profile shows, and where its step points fall, without the lines' text. */
  outline(profile: ListingProfile): ListingOutline;
}

export interface ListingOutline {
  lines: number;
  /** Step point -> its 0-based line among those the profile shows. */
  steps: ReadonlyMap<string, number>;
}

export interface ListingFile {
  /** The kernel source path, e.g. 'net/ipv4/ip_output.c'. */
  path: string;
  functions: ListingFunction[];
}
