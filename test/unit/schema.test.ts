// The JSON schema of an inline scenario in launch.json (src/language/schema.ts) says what the
// object reader (src/model/scenario/object.ts) says: every scenario that ships, as an object, is
// valid to both; each object of a list of wrong ones is refused by both. And package.json and its
// nls files carry the schema as generated (node scripts/launch-schema.mjs).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { launchScenarioProperty, scenarioSchema } from '../../src/language/schema';
import { parseScenario } from '../../src/model/scenario/parse';
import { validateScenarioAll } from '../../src/model/scenario/validate';
import { REPO_ROOT } from '../helpers/cli';

const { schema } = scenarioSchema();
const ajv = new Ajv({ allErrors: true, strict: false });
const schemaValid = ajv.compile(schema);

/** Shape problems only: a link that exists, an address the host owns are for the reader alone. */
const BASE = {
  links: [{ name: 'eth0', mtu: 1500 }],
  addrs: [{ address: '192.0.2.1', prefix: 24, dev: 'eth0' }],
  peers: [{ address: '192.0.2.2', lladdr: '02:00:00:00:00:02' }],
  sends: [{ at: '0ms', proto: 'udp', to: '192.0.2.2', port: 9000 }],
};

const WRONG: [string, unknown][] = [
  ['not an object', 'link add eth0'],
  ['an unknown top field', { ...BASE, linkz: [] }],
  ['an unknown kernel', { ...BASE, kernel: '5.4' }],
  ['links not an array', { ...BASE, links: { name: 'eth0' } }],
  ['a link without a name', { ...BASE, links: [{ mtu: 1500 }] }],
  ['a link name too long', { ...BASE, links: [{ name: 'a-very-long-link-name' }] }],
  ['a link named lo', { ...BASE, links: [{ name: 'lo' }] }],
  ['an mtu too small', { ...BASE, links: [{ name: 'eth0', mtu: 67 }] }],
  ['an mtu as a string', { ...BASE, links: [{ name: 'eth0', mtu: '1500' }] }],
  ['an unknown link type', { ...BASE, links: [{ name: 'eth0', type: 'wifi' }] }],
  ['an unknown link field', { ...BASE, links: [{ name: 'eth0', speed: 1000 }] }],
  ['a bad MAC', { ...BASE, peers: [{ address: '192.0.2.2', lladdr: '02:00:00:00:00' }] }],
  ['a bad address', { ...BASE, addrs: [{ address: '192.0.2.256', prefix: 24, dev: 'eth0' }] }],
  ['a prefix over 32', { ...BASE, addrs: [{ address: '192.0.2.1', prefix: 33, dev: 'eth0' }] }],
  ['a send without a time', { ...BASE, sends: [{ proto: 'udp', to: '192.0.2.2', port: 9000 }] }],
  ['a bad duration', { ...BASE, sends: [{ at: '10 ms', proto: 'udp', to: '192.0.2.2', port: 9000 }] }],
  ['an unknown df mode', { ...BASE, sends: [{ at: 0, proto: 'udp', to: '192.0.2.2', port: 9000, df: 'yes' }] }],
  ['a ttl over 255', { ...BASE, sends: [{ at: 0, proto: 'udp', to: '192.0.2.2', port: 9000, ttl: 256 }] }],
  ['a count of 0', { ...BASE, sends: [{ at: 0, proto: 'udp', to: '192.0.2.2', port: 9000, count: 0 }] }],
  ['an unknown ip option', { ...BASE, sends: [{ at: 0, proto: 'udp', to: '192.0.2.2', port: 9000, ipOptions: ['lsrr'] }] }],
  ['an unknown nud state', { ...BASE, neighs: [{ address: '192.0.2.9', lladdr: '02:00:00:00:00:09', dev: 'eth0', nud: 'failed' }] }],
  ['an unknown sysctl', { ...BASE, sysctls: [{ key: 'net.ipv4.tcp_syncookies', value: 1 }] }],
  ['an nft rule without statements', { ...BASE, nft: [{ table: 'filter', statements: [] }] }],
  ['an nft match of an unknown kind', { ...BASE, nft: [{ table: 'filter', matches: [{ kind: 'iif', name: 'eth0' }], statements: [{ kind: 'drop' }] }] }],
  ['an nft chain other than postrouting or output', { ...BASE, nft: [{ table: 'filter', chain: 'input', statements: [{ kind: 'drop' }] }] }],
  ['a bad run', { ...BASE, run: 'forever' }],
  ['a bad pos', { ...BASE, links: [{ name: 'eth0', pos: { line: 0, col: 1 } }] }],
];

describe('the launch.json schema of an inline scenario', () => {
  test('every shipped scenario, as an object, is valid to the schema and to the reader', () => {
    const dirs = ['test/scenarios', 'media/scenarios'];
    let n = 0;
    for (const dir of dirs) {
      for (const f of fs.readdirSync(path.join(REPO_ROOT, dir)).filter((x) => x.endsWith('.kpath'))) {
        const object = JSON.parse(JSON.stringify(parseScenario(fs.readFileSync(path.join(REPO_ROOT, dir, f), 'utf8'), f))) as unknown;
        assert.deepEqual(validateScenarioAll(object).errors.map((e) => e.message), [], f);
        assert.ok(schemaValid(object), `${f}: ${ajv.errorsText(schemaValid.errors)}`);
        n++;
      }
    }
    assert.ok(n > 30, `${n} scenarios`);
  });

  test('a small object with defaults left out, nulls and hex strings, valid to both', () => {
    const object = {
      ...BASE,
      kernel: '4.9',
      links: [{ name: 'eth0', type: 'ethernet', offload: true, qdisc: null }],
      sends: [{ at: 1000, proto: 'udp', to: '192.0.2.2', port: 9000, tos: '0xb8', mark: 7, every: '1.5ms', count: 3, ipOptions: ['ra', 'rr'] }],
      nft: [{ table: 'mangle', matches: [{ kind: 'mark', value: '0x10' }], statements: [{ kind: 'dscp-set', value: 'ef' }] }],
      sysctls: [{ key: 'net.ipv4.neigh.eth0.retrans_time_ms', value: 100 }],
      run: '1s',
    };
    assert.deepEqual(validateScenarioAll(object).errors.map((e) => e.message), []);
    assert.ok(schemaValid(object), ajv.errorsText(schemaValid.errors));
  });

  for (const [what, object] of WRONG) {
    test(`refused by both: ${what}`, () => {
      assert.notDeepEqual(validateScenarioAll(object).errors, [], 'the reader accepts it');
      assert.equal(schemaValid(object), false, 'the schema accepts it');
    });
  }

  test('package.json and the nls files carry the schema as generated', () => {
    const read = (f: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')) as Record<string, unknown>;
    const pkg = read('package.json') as { contributes: { debuggers: { configurationAttributes: { launch: { properties: { scenario: unknown } } } }[] } };
    const { property, texts } = launchScenarioProperty();
    assert.deepEqual(pkg.contributes.debuggers[0].configurationAttributes.launch.properties.scenario, property, 'out of date: npm run build && node scripts/launch-schema.mjs');
    const en = read('package.nls.json');
    const zh = read('package.nls.zh-cn.json');
    for (const [k, t] of Object.entries(texts)) {
      assert.equal(en[k], t.en, k);
      assert.equal(zh[k], t.zh, k);
    }
    assert.ok(Object.keys(texts).length > 40);
  });
});
