// kpath capture refuses a scenario with a VLAN link on a kernel without 802.1Q, before it builds
// anything, naming the link's line; how it finds out (src/capture/vlan-support.ts), and that
// finding out leaves nothing behind on this machine.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseScenario } from '../../src/model/scenario/parse';
import type { Scenario } from '../../src/model/scenario/types';
import { systemSources, vlanProblems, vlanSupport, type VlanSupportSources } from '../../src/capture/vlan-support';
import { preflight } from '../../src/capture/live';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kpath } from '../helpers/cli';

function sources(o: Partial<VlanSupportSources>): VlanSupportSources {
  return { procVlan: () => false, probe: () => undefined, config: () => undefined, ...o };
}

/** A scenario with eth0 and an 802.1Q link eth0.10 on it (written by hand: line 3, column 1). */
function withVlan(): Scenario {
  const s = parseScenario('link add eth0\naddr add 192.0.2.1/24 dev eth0\n', 'lab/vlan.kpath');
  s.links.push({ ...s.links[0], name: 'eth0.10', type: 'vlan', parent: 'eth0', vlanId: 10, address: '02:00:00:00:00:02', pos: { line: 3, col: 1 } });
  return s;
}

describe('802.1Q support of the kernel', () => {
  it('/proc/net/vlan, then a test VLAN in a scratch namespace, then the kernel configuration', () => {
    assert.equal(vlanSupport(sources({ procVlan: () => true, probe: () => assert.fail('not needed') })).supported, true);
    assert.equal(vlanSupport(sources({ probe: () => ({ status: 0, stderr: '' }) })).supported, true);
    const no = vlanSupport(sources({ probe: () => ({ status: 1, stderr: 'Error: Unknown device type.\nCommand failed -:2\n' }), config: () => 'CONFIG_VLAN_8021Q=y\n' }));
    assert.equal(no.supported, false, 'the kernel\'s answer wins over a configuration that says otherwise');
    assert.match(no.how, /Unknown device type/);
    // A probe that fails for another reason (no veth) leaves the question to the configuration.
    const other = (config: string): boolean | undefined => vlanSupport(sources({ probe: () => ({ status: 1, stderr: 'RTNETLINK answers: Operation not permitted' }), config: () => config })).supported;
    assert.equal(other('# CONFIG_VLAN_8021Q is not set\n'), false);
    assert.equal(other('CONFIG_VLAN_8021Q=m\n'), true);
    assert.equal(other('CONFIG_VETH=y\n'), false, 'a configuration without the option has no 802.1Q');
    assert.equal(vlanSupport(sources({})).supported, undefined, 'nothing could tell');
  });

  it('a VLAN link on a kernel without 802.1Q: one problem per VLAN link, with its file:line:col', () => {
    const s = withVlan();
    const none = () => ({ supported: false, how: 'a test VLAN made in a scratch namespace failed with "Error: Unknown device type."' });
    const p = vlanProblems(s, none);
    assert.equal(p.length, 1);
    assert.match(p[0], /^lab\/vlan\.kpath:3:1: link eth0\.10 is an 802\.1Q VLAN \(VLAN 10 on eth0\), and this machine's kernel has no 802\.1Q support/);
    assert.match(p[0], /CONFIG_VLAN_8021Q/);
    assert.match(p[0], /Unknown device type/);
    assert.deepEqual(vlanProblems(parseScenario('link add eth0\n', 'x.kpath'), () => assert.fail('no VLAN, no question')), []);
    // A kernel with 802.1Q: capturing VLAN links is not built yet, and says so.
    assert.match(vlanProblems(s, () => ({ supported: true, how: '/proc/net/vlan' }))[0], /^lab\/vlan\.kpath:3:1: link eth0\.10 is an 802\.1Q VLAN: kpath capture does not build VLAN links yet/);
  });

  it('preflight (kpath capture, kpath compare) names the VLAN problem on this machine when its kernel lacks 802.1Q', { skip: process.platform !== 'linux' }, () => {
    const problems = preflight(withVlan()).problems;
    assert.ok(problems.some((x) => /^lab\/vlan\.kpath:3:1: link eth0\.10 is an 802\.1Q VLAN/.test(x)), problems.join('\n'));
  });

  it('the test VLAN leaves no namespace or device behind', { skip: process.platform !== 'linux' || process.getuid?.() !== 0 }, () => {
    const state = (): string => {
      const ns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
      const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(':')[1]?.trim()).join(' ');
      return `${ns}|${links}`;
    };
    const before = state();
    const r = systemSources.probe();
    assert.ok(r, 'the probe runs as root');
    assert.equal(state(), before);
    assert.doesNotMatch(before, /kpv0/);
  });

  it('kpath capture and kpath compare refuse a VLAN scenario on this kernel, before OUTDIR or any namespace exists', { skip: vlanSupport().supported !== false ? 'this kernel has 802.1Q' : false }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpath-vlan-'));
    try {
      const file = path.join(dir, 'vlan.kpath');
      fs.writeFileSync(file, 'link add eth0\naddr add 192.0.2.1/24 dev eth0\n  link add eth0.10 link eth0 type vlan id 10\naddr add 198.51.100.1/24 dev eth0.10\nat 0ms send udp to 198.51.100.2:9000\n');
      const before = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
      const out = path.join(dir, 'out');
      const r = kpath(['capture', file, out]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:3:3: link eth0\\.10 is an 802\\.1Q VLAN \\(VLAN 10 on eth0\\), and this machine's kernel has no 802\\.1Q support`));
      assert.ok(!fs.existsSync(out), 'OUTDIR is not made');
      const zh = kpath(['capture', file, out], { env: { KPATH_LANGUAGE: 'zh-cn' } });
      assert.match(zh.stderr, /:3:3：链路 eth0\.10 是 802\.1Q VLAN/);
      const c = kpath(['compare', file]);
      assert.equal(c.status, 2, c.stderr);
      assert.match(c.stderr, /:3:3: link eth0\.10 is an 802\.1Q VLAN .* no 802\.1Q support/);
      assert.equal(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout, before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
