// The kpath/* requests a client may send beside DAP's own (docs/debugging.md). Each is answered
// from the runtime at the current position; a feature adds its request in a file of its own and
// one line to the table below.

import type { Runtime } from '../debugger/runtime';
import { framesRequest } from './frames';
import { lessonStepRequest } from './lesson';

/** What a kpath/* request sees: the runtime of the launched scenario (null before a launch). */
export interface RequestContext {
  runtime: Runtime | null;
}

/** Answers a request's arguments with the response body, or throws an Error whose message the client sees. */
export type CustomRequest = (ctx: RequestContext, args: Record<string, unknown>) => object;

export const CUSTOM_REQUESTS: Readonly<Record<string, CustomRequest>> = {
  'kpath/frames': framesRequest,
  'kpath/lessonStep': lessonStepRequest,
};
