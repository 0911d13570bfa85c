// A scenario given as an object (inline in a launch configuration, in the JSON shape of
// docs/scenario.md): every item read and type-checked, with the defaults the language fills in.

import * as l10n from '@vscode/l10n';
import { parseIpv4 } from '../wire/addr';
import type { CheckContext, Item, ItemKind } from './context';
import { ScenarioError } from './errors';
import { describeValue, isObj, Reader, type Obj } from './fields';
import { LINK_ORDER, orderKeys, ROUTE_ORDER, RULE_ORDER, SEND_ORDER } from './key-order';
import { formatNftRule, isVerdict, nftStatementTableProblem } from './nft';
import { findSysctl } from './sysctl';
import { emptyScenario, type Addr, type Join, type Link, type NftMatch, type NftRule, type NftStatement, type Peer, type Route, type Rule, type Scenario, type Send, type StaticNeigh, type Sysctl } from './types';
import {
  defaultMac,
  defaultQdisc,
  defaultSize,
  DEFAULTS,
  DSCP_NAMES,
  KERNELS,
  LIMITS,
  LINK_TYPES,
  NFT_CHAINS,
  NFT_PROTOCOLS,
  OUTPUT_TABLES,
  TABLE_MAIN,
  NFT_TABLES,
  NUD_STATES,
  PMTU_MODES,
  QDISCS,
  SEND_PROTOS,
} from './vocabulary';
import {
  dscpExpected,
  durationValue,
  gatewayProblem,
  groupProblem,
  hostAddrProblem,
  hostBitsProblem,
  linkMacProblem,
  linkNameProblem,
  neighbourAddrProblem,
  sendSizeProblem,
  gsoProblem,
  socketNameProblem,
  sysctlKeyProblem,
  linkOptionProblem,
  tableProblem,
} from './values';

const TOP_KEYS = ['file', 'kernel', 'links', 'addrs', 'routes', 'rules', 'neighs', 'sysctls', 'nft', 'peers', 'joins', 'sends', 'run'];

/** The fields of each kind of item (and `pos`), as the reader accepts them; the launch.json schema lists the same. */
export const ITEM_FIELDS = {
  links: ['name', 'type', 'parent', 'vlanId', 'mtu', 'address', 'qdisc', 'txqueuelen', 'offload', 'up'],
  addrs: ['address', 'prefix', 'dev'],
  routes: ['dst', 'prefix', 'via', 'dev', 'mtu', 'src', 'table'],
  rules: ['priority', 'fwmark', 'fwmask', 'from', 'to', 'oif', 'table'],
  neighs: ['address', 'lladdr', 'dev', 'nud'],
  sysctls: ['key', 'value'],
  nft: ['table', 'chain', 'matches', 'statements', 'text'],
  peers: ['address', 'lladdr', 'dev', 'silent', 'upAt', 'replyDelay'],
  joins: ['group', 'dev'],
  sends: [
    'at', 'proto', 'to', 'port', 'from', 'fromPort', 'size', 'df', 'ttl', 'tos', 'mark', 'count', 'every', 'socket',
    'connected', 'broadcast', 'bindDev', 'multicastIf', 'multicastTtl', 'multicastLoop', 'recverr', 'ipOptions', 'gso',
  ],
} as const satisfies Record<ItemKind, readonly string[]>;

export const SCENARIO_FIELDS: readonly string[] = TOP_KEYS;

function readArray(ctx: CheckContext, top: Obj, key: ItemKind, read: (o: Obj, path: string, index: number) => Item | undefined): Item[] {
  const v = top[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    ctx.errors.push(new ScenarioError(ctx.file, 1, 1, `${key}: ${l10n.t('expected an array, found {0}', describeValue(v))}`));
    ctx.failed.add(key);
    return [];
  }
  const out: Item[] = [];
  // Array.from reads a hole in a sparse array as undefined, so that it is reported, not skipped.
  Array.from(v).forEach((el: unknown, i) => {
    const path = `${key}[${i}]`;
    if (!isObj(el)) {
      ctx.errors.push(new ScenarioError(ctx.file, 1, 1, `${path}: ${l10n.t('expected an object, found {0}', describeValue(el))}`));
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

function readLink(ctx: CheckContext, o: Obj, path: string, index: number, before: readonly Link[]): Link | undefined {
  const r = new Reader(ctx, o, path, ITEM_FIELDS.links);
  const name = r.string('name', l10n.t('a link name'), true);
  if (r.has('name') && typeof o.name === 'string') {
    const p = linkNameProblem(name);
    if (p) r.fail('name', p);
  }
  const type = r.oneOf('type', l10n.t('a link type'), LINK_TYPES, DEFAULTS.linkType);
  // A VLAN's qdisc, txqueuelen and offload may be written only as their defaults (what a parsed scenario holds).
  const vlanDefaults: Record<string, unknown> = { qdisc: defaultQdisc('vlan'), txqueuelen: DEFAULTS.txqueuelen, offload: false };
  for (const k of ['parent', 'vlanId', 'qdisc', 'txqueuelen', 'offload']) {
    const p = r.has(k) && !(type === 'vlan' && r.raw(k) === vlanDefaults[k]) ? linkOptionProblem(type, k) : undefined;
    if (p) r.fail(k, p);
  }
  const parent = r.linkName('parent', type === 'vlan');
  const vlanId = type === 'vlan' ? r.required('vlanId', 'vlanId', LIMITS.vlanId, l10n.t('a VLAN ID 1..4094')) : undefined;
  // A VLAN takes its parent's MTU and MAC unless given (vlan_newlink, vlan_dev_init).
  const parentLink = parent !== undefined ? before.find((l) => l.name === parent) : undefined;
  const mtu = r.int('mtu', 'mtu', LIMITS.mtu, parentLink?.mtu ?? DEFAULTS.mtu);
  let address = r.mac('address', false);
  if (address !== undefined) {
    const p = linkMacProblem(address);
    if (p) r.fail('address', p);
  } else if (!r.has('address')) address = parentLink?.address ?? defaultMac(index);
  const qdisc = r.oneOf('qdisc', l10n.t('a qdisc'), QDISCS, defaultQdisc(type));
  const txqueuelen = r.int('txqueuelen', 'txqueuelen', LIMITS.txqueuelen, DEFAULTS.txqueuelen);
  const offload = r.bool('offload', false);
  const up = r.bool('up', true);
  if (!r.ok || address === undefined) return undefined;
  return orderKeys<Link>({ name, type, parent, vlanId, mtu, address, qdisc, txqueuelen, offload, up, pos: r.pos }, LINK_ORDER);
}

function readAddr(ctx: CheckContext, o: Obj, path: string): Addr | undefined {
  const r = new Reader(ctx, o, path, ITEM_FIELDS.addrs);
  const address = r.ipv4('address', true, hostAddrProblem);
  const prefix = r.required('prefix', 'prefix', LIMITS.prefix, l10n.t('a prefix length 0..32'));
  const dev = r.linkName('dev', true) ?? '';
  return r.ok ? { address, prefix, dev, pos: r.pos } : undefined;
}

function readRoute(ctx: CheckContext, o: Obj, path: string): Route | undefined {
  const r = new Reader(ctx, o, path, ITEM_FIELDS.routes);
  const dst = r.ipv4('dst', true);
  const prefix = r.required('prefix', 'prefix', LIMITS.prefix, l10n.t('a prefix length 0..32'));
  if (r.ok) {
    const p = hostBitsProblem(parseIpv4(dst) ?? 0, prefix, `${dst}/${prefix}`);
    if (p) r.fail('dst', p);
  }
  const via = r.ipv4('via', false, gatewayProblem);
  const dev = r.linkName('dev', false);
  const mtu = r.int('mtu', 'mtu', LIMITS.mtu, undefined);
  const src = r.ipv4('src', false);
  const table = readTable(r, 'table');
  if (via === undefined && dev === undefined && r.ok) r.fail(undefined, l10n.t('a route needs via or dev (or both)'));
  if (!r.ok) return undefined;
  const route: Route = { dst, prefix, pos: r.pos };
  if (via !== undefined) route.via = via;
  if (dev !== undefined) route.dev = dev;
  if (mtu !== undefined) route.mtu = mtu;
  if (src !== undefined) route.src = src;
  if (table !== undefined && table !== TABLE_MAIN) route.table = table;
  return orderKeys(route, ROUTE_ORDER);
}

/** A table number (not 255), or "main". */
function readTable(r: Reader, k: string): number | undefined {
  if (r.raw(k) === 'main') return TABLE_MAIN;
  const table = r.int(k, k, LIMITS.table, undefined);
  const p = table !== undefined ? tableProblem(table) : undefined;
  if (p) r.fail(k, p);
  return table;
}

/** `{ "address": A, "prefix": N }` of a rule's from or to. */
function readPrefix(ctx: CheckContext, r: Reader, k: string): { address: string; prefix: number } | undefined {
  const v = r.raw(k);
  if (v === undefined) return undefined;
  if (!isObj(v)) {
    r.fail(k, l10n.t('expected {0}, found {1}', '{"address": A, "prefix": N}', describeValue(v)));
    return undefined;
  }
  const sub = new Reader(ctx, v, r.pathOf(k), ['address', 'prefix'], r.pos);
  const address = sub.ipv4('address', true);
  const prefix = sub.int('prefix', 'prefix', LIMITS.prefix, 32);
  if (sub.ok) {
    const p = hostBitsProblem(parseIpv4(address) ?? 0, prefix, `${address}/${prefix}`);
    if (p) sub.fail('address', p);
  }
  if (!sub.ok) r.ok = false;
  return sub.ok ? { address, prefix } : undefined;
}

function readRule(ctx: CheckContext, o: Obj, path: string): Rule | undefined {
  const r = new Reader(ctx, o, path, ITEM_FIELDS.rules);
  const priority = r.int('priority', 'priority', LIMITS.priority, undefined);
  const fwmark = r.int('fwmark', 'fwmark', LIMITS.mark, undefined, true);
  const fwmask = r.int('fwmask', 'fwmask', LIMITS.mark, undefined, true);
  if (fwmask !== undefined && fwmark === undefined) r.fail('fwmask', l10n.t('fwmask needs fwmark'));
  const from = readPrefix(ctx, r, 'from');
  const to = readPrefix(ctx, r, 'to');
  const oif = r.linkName('oif', false);
  const table = readTable(r, 'table');
  if (table === undefined && !r.has('table')) r.missing('table', l10n.t('the table to look up (a number, or "main")'));
  if (!r.ok || table === undefined) return undefined;
  return orderKeys<Rule>({ priority, fwmark, fwmask: fwmask === 0xffffffff ? undefined : fwmask, from, to, oif, table, pos: r.pos }, RULE_ORDER);
}

function readNeigh(ctx: CheckContext, o: Obj, path: string): StaticNeigh | undefined {
  const r = new Reader(ctx, o, path, ITEM_FIELDS.neighs);
  const address = r.ipv4('address', true, neighbourAddrProblem);
  const lladdr = r.mac('lladdr', true);
  const dev = r.linkName('dev', true) ?? '';
  const nud = r.oneOf('nud', l10n.t('a nud state'), NUD_STATES, DEFAULTS.nud);
  return r.ok && lladdr !== undefined ? { address, lladdr, dev, nud, pos: r.pos } : undefined;
}

function readSysctl(ctx: CheckContext, o: Obj, path: string): Sysctl | undefined {
  const r = new Reader(ctx, o, path, ITEM_FIELDS.sysctls);
  const key = r.string('key', l10n.t('a sysctl key'), true);
  let value = 0;
  if (r.ok) {
    const found = findSysctl(key);
    if (!found) r.fail('key', sysctlKeyProblem(key) ?? '');
    else value = r.required('value', key, [found.spec.min, found.spec.max], l10n.t('a number {0}..{1}', found.spec.min, found.spec.max));
  }
  return r.ok ? { key, value, pos: r.pos } : undefined;
}

function readNftMatch(ctx: CheckContext, r: Reader, o: unknown, at: string): NftMatch | undefined {
  if (!isObj(o)) {
    r.fail(at, l10n.t('expected a match object, found {0}', describeValue(o)));
    return undefined;
  }
  const errorsBefore = ctx.errors.length;
  const sub = new Reader(ctx, o, '', ['kind', 'proto', 'field', 'value', 'address', 'prefix', 'name'], r.pos);
  const kinds = ['l4port', 'addr', 'protocol', 'oif', 'mark'] as const;
  const kind = sub.oneOf('kind', l10n.t('a match kind'), kinds, undefined);
  let out: NftMatch | undefined;
  const only = (keys: string[]): void => {
    for (const k of Object.keys(o)) if (k !== 'kind' && !keys.includes(k)) sub.fail(undefined, l10n.t('unknown field "{0}" for a {1} match; expected: {2}', k, String(kind), keys.join(', ')));
  };
  switch (kind) {
    case 'l4port': {
      only(['proto', 'field', 'value']);
      const proto = sub.oneOf('proto', l10n.t('a protocol'), ['udp', 'tcp'] as const, undefined);
      const field = sub.oneOf('field', l10n.t('a port field'), ['sport', 'dport'] as const, undefined);
      const value = sub.required('value', 'port', LIMITS.nftPort, l10n.t('a port {0}..{1}', 0, 65535));
      if (proto && field) out = { kind, proto, field, value };
      break;
    }
    case 'addr': {
      only(['field', 'address', 'prefix']);
      const field = sub.oneOf('field', l10n.t('an address field'), ['saddr', 'daddr'] as const, undefined);
      const address = sub.ipv4('address', true);
      const prefix = sub.int('prefix', 'prefix', LIMITS.prefix, 32);
      const p = hostBitsProblem(parseIpv4(address) ?? 0, prefix, `${address}/${prefix}`);
      if (p) sub.fail('address', p);
      if (field) out = { kind, field, address, prefix };
      break;
    }
    case 'protocol': {
      only(['value']);
      const value = sub.oneOf('value', l10n.t('a protocol'), NFT_PROTOCOLS, undefined);
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
      if (value === undefined) sub.missing('value', l10n.t('a mark {0}..{1}', 0, 4294967295));
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
    r.fail(at, l10n.t('expected a statement object, found {0}', describeValue(o)));
    return undefined;
  }
  const errorsBefore = ctx.errors.length;
  const sub = new Reader(ctx, o, '', ['kind', 'address', 'value', 'dev'], r.pos);
  const kinds = ['accept', 'drop', 'counter', 'snat', 'masquerade', 'mark-set', 'ttl-set', 'dscp-set', 'dup'] as const;
  const kind = sub.oneOf('kind', l10n.t('a statement kind'), kinds, undefined);
  let out: NftStatement | undefined;
  const only = (keys: string[]): void => {
    for (const k of Object.keys(o)) if (k !== 'kind' && !keys.includes(k)) sub.fail(undefined, l10n.t('unknown field "{0}" for a {1} statement; expected: {2}', k, String(kind), keys.length ? keys.join(', ') : l10n.t('nothing else')));
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
    case 'dup': {
      only(['address', 'dev']);
      const address = sub.ipv4('address', true, neighbourAddrProblem);
      const dev = sub.linkName('dev', false);
      out = dev === undefined ? { kind, address } : { kind, address, dev };
      break;
    }
    case 'mark-set': {
      only(['value']);
      const value = sub.int('value', 'mark', LIMITS.mark, undefined, true);
      if (value === undefined) sub.missing('value', l10n.t('a mark {0}..{1}', 0, 4294967295));
      else out = { kind, value };
      break;
    }
    case 'ttl-set': {
      only(['value']);
      const value = sub.required('value', 'ttl', LIMITS.ttl, l10n.t('a ttl 0..255'));
      out = { kind, value };
      break;
    }
    case 'dscp-set': {
      only(['value']);
      const v = sub.raw('value');
      const expected = dscpExpected();
      if (typeof v === 'string') {
        const value = DSCP_NAMES[v];
        if (value === undefined) sub.fail('value', l10n.t('expected {0}, found {1}', expected, describeValue(v)));
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
  const r = new Reader(ctx, o, path, ITEM_FIELDS.nft);
  const table = r.oneOf('table', l10n.t('a table'), NFT_TABLES, undefined);
  const chain = r.oneOf('chain', l10n.t('a chain'), NFT_CHAINS, 'postrouting');
  if (chain === 'output' && table !== undefined && !(OUTPUT_TABLES as readonly string[]).includes(table)) {
    r.fail('chain', l10n.t('the output chain is modeled in the filter and mangle tables, not in {0}', table));
  }
  const matches: NftMatch[] = [];
  const ms = r.raw('matches');
  if (ms !== undefined && !Array.isArray(ms)) r.fail('matches', l10n.t('expected an array, found {0}', describeValue(ms)));
  else if (Array.isArray(ms)) {
    Array.from(ms).forEach((m: unknown, i) => {
      const x = readNftMatch(ctx, r, m, `matches[${i}]`);
      if (x) matches.push(x);
    });
  }
  const statements: NftStatement[] = [];
  const ss = r.raw('statements');
  if (!Array.isArray(ss)) {
    if (ss === undefined) r.missing('statements', l10n.t('an array of statements (a rule needs at least one)'));
    else r.fail('statements', l10n.t('expected an array, found {0}', describeValue(ss)));
  } else {
    Array.from(ss).forEach((st: unknown, i) => {
      const x = readNftStatement(ctx, r, st, `statements[${i}]`);
      if (x) statements.push(x);
    });
    if (ss.length === 0) r.fail('statements', l10n.t('a rule needs at least one statement'));
  }
  const text = r.string('text', l10n.t('the rule as text'), false);
  if (!r.ok || table === undefined) return undefined;
  statements.forEach((st, i) => {
    const p = nftStatementTableProblem(st.kind, table);
    if (p) r.fail(`statements[${i}]`, p);
    if (isVerdict(st.kind) && i !== statements.length - 1) r.fail(`statements[${i}]`, `a verdict must be last; found ${statements[i + 1].kind} after ${st.kind}`);
  });
  if (!r.ok) return undefined;
  const rule = { table, chain, matches, statements };
  return { ...rule, text: text ?? formatNftRule(rule), pos: r.pos };
}

function readPeer(ctx: CheckContext, o: Obj, path: string): Peer | undefined {
  const r = new Reader(ctx, o, path, ITEM_FIELDS.peers);
  const address = r.ipv4('address', true, neighbourAddrProblem);
  const lladdr = r.mac('lladdr', true);
  const dev = r.raw('dev') === '' ? '' : r.linkName('dev', false) ?? '';
  const silent = r.bool('silent', false);
  const upAt = r.duration('upAt', 0);
  const replyDelay = r.duration('replyDelay', 0);
  return r.ok && lladdr !== undefined ? { address, lladdr, dev, silent, upAt, replyDelay, pos: r.pos } : undefined;
}

function readJoin(ctx: CheckContext, o: Obj, path: string): Join | undefined {
  const r = new Reader(ctx, o, path, ITEM_FIELDS.joins);
  const group = r.ipv4('group', true, groupProblem);
  const dev = r.linkName('dev', true) ?? '';
  return r.ok ? { group, dev, pos: r.pos } : undefined;
}



function readSend(ctx: CheckContext, o: Obj, path: string): Send | undefined {
  const r = new Reader(ctx, o, path, ITEM_FIELDS.sends);
  const at = r.duration('at', undefined);
  if (at === undefined) r.missing('at', l10n.t('the time of the send (ns, or a duration like {0})', '"10ms"'));
  const proto = r.oneOf('proto', l10n.t('a protocol'), SEND_PROTOS, undefined);
  const to = r.ipv4('to', true);
  let port = 0;
  if (proto === 'icmp') {
    if (r.has('port') && r.raw('port') !== 0) r.fail('port', l10n.t('an icmp echo has no port, found {0}', describeValue(r.raw('port'))));
  } else if (proto !== undefined) port = r.required('port', 'port', LIMITS.port, l10n.t('a port {0}..{1}', 1, 65535));
  const from = r.ipv4('from', false);
  const fromPort = r.int('fromPort', 'port', LIMITS.port, undefined);
  if (fromPort !== undefined && proto === 'icmp') r.fail('fromPort', l10n.t('an icmp echo has no port'));
  if (fromPort !== undefined && from === undefined) r.fail('fromPort', l10n.t('fromPort needs from (0.0.0.0 for any address)'));
  const size = r.int('size', 'size', LIMITS.size, defaultSize(proto ?? 'udp'));
  if (proto !== undefined) {
    const p = sendSizeProblem(proto, size);
    if (p) r.fail('size', p);
  }
  const df = r.oneOf('df', l10n.t('a df mode'), PMTU_MODES, DEFAULTS.df);
  const ttl = r.int('ttl', 'ttl', LIMITS.ttl, undefined);
  const tos = r.int('tos', 'tos', LIMITS.tos, undefined, true);
  const mark = r.int('mark', 'mark', LIMITS.mark, undefined, true);
  const count = r.int('count', 'count', LIMITS.count, DEFAULTS.count);
  const every = r.duration('every', DEFAULTS.every);
  const socket = r.string('socket', l10n.t('a socket name'), false);
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
    if (!Array.isArray(io)) r.fail('ipOptions', l10n.t('expected an array of {0} and {1}, found {2}', '"ra"', '"rr"', describeValue(io)));
    else {
      const seen: ('ra' | 'rr')[] = [];
      Array.from(io).forEach((x: unknown, i) => {
        if (x !== 'ra' && x !== 'rr') r.fail(`ipOptions[${i}]`, l10n.t('expected {0}, found {1}', l10n.t('{0} or {1}', 'ra', 'rr'), describeValue(x)));
        else if (seen.includes(x)) r.fail(`ipOptions[${i}]`, l10n.t('the ip option {0} is given twice', x));
        else seen.push(x);
      });
      if (seen.length) ipOptions = seen;
    }
  }
  const gso = r.int('gso', 'gso', LIMITS.gso, undefined);
  if (gso !== undefined && proto !== undefined && proto !== 'udp') r.fail('gso', gsoProblem(proto));
  if (!r.ok || at === undefined || proto === undefined) return undefined;
  // orderKeys leaves out the options not given.
  const send = orderKeys<Send>({
    at, proto, to, port, from, fromPort, size, df, ttl, tos, mark, count, every, socket, connected, broadcast,
    bindDev, multicastIf, multicastTtl, multicastLoop, recverr, ipOptions, gso, pos: r.pos,
  }, SEND_ORDER);
  return send;
}

/** Reads and type-checks a scenario object, filling in defaults. Errors go to ctx.errors. */
export function readScenarioObject(input: unknown, ctx: CheckContext): Scenario {
  let s: Scenario = emptyScenario();
  if (!isObj(input)) {
    ctx.errors.push(new ScenarioError(ctx.file, 1, 1, l10n.t('expected a scenario object, found {0}', describeValue(input))));
    for (const k of ['links', 'addrs'] as const) ctx.failed.add(k);
    return s;
  }
  for (const k of Object.keys(input)) {
    if (!TOP_KEYS.includes(k)) {
      ctx.errors.push(new ScenarioError(ctx.file, 1, 1, l10n.t('unknown field "{0}"; expected one of: {1}', k, TOP_KEYS.join(', '))));
    }
  }
  const top = (k: string, problem: string): void => {
    ctx.errors.push(new ScenarioError(ctx.file, 1, 1, `${k}: ${problem}`));
  };
  if (input.file !== undefined && input.file !== null) {
    if (typeof input.file === 'string') s = { file: input.file, ...s };
    else top('file', l10n.t('expected a path, found {0}', describeValue(input.file)));
  }
  if (input.kernel !== undefined && input.kernel !== null) {
    if (input.kernel === '6.18' || input.kernel === '4.9') s.kernel = input.kernel;
    else top('kernel', l10n.t('expected {0} ({1}), found {2}', l10n.t('a kernel profile'), l10n.t('{0} or {1}', KERNELS[0], KERNELS[1]), describeValue(input.kernel)));
  }
  const links: Link[] = [];
  s.links = readArray(ctx, input, 'links', (o, p, i) => {
    const l = readLink(ctx, o, p, i, links);
    if (l) links.push(l);
    return l;
  }) as Link[];
  s.addrs = readArray(ctx, input, 'addrs', (o, p) => readAddr(ctx, o, p)) as Addr[];
  s.routes = readArray(ctx, input, 'routes', (o, p) => readRoute(ctx, o, p)) as Route[];
  s.rules = readArray(ctx, input, 'rules', (o, p) => readRule(ctx, o, p)) as Rule[];
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
      top('run', r && 'problem' in r ? r.problem : l10n.t('expected a whole number of nanoseconds or a duration like {0}, found {1}', '"5s"', describeValue(v)));
    }
  }
  return s;
}
