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

export interface Page {
  /** The page's script, in dist/. */
  script: string;
  /** Its style sheet, in media/webview/. */
  style: string;
  title: string;
  /** Handed to the script as JSON (the element #kpath-strings). */
  data?: unknown;
  /** Scripts of dist/ the page may load later, by name: their URIs are in data-NAME attributes of its body. */
  lazyScripts?: Record<string, string>;
}

/** The page that runs dist/`script` with media/webview/`style`. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: Page): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const uri = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  const lazy = Object.entries(page.lazyScripts ?? {})
    .map(([name, file]) => ` data-${name}="${escapeAttr(uri('dist', file))}"`)
    .join('');
  // In a JSON block "<" could close the element: written as \u003c it cannot.
  const json = JSON.stringify(page.data ?? {}).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="${escapeAttr(vscode.env.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeAttr(uri('media', 'webview', page.style))}">
<title>${escapeAttr(page.title)}</title>
</head>
<body${lazy}>
<div id="root"></div>
<script nonce="${nonce}" id="kpath-strings" type="application/json">${json}</script>
<script nonce="${nonce}" src="${escapeAttr(uri('dist', page.script))}"></script>
</body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
