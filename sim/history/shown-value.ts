// A value from a user's file quoted in a one-line refusal: short, and safe for any value. A
// refusal used to quote the value whole with JSON.stringify, which overflows the stack on a
// value nested 100,000 deep (exit 4 with a stack trace instead of exit 3) and puts a 50 MB
// value on the one line.

/** Characters of a quoted value kept in a message. */
export const SHOWN_CHARS_MAX = 40;

/** `v` as JSON, cut to SHOWN_CHARS_MAX characters; "nothing" for undefined. */
export function shownValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'bigint') return `${v}n`;
  let text: string;
  try {
    text = typeof v === 'string' && v.length > SHOWN_CHARS_MAX * 2 ? JSON.stringify(v.slice(0, SHOWN_CHARS_MAX * 2)) : (JSON.stringify(v) ?? typeof v);
  } catch {
    // A value nested past the stack's depth, or (from a program, not JSON text) a cycle or a BigInt inside.
    return Array.isArray(v) ? 'a list JSON cannot write (nested too deeply, a cycle or a BigInt)' : 'an object JSON cannot write (nested too deeply, a cycle or a BigInt)';
  }
  return text.length > SHOWN_CHARS_MAX ? `${text.slice(0, SHOWN_CHARS_MAX)}…` : text;
}
