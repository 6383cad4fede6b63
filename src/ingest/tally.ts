import type { FileResult } from './types.ts';

/** The counts and the reason of a file, from its findings (never kept by hand). */
export function tally(result: FileResult): FileResult {
  result.errors = result.messages.filter((m) => m.severity === 'error').length;
  result.warnings = result.messages.filter((m) => m.severity === 'warning').length;
  if (result.status === 'rejected') result.reason = result.messages.find((m) => m.severity === 'error')?.text ?? result.reason;
  return result;
}
