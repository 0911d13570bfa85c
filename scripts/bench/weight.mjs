// What kpath weighs on the user's machine: the size of what VS Code loads and of the command, and
// (with --editor) the extension's activation time as VS Code reports it, in a real VS Code
// (code-server in Debian's chromium, through the harness of the extension tests, which installs
// code-server into .vscode-test/ on first use).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { built, median, ROOT, round2 } from './measure.mjs';

export function bundles({ results }) {
  const size = (f) => fs.statSync(path.join(ROOT, f)).size;
  // The extension in VS Code's extension host, and the adapter (dist/dap.js, the code it
  // compiles, dist/dap-core.js, and the explanations it reads when it first shows one,
  // dist/notes.js) in a process of its own.
  results.extensionBundleBytes = size('dist/extension.js');
  results.adapterBundleBytes = size('dist/dap.js') + size('dist/dap-core.js') + size('dist/notes.js');
  results.bundleBytes = results.extensionBundleBytes + results.adapterBundleBytes;
  results.cliBundleBytes = size('dist/cli.js');
}

export async function activation({ quick, results, notes }) {
  const harness = path.join(ROOT, 'out/test/helpers/vscode.js');
  if (!fs.existsSync(harness)) {
    notes.push('activation not measured: out/test/helpers/vscode.js is missing (npm run build)');
    return;
  }
  const vscode = built('test/helpers/vscode.js');
  const missing = vscode.missingPrerequisite();
  if (missing) {
    notes.push(`activation not measured: ${missing}`);
    return;
  }
  await vscode.ensureCodeServer();
  const runs = [];
  const opens = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const m = await vscode.measureActivation();
    runs.push(m.activationMs);
    opens.push(m.openToActivatedMs);
  }
  results.activationMs = round2(median(runs));
  results.workbenchToActivatedMs = round2(median(opens));
  notes.push(`activation: code-server ${vscode.CODE_SERVER_VERSION} in chromium, median of ${runs.length} (${runs.join(', ')} ms)`);
}
