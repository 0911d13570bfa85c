// Whether this machine's kernel can make 802.1Q VLAN devices, asked before a capture builds
// anything: a kernel built without CONFIG_VLAN_8021Q answers `ip link add ... type vlan` with
// "Unknown device type", and a capture that found out half-way would have set up namespaces for
// nothing. The answer, in order of trust:
// 1. /proc/net/vlan exists: the 802.1Q code is in the kernel (built in, or its module loaded);
// 2. a VLAN made on a veth pair in an anonymous network namespace (`unshare --net`, as root): the
//    namespace has no name and goes with the process, so nothing is left behind, and the kernel
//    may load the module on the way, as it would for the capture;
// 3. the kernel's build configuration (/proc/config.gz, /boot/config-RELEASE): CONFIG_VLAN_8021Q.
// When none of them can tell, the capture goes ahead and `ip` says what went wrong.

import * as l10n from '@vscode/l10n';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import os = require('node:os');
import zlib = require('node:zlib');
import type { Scenario } from '../model/scenario/types';

export interface VlanSupport {
  /** undefined: nothing could tell. */
  supported: boolean | undefined;
  /** How it was found out, for the message. */
  how: string;
}

/** What the answer is made from (tests give their own). */
export interface VlanSupportSources {
  /** Whether /proc/net/vlan exists. */
  procVlan: () => boolean;
  /** Makes a VLAN in an anonymous namespace: exit status and standard error, or undefined when it cannot be tried. */
  probe: () => { status: number; stderr: string } | undefined;
  /** The kernel's build configuration as text, or undefined. */
  config: () => string | undefined;
}

const PROBE_BATCH = 'link add kpv0 type veth peer name kpv1\nlink add link kpv0 name kpv0.10 type vlan id 10\n';

function findUnshare(): string | undefined {
  for (const d of ['/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    if (fs.existsSync(`${d}/unshare`)) return `${d}/unshare`;
  }
  return undefined;
}

export const systemSources: VlanSupportSources = {
  procVlan: () => fs.existsSync('/proc/net/vlan'),
  probe: () => {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
    const unshare = findUnshare();
    if (!unshare) return undefined;
    const r = spawnSync(unshare, ['--net', '--', 'ip', '-batch', '-'], { input: PROBE_BATCH, encoding: 'utf8', cwd: '/', timeout: 10_000 });
    if (r.error || r.status === null) return undefined;
    return { status: r.status, stderr: r.stderr ?? '' };
  },
  config: () => {
    try {
      return zlib.gunzipSync(fs.readFileSync('/proc/config.gz')).toString('latin1');
    } catch {
      // no /proc/config.gz (CONFIG_IKCONFIG_PROC off)
    }
    try {
      return fs.readFileSync(`/boot/config-${os.release()}`, 'latin1');
    } catch {
      return undefined;
    }
  },
};

/** Whether the kernel makes 802.1Q devices (see the top of this file). */
export function vlanSupport(src: VlanSupportSources = systemSources): VlanSupport {
  if (src.procVlan()) return { supported: true, how: '/proc/net/vlan' };
  const p = src.probe();
  if (p && p.status === 0) return { supported: true, how: l10n.t('a test VLAN in a scratch namespace') };
  if (p && /Unknown device type/i.test(p.stderr)) {
    return { supported: false, how: l10n.t('a test VLAN made in a scratch namespace failed with "{0}"', p.stderr.trim().split('\n')[0]) };
  }
  const c = src.config();
  if (c !== undefined) {
    if (/^CONFIG_VLAN_8021Q=[ym]$/m.test(c)) return { supported: true, how: 'CONFIG_VLAN_8021Q' };
    if (/^# CONFIG_VLAN_8021Q is not set$/m.test(c) || !/^CONFIG_VLAN_8021Q=/m.test(c)) {
      return { supported: false, how: l10n.t("the kernel's configuration says {0}", '# CONFIG_VLAN_8021Q is not set') };
    }
  }
  return { supported: undefined, how: '' };
}

let cached: VlanSupport | undefined;

/** vlanSupport() of this machine, asked once per process. */
export function machineVlanSupport(): VlanSupport {
  cached ??= vlanSupport();
  return cached;
}

/**
 * The problems a capture of `s` has with its VLAN links on a kernel with the given support:
 * one per VLAN link, naming the scenario's file, line and column.
 */
export function vlanProblems(s: Scenario, support: () => VlanSupport = machineVlanSupport): string[] {
  const vlans = s.links.filter((l) => l.type === 'vlan');
  if (!vlans.length) return [];
  const v = support();
  if (v.supported !== false) {
    return vlans.map((l) => l10n.t('{0}:{1}:{2}: link {3} is an 802.1Q VLAN: kpath capture does not build VLAN links yet (the model runs it: kpath run)', s.file ?? '<input>', l.pos.line, l.pos.col, l.name));
  }
  return vlans.map((l) => l10n.t(
    "{0}:{1}:{2}: link {3} is an 802.1Q VLAN (VLAN {4} on {5}), and this machine's kernel has no 802.1Q support (it was built without CONFIG_VLAN_8021Q: {6}), so kpath capture cannot build it. The model runs it (kpath run); capturing it needs a kernel with 802.1Q (CONFIG_VLAN_8021Q=y, or =m with the 8021q module loadable).",
    s.file ?? '<input>', l.pos.line, l.pos.col, l.name, l.vlanId ?? '?', l.parent ?? '?', v.how,
  ));
}
