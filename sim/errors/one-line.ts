// A refusal is one line (design.md: file, field, reason): a path or value a user gave may hold a
// newline, a carriage return or a terminal escape, which would split the line or rewrite the
// terminal. Those characters are shown escaped, as JSON writes them.

// C0 and C1 controls, DEL, and the two Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex
const BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control or line-breaking character written as an escape: one line on any terminal. */
export function oneLine(text: string): string {
  return text.replace(BREAKING, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
