// The two pictures of a kpath stop: "kpath: Show sk_buff" and "kpath: Show Path". What they follow
// (the active kpath session and the selected stack frame) is tracked from activation, which costs
// a tracker per session; the panels and their scripts are made only when a command asks.

import vscode = require('vscode');
import { DebugFollower } from './follow';
import { PicturePanel } from './panel';
import { SkbPanel } from './skbPanel';
import { PathPanel } from './pathPanel';

export function registerPictures(context: vscode.ExtensionContext): void {
  const follower = new DebugFollower();
  const open = new Map<string, PicturePanel>();
  const show = (id: string, make: () => PicturePanel): void => {
    let panel = open.get(id);
    if (!panel) {
      panel = make();
      panel.onDispose = () => open.delete(id);
      open.set(id, panel);
    }
    panel.reveal();
  };
  context.subscriptions.push(
    follower,
    vscode.commands.registerCommand('kpath.showSkb', () => show('skb', () => new SkbPanel(context.extensionUri, follower))),
    vscode.commands.registerCommand('kpath.showPath', () => show('path', () => new PathPanel(context.extensionUri, follower))),
    { dispose: () => [...open.values()].forEach((p) => p.dispose()) },
  );
}
