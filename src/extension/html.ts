// The page of a kpath webview: a strict Content-Security-Policy with a nonce per load (no inline
// code, nothing remote), the extension's own style and script, and its data as a JSON block that
// the script reads as text.

import crypto = require('node:crypto');
import fs = require('node:fs');
import vscode = require('vscode');

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
  /**
   * The script and style written into the page instead of loaded: the page then loads nothing,
   * which a browser-served VS Code (code-server) does not always manage for a panel opened early.
   */
  inline?: boolean;
}

/** The page that runs dist/`script` with media/webview/`style`. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: Page): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const uri = (...parts: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  const lazy = Object.entries(page.lazyScripts ?? {})
    .map(([name, file]) => ` data-${name}="${escapeAttr(uri('dist', file))}"`)
    .join('');
  // In a JSON block "<" could close the element: written as \u003c it cannot.
  const json = JSON.stringify(page.data ?? {}).replace(/</g, '\\u003c');
  const style = page.inline
    ? `<style nonce="${nonce}">${inlined(extensionUri, 'media', 'webview', page.style)}</style>`
    : `<link rel="stylesheet" href="${escapeAttr(uri('media', 'webview', page.style))}">`;
  const script = page.inline
    ? `<script nonce="${nonce}">${inlined(extensionUri, 'dist', page.script)}</script>`
    : `<script nonce="${nonce}" src="${escapeAttr(uri('dist', page.script))}"></script>`;
  return `<!DOCTYPE html>
<html lang="${escapeAttr(vscode.env.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
${style}
<title>${escapeAttr(page.title)}</title>
</head>
<body${lazy}>
<div id="root"></div>
<script nonce="${nonce}" id="kpath-strings" type="application/json">${json}</script>
${script}
</body>
</html>`;
}

/** A file of the extension, to write into a script or style element ("</" written so it cannot end the element). */
function inlined(extensionUri: vscode.Uri, ...parts: string[]): string {
  return fs.readFileSync(vscode.Uri.joinPath(extensionUri, ...parts).fsPath, 'utf8').replace(/<\//g, '<\\/');
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
