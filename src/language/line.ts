// What each word of a .kpath line is (a statement, a keyword, an option, the value of an option,
// an nft word) and what may come next: the ground of the editor's hover and completion. It reads
// the tokens as the parser does (lexer.ts) and follows the statement's shape from words.ts; it
// never fails, so a line being typed still gets help.

import type { Token } from '../model/scenario/lexer';
import {
  KERNEL_VALUES,
  KEYWORDS,
  NFT_PART_WORDS,
  NFT_RULE_WORDS,
  OPTIONS_OF,
  STATEMENT_WORDS,
  type OptionDoc,
  type StatementWord,
  type ValueKind,
  type WordDoc,
} from '../model/scenario/words';
import { DSCP_NAMES, NFT_TABLES } from '../model/scenario/vocabulary';

/** What a place in a line holds, or may hold. */
export interface Slot {
  /** The words that fit, with their documentation. */
  words?: Readonly<Record<string, WordDoc>>;
  /** The kind of value that fits (when words are not a closed list). */
  value?: ValueKind | 'prefix' | 'key' | 'group';
  /** The option this is the value of. */
  option?: string;
  /** The statement's options still free here (after the positional words). */
  options?: Readonly<Record<string, OptionDoc>>;
}

/** A word of a line and what it is. */
export interface Role {
  token: Token;
  kind: 'statement' | 'keyword' | 'option' | 'value' | 'nft' | 'other';
  statement?: StatementWord;
  option?: string;
  doc?: WordDoc;
}

const pick = <T extends Record<string, WordDoc>>(table: T, ...words: (keyof T & string)[]): Record<string, WordDoc> =>
  Object.fromEntries(words.map((w) => [w, table[w]]));

const TABLES: Record<string, WordDoc> = Object.fromEntries(NFT_TABLES.map((t) => [t, NFT_PART_WORDS[t]]));
const L4 = { udp: KEYWORDS.udp, tcp: KEYWORDS.tcp, icmp: KEYWORDS.icmp };
const DSCP: Record<string, WordDoc> = Object.fromEntries(
  Object.entries(DSCP_NAMES).map(([n, v]) => [n, { en: `DSCP ${v} (TOS 0x${(v << 2).toString(16).padStart(2, '0')})`, zh: `DSCP ${v}（TOS 0x${(v << 2).toString(16).padStart(2, '0')}）` }]),
);

/** In an nft rule, what may follow a word. */
const NFT_NEXT: Record<string, Slot> = {
  udp: { words: pick(NFT_PART_WORDS, 'dport', 'sport') },
  tcp: { words: pick(NFT_PART_WORDS, 'dport', 'sport') },
  dport: { value: 'int' },
  sport: { value: 'int' },
  ip: { words: pick(NFT_PART_WORDS, 'daddr', 'saddr', 'protocol', 'ttl', 'dscp') },
  daddr: { value: 'prefix' },
  saddr: { value: 'prefix' },
  protocol: { words: L4 },
  l4proto: { words: L4 },
  meta: { words: { mark: NFT_RULE_WORDS.mark, l4proto: NFT_PART_WORDS.l4proto } },
  ttl: { words: pick(NFT_PART_WORDS, 'set') },
  dscp: { words: pick(NFT_PART_WORDS, 'set') },
  oif: { value: 'dev' },
  oifname: { value: 'dev' },
  snat: { words: pick(KEYWORDS, 'to') },
  dup: { words: pick(KEYWORDS, 'to') },
  to: { value: 'addr' },
  device: { value: 'dev' },
};

/** The fixed words of a statement, before its options, given the words read so far. */
function positional(statement: StatementWord, before: readonly Token[]): Slot[] {
  const add = { words: pick(KEYWORDS, 'add') };
  switch (statement) {
    case 'kernel':
      return [{ words: KERNEL_VALUES }];
    case 'link':
      return [add, { value: 'name' }];
    case 'addr':
      return [add, { value: 'prefix' }];
    case 'route':
      return [add, { words: pick(KEYWORDS, 'default'), value: 'prefix' }];
    case 'rule':
      return [add];
    case 'neigh':
      return [add, { value: 'addr' }];
    case 'sysctl':
      return before[1]?.text === '-w' ? [{ words: pick(KEYWORDS, '-w') }, { value: 'key' }, {}, { value: 'int' }] : [{ value: 'key', words: pick(KEYWORDS, '-w') }, {}, { value: 'int' }];
    case 'nft':
      return [add, { words: pick(KEYWORDS, 'rule') }, { words: { ip: NFT_RULE_WORDS.ip } }, { words: TABLES }, { words: pick(KEYWORDS, 'postrouting', 'output') }];
    case 'peer':
      return [{ value: 'addr' }];
    case 'join':
      return [{ value: 'group' }, { words: { dev: OPTIONS_OF.addr.dev } }, { value: 'dev' }];
    case 'at': {
      const proto = before[3]?.text;
      const second = proto === 'icmp' ? [{ words: pick(KEYWORDS, 'echo') }] : proto === 'tcp' ? [{ words: pick(KEYWORDS, 'syn') }] : [];
      return [{ value: 'duration' }, { words: pick(KEYWORDS, 'send') }, { words: pick(KEYWORDS, 'udp', 'icmp', 'tcp') }, ...second, { words: pick(KEYWORDS, 'to') }, { value: proto === 'icmp' ? 'addr' : 'addr-port' }];
    }
    case 'run':
      return [{ value: 'duration' }];
  }
}

/** The roles of a line's tokens, and the slot after the last one (`next`). */
export function analyse(tokens: readonly Token[]): { roles: Role[]; next: Slot } {
  const roles: Role[] = [];
  if (tokens.length === 0) return { roles, next: { words: STATEMENT_WORDS } };
  const first = tokens[0];
  if (!(first.text in STATEMENT_WORDS)) {
    return { roles: tokens.map((token) => ({ token, kind: 'other' })), next: {} };
  }
  const statement = first.text as StatementWord;
  roles.push({ token: first, kind: 'statement', statement, doc: STATEMENT_WORDS[statement] });
  const slots = positional(statement, tokens);
  const options: Readonly<Record<string, OptionDoc>> | undefined = statement in OPTIONS_OF ? OPTIONS_OF[statement as keyof typeof OPTIONS_OF] : undefined;
  const used = new Set<string>();
  const free = (): Slot => {
    if (statement === 'nft') return { words: NFT_RULE_WORDS };
    if (!options) return {};
    return { options: Object.fromEntries(Object.entries(options).filter(([w]) => !used.has(w))) };
  };
  let next: Slot = slots.length ? slots[0] : free();
  let i = 1;
  for (; i < tokens.length && i - 1 < slots.length; i++) {
    const slot = slots[i - 1];
    roles.push(roleIn(tokens[i], slot, statement));
  }
  next = i - 1 < slots.length ? slots[i - 1] : free();
  for (; i < tokens.length; i++) {
    const token = tokens[i];
    if (next.options || next.words) {
      const role = roleIn(token, next, statement);
      roles.push(role);
      if (role.kind === 'option' && role.option) {
        used.add(role.option);
        const o = options?.[role.option];
        next = o?.takes ? { value: o.takes, option: role.option, ...(o.values ? { words: o.values } : {}) } : free();
      } else if (statement === 'nft') {
        next = NFT_NEXT[token.text] ?? nftAfter(token.text, tokens[i - 1]?.text) ?? free();
      } else next = free();
    } else {
      roles.push({ token, kind: 'value', statement, option: next.option, doc: next.words?.[token.text] });
      next = free();
    }
  }
  return { roles, next };
}

/** After `dscp set` a DSCP name or number; after `ttl set`, `mark set` a number; after `mark` a number or set. */
function nftAfter(word: string, before: string | undefined): Slot | undefined {
  if (word === 'set') return before === 'dscp' ? { words: DSCP, value: 'int' } : { value: 'int' };
  if (word === 'mark') return { value: 'int', words: pick(NFT_PART_WORDS, 'set') };
  return undefined;
}

function roleIn(token: Token, slot: Slot, statement: StatementWord): Role {
  const opt = slot.options?.[token.text];
  if (opt) return { token, kind: 'option', statement, option: token.text, doc: opt };
  const word = slot.words?.[token.text];
  if (word) {
    const kind = slot.option ? 'value' : statement === 'nft' && !(token.text in KEYWORDS) ? 'nft' : 'keyword';
    return { token, kind, statement, option: slot.option, doc: word };
  }
  if (statement === 'nft') {
    const doc = (NFT_RULE_WORDS as Record<string, WordDoc>)[token.text] ?? (NFT_PART_WORDS as Record<string, WordDoc>)[token.text];
    if (doc) return { token, kind: 'nft', statement, doc };
  }
  return { token, kind: 'value', statement, option: slot.option };
}
