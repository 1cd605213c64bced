// A replay command (`detcd run --scenario FILE --seed N`) is copied from a terminal, a report or
// a CI log into a shell. A path holding a space or a quote split into two arguments there, and a
// newline split the printed command over two lines. Each word is quoted as a POSIX shell (bash,
// zsh) reads it back, on one line: nothing for a plain word, '…' for spaces and quotes, $'…' for
// control and line-breaking characters, which only that form can write on one line.

/** Characters every shell takes as part of a word: such a word needs no quotes. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators (as in errors/one-line.ts). */
// eslint-disable-next-line no-control-regex
const BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const C_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\', "'": "\\'" };

/** One character of a $'…' word: \xHH for the ASCII controls, \uHHHH for the Unicode ones. */
function cEscape(c: string): string {
  const short = C_ESCAPES[c];
  if (short !== undefined) return short;
  const code = c.charCodeAt(0);
  if (!BREAKING.test(c)) return c;
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `word` as one shell argument that a shell reads back unchanged, written on one line. */
export function shellWord(word: string): string {
  if (PLAIN.test(word)) return word;
  if (!BREAKING.test(word)) return `'${word.replace(/'/g, "'\\''")}'`;
  return `$'${Array.from(word, cEscape).join('')}'`;
}
