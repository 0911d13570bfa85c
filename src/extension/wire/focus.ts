// Focusing a stack frame of a stopped kpath session, so that the Call Stack and Variables views
// show it. VS Code 1.100's API can only read the focused frame (debug.activeStackItem), so the
// focus is moved with the Call Stack's own commands, one frame at a time, each move confirmed by
// the focus changing; the frames' ids come from the stack VS Code fetched (WireSession.stacks).

import vscode = require('vscode');
import type { WireSession } from './sessions';

/** How long one move of the focus may take before giving up. */
const MOVE_TIMEOUT_MS = 1000;

/**
 * Focuses frame `index` (0: innermost) of thread `threadId`: 'focused' when it already was,
 * 'moved' when the focus moved there (which opens the frame's source, with the keyboard focus),
 * 'failed' otherwise.
 */
export async function focusStackFrame(ws: WireSession, threadId: number, index: number): Promise<'focused' | 'moved' | 'failed'> {
  let cur = focusedIndex(ws, threadId);
  if (cur === index) return 'focused';
  if (cur === undefined) {
    await move('workbench.action.debug.callStackTop');
    cur = focusedIndex(ws, threadId);
    if (cur === undefined) return 'failed';
  }
  // Frames the Call Stack skips (no source) can make a move jump two: a bounded number of moves.
  for (let left = Math.abs(index - cur) + 2; cur !== index && left > 0; left--) {
    const down = cur < index;
    await move(down ? 'workbench.action.debug.callStackDown' : 'workbench.action.debug.callStackUp');
    const next: number | undefined = focusedIndex(ws, threadId);
    if (next === undefined || next === cur || (down ? next < cur : next > cur)) return 'failed';
    cur = next;
  }
  return cur === index ? 'moved' : 'failed';
}

/** The index in thread `threadId`'s stack of the focused frame, if it is one of this session's. */
function focusedIndex(ws: WireSession, threadId: number): number | undefined {
  const item = vscode.debug.activeStackItem;
  if (!item || item.session.id !== ws.session.id || item.threadId !== threadId || !(item instanceof vscode.DebugStackFrame)) return undefined;
  const i = ws.stacks.get(threadId)?.indexOf(item.frameId) ?? -1;
  return i >= 0 ? i : undefined;
}

/** Runs a Call Stack command and waits for the focus to change (or for a timeout). */
async function move(command: string): Promise<void> {
  let done!: () => void;
  const changed = new Promise<void>((resolve) => (done = resolve));
  const sub = vscode.debug.onDidChangeActiveStackItem(() => done());
  const timer = setTimeout(() => done(), MOVE_TIMEOUT_MS);
  try {
    await vscode.commands.executeCommand(command);
    await changed;
  } finally {
    clearTimeout(timer);
    sub.dispose();
  }
}
