// The page of a kpath webview: a strict Content-Security-Policy with a nonce per load (no inline
// code, nothing remote), the extension's own style and script, and its data as a JSON block that
// the script reads as text.

import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

/** What a kpath webview may load: the extension's bundles and styles, nothing else. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media', 'webview')],
  };
}

/** The page that runs dist/`script` with media/webview/`style`, handing it `data` as JSON. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, script: string, style: string, title: string, data: unknown): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', script));
  const styleUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview', style));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  // In a JSON block "<" could close the element: written as \u003c it cannot.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="${escapeAttr(vscode.env.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${styleUri.toString()}">
<title>${escapeAttr(title)}</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" id="kpath-strings" type="application/json">${json}</script>
<script nonce="${nonce}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
