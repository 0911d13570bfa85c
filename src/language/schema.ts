// The JSON schema of a scenario given inline in launch.json (`"scenario": { ... }`), made from the
// rules of the object reader (src/model/scenario/object.ts: its fields, vocabulary.ts: its ranges
// and words) so that the editor flags what the reader would refuse. Descriptions are manifest keys
// (`%scenario.link.mtu%`) whose texts come from the words' documentation (words.ts), in both
// languages. Checks between fields and items (an address the host owns, a link that exists, a
// multicast group) stay the reader's: a schema cannot say them.
// `node scripts/launch-schema.mjs` writes the schema into package.json and its texts into the
// package.nls files; test/unit/schema.test.ts checks they are current.

import { ITEM_FIELDS, SCENARIO_FIELDS } from '../model/scenario/object';
import { SYSCTLS } from '../model/scenario/sysctl';
import { DSCP_NAMES, KERNELS, LIMITS, LINK_TYPES, NFT_CHAINS, NFT_PROTOCOLS, NFT_TABLES, NUD_STATES, PMTU_MODES, QDISCS, SEND_PROTOS } from '../model/scenario/vocabulary';
import { ADDR_WORDS, LINK_WORDS, NEIGH_WORDS, PEER_WORDS, ROUTE_WORDS, RULE_WORDS, SEND_WORDS, STATEMENT_WORDS, type WordDoc } from '../model/scenario/words';

export type Schema = Record<string, unknown>;

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `^${OCTET}(\\.${OCTET}){3}$`;
const MAC = '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$';
const DURATION = '^[0-9]+(\\.[0-9]+)?(ns|us|ms|s)$';
const LINK_NAME = '^[A-Za-z0-9_.-]{1,15}$';
const HEX = '^0[xX][0-9a-fA-F]+$';

/** null counts as absent for the reader. */
function orNull(s: Schema): Schema {
  if (Array.isArray(s.anyOf)) return { ...s, anyOf: [...(s.anyOf as Schema[]), { type: 'null' }] };
  if (typeof s.type === 'string') return { ...s, type: [s.type, 'null'], ...(Array.isArray(s.enum) ? { enum: [...(s.enum as unknown[]), null] } : {}) };
  return { anyOf: [s, { type: 'null' }] };
}
const int = ([minimum, maximum]: readonly [number, number]): Schema => ({ type: 'integer', minimum, maximum });
const intOrHex = (range: readonly [number, number]): Schema => ({ anyOf: [int(range), { type: 'string', pattern: HEX }] });
const str = (pattern?: string): Schema => (pattern ? { type: 'string', pattern } : { type: 'string' });
const oneOf = (values: readonly string[]): Schema => ({ type: 'string', enum: [...values] });
const bool: Schema = { type: 'boolean' };
/** A routing table: a number other than 0 and 255, or "main". */
const table = (): Schema => ({ anyOf: [{ ...int(LIMITS.table), not: { const: 255 } }, { const: 'main' }] });
const ipv4 = str(IPV4);
const duration: Schema = { anyOf: [{ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }, str(DURATION)] };
const pos: Schema = {
  type: 'object',
  properties: { line: { type: 'integer', minimum: 1 }, col: { type: 'integer', minimum: 1 } },
  required: ['line', 'col'],
  additionalProperties: false,
};

/** The texts of the descriptions: manifest key -> English and Chinese. */
export type SchemaTexts = Record<string, { en: string; zh: string }>;

/** A field's schema with the description of its word. */
function described(s: Schema, key: string, doc: WordDoc | undefined, texts: SchemaTexts): Schema {
  if (!doc) return s;
  texts[key] = { en: doc.en, zh: doc.zh };
  return { ...s, markdownDescription: `%${key}%` };
}

/** An item: its fields (all optional but `required`, each also null), no others. */
function item(kind: keyof typeof ITEM_FIELDS, fields: Record<string, Schema>, required: string[]): Schema {
  const listed = [...ITEM_FIELDS[kind]];
  const missing = listed.filter((f) => !(f in fields));
  if (missing.length) throw new Error(`the schema of ${kind} has no rule for ${missing.join(', ')}`);
  const properties: Record<string, Schema> = {};
  for (const f of listed) properties[f] = required.includes(f) ? fields[f] : orNull(fields[f]);
  properties.pos = pos;
  return { type: 'object', properties, required, additionalProperties: false };
}

/** `upAt` -> `up-at`: the word of a JSON field. */
const wordOf = (field: string): string => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Options documented in `table`, as fields of `kind` under `statement`'s keys. */
function docs(table: Record<string, WordDoc>, statement: string, fields: Record<string, Schema>, texts: SchemaTexts): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [f, s] of Object.entries(fields)) {
    const w = wordOf(f);
    out[f] = described(s, `scenario.${statement}.${w}`, table[w], texts);
  }
  return out;
}

const matchSchema: Schema = {
  oneOf: [
    { type: 'object', properties: { kind: { const: 'l4port' }, proto: oneOf(['udp', 'tcp']), field: oneOf(['sport', 'dport']), value: int(LIMITS.nftPort) }, required: ['kind', 'proto', 'field', 'value'], additionalProperties: false },
    { type: 'object', properties: { kind: { const: 'addr' }, field: oneOf(['saddr', 'daddr']), address: ipv4, prefix: orNull(int(LIMITS.prefix)) }, required: ['kind', 'field', 'address'], additionalProperties: false },
    { type: 'object', properties: { kind: { const: 'protocol' }, value: oneOf(NFT_PROTOCOLS) }, required: ['kind', 'value'], additionalProperties: false },
    { type: 'object', properties: { kind: { const: 'oif' }, name: str(LINK_NAME) }, required: ['kind', 'name'], additionalProperties: false },
    { type: 'object', properties: { kind: { const: 'mark' }, value: intOrHex(LIMITS.mark) }, required: ['kind', 'value'], additionalProperties: false },
  ],
};

const statementSchema: Schema = {
  oneOf: [
    { type: 'object', properties: { kind: { enum: ['accept', 'drop', 'counter', 'masquerade'] } }, required: ['kind'], additionalProperties: false },
    { type: 'object', properties: { kind: { const: 'snat' }, address: ipv4 }, required: ['kind', 'address'], additionalProperties: false },
    { type: 'object', properties: { kind: { const: 'mark-set' }, value: intOrHex(LIMITS.mark) }, required: ['kind', 'value'], additionalProperties: false },
    { type: 'object', properties: { kind: { const: 'ttl-set' }, value: int(LIMITS.ttl) }, required: ['kind', 'value'], additionalProperties: false },
    { type: 'object', properties: { kind: { const: 'dscp-set' }, value: { anyOf: [int(LIMITS.dscp), oneOf(Object.keys(DSCP_NAMES))] } }, required: ['kind', 'value'], additionalProperties: false },
    { type: 'object', properties: { kind: { const: 'dup' }, address: ipv4, dev: orNull(str(LINK_NAME)) }, required: ['kind', 'address'], additionalProperties: false },
  ],
};

/** Keys of the sysctls: the spec's pattern with DEV as any link name. */
const sysctlKey = `^(${SYSCTLS.map((s) => s.key.replace(/\./g, '\\.').replace('DEV', '[A-Za-z0-9_-]{1,15}')).join('|')})$`;

/** The schema of the scenario object, and the texts its descriptions name. */
export function scenarioSchema(): { schema: Schema; texts: SchemaTexts } {
  const texts: SchemaTexts = {};
  const array = (statement: keyof typeof STATEMENT_WORDS, items: Schema): Schema =>
    orNull(described({ type: 'array', items }, `scenario.${statement}`, STATEMENT_WORDS[statement], texts));
  const links = item('links', {
    name: { ...str(LINK_NAME), not: { enum: ['lo', 'default', 'all', '.', '..'] } },
    parent: described(str(LINK_NAME), 'scenario.link.link', LINK_WORDS.link, texts),
    vlanId: described(int(LIMITS.vlanId), 'scenario.link.id', LINK_WORDS.id, texts),
    ...docs(LINK_WORDS, 'link', { type: oneOf(LINK_TYPES), mtu: int(LIMITS.mtu), address: str(MAC), qdisc: oneOf(QDISCS), txqueuelen: int(LIMITS.txqueuelen), offload: bool }, texts),
    up: bool,
  }, ['name']);
  const addrs = item('addrs', { address: ipv4, prefix: int(LIMITS.prefix), ...docs(ADDR_WORDS, 'addr', { dev: str(LINK_NAME) }, texts) }, ['address', 'prefix', 'dev']);
  const routes = item('routes', {
    dst: ipv4, prefix: int(LIMITS.prefix),
    ...docs(ROUTE_WORDS, 'route', { via: ipv4, dev: str(LINK_NAME), mtu: int(LIMITS.mtu), src: ipv4, table: table() }, texts),
  }, ['dst', 'prefix']);
  const prefixed: Schema = {
    type: 'object', properties: { address: ipv4, prefix: orNull(int(LIMITS.prefix)) }, required: ['address'], additionalProperties: false,
  };
  const rules = item('rules', {
    ...docs(RULE_WORDS, 'rule', { priority: int(LIMITS.priority), fwmark: intOrHex(LIMITS.mark), from: prefixed, to: prefixed, oif: str(LINK_NAME) }, texts),
    fwmask: intOrHex(LIMITS.mark),
    table: described(table(), 'scenario.rule.lookup', RULE_WORDS.lookup, texts),
  }, ['table']);
  const neighs = item('neighs', { address: ipv4, ...docs(NEIGH_WORDS, 'neigh', { lladdr: str(MAC), dev: str(LINK_NAME), nud: oneOf(NUD_STATES) }, texts) }, ['address', 'lladdr', 'dev']);
  const sysctls = item('sysctls', { key: str(sysctlKey), value: { type: 'integer', minimum: 0, maximum: 2147483647 } }, ['key', 'value']);
  const nft = item('nft', {
    table: oneOf(NFT_TABLES), chain: oneOf(NFT_CHAINS), matches: { type: 'array', items: matchSchema },
    statements: { type: 'array', items: statementSchema, minItems: 1 }, text: str(),
  }, ['table', 'statements']);
  const peers = item('peers', {
    address: ipv4,
    ...docs(PEER_WORDS, 'peer', { lladdr: str(MAC), dev: { anyOf: [str(LINK_NAME), { const: '' }] }, silent: bool, upAt: duration, replyDelay: duration }, texts),
  }, ['address', 'lladdr']);
  const joins = item('joins', { group: ipv4, dev: str(LINK_NAME) }, ['group', 'dev']);
  const sends = item('sends', {
    at: duration, proto: oneOf(SEND_PROTOS), to: ipv4, port: int([0, LIMITS.port[1]]), fromPort: int(LIMITS.port),
    ...docs(SEND_WORDS, 'at', {
      from: ipv4, size: int(LIMITS.size), df: oneOf(PMTU_MODES), ttl: int(LIMITS.ttl), tos: intOrHex(LIMITS.tos), mark: intOrHex(LIMITS.mark),
      count: int(LIMITS.count), every: duration, socket: str('^[A-Za-z0-9_.-]{1,64}$'), connected: bool, broadcast: bool, bindDev: str(LINK_NAME),
      multicastIf: ipv4, multicastTtl: int(LIMITS.ttl), multicastLoop: bool, recverr: bool,
      ipOptions: { type: 'array', items: oneOf(['ra', 'rr']), uniqueItems: true }, gso: int(LIMITS.gso),
    }, texts),
  }, ['at', 'proto', 'to']);
  const properties: Record<string, Schema> = {
    file: orNull(str()),
    kernel: orNull(described(oneOf(KERNELS), 'scenario.kernel', STATEMENT_WORDS.kernel, texts)),
    links: array('link', links),
    addrs: array('addr', addrs),
    routes: array('route', routes),
    rules: array('rule', rules),
    neighs: array('neigh', neighs),
    sysctls: array('sysctl', sysctls),
    nft: array('nft', nft),
    peers: array('peer', peers),
    joins: array('join', joins),
    sends: array('at', sends),
    run: orNull(described(duration, 'scenario.run', STATEMENT_WORDS.run, texts)),
  };
  const missing = SCENARIO_FIELDS.filter((f) => !(f in properties));
  if (missing.length) throw new Error(`the schema has no rule for ${missing.join(', ')}`);
  return { schema: { type: 'object', properties, additionalProperties: false }, texts };
}

/** package.json's `scenario` launch attribute: a path, or the scenario itself. */
export function launchScenarioProperty(): { property: Schema; texts: SchemaTexts } {
  const { schema, texts } = scenarioSchema();
  return {
    property: {
      anyOf: [{ type: 'string' }, schema],
      description: '%launch.scenario%',
      default: '${file}',
    },
    texts,
  };
}
