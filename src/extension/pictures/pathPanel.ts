// "kpath: Show Path": the modeled functions of the run's kernel profile as a flow chart of their
// calls, with the path the current packet took, the stack and the current function marked; a
// click on a box opens the function's listing. The graph is laid out once per profile (in the
// webview, which loads ELK only then) and the layout kept here for every later picture.

import vscode = require('vscode');
import { l10n } from 'vscode';
import type { PathPicture } from '../../adapter/pictures';
import type { DebugFollower, Target } from './follow';
import type { FromWebview, Labels, PathLayout, ToWebview } from '../webview/picture-messages';
import { PicturePanel } from './panel';

/** Layouts by graph key, for the extension host's lifetime: each profile is laid out once. */
const layouts = new Map<string, PathLayout>();

export class PathPanel extends PicturePanel {
  private session: vscode.DebugSession | null = null;

  constructor(extensionUri: vscode.Uri, follower: DebugFollower) {
    super(extensionUri, follower, {
      viewType: 'kpath.path', title: l10n.t('kpath: path'), script: 'webview-path.js', style: 'pictures.css',
      lazyScripts: { elk: 'webview-elk.js' },
    });
  }

  protected async render(target: Target): Promise<ToWebview> {
    const notice = this.noticeFor(target);
    if (notice || target.kind !== 'stopped') return notice!;
    this.session = target.session;
    const picture = (await target.session.customRequest('kpath/path', { frameId: target.frameId })) as PathPicture;
    const key = graphKey(picture);
    return { type: 'path', key, picture, layout: layouts.get(key) ?? null, labels: this.labels() };
  }

  protected override redraw(msg: ToWebview): ToWebview {
    return msg.type === 'path' && !msg.layout ? { ...msg, layout: layouts.get(msg.key) ?? null } : msg;
  }

  protected override receive(m: FromWebview): void {
    if (m.type === 'laidOut' && typeof m.key === 'string' && m.layout) {
      layouts.set(m.key, m.layout);
    } else if (m.type === 'open' && typeof m.name === 'string') {
      void this.open(m.name);
    } else {
      super.receive(m);
    }
  }

  /** Opens the listing of function `name` at its first line, beside nothing: in the main editor group. */
  private async open(name: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      const pos = (await session.customRequest('kpath/functionSource', { name })) as { path: string; line: number };
      const line = Math.max(0, pos.line - 1);
      await vscode.window.showTextDocument(vscode.Uri.file(pos.path), {
        viewColumn: vscode.ViewColumn.One,
        selection: new vscode.Range(line, 0, line, 0),
        preview: true,
      });
    } catch (e) {
      void vscode.window.showErrorMessage(l10n.t('kpath: cannot open the listing of {0}: {1}', name, e instanceof Error ? e.message : String(e)));
    }
  }

  protected labels(): Labels {
    return {
      title: l10n.t('kpath: path'),
      packet: l10n.t('The path of packet #{0} (kernel {1})'),
      noPacket: l10n.t('The calls of this event (kernel {0}): no frame works on a packet'),
      current: l10n.t('current function'),
      stack: l10n.t('on the stack'),
      taken: l10n.t('taken by the packet'),
      untaken: l10n.t('not taken'),
      skipped: l10n.t('{0} events between the packet\'s first and this one are left out.'),
      layingOut: l10n.t('Laying out the graph of kernel {0}...'),
      open: l10n.t('{0} ({1}): open its listing'),
      hint: l10n.t('Click a box to open the function\'s listing.'),
      zoomIn: l10n.t('Zoom in'),
      zoomOut: l10n.t('Zoom out'),
      fit: l10n.t('Fit'),
    };
  }
}

/** A key for the graph's shape: the profile and its functions and calls. */
function graphKey(p: PathPicture): string {
  let h = 0;
  const text = p.functions.map((f) => f.name).join(',') + '|' + p.edges.map((e) => `${e.from}>${e.to}`).join(',');
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return `${p.profile}:${p.functions.length}:${p.edges.length}:${(h >>> 0).toString(16)}`;
}
