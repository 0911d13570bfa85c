// Arguments of kpath/* requests: checked, with a message that names the request and the argument.

// Imported from the package itself: @vscode/l10n-dev exports only the strings of files that do.
import * as l10n from '@vscode/l10n';

/** `value` as an integer from `min` to `max`, `fallback` when absent; otherwise an Error for the client. */
export function intArg(request: string, name: string, value: unknown, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new Error(max === Number.MAX_SAFE_INTEGER
      ? l10n.t('{0}: {1} must be an integer >= {2}', request, name, min)
      : l10n.t('{0}: {1} must be an integer from {2} to {3}', request, name, min, max));
  }
  return value as number;
}

/** `start` and `count` of a paging request (count at most `limit`). */
export function pageArgs(request: string, args: { start?: unknown; count?: unknown }, limit: number): { start: number; count: number } {
  return {
    start: intArg(request, 'start', args.start, 0, Number.MAX_SAFE_INTEGER, 0),
    count: intArg(request, 'count', args.count, 0, limit, limit),
  };
}
