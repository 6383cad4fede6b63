/**
 * Characters that have no place in a figure or a report's text and can do harm where text is shown: C0 controls (but
 * tab and line feed), DEL, C1 controls (ESC and CSI start terminal escape sequences) and the bidirectional overrides,
 * embeddings and isolates (which reorder what a reader sees). Stored text loses them; messages show them, inert.
 */
export const HOSTILE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/** How a hostile character is shown: "\x1b", "\u202e". */
export function visible(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A text safe to print in a message, a terminal or a feedback file: every hostile character written out visibly. */
export function inert(s: string): string {
  return s.replace(HOSTILE, visible);
}

/** A piece of a file quoted inside a one-line reason: inert, and its line breaks and tabs written out too ("\\x0a"). */
export function inline(s: string): string {
  return inert(s).replace(/[\t\n]/g, visible);
}

/** The text without its hostile characters, and which ones were taken out (each once, in order). */
export function stripHostile(s: string): { text: string; removed: string[] } {
  const removed = new Set<string>();
  const text = s.replace(HOSTILE, (ch) => {
    removed.add(ch);
    return '';
  });
  return { text, removed: [...removed] };
}
