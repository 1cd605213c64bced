// Text for a terminal's width: lines cut between words only, the lines after the first
// indented under the text's column (a list's descriptions), so that a terminal of 80 columns
// never wraps a word in two. Output that is not a terminal keeps one line per entry (for grep).

/** Columns a string takes: one per code point (detcd's text has no wide characters). */
function columns(s: string): number {
  return [...s].length;
}

/**
 * `text` after a first line's `lead` (already `indent` columns wide), in lines of at most
 * `width` columns cut between words, each following line indented by `indent` spaces; a word
 * longer than a line stands alone on its line.
 */
export function wrapHanging(lead: string, text: string, indent: number, width: number): string {
  const room = Math.max(20, width - indent);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && columns(line) + 1 + columns(word) > room) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return [`${lead}${lines[0]!}`, ...lines.slice(1).map((l) => `${' '.repeat(indent)}${l}`)].join('\n');
}

/** The terminal's width when stdout is one, else undefined (no wrapping: one line per entry). */
export function stdoutColumns(): number | undefined {
  return process.stdout.isTTY === true && process.stdout.columns > 0 ? process.stdout.columns : undefined;
}

/** The terminal's width when stderr is one (a sweep's opening line and progress go there), else undefined. */
export function stderrColumns(): number | undefined {
  return process.stderr.isTTY === true && process.stderr.columns > 0 ? process.stderr.columns : undefined;
}

/** A sentence for stdout: cut between words on a terminal (its lines after the first indented by 2), one line in a pipe. */
export function forTerminal(text: string): string {
  const width = stdoutColumns();
  return width === undefined ? text : wrapHanging('', text, 2, width);
}

/** The same for stderr. */
export function forTerminalErr(text: string): string {
  const width = stderrColumns();
  return width === undefined ? text : wrapHanging('', text, 2, width);
}

/** One list entry: `name` padded to `nameWidth`, then `text`, wrapped to `width` when given. */
export function listEntry(name: string, nameWidth: number, text: string, width: number | undefined): string {
  const lead = `${name.padEnd(nameWidth)}  `;
  return width === undefined ? `${lead}${text}` : wrapHanging(lead, text, columns(lead), width);
}
