// The .kpath editor's help as plain functions (src/language): the problems of a text (the parser's
// errors, spanning the word at fault), the words offered at a position, and the documentation of
// every word of the language in English and Chinese.

import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { complete, diagnose, hover } from '../../src/language/service';
import { parseScenarioAll } from '../../src/model/scenario/parse';
import { SYSCTLS } from '../../src/model/scenario/sysctl';
import {
  KERNEL_VALUES, LINK_WORDS, KEYWORDS, NFT_PART_WORDS, NFT_RULE_WORDS, OPTIONS_OF, STATEMENT_WORDS, type OptionDoc, type WordDoc,
} from '../../src/model/scenario/words';
import { useLanguage } from '../../src/l10n';
import { REPO_ROOT } from '../helpers/cli';

const CJK = /[\u4e00-\u9fff]/;

const BASE = [
  'link add eth0 mtu 1500',
  'link add wan0 type ethernet',
  'addr add 192.0.2.1/24 dev eth0',
  'peer 192.0.2.2 lladdr 02:00:00:00:00:02',
  'neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev eth0',
].join('\n');

/** A (1-based) column inside the `n`th word `word` of `line` (words are separated by spaces). */
function colOf(line: string, word: string, n = 1): number {
  let col = 0;
  let seen = 0;
  for (const m of line.matchAll(/\S+/g)) {
    if (m[0] === word && ++seen === n) {
      col = (m.index ?? 0) + 1;
      break;
    }
  }
  assert.ok(col > 0, `${word} in ${line}`);
  return col + Math.min(1, word.length - 1);
}

afterEach(() => useLanguage('en'));

describe('diagnostics', () => {
  test('are the parser\'s errors, each spanning the word at fault', () => {
    const text = `${BASE}\nneigh add 192.0.2.10 lladdr 02:00:00:00:00:0a dev eth0 nud mayb\nat 0ms send udp to 192.0.2.2:9000 df maybe\nroute add 10.0.0.0/8 via 192.0.2.2 dev eth7\n`;
    const problems = diagnose(text, 'bad.kpath');
    const errors = parseScenarioAll(text, 'bad.kpath').errors;
    assert.equal(problems.length, 3);
    assert.deepEqual(problems.map((p) => [p.line, p.col, p.message]), errors.map((e) => [e.line, e.col, e.problem]));
    const lines = text.split('\n');
    assert.deepEqual(problems.map((p) => lines[p.line - 1].slice(p.col - 1, p.endCol - 1)), ['mayb', 'maybe', 'eth7']);
  });

  test('a problem at the end of a line spans its last word', () => {
    const [p] = diagnose('link add eth0\naddr add 192.0.2.1/24\n');
    assert.equal(p.line, 2);
    assert.equal('addr add 192.0.2.1/24'.slice(p.col - 1, p.endCol - 1), '192.0.2.1/24');
    assert.match(p.message, /expected dev NAME/);
  });

  test('a correct file has none, and the messages follow the display language', () => {
    assert.deepEqual(diagnose(`${BASE}\nat 0ms send udp to 192.0.2.2:9000\n`), []);
    useLanguage('zh-cn');
    const [p] = diagnose('link add eth0 mtoo 9000\n');
    assert.match(p.message, CJK, p.message);
    assert.match(p.message, /mtoo/);
    const [q] = diagnose('link add eth0 mtuu 9000\n');
    assert.match(q.message, /^未知的词 "mtuu"；是否想写 "mtu"？/, q.message);
  });

  test('the 1000-line scenario: every line read, no problem', () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'test/scenarios/p-neigh-table-full.kpath'), 'utf8');
    assert.ok(text.split('\n').length > 1000);
    assert.deepEqual(diagnose(text), []);
    const broken = text.replace('size 10', 'size ten');
    assert.equal(diagnose(broken).length, 1);
  });
});

describe('completion', () => {
  const labels = (text: string, line: number, col: number): string[] => complete(text, line, col).map((i) => i.label);
  const endOf = (text: string): [number, number] => {
    const lines = text.split('\n');
    return [lines.length, lines[lines.length - 1].length + 1];
  };
  const at = (text: string): string[] => labels(text, ...endOf(text));

  test('a statement word at the start of a line, the one being typed too', () => {
    assert.deepEqual(at(`${BASE}\n`), Object.keys(STATEMENT_WORDS));
    assert.deepEqual(at(`${BASE}\nli`), Object.keys(STATEMENT_WORDS));
    assert.equal(complete(`${BASE}\n`, 6, 1)[0].kind, 'statement');
  });

  test('the options of the statement not yet given', () => {
    assert.deepEqual(at('link add eth1 '), Object.keys(OPTIONS_OF.link));
    assert.deepEqual(at('link add eth1 mtu 9000 '), Object.keys(OPTIONS_OF.link).filter((w) => w !== 'mtu'));
    assert.deepEqual(at(`${BASE}\nat 0ms send udp to 192.0.2.2:9000 df do `), Object.keys(OPTIONS_OF.at).filter((w) => w !== 'df'));
    assert.deepEqual(at('route add default '), Object.keys(OPTIONS_OF.route));
  });

  test('the values of an option, with their documentation', () => {
    const items = complete('at 0ms send udp to 192.0.2.2:9000 df ', 1, 38);
    assert.deepEqual(items.map((i) => i.label), ['do', 'dont', 'want', 'probe', 'interface', 'omit']);
    assert.match(items[0].documentation ?? '', /EMSGSIZE/);
    assert.deepEqual(at('neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev eth0 nud '), ['permanent', 'reachable', 'stale', 'noarp']);
    assert.deepEqual(at('kernel '), ['6.18', '4.9']);
  });

  test('the links, addresses and peers defined on the lines before', () => {
    assert.deepEqual(at(`${BASE}\nroute add 10.0.0.0/8 dev `), ['lo', 'eth0', 'wan0']);
    assert.deepEqual(at(`${BASE}\nroute add 10.0.0.0/8 via `), ['192.0.2.2', '192.0.2.9']);
    assert.deepEqual(at(`${BASE}\nat 0ms send udp to 192.0.2.2:9000 from `), ['192.0.2.1']);
    assert.deepEqual(at(`${BASE}\nat 0ms send udp to `), ['192.0.2.2:9000', '192.0.2.9:9000']);
    assert.deepEqual(at(`${BASE}\njoin 224.0.0.9 dev `), ['lo', 'eth0', 'wan0']);
    // Only what is defined above the cursor.
    assert.deepEqual(labels(`addr add 192.0.2.1/24 dev \nlink add eth0`, 1, 27), ['lo']);
  });

  test('the positional words of a statement, and the nft words', () => {
    assert.deepEqual(at('link '), ['add']);
    assert.deepEqual(at('at 10ms '), ['send']);
    assert.deepEqual(at('at 10ms send '), ['udp', 'icmp', 'tcp']);
    assert.deepEqual(at('at 10ms send icmp '), ['echo']);
    assert.deepEqual(at('at 10ms send tcp syn '), ['to']);
    assert.deepEqual(at('nft add rule ip '), ['filter', 'nat', 'mangle']);
    assert.deepEqual(at('nft add rule ip filter postrouting '), Object.keys(NFT_RULE_WORDS));
    assert.deepEqual(at('nft add rule ip filter postrouting ip '), ['daddr', 'saddr', 'protocol', 'ttl', 'dscp']);
    assert.ok(at('link add eth0\nsysctl ').includes('net.ipv4.neigh.eth0.retrans_time_ms'));
  });

  test('nothing in a comment', () => {
    assert.deepEqual(at('link add eth0 # mt'), []);
  });
});

/** A sample value for an option, so that a line with every option parses. */
function sample(o: OptionDoc): string | undefined {
  switch (o.takes) {
    case undefined: return undefined;
    case 'int': return '1';
    case 'dev': return 'eth0';
    case 'addr': return '192.0.2.1';
    case 'addr-port': return '192.0.2.1:5';
    case 'mac': return '02:00:00:00:00:09';
    case 'duration': return '1ms';
    case 'name': return 's1';
    case 'list': return Object.keys(o.values ?? {})[0];
    case 'enum': return Object.keys(o.values ?? {})[0];
  }
}

const PREFIX: Record<keyof typeof OPTIONS_OF, string> = {
  link: 'link add eth1',
  addr: 'addr add 192.0.2.5/24',
  route: 'route add 10.0.0.0/8',
  rule: 'rule add',
  neigh: 'neigh add 192.0.2.9',
  peer: 'peer 192.0.2.7',
  at: 'at 0ms send udp to 192.0.2.2:9000',
};

describe('hover', () => {
  const md = (text: string, line: number, col: number): string => hover(text, line, col)?.markdown ?? '';

  test('every statement, option and value has its documentation, in English and Chinese', () => {
    const check = (line: string, word: string, doc: WordDoc, n = 1): void => {
      const text = `${BASE}\n${line}`;
      const col = colOf(line, word, n);
      for (const lang of ['en', 'zh-cn'] as const) {
        useLanguage(lang);
        const h = md(text, 6, col);
        assert.ok(h.includes(lang === 'en' ? doc.en : doc.zh), `${lang} hover of ${word} in "${line}": ${h}`);
        if (doc.kernel) assert.ok(h.includes(doc.kernel), `${word} says ${doc.kernel}`);
      }
    };
    for (const [st, doc] of Object.entries(STATEMENT_WORDS)) check(st === 'at' ? PREFIX.at : `${st}`, st, doc);
    for (const [st, table] of Object.entries(OPTIONS_OF) as [keyof typeof OPTIONS_OF, Record<string, OptionDoc>][]) {
      const words = Object.entries(table);
      const line = [PREFIX[st], ...words.flatMap(([w, o]) => [w, sample(o)].filter((x): x is string => x !== undefined))].join(' ');
      for (const [w, o] of words) {
        // `link add eth1 ... link eth0`: the option is the second "link" of the line.
        check(line, w, o, w === st ? 2 : 1);
        for (const [v, vdoc] of Object.entries(o.values ?? {})) check(`${PREFIX[st]} ${w} ${v}`, v, vdoc);
      }
    }
    for (const [v, doc] of Object.entries(KERNEL_VALUES)) check(`kernel ${v}`, v, doc);
    check('link add eth1', 'add', KEYWORDS.add);
    for (const w of ['send', 'udp', 'to'] as const) check(PREFIX.at, w, KEYWORDS[w]);
    check('at 0ms send icmp echo to 192.0.2.2', 'echo', KEYWORDS.echo);
    check('at 0ms send tcp syn to 192.0.2.2:80', 'syn', KEYWORDS.syn);
    const nft = 'nft add rule ip filter postrouting oif eth0 ip daddr 10.0.0.0/8 meta mark set 3 ip dscp set ef counter accept';
    for (const w of ['oif', 'meta', 'counter', 'accept'] as const) check(nft, w, NFT_RULE_WORDS[w]);
    for (const w of ['filter', 'daddr', 'dscp', 'postrouting'] as const) check(nft, w, w === 'postrouting' ? KEYWORDS.postrouting : NFT_PART_WORDS[w]);
    const dup = 'nft add rule ip mangle output udp dport 9 dup to 192.0.2.9 device eth0';
    check(dup, 'output', KEYWORDS.output);
    check(dup, 'dup', NFT_RULE_WORDS.dup);
    check(dup, 'device', NFT_PART_WORDS.device);
    check('link add eth0.10 link eth0 type vlan id 10', 'vlan', LINK_WORDS.type.values.vlan);
  });

  test('the kernel names the brief promises', () => {
    assert.match(md('at 0ms send udp to 192.0.2.2:9000 df do', 1, 39), /IP_PMTUDISC_DO/);
    assert.match(md('neigh add 192.0.2.9 lladdr 02:00:00:00:00:09 dev eth0 nud permanent', 1, 60), /NUD_PERMANENT/);
    assert.match(md('link add eth0 mtu 1500', 1, 16), /dev->mtu/);
    assert.match(md('at 0ms send udp to 192.0.2.2:9000 count 3 every 1ms', 1, 37), /sendmsg/);
    assert.match(md('at 0ms send udp to 192.0.2.2:9000 count 3 every 1ms', 1, 45), /sendmsg/);
    assert.match(md('peer 192.0.2.2 lladdr 02:00:00:00:00:02 silent', 1, 42), /Never answers ARP/);
  });

  test('a sysctl key, in both languages', () => {
    const line = 'sysctl net.ipv4.neigh.eth0.retrans_time_ms=1000';
    const spec = SYSCTLS.find((s) => s.key.endsWith('retrans_time_ms'))!;
    assert.ok(md(`link add eth0\n${line}`, 2, 20).includes(spec.help));
    useLanguage('zh-cn');
    assert.ok(md(`link add eth0\n${line}`, 2, 20).includes(spec.zh));
  });

  test('no hover on a value without documentation, a comment or an unknown word', () => {
    assert.equal(hover('link add eth0 mtu 1500', 1, 20), undefined);
    assert.equal(hover('# link add eth0', 1, 3), undefined);
    assert.equal(hover('lonk add eth0', 1, 2), undefined);
  });

  test('every documentation entry has both languages', () => {
    const all: [string, WordDoc][] = [
      ...Object.entries(STATEMENT_WORDS), ...Object.entries(KEYWORDS), ...Object.entries(KERNEL_VALUES),
      ...Object.entries(NFT_RULE_WORDS), ...Object.entries(NFT_PART_WORDS),
      ...Object.values(OPTIONS_OF).flatMap((t) => Object.entries(t as Record<string, OptionDoc>).flatMap(([w, o]) => [[w, o] as [string, WordDoc], ...Object.entries(o.values ?? {})])),
    ];
    for (const [w, d] of all) {
      assert.ok(d.en.length > 5 && !CJK.test(d.en), `${w}: English`);
      assert.match(d.zh, CJK, `${w}: Chinese`);
    }
    for (const s of SYSCTLS) assert.match(s.zh, CJK, s.key);
  });
});
