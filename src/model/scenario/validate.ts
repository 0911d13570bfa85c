// Checks on a scenario object, shared by the .kpath parser and by scenarios given inline (as JSON)
// in a launch configuration, so that both paths accept and reject exactly the same things.
//
// Two phases:
//  - shape: each field has the right type and range; missing optional fields get their defaults.
//    The parser checks the same ranges with the same helpers while it reads the tokens, so for a
//    parsed scenario this phase finds nothing new.
//  - semantics: the items against each other (links that must exist, addresses the host must own,
//    gateways on a connected subnet, duplicates, time order of the sends, ...). The parser calls
//    this phase too, with the token positions it recorded, so the column points at the word at fault.
//
// Statements of different kinds may come in any order (a JSON object has no order between its
// arrays, and the text agrees with it); only the sends are ordered, by their `at` time.

import { findSysctl, SYSCTLS } from './sysctl';
import type {
  Addr,
  Join,
  KernelProfile,
  Link,
  NftMatch,
  NftRule,
  NftStatement,
  Peer,
  PmtuDisc,
  Pos,
  Route,
  Scenario,
  Send,
  StaticNeigh,
  Sysctl,
} from './types';

// ---------------------------------------------------------------------------------------------
// Errors

/** A problem in a scenario, located at FILE:LINE:COL (1-based; columns count UTF-16 code units). */
export class ScenarioError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The message without its location. */
  readonly problem: string;

  constructor(file: string, line: number, col: number, problem: string) {
    super(`${file}:${line}:${col}: ${problem}`);
    this.name = 'ScenarioError';
    this.file = file;
    this.line = line;
    this.col = col;
    this.problem = problem;
  }
}

/** Sorts errors by position; errors at the same position keep the order they were found in. */
export function sortErrors(errors: ScenarioError[]): ScenarioError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.e.col - b.e.col || a.i - b.i)
    .map((x) => x.e);
}

// ---------------------------------------------------------------------------------------------
// Values shared by the parser and the validator

export const KERNELS: readonly KernelProfile[] = ['6.18', '4.9'];
export const LINK_TYPES = ['veth', 'ethernet'] as const;
export const QDISCS = ['noqueue', 'pfifo_fast'] as const;
export const NUD_STATES = ['permanent', 'reachable', 'stale', 'noarp'] as const;
export const PMTU_MODES: readonly PmtuDisc[] = ['do', 'dont', 'want', 'probe', 'interface', 'omit'];
export const NFT_TABLES = ['filter', 'nat', 'mangle'] as const;
export const NFT_PROTOCOLS = ['udp', 'tcp', 'icmp'] as const;
export const IP_OPTIONS = ['ra', 'rr'] as const;
export const SEND_PROTOS = ['udp', 'icmp', 'tcp'] as const;

/** Inclusive ranges, named as the option that carries them. */
export const LIMITS = {
  mtu: [68, 65535],
  txqueuelen: [0, 1000000],
  prefix: [0, 32],
  port: [1, 65535],
  nftPort: [0, 65535],
  size: [0, 65535],
  ttl: [0, 255],
  tos: [0, 255],
  mark: [0, 4294967295],
  count: [1, 10000000],
  dscp: [0, 63],
} as const satisfies Record<string, readonly [number, number]>;

/** Defaults the language and the JSON shape fill in. */
export const DEFAULTS = {
  kernel: '6.18' as KernelProfile,
  linkType: 'veth' as Link['type'],
  mtu: 1500,
  txqueuelen: 1000,
  nud: 'permanent' as StaticNeigh['nud'],
  df: 'want' as PmtuDisc,
  count: 1,
  every: 0,
};

/** Default qdisc: a veth has none (noqueue), a physical NIC gets pfifo_fast. */
export function defaultQdisc(type: Link['type']): Link['qdisc'] {
  return type === 'veth' ? 'noqueue' : 'pfifo_fast';
}

/** Default payload size of a send: 100 B of UDP, 56 B of ICMP echo data (as ping), none for a SYN. */
export function defaultSize(proto: Send['proto']): number {
  return proto === 'udp' ? 100 : proto === 'icmp' ? 56 : 0;
}

/** Default MAC of the link at `index` (0-based): 02:00:00:00:00:01 for the first, and so on. */
export function defaultMac(index: number): string {
  const n = index + 1;
  const bytes = [2, 0, (n / 2 ** 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The loopback device every host has. */
export const LOOPBACK = { name: 'lo', address: '127.0.0.1', prefix: 8, mtu: 65536 } as const;

/** DSCP code points by their nft names (no prototype, so that only these names are found). */
export const DSCP_NAMES: Readonly<Record<string, number>> = Object.assign(Object.create(null) as Record<string, number>, {
  cs0: 0, cs1: 8, cs2: 16, cs3: 24, cs4: 32, cs5: 40, cs6: 48, cs7: 56,
  af11: 10, af12: 12, af13: 14,
  af21: 18, af22: 20, af23: 22,
  af31: 26, af32: 28, af33: 30,
  af41: 34, af42: 36, af43: 38,
  ef: 46,
});

/** The name of a DSCP value, when it has one. */
export function dscpName(value: number): string | undefined {
  for (const [name, v] of Object.entries(DSCP_NAMES)) if (v === value) return name;
  return undefined;
}

/** A dotted quad as an unsigned 32-bit number; undefined when it is not one (no leading zeros). */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Whether `addr` lies in `net/prefix`. */
export function inSubnet(addr: number, net: number, prefix: number): boolean {
  const m = prefixMask(prefix);
  return ((addr & m) >>> 0) === ((net & m) >>> 0);
}

export function isMulticast(addr: number): boolean {
  return addr >>> 28 === 0xe;
}

/** aa:bb:cc:dd:ee:ff (any case) in lower case; undefined when it is not a MAC address. */
export function parseMac(text: string): string | undefined {
  return /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(text) ? text.toLowerCase() : undefined;
}

/** Why a link cannot have this MAC (a device address must be unicast and not all zero). */
export function linkMacProblem(mac: string): string | undefined {
  if (parseInt(mac.slice(0, 2), 16) & 1) {
    return `a link needs a unicast MAC address (first byte even), found ${mac}`;
  }
  if (mac === '00:00:00:00:00:00') return 'a link needs a MAC address other than 00:00:00:00:00:00';
  return undefined;
}

export const MAC_EXPECTED = 'a MAC address like 02:00:00:00:00:01';

/** Why a name cannot be a link's name (the kernel's IFNAMSIZ and the names it reserves). */
export function linkNameProblem(name: string): string | undefined {
  if (name === LOOPBACK.name) return 'lo always exists; it cannot be added';
  if (name === 'default' || name === 'all') {
    return `${name} is reserved (sysctl keys use it for every link); expected another link name`;
  }
  if (name === '.' || name === '..') return `expected a link name, found "${name}"`;
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    return `expected a link name (letters, digits, _ . -), found "${name}"`;
  }
  if (name.length > 15) return `a link name is 1..15 characters, found "${name}" (${name.length})`;
  return undefined;
}

/** Why a word cannot name a socket. */
export function socketNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
    return `expected a socket name (1..64 letters, digits, _ . -), found "${name}"`;
  }
  return undefined;
}

/** `what must be MIN..MAX, found TEXT`, or undefined when in range. */
export function rangeProblem(what: string, value: number | bigint, min: number, max: number, text?: string): string | undefined {
  const v = typeof value === 'bigint' ? value : BigInt(value);
  if (v < BigInt(min) || v > BigInt(max)) return `${what} must be ${min}..${max}, found ${text ?? String(value)}`;
  return undefined;
}

/** An integer written in decimal (optionally negative, so a range error can be given) or, when allowed, 0x hex. */
export function parseIntText(text: string, hex = false): bigint | undefined {
  if (/^-?\d+$/.test(text)) return BigInt(text);
  if (hex && /^0[xX][0-9a-fA-F]+$/.test(text)) return BigInt(text);
  return undefined;
}

const DURATION_UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, ms: 1000000n, s: 1000000000n };

/** A duration, or the problem with it. */
export function durationValue(text: string): { ns: number } | { problem: string } {
  const m = /^(\d+)(?:\.(\d+))?(ns|us|ms|s)$/.exec(text);
  if (!m) return { problem: `expected a duration like 10ms (units ns, us, ms, s), found "${text}"` };
  const unit = DURATION_UNITS[m[3]];
  const frac = m[2] ?? '';
  const scaled = BigInt(m[1] + frac) * unit;
  const div = 10n ** BigInt(frac.length);
  if (scaled % div !== 0n) return { problem: `${text} is not a whole number of nanoseconds` };
  const ns = scaled / div;
  if (ns > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { problem: `${text} is too long; a duration is at most ${Number.MAX_SAFE_INTEGER}ns` };
  }
  return { ns: Number(ns) };
}

/**
 * A duration written as in a scenario (`300ms`, `1.5s`, `250us`, `10ns`) in nanoseconds.
 * Throws an Error whose message says what was expected.
 */
export function parseDuration(text: string): number {
  const r = durationValue(text);
  if ('problem' in r) throw new Error(r.problem);
  return r.ns;
}

/** Nanoseconds in the largest unit that keeps them whole: 10000000 -> "10ms", 1500000000 -> "1500ms". */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0ms';
  if (ns % 1e9 === 0) return `${ns / 1e9}s`;
  if (ns % 1e6 === 0) return `${ns / 1e6}ms`;
  if (ns % 1e3 === 0) return `${ns / 1e3}us`;
  return `${ns}ns`;
}

/** Why a statement cannot sit in this table. */
export function nftStatementTableProblem(kind: NftStatement['kind'], table: NftRule['table']): string | undefined {
  if ((kind === 'snat' || kind === 'masquerade') && table !== 'nat') return `${kind} needs the nat table`;
  if ((kind === 'mark-set' || kind === 'ttl-set' || kind === 'dscp-set') && table === 'nat') {
    return `${nftStatementWords(kind)} needs the filter or mangle table`;
  }
  return undefined;
}

function nftStatementWords(kind: NftStatement['kind']): string {
  switch (kind) {
    case 'mark-set':
      return 'meta mark set';
    case 'ttl-set':
      return 'ip ttl set';
    case 'dscp-set':
      return 'ip dscp set';
    default:
      return kind;
  }
}

export function isVerdict(kind: NftStatement['kind']): boolean {
  return kind === 'accept' || kind === 'drop';
}

/** A match as nft spells it. */
export function formatNftMatch(m: NftMatch): string {
  switch (m.kind) {
    case 'l4port':
      return `${m.proto} ${m.field} ${m.value}`;
    case 'addr':
      return `ip ${m.field} ${m.address}${m.prefix === 32 ? '' : `/${m.prefix}`}`;
    case 'protocol':
      return `ip protocol ${m.value}`;
    case 'oif':
      return `oif ${m.name}`;
    case 'mark':
      return `meta mark ${m.value}`;
  }
}

/** A statement as nft spells it. */
export function formatNftStatement(s: NftStatement): string {
  switch (s.kind) {
    case 'accept':
    case 'drop':
    case 'counter':
    case 'masquerade':
      return s.kind;
    case 'snat':
      return `snat to ${s.address}`;
    case 'mark-set':
      return `meta mark set ${s.value}`;
    case 'ttl-set':
      return `ip ttl set ${s.value}`;
    case 'dscp-set':
      return `ip dscp set ${dscpName(s.value) ?? s.value}`;
  }
}

/** A rule as written after `nft add rule ip `: `TABLE postrouting MATCH... STATEMENT...`. */
export function formatNftRule(r: Pick<NftRule, 'table' | 'chain' | 'matches' | 'statements'>): string {
  return [r.table, r.chain, ...r.matches.map(formatNftMatch), ...r.statements.map(formatNftStatement)].join(' ');
}

// ---------------------------------------------------------------------------------------------
// Shared context of one check

/** Arrays of a scenario, used to say which kind of item failed to read. */
export type ItemKind = 'links' | 'addrs' | 'routes' | 'neighs' | 'sysctls' | 'nft' | 'peers' | 'joins' | 'sends';

/** Positions of the words an item was read from, by field (`dev`, `matches[1]`, ...). */
export type FieldPositions = WeakMap<object, Record<string, Pos>>;

export interface CheckContext {
  file: string;
  /** 'text': messages as the language speaks; 'object': messages lead with the JSON path. */
  mode: 'text' | 'object';
  errors: ScenarioError[];
  fieldPos: FieldPositions;
  /** JSON paths of items (object mode). */
  paths: WeakMap<object, string>;
  /**
   * Kinds with an item that could not be read. Checks that would only fail because that item is
   * missing ("no link named eth0" after a bad `link add eth0` line) are skipped, so that the
   * first error reported is the real one.
   */
  failed: Set<ItemKind>;
}

export function newContext(file: string, mode: CheckContext['mode']): CheckContext {
  return { file, mode, errors: [], fieldPos: new WeakMap(), paths: new WeakMap(), failed: new Set() };
}

type Item = { pos: Pos };

function report(ctx: CheckContext, item: Item, field: string | undefined, problem: string): void {
  const pos = (field !== undefined ? ctx.fieldPos.get(item)?.[field] : undefined) ?? item.pos ?? { line: 1, col: 1 };
  let msg = problem;
  if (ctx.mode === 'object') {
    const path = ctx.paths.get(item) ?? '';
    const where = field === undefined ? path : field.startsWith('[') ? path + field : `${path}.${field}`;
    msg = `${where}: ${problem}`;
  }
  ctx.errors.push(new ScenarioError(ctx.file, pos.line, pos.col, msg));
}

/** How to refer to another item in a message: "line 2" or "links[0]". */
function where(ctx: CheckContext, item: Item): string {
  if (ctx.mode === 'object') return ctx.paths.get(item) ?? '?';
  return `line ${item.pos.line}`;
}

// ---------------------------------------------------------------------------------------------
// Semantics

/**
 * The checks between items. Fills in what depends on other items (a peer's link, a route's
 * device from its gateway). Errors go to ctx.errors.
 */
export function checkSemantics(s: Scenario, ctx: CheckContext): void {
  const linksLost = ctx.failed.has('links');
  const addrsLost = linksLost || ctx.failed.has('addrs');

  // Links
  const links = new Map<string, Link>();
  for (const link of s.links) {
    const prev = links.get(link.name);
    if (prev) report(ctx, link, 'name', `a link named ${link.name} already exists (${where(ctx, prev)})`);
    else links.set(link.name, link);
  }
  const linkList = ['lo', ...links.keys()].join(', ');
  const hasDev = (name: string): boolean => name === LOOPBACK.name || links.has(name);
  const needDev = (item: Item, field: string, name: string): boolean => {
    if (hasDev(name)) return true;
    if (!linksLost) report(ctx, item, field, `no link named ${name} (links: ${linkList})`);
    return false;
  };

  // Addresses
  const addrs = new Map<number, Addr>();
  const goodAddrs: { a: number; addr: Addr }[] = [];
  for (const addr of s.addrs) {
    const a = parseIPv4(addr.address) ?? 0;
    const devOk = needDev(addr, 'dev', addr.dev);
    if (addr.address === LOOPBACK.address) {
      report(ctx, addr, 'address', `${addr.address} is already an address of this host (lo always has 127.0.0.1/8)`);
      continue;
    }
    const prev = addrs.get(a);
    if (prev) {
      report(ctx, addr, 'address', `${addr.address} is already an address of this host (${where(ctx, prev)})`);
      continue;
    }
    addrs.set(a, addr);
    if (devOk) goodAddrs.push({ a, addr });
  }
  const addrList = (): string =>
    goodAddrs.length ? `addresses: ${goodAddrs.map((g) => g.addr.address).join(', ')}` : 'no addresses besides lo\'s 127.0.0.1/8';
  /** A local address: one of the host's, anything in 127.0.0.0/8, or (where allowed) 0.0.0.0 for "any". */
  const owns = (text: string, anyOk: boolean): boolean => {
    const a = parseIPv4(text);
    if (a === undefined) return false;
    if (anyOk && a === 0) return true;
    return a >>> 24 === 127 || addrs.has(a);
  };
  const needOwned = (item: Item, field: string, text: string, anyOk: boolean): void => {
    if (owns(text, anyOk) || addrsLost) return;
    report(ctx, item, field, `the host does not own ${text} (${addrList()})`);
  };
  /** The host address whose subnet holds `a` on a link with a wire (not lo), longest prefix first. */
  const connected = (a: number, dev?: string): Addr | undefined => {
    let best: Addr | undefined;
    for (const g of goodAddrs) {
      if (g.addr.dev === LOOPBACK.name) continue;
      if (dev !== undefined && g.addr.dev !== dev) continue;
      if (!inSubnet(a, g.a, g.addr.prefix)) continue;
      if (!best || g.addr.prefix > best.prefix) best = g.addr;
    }
    return best;
  };

  // Routes
  const routes = new Map<string, Route>();
  for (const route of s.routes) {
    const key = `${route.dst}/${route.prefix}`;
    const prev = routes.get(key);
    if (prev) {
      const name = route.prefix === 0 ? 'default' : key;
      report(ctx, route, 'dst', `a route to ${name} already exists (${where(ctx, prev)})`);
    } else routes.set(key, route);
    const devOk = route.dev === undefined || needDev(route, 'dev', route.dev);
    if (route.via !== undefined) {
      const gw = parseIPv4(route.via) ?? 0;
      if (addrs.has(gw)) {
        report(ctx, route, 'via', `gateway ${route.via} is this host's own address`);
      } else if (devOk) {
        const on = connected(gw, route.dev);
        if (on) {
          if (route.dev === undefined) route.dev = on.dev;
        } else if (!addrsLost) {
          const onDev = route.dev !== undefined ? ` of ${route.dev}` : '';
          report(ctx, route, 'via', `gateway ${route.via} is not on a connected subnet${onDev}`);
        }
      }
    }
    if (route.src !== undefined) needOwned(route, 'src', route.src, false);
  }

  // Static neighbours
  const neighs = new Map<string, StaticNeigh>();
  for (const n of s.neighs) {
    needDev(n, 'dev', n.dev);
    const key = `${n.address}%${n.dev}`;
    const prev = neighs.get(key);
    if (prev) report(ctx, n, 'address', `a neighbour ${n.address} on ${n.dev} already exists (${where(ctx, prev)})`);
    else neighs.set(key, n);
  }

  // Sysctls: the device part must name a link (or lo, or default)
  for (const sc of s.sysctls) {
    const found = findSysctl(sc.key);
    if (found?.dev !== undefined && found.dev !== 'default' && !hasDev(found.dev) && !linksLost) {
      report(ctx, sc, 'key', `no link named ${found.dev} (links: ${linkList}; or default for every link)`);
    }
  }

  // nft: interfaces named in matches
  for (const rule of s.nft) {
    rule.matches.forEach((m, i) => {
      if (m.kind === 'oif') needDev(rule, `matches[${i}]`, m.name);
    });
  }

  // A device filled in from the gateway goes where it would have been written.
  s.routes = s.routes.map((r) => orderKeys(r, ROUTE_ORDER));

  // Peers
  const peers = new Map<string, Peer>();
  for (const peer of s.peers) {
    const a = parseIPv4(peer.address) ?? 0;
    if (addrs.has(a) || a >>> 24 === 127) {
      report(ctx, peer, 'address', `${peer.address} is this host's own address; a peer needs another`);
      continue;
    }
    const prev = peers.get(peer.address);
    if (prev) report(ctx, peer, 'address', `a peer ${peer.address} already exists (${where(ctx, prev)})`);
    else peers.set(peer.address, peer);
    if (peer.dev) {
      if (peer.dev === LOOPBACK.name) report(ctx, peer, 'dev', 'a peer sits on a link with a wire; lo has none');
      else needDev(peer, 'dev', peer.dev);
    } else {
      const on = connected(a);
      if (on) peer.dev = on.dev;
      else if (!addrsLost) report(ctx, peer, 'address', `${peer.address} is not on any link's subnet; add dev NAME`);
    }
  }

  // Joined groups
  const joins = new Map<string, Join>();
  for (const j of s.joins) {
    needDev(j, 'dev', j.dev);
    const key = `${j.group}%${j.dev}`;
    const prev = joins.get(key);
    if (prev) report(ctx, j, 'group', `${j.group} is already joined on ${j.dev} (${where(ctx, prev)})`);
    else joins.set(key, j);
  }

  // Sends
  const sockets = new Map<string, Send>();
  let prevAt: number | undefined;
  for (const send of s.sends) {
    if (prevAt !== undefined && send.at < prevAt) {
      report(ctx, send, 'at', `time goes backwards: ${formatDuration(send.at)} is before the previous send at ${formatDuration(prevAt)}`);
    } else prevAt = send.at;
    if (send.from !== undefined) needOwned(send, 'from', send.from, true);
    if (send.multicastIf !== undefined) needOwned(send, 'multicastIf', send.multicastIf, true);
    if (send.bindDev !== undefined) needDev(send, 'bindDev', send.bindDev);
    if (send.socket !== undefined) {
      const first = sockets.get(send.socket);
      if (!first) sockets.set(send.socket, send);
      else if (first.proto !== send.proto) {
        report(ctx, send, 'socket', `socket ${send.socket} is a ${first.proto} socket (${where(ctx, first)})`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Shape (objects given inline)

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON value in a message. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (isObj(v)) return 'an object';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

const TOP_KEYS = ['file', 'kernel', 'links', 'addrs', 'routes', 'neighs', 'sysctls', 'nft', 'peers', 'joins', 'sends', 'run'];

/** Reads the fields of one item, reporting wrong types at the item's position. */
class Reader {
  ok = true;
  readonly pos: Pos;

  constructor(
    private readonly ctx: CheckContext,
    private readonly o: Obj,
    private readonly path: string,
    allowed: readonly string[],
    /** Position of the owning item, for the parts of an item (nft matches and statements) that have none. */
    ownerPos?: Pos,
  ) {
    this.pos = ownerPos ?? { line: 1, col: 1 };
    const p = o.pos;
    if (p !== undefined && !ownerPos) {
      if (isObj(p) && isPosInt(p.line) && isPosInt(p.col) && Object.keys(p).every((k) => k === 'line' || k === 'col')) {
        this.pos = { line: p.line as number, col: p.col as number };
      } else {
        this.fail('pos', `expected {"line": N, "col": N} with N >= 1, found ${describeValue(p)}`);
      }
    }
    for (const k of Object.keys(o)) {
      if ((k !== 'pos' || ownerPos) && !allowed.includes(k)) this.fail(undefined, `unknown field "${k}"; expected one of: ${allowed.join(', ')}`);
    }
  }

  /** The JSON path of a field of this item. */
  pathOf(field: string | undefined): string {
    if (field === undefined) return this.path;
    return field.startsWith('[') ? this.path + field : `${this.path}.${field}`;
  }

  fail(field: string | undefined, problem: string): void {
    this.ok = false;
    this.ctx.errors.push(new ScenarioError(this.ctx.file, this.pos.line, this.pos.col, `${this.pathOf(field)}: ${problem}`));
  }

  /** The raw value; null counts as absent. */
  raw(k: string): unknown {
    const v = this.o[k];
    return v === null ? undefined : v;
  }

  has(k: string): boolean {
    return this.raw(k) !== undefined;
  }

  missing(k: string, expected: string): void {
    this.fail(k, `expected ${expected}, found nothing`);
  }

  string(k: string, expected: string, required: true): string;
  string(k: string, expected: string, required: false): string | undefined;
  string(k: string, expected: string, required: boolean): string | undefined {
    const v = this.raw(k);
    if (v === undefined) {
      if (required) this.missing(k, expected);
      return required ? '' : undefined;
    }
    if (typeof v !== 'string') {
      this.fail(k, `expected ${expected}, found ${describeValue(v)}`);
      return required ? '' : undefined;
    }
    return v;
  }

  int(k: string, what: string, [min, max]: readonly [number, number], def: number): number;
  int(k: string, what: string, range: readonly [number, number], def: undefined, hex?: boolean): number | undefined;
  int(k: string, what: string, [min, max]: readonly [number, number], def: number | undefined, hex = false): number | undefined {
    const v = this.raw(k);
    if (v === undefined) return def;
    let n: bigint | undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
    else if (hex && typeof v === 'string') n = parseIntText(v, true);
    if (n === undefined) {
      this.fail(k, `expected a number ${min}..${max} for ${what}, found ${describeValue(v)}`);
      return def ?? min;
    }
    const p = rangeProblem(what, n, min, max, typeof v === 'string' ? v : undefined);
    if (p) {
      this.fail(k, p);
      return def ?? min;
    }
    return Number(n);
  }

  required(k: string, what: string, range: readonly [number, number], expected: string): number {
    if (!this.has(k)) {
      this.missing(k, expected);
      return range[0];
    }
    return this.int(k, what, range, undefined) ?? range[0];
  }

  bool(k: string, def: boolean): boolean;
  bool(k: string, def: undefined): boolean | undefined;
  bool(k: string, def: boolean | undefined): boolean | undefined {
    const v = this.raw(k);
    if (v === undefined) return def;
    if (typeof v !== 'boolean') {
      this.fail(k, `expected true or false, found ${describeValue(v)}`);
      return def;
    }
    return v;
  }

  oneOf<T extends string>(k: string, expected: string, values: readonly T[], def: T): T;
  oneOf<T extends string>(k: string, expected: string, values: readonly T[], def: undefined): T | undefined;
  oneOf<T extends string>(k: string, expected: string, values: readonly T[], def: T | undefined): T | undefined {
    const v = this.raw(k);
    if (v === undefined) {
      if (def === undefined) this.missing(k, `${expected} (${values.join(', ')})`);
      return def;
    }
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      this.fail(k, `expected ${expected} (${values.join(', ')}), found ${describeValue(v)}`);
      return def ?? values[0];
    }
    return v as T;
  }

  ipv4(k: string, required: true, check?: (a: number, text: string) => string | undefined): string;
  ipv4(k: string, required: false, check?: (a: number, text: string) => string | undefined): string | undefined;
  ipv4(k: string, required: boolean, check?: (a: number, text: string) => string | undefined): string | undefined {
    const v = this.raw(k);
    if (v === undefined) {
      if (required) this.missing(k, 'an IPv4 address');
      return required ? '0.0.0.0' : undefined;
    }
    const a = typeof v === 'string' ? parseIPv4(v) : undefined;
    if (a === undefined) {
      this.fail(k, `expected an IPv4 address, found ${describeValue(v)}`);
      return required ? '0.0.0.0' : undefined;
    }
    const text = formatIPv4(a);
    const p = check?.(a, text);
    if (p) this.fail(k, p);
    return text;
  }

  mac(k: string, required: boolean): string | undefined {
    const v = this.raw(k);
    if (v === undefined) {
      if (required) this.missing(k, MAC_EXPECTED);
      return undefined;
    }
    const m = typeof v === 'string' ? parseMac(v) : undefined;
    if (m === undefined) this.fail(k, `expected ${MAC_EXPECTED}, found ${describeValue(v)}`);
    return m;
  }

  /** Nanoseconds, as a number or as a duration string such as "10ms". */
  duration(k: string, def: number): number;
  duration(k: string, def: undefined): number | undefined;
  duration(k: string, def: number | undefined): number | undefined {
    const v = this.raw(k);
    if (v === undefined) return def;
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v) && v >= 0) return v;
      this.fail(k, `expected a whole number of nanoseconds or a duration like "10ms", found ${describeValue(v)}`);
      return def ?? 0;
    }
    if (typeof v === 'string') {
      const r = durationValue(v);
      if ('ns' in r) return r.ns;
      this.fail(k, r.problem);
      return def ?? 0;
    }
    this.fail(k, `expected a whole number of nanoseconds or a duration like "10ms", found ${describeValue(v)}`);
    return def ?? 0;
  }

  /** The name of an existing link (whether it exists is a semantic check). */
  linkName(k: string, required: boolean): string | undefined {
    const v = this.raw(k);
    const expected = 'a link name (1..15 of letters, digits, _ . -)';
    if (v === undefined) {
      if (required) this.missing(k, expected);
      return undefined;
    }
    if (typeof v !== 'string' || !/^[A-Za-z0-9_.-]{1,15}$/.test(v)) {
      this.fail(k, `expected ${expected}, found ${describeValue(v)}`);
      return undefined;
    }
    return v;
  }
}

function isPosInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

function unicastProblem(a: number, text: string, what: string): string | undefined {
  if (isMulticast(a) || a === 0xffffffff || a === 0) return `expected a unicast address for ${what}, found ${text}`;
  return undefined;
}

/** Why an address cannot be the host's own address. */
export function hostAddrProblem(a: number, text: string): string | undefined {
  return unicastProblem(a, text, 'the host');
}

/** Why an address cannot be a peer's or a gateway's or a static neighbour's. */
export function neighbourAddrProblem(a: number, text: string): string | undefined {
  return unicastProblem(a, text, 'a neighbour');
}

/** Why an address cannot be a gateway. */
export function gatewayProblem(a: number, text: string): string | undefined {
  return unicastProblem(a, text, 'a gateway');
}

/** Why an address cannot be a multicast group. */
export function groupProblem(a: number, text: string): string | undefined {
  return isMulticast(a) ? undefined : `expected a multicast group (224.0.0.0/4), found ${text}`;
}

/** Why NET/PREFIX is not a network address; suggests the one meant. */
export function hostBitsProblem(a: number, prefix: number, written: string): string | undefined {
  const net = (a & prefixMask(prefix)) >>> 0;
  if (net === a) return undefined;
  return `${written} has host bits set; did you mean ${formatIPv4(net)}/${prefix}?`;
}

/** Why a send's payload size does not suit its protocol. */
export function sendSizeProblem(proto: Send['proto'], size: number): string | undefined {
  if (proto === 'tcp' && size !== 0) return `a tcp syn carries no payload; size must be 0, found ${size}`;
  return undefined;
}

function readArray(ctx: CheckContext, top: Obj, key: ItemKind, read: (o: Obj, path: string, index: number) => Item | undefined): Item[] {
  const v = top[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    ctx.errors.push(new ScenarioError(ctx.file, 1, 1, `${key}: expected an array, found ${describeValue(v)}`));
    ctx.failed.add(key);
    return [];
  }
  const out: Item[] = [];
  // Array.from reads a hole in a sparse array as undefined, so that it is reported, not skipped.
  Array.from(v).forEach((el: unknown, i) => {
    const path = `${key}[${i}]`;
    if (!isObj(el)) {
      ctx.errors.push(new ScenarioError(ctx.file, 1, 1, `${path}: expected an object, found ${describeValue(el)}`));
      ctx.failed.add(key);
      return;
    }
    const item = read(el, path, out.length);
    if (item) {
      ctx.paths.set(item, path);
      out.push(item);
    } else ctx.failed.add(key);
  });
  return out;
}

function readLink(ctx: CheckContext, o: Obj, path: string, index: number): Link | undefined {
  const r = new Reader(ctx, o, path, ['name', 'type', 'mtu', 'address', 'qdisc', 'txqueuelen', 'offload', 'up']);
  const name = r.string('name', 'a link name', true);
  if (r.has('name') && typeof o.name === 'string') {
    const p = linkNameProblem(name);
    if (p) r.fail('name', p);
  }
  const type = r.oneOf('type', 'a link type', LINK_TYPES, DEFAULTS.linkType);
  const mtu = r.int('mtu', 'mtu', LIMITS.mtu, DEFAULTS.mtu);
  let address = r.mac('address', false);
  if (address !== undefined) {
    const p = linkMacProblem(address);
    if (p) r.fail('address', p);
  } else if (!r.has('address')) address = defaultMac(index);
  const qdisc = r.oneOf('qdisc', 'a qdisc', QDISCS, defaultQdisc(type));
  const txqueuelen = r.int('txqueuelen', 'txqueuelen', LIMITS.txqueuelen, DEFAULTS.txqueuelen);
  const offload = r.bool('offload', false);
  const up = r.bool('up', true);
  if (!r.ok || address === undefined) return undefined;
  return { name, type, mtu, address, qdisc, txqueuelen, offload, up, pos: r.pos };
}

function readAddr(ctx: CheckContext, o: Obj, path: string): Addr | undefined {
  const r = new Reader(ctx, o, path, ['address', 'prefix', 'dev']);
  const address = r.ipv4('address', true, hostAddrProblem);
  const prefix = r.required('prefix', 'prefix', LIMITS.prefix, 'a prefix length 0..32');
  const dev = r.linkName('dev', true) ?? '';
  return r.ok ? { address, prefix, dev, pos: r.pos } : undefined;
}

function readRoute(ctx: CheckContext, o: Obj, path: string): Route | undefined {
  const r = new Reader(ctx, o, path, ['dst', 'prefix', 'via', 'dev', 'mtu', 'src']);
  const dst = r.ipv4('dst', true);
  const prefix = r.required('prefix', 'prefix', LIMITS.prefix, 'a prefix length 0..32');
  if (r.ok) {
    const p = hostBitsProblem(parseIPv4(dst) ?? 0, prefix, `${dst}/${prefix}`);
    if (p) r.fail('dst', p);
  }
  const via = r.ipv4('via', false, gatewayProblem);
  const dev = r.linkName('dev', false);
  const mtu = r.int('mtu', 'mtu', LIMITS.mtu, undefined);
  const src = r.ipv4('src', false);
  if (via === undefined && dev === undefined && r.ok) r.fail(undefined, 'a route needs via or dev (or both)');
  if (!r.ok) return undefined;
  const route: Route = { dst, prefix, pos: r.pos };
  if (via !== undefined) route.via = via;
  if (dev !== undefined) route.dev = dev;
  if (mtu !== undefined) route.mtu = mtu;
  if (src !== undefined) route.src = src;
  return orderKeys(route, ROUTE_ORDER);
}

function readNeigh(ctx: CheckContext, o: Obj, path: string): StaticNeigh | undefined {
  const r = new Reader(ctx, o, path, ['address', 'lladdr', 'dev', 'nud']);
  const address = r.ipv4('address', true, neighbourAddrProblem);
  const lladdr = r.mac('lladdr', true);
  const dev = r.linkName('dev', true) ?? '';
  const nud = r.oneOf('nud', 'a nud state', NUD_STATES, DEFAULTS.nud);
  return r.ok && lladdr !== undefined ? { address, lladdr, dev, nud, pos: r.pos } : undefined;
}

/** Why a sysctl key is not one the model knows. */
export function sysctlKeyProblem(key: string): string | undefined {
  if (findSysctl(key)) return undefined;
  return `unknown sysctl "${key}"; expected one of: ${SYSCTLS.map((s) => s.key).join(', ')} (DEV is a link name or default)`;
}

function readSysctl(ctx: CheckContext, o: Obj, path: string): Sysctl | undefined {
  const r = new Reader(ctx, o, path, ['key', 'value']);
  const key = r.string('key', 'a sysctl key', true);
  let value = 0;
  if (r.ok) {
    const found = findSysctl(key);
    if (!found) r.fail('key', sysctlKeyProblem(key) ?? '');
    else value = r.required('value', key, [found.spec.min, found.spec.max], `a number ${found.spec.min}..${found.spec.max}`);
  }
  return r.ok ? { key, value, pos: r.pos } : undefined;
}

function readNftMatch(ctx: CheckContext, r: Reader, o: unknown, at: string): NftMatch | undefined {
  if (!isObj(o)) {
    r.fail(at, `expected a match object, found ${describeValue(o)}`);
    return undefined;
  }
  const errorsBefore = ctx.errors.length;
  const sub = new Reader(ctx, o, '', ['kind', 'proto', 'field', 'value', 'address', 'prefix', 'name'], r.pos);
  const kinds = ['l4port', 'addr', 'protocol', 'oif', 'mark'] as const;
  const kind = sub.oneOf('kind', 'a match kind', kinds, undefined);
  let out: NftMatch | undefined;
  const only = (keys: string[]): void => {
    for (const k of Object.keys(o)) if (k !== 'kind' && !keys.includes(k)) sub.fail(undefined, `unknown field "${k}" for a ${kind} match; expected: ${keys.join(', ')}`);
  };
  switch (kind) {
    case 'l4port': {
      only(['proto', 'field', 'value']);
      const proto = sub.oneOf('proto', 'a protocol', ['udp', 'tcp'] as const, undefined);
      const field = sub.oneOf('field', 'a port field', ['sport', 'dport'] as const, undefined);
      const value = sub.required('value', 'port', LIMITS.nftPort, 'a port 0..65535');
      if (proto && field) out = { kind, proto, field, value };
      break;
    }
    case 'addr': {
      only(['field', 'address', 'prefix']);
      const field = sub.oneOf('field', 'an address field', ['saddr', 'daddr'] as const, undefined);
      const address = sub.ipv4('address', true);
      const prefix = sub.int('prefix', 'prefix', LIMITS.prefix, 32);
      const p = hostBitsProblem(parseIPv4(address) ?? 0, prefix, `${address}/${prefix}`);
      if (p) sub.fail('address', p);
      if (field) out = { kind, field, address, prefix };
      break;
    }
    case 'protocol': {
      only(['value']);
      const value = sub.oneOf('value', 'a protocol', NFT_PROTOCOLS, undefined);
      if (value) out = { kind, value };
      break;
    }
    case 'oif': {
      only(['name']);
      const name = sub.linkName('name', true);
      if (name !== undefined) out = { kind, name };
      break;
    }
    case 'mark': {
      only(['value']);
      const value = sub.int('value', 'mark', LIMITS.mark, undefined, true);
      if (value === undefined) sub.missing('value', 'a mark 0..4294967295');
      else out = { kind, value };
      break;
    }
  }
  prefixErrors(ctx, errorsBefore, r.pathOf(at));
  if (!sub.ok) r.ok = false;
  return sub.ok ? out : undefined;
}

function readNftStatement(ctx: CheckContext, r: Reader, o: unknown, at: string): NftStatement | undefined {
  if (!isObj(o)) {
    r.fail(at, `expected a statement object, found ${describeValue(o)}`);
    return undefined;
  }
  const errorsBefore = ctx.errors.length;
  const sub = new Reader(ctx, o, '', ['kind', 'address', 'value'], r.pos);
  const kinds = ['accept', 'drop', 'counter', 'snat', 'masquerade', 'mark-set', 'ttl-set', 'dscp-set'] as const;
  const kind = sub.oneOf('kind', 'a statement kind', kinds, undefined);
  let out: NftStatement | undefined;
  const only = (keys: string[]): void => {
    for (const k of Object.keys(o)) if (k !== 'kind' && !keys.includes(k)) sub.fail(undefined, `unknown field "${k}" for a ${kind} statement; expected: ${keys.length ? keys.join(', ') : 'nothing else'}`);
  };
  switch (kind) {
    case 'accept':
    case 'drop':
    case 'counter':
    case 'masquerade':
      only([]);
      out = { kind };
      break;
    case 'snat': {
      only(['address']);
      const address = sub.ipv4('address', true, hostAddrProblem);
      out = { kind, address };
      break;
    }
    case 'mark-set': {
      only(['value']);
      const value = sub.int('value', 'mark', LIMITS.mark, undefined, true);
      if (value === undefined) sub.missing('value', 'a mark 0..4294967295');
      else out = { kind, value };
      break;
    }
    case 'ttl-set': {
      only(['value']);
      const value = sub.required('value', 'ttl', LIMITS.ttl, 'a ttl 0..255');
      out = { kind, value };
      break;
    }
    case 'dscp-set': {
      only(['value']);
      const v = sub.raw('value');
      const expected = 'a DSCP name (cs0..cs7, af11..af43, ef) or 0..63';
      if (typeof v === 'string') {
        const value = DSCP_NAMES[v];
        if (value === undefined) sub.fail('value', `expected ${expected}, found ${describeValue(v)}`);
        else out = { kind, value };
      } else out = { kind, value: sub.required('value', 'dscp', LIMITS.dscp, expected) };
      break;
    }
  }
  prefixErrors(ctx, errorsBefore, r.pathOf(at));
  if (!sub.ok) r.ok = false;
  return sub.ok ? out : undefined;
}

/** Sub-readers report paths relative to their part (".kind: ..."); put the part's path in front. */
function prefixErrors(ctx: CheckContext, from: number, path: string): void {
  for (let i = from; i < ctx.errors.length; i++) {
    const e = ctx.errors[i];
    ctx.errors[i] = new ScenarioError(e.file, e.line, e.col, path + e.problem);
  }
}

function readNft(ctx: CheckContext, o: Obj, path: string): NftRule | undefined {
  const r = new Reader(ctx, o, path, ['table', 'chain', 'matches', 'statements', 'text']);
  const table = r.oneOf('table', 'a table', NFT_TABLES, undefined);
  const chain = r.raw('chain');
  if (chain !== undefined && chain !== 'postrouting') r.fail('chain', `only the postrouting chain is modeled, found ${describeValue(chain)}`);
  const matches: NftMatch[] = [];
  const ms = r.raw('matches');
  if (ms !== undefined && !Array.isArray(ms)) r.fail('matches', `expected an array, found ${describeValue(ms)}`);
  else if (Array.isArray(ms)) {
    Array.from(ms).forEach((m: unknown, i) => {
      const x = readNftMatch(ctx, r, m, `matches[${i}]`);
      if (x) matches.push(x);
    });
  }
  const statements: NftStatement[] = [];
  const ss = r.raw('statements');
  if (!Array.isArray(ss)) {
    if (ss === undefined) r.missing('statements', 'an array of statements (a rule needs at least one)');
    else r.fail('statements', `expected an array, found ${describeValue(ss)}`);
  } else {
    Array.from(ss).forEach((st: unknown, i) => {
      const x = readNftStatement(ctx, r, st, `statements[${i}]`);
      if (x) statements.push(x);
    });
    if (ss.length === 0) r.fail('statements', 'a rule needs at least one statement');
  }
  const text = r.string('text', 'the rule as text', false);
  if (!r.ok || table === undefined) return undefined;
  statements.forEach((st, i) => {
    const p = nftStatementTableProblem(st.kind, table);
    if (p) r.fail(`statements[${i}]`, p);
    if (isVerdict(st.kind) && i !== statements.length - 1) r.fail(`statements[${i}]`, `a verdict must be last; found ${statements[i + 1].kind} after ${st.kind}`);
  });
  if (!r.ok) return undefined;
  const rule = { table, chain: 'postrouting' as const, matches, statements };
  return { ...rule, text: text ?? formatNftRule(rule), pos: r.pos };
}

function readPeer(ctx: CheckContext, o: Obj, path: string): Peer | undefined {
  const r = new Reader(ctx, o, path, ['address', 'lladdr', 'dev', 'silent', 'upAt', 'replyDelay']);
  const address = r.ipv4('address', true, neighbourAddrProblem);
  const lladdr = r.mac('lladdr', true);
  const dev = r.raw('dev') === '' ? '' : r.linkName('dev', false) ?? '';
  const silent = r.bool('silent', false);
  const upAt = r.duration('upAt', 0);
  const replyDelay = r.duration('replyDelay', 0);
  return r.ok && lladdr !== undefined ? { address, lladdr, dev, silent, upAt, replyDelay, pos: r.pos } : undefined;
}

function readJoin(ctx: CheckContext, o: Obj, path: string): Join | undefined {
  const r = new Reader(ctx, o, path, ['group', 'dev']);
  const group = r.ipv4('group', true, groupProblem);
  const dev = r.linkName('dev', true) ?? '';
  return r.ok ? { group, dev, pos: r.pos } : undefined;
}

const SEND_KEYS = [
  'at', 'proto', 'to', 'port', 'from', 'fromPort', 'size', 'df', 'ttl', 'tos', 'mark', 'count', 'every', 'socket',
  'connected', 'broadcast', 'bindDev', 'multicastIf', 'multicastTtl', 'multicastLoop', 'recverr', 'ipOptions',
];

function readSend(ctx: CheckContext, o: Obj, path: string): Send | undefined {
  const r = new Reader(ctx, o, path, SEND_KEYS);
  const at = r.duration('at', undefined);
  if (at === undefined) r.missing('at', 'the time of the send (ns, or a duration like "10ms")');
  const proto = r.oneOf('proto', 'a protocol', SEND_PROTOS, undefined);
  const to = r.ipv4('to', true);
  let port = 0;
  if (proto === 'icmp') {
    if (r.has('port') && r.raw('port') !== 0) r.fail('port', `an icmp echo has no port, found ${describeValue(r.raw('port'))}`);
  } else if (proto !== undefined) port = r.required('port', 'port', LIMITS.port, 'a port 1..65535');
  const from = r.ipv4('from', false);
  const fromPort = r.int('fromPort', 'port', LIMITS.port, undefined);
  if (fromPort !== undefined && proto === 'icmp') r.fail('fromPort', 'an icmp echo has no port');
  if (fromPort !== undefined && from === undefined) r.fail('fromPort', 'fromPort needs from (0.0.0.0 for any address)');
  const size = r.int('size', 'size', LIMITS.size, defaultSize(proto ?? 'udp'));
  if (proto !== undefined) {
    const p = sendSizeProblem(proto, size);
    if (p) r.fail('size', p);
  }
  const df = r.oneOf('df', 'a df mode', PMTU_MODES, DEFAULTS.df);
  const ttl = r.int('ttl', 'ttl', LIMITS.ttl, undefined);
  const tos = r.int('tos', 'tos', LIMITS.tos, undefined, true);
  const mark = r.int('mark', 'mark', LIMITS.mark, undefined, true);
  const count = r.int('count', 'count', LIMITS.count, DEFAULTS.count);
  const every = r.duration('every', DEFAULTS.every);
  const socket = r.string('socket', 'a socket name', false);
  if (socket !== undefined) {
    const p = socketNameProblem(socket);
    if (p) r.fail('socket', p);
  }
  const connected = r.bool('connected', false);
  const broadcast = r.bool('broadcast', false);
  const bindDev = r.linkName('bindDev', false);
  const multicastIf = r.ipv4('multicastIf', false);
  const multicastTtl = r.int('multicastTtl', 'multicast-ttl', LIMITS.ttl, undefined);
  const multicastLoop = r.bool('multicastLoop', undefined);
  const recverr = r.bool('recverr', false);
  let ipOptions: Send['ipOptions'];
  const io = r.raw('ipOptions');
  if (io !== undefined) {
    if (!Array.isArray(io)) r.fail('ipOptions', `expected an array of "ra" and "rr", found ${describeValue(io)}`);
    else {
      const seen: ('ra' | 'rr')[] = [];
      Array.from(io).forEach((x: unknown, i) => {
        if (x !== 'ra' && x !== 'rr') r.fail(`ipOptions[${i}]`, `expected ra or rr, found ${describeValue(x)}`);
        else if (seen.includes(x)) r.fail(`ipOptions[${i}]`, `the ip option ${x} is given twice`);
        else seen.push(x);
      });
      if (seen.length) ipOptions = seen;
    }
  }
  if (!r.ok || at === undefined || proto === undefined) return undefined;
  const send: Send = {
    at, proto, to, port, size, df, count, every, connected, broadcast, recverr, pos: r.pos,
  };
  if (from !== undefined) send.from = from;
  if (fromPort !== undefined) send.fromPort = fromPort;
  if (ttl !== undefined) send.ttl = ttl;
  if (tos !== undefined) send.tos = tos;
  if (mark !== undefined) send.mark = mark;
  if (socket !== undefined) send.socket = socket;
  if (bindDev !== undefined) send.bindDev = bindDev;
  if (multicastIf !== undefined) send.multicastIf = multicastIf;
  if (multicastTtl !== undefined) send.multicastTtl = multicastTtl;
  if (multicastLoop !== undefined) send.multicastLoop = multicastLoop;
  if (ipOptions !== undefined) send.ipOptions = ipOptions;
  return orderKeys(send, SEND_ORDER);
}

/** Key order of a Route. */
export const ROUTE_ORDER = ['dst', 'prefix', 'via', 'dev', 'mtu', 'src', 'pos'];

/** Key order of a Send, as the parser builds it (so that JSON output reads the same either way). */
export const SEND_ORDER = [
  'at', 'proto', 'to', 'port', 'from', 'fromPort', 'size', 'df', 'ttl', 'tos', 'mark', 'count', 'every', 'socket',
  'connected', 'broadcast', 'bindDev', 'multicastIf', 'multicastTtl', 'multicastLoop', 'recverr', 'ipOptions', 'pos',
];

/** The same object with its keys in the given order (absent keys stay absent). */
export function orderKeys<T extends object>(o: T, order: readonly string[]): T {
  const src = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of order) if (src[k] !== undefined) out[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in out) && src[k] !== undefined) out[k] = src[k];
  return out as T;
}

/** Reads and type-checks a scenario object, filling in defaults. Errors go to ctx.errors. */
export function readScenarioObject(input: unknown, ctx: CheckContext): Scenario {
  let s: Scenario = {
    kernel: DEFAULTS.kernel,
    links: [],
    addrs: [],
    routes: [],
    neighs: [],
    sysctls: [],
    nft: [],
    peers: [],
    joins: [],
    sends: [],
  };
  if (!isObj(input)) {
    ctx.errors.push(new ScenarioError(ctx.file, 1, 1, `expected a scenario object, found ${describeValue(input)}`));
    for (const k of ['links', 'addrs'] as const) ctx.failed.add(k);
    return s;
  }
  for (const k of Object.keys(input)) {
    if (!TOP_KEYS.includes(k)) {
      ctx.errors.push(new ScenarioError(ctx.file, 1, 1, `unknown field "${k}"; expected one of: ${TOP_KEYS.join(', ')}`));
    }
  }
  const top = (k: string, problem: string): void => {
    ctx.errors.push(new ScenarioError(ctx.file, 1, 1, `${k}: ${problem}`));
  };
  if (input.file !== undefined && input.file !== null) {
    if (typeof input.file === 'string') s = { file: input.file, ...s };
    else top('file', `expected a path, found ${describeValue(input.file)}`);
  }
  if (input.kernel !== undefined && input.kernel !== null) {
    if (input.kernel === '6.18' || input.kernel === '4.9') s.kernel = input.kernel;
    else top('kernel', `expected a kernel profile (6.18 or 4.9), found ${describeValue(input.kernel)}`);
  }
  s.links = readArray(ctx, input, 'links', (o, p, i) => readLink(ctx, o, p, i)) as Link[];
  s.addrs = readArray(ctx, input, 'addrs', (o, p) => readAddr(ctx, o, p)) as Addr[];
  s.routes = readArray(ctx, input, 'routes', (o, p) => readRoute(ctx, o, p)) as Route[];
  s.neighs = readArray(ctx, input, 'neighs', (o, p) => readNeigh(ctx, o, p)) as StaticNeigh[];
  s.sysctls = readArray(ctx, input, 'sysctls', (o, p) => readSysctl(ctx, o, p)) as Sysctl[];
  s.nft = readArray(ctx, input, 'nft', (o, p) => readNft(ctx, o, p)) as NftRule[];
  s.peers = readArray(ctx, input, 'peers', (o, p) => readPeer(ctx, o, p)) as Peer[];
  s.joins = readArray(ctx, input, 'joins', (o, p) => readJoin(ctx, o, p)) as Join[];
  s.sends = readArray(ctx, input, 'sends', (o, p) => readSend(ctx, o, p)) as Send[];
  if (input.run !== undefined && input.run !== null) {
    const v = input.run;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) s.run = v;
    else if (typeof v === 'string' && 'ns' in durationValue(v)) s.run = (durationValue(v) as { ns: number }).ns;
    else {
      const r = typeof v === 'string' ? durationValue(v) : undefined;
      top('run', r && 'problem' in r ? r.problem : `expected a whole number of nanoseconds or a duration like "5s", found ${describeValue(v)}`);
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Entry points

/**
 * Checks a scenario object (one that came inline from a launch configuration, or from the
 * parser) and returns a new, complete one: defaults filled in, addresses and MACs in canonical
 * form, each peer's link and each gateway route's device resolved. The input is not modified.
 * All problems are collected; they come back sorted by position (items without `pos` are at 1:1).
 */
export function validateScenarioAll(input: unknown, file?: string): { scenario?: Scenario; errors: ScenarioError[] } {
  const name = file ?? (isObj(input) && typeof input.file === 'string' ? input.file : '<inline>');
  const ctx = newContext(name, 'object');
  const s = readScenarioObject(input, ctx);
  checkSemantics(s, ctx);
  const errors = sortErrors(ctx.errors);
  return errors.length ? { errors } : { scenario: s, errors };
}

/**
 * Checks a scenario object and returns it complete (see validateScenarioAll); throws the first
 * ScenarioError. Messages lead with the JSON path of the item at fault (`links[1].mtu: ...`).
 */
export function validateScenario(input: Scenario | unknown, file?: string): Scenario {
  const r = validateScenarioAll(input, file);
  if (!r.scenario) throw r.errors[0];
  return r.scenario;
}
