// "kpath: Export pcap": the frames on the wire up to the current stop, written by the session's
// adapter to a file chosen in a save dialog (atomically, in chunks: a million frames never cross
// the protocol), then an offer to open it in Wireshark when one is installed.

import { spawn } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import vscode = require('vscode');
import { l10n } from 'vscode';
import type { WireView } from './view';

export async function exportPcap(view: WireView): Promise<void> {
  const ws = view.liveSession;
  if (!ws) {
    void vscode.window.showErrorMessage(l10n.t('kpath: Export pcap needs a kpath debug session that has not ended: debug a scenario (F5) and export while it is stopped.'));
    return;
  }
  const base = ws.scenario ? path.basename(ws.scenario).replace(/\.kpath$/, '') : 'kpath';
  const folder = ws.session.workspaceFolder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const dir = ws.scenario && path.isAbsolute(ws.scenario) ? path.dirname(ws.scenario) : folder;
  const uri = await vscode.window.showSaveDialog({
    title: l10n.t('Export pcap'),
    saveLabel: l10n.t('Export'),
    defaultUri: dir ? vscode.Uri.file(path.join(dir, `${base}.pcap`)) : undefined,
    filters: { [l10n.t('Packet captures')]: ['pcap'] },
  });
  if (!uri) return;
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(l10n.t('kpath: a pcap can only be written to a file on this machine ({0}).', uri.toString()));
    return;
  }
  let frames: number;
  try {
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t('kpath: writing {0}', path.basename(uri.fsPath)) },
      () => Promise.resolve(ws.session.customRequest('kpath/exportPcap', { path: uri.fsPath })),
    );
    frames = (r as { frames: number }).frames;
  } catch (e) {
    void vscode.window.showErrorMessage(l10n.t('kpath: the pcap was not written: {0}', e instanceof Error ? e.message : String(e)));
    return;
  }
  const done = l10n.t('kpath: wrote {0} frames to {1}.', frames, uri.fsPath);
  const wireshark = onPath('wireshark');
  if (!wireshark) {
    void vscode.window.showInformationMessage(done);
    return;
  }
  const open = l10n.t('Open in Wireshark');
  if ((await vscode.window.showInformationMessage(done, open)) !== open) return;
  const child = spawn(wireshark, [uri.fsPath], { detached: true, stdio: 'ignore' });
  child.on('error', (e) => void vscode.window.showErrorMessage(l10n.t('kpath: Wireshark did not start: {0}', e.message)));
  child.unref();
}

/** The executable `name` on PATH, if there is one. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}
