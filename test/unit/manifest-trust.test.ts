// Workspace Trust in the manifest: kpath is enabled in Restricted Mode with limits it states; a
// workspace's value of a setting that names something on this machine is ignored there; nothing
// the editor offers captures on the real kernel (that is `kpath capture`, run as root by hand).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/cli';

interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: unknown; restrictedConfigurations?: unknown } };
  contributes: {
    configuration: { properties: Record<string, { type?: string }> };
    commands: { command: string; title: string; enablement?: string }[];
    menus: Record<string, { command?: string; when?: string }[]>;
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const nls = (file: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Record<string, string>;

/** Settings a workspace may set in Restricted Mode, with why that is harmless. */
const HARMLESS_SETTINGS: Record<string, string> = {
  'kpath.debugAdapter': "chooses between kpath's own two ways of running its own adapter",
};

test('Restricted Mode: supported with limits, described in both languages', () => {
  const trust = manifest.capabilities?.untrustedWorkspaces;
  assert.ok(trust, 'package.json declares capabilities.untrustedWorkspaces');
  assert.equal(trust.supported, 'limited');
  assert.equal(typeof trust.description, 'string');
  const key = /^%(.+)%$/.exec(trust.description as string)?.[1];
  assert.ok(key, 'the description is a %key% of package.nls.json');
  for (const file of ['package.nls.json', 'package.nls.zh-cn.json']) {
    const text = nls(file)[key];
    assert.ok(text && text.length > 40, `${file} describes Restricted Mode`);
    assert.match(text, /kpath\.kernelSource/, `${file} names the setting that is ignored`);
  }
});

test('Restricted Mode: a workspace cannot set a path kpath reads; every other setting is harmless', () => {
  const restricted = manifest.capabilities?.untrustedWorkspaces?.restrictedConfigurations;
  assert.ok(Array.isArray(restricted));
  assert.ok(restricted.includes('kpath.kernelSource'));
  const settings = Object.keys(manifest.contributes.configuration.properties);
  for (const r of restricted) assert.ok(settings.includes(r as string), `${r} is a setting kpath contributes`);
  for (const s of settings) {
    assert.ok(restricted.includes(s) || s in HARMLESS_SETTINGS, `${s}: restricted in untrusted workspaces, or listed as harmless with its reason`);
  }
});

test('the editor offers no capture on the real kernel: none of its commands, and the extension never loads the capture code', () => {
  const en = nls('package.nls.json');
  const title = (t: string): string => en[/^%(.+)%$/.exec(t)?.[1] ?? ''] ?? t;
  for (const c of manifest.contributes.commands) {
    const text = `${c.command} ${title(c.title)}`;
    // A capture command would need a trusted folder at the very least.
    if (/captur|kpath compare/i.test(text)) assert.match(c.enablement ?? '', /isWorkspaceTrusted/, `${c.command} runs a capture in an untrusted folder`);
  }
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) files.push(p);
    }
  };
  walk(path.join(REPO_ROOT, 'src', 'extension'));
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    assert.doesNotMatch(text, /from ['"][./]*(?:\.\.\/)+capture\//, `${path.relative(REPO_ROOT, f)} imports the capture code`);
  }
});
