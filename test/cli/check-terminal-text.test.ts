// detcd check prints a verdict about a history from anywhere: the values, keys and file names it
// shows come from that file, and a newline or a terminal escape sequence in one was written to
// the terminal as is (a value "\u001b]0;title\u0007" set the window title, "\n" split a line of
// the explanation in two). Each is shown escaped, as a refusal's line is.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('detcd check output', () => {
  it('shows control characters of a history and its file name escaped, one line per line', async () => {
    const hostile = '\u001b[31mred\u001b[0m\nnext\u0085line\u2028';
    const ops = [
      { index: 0, time: 1, process: 0, type: 'invoke', f: 'write', value: hostile },
      { index: 1, time: 2, process: 0, type: 'ok', f: 'write', value: hostile },
      { index: 2, time: 3, process: 1, type: 'invoke', f: 'read', value: null },
      { index: 3, time: 4, process: 1, type: 'ok', f: 'read', value: 'x\u001b]0;title\u0007' },
    ];
    const file = join(scratchDir('detcd-check-terminal-'), 'a\nb\u001b[2J.jsonl');
    writeFileSync(file, ops.map((o) => JSON.stringify(o)).join('\n'));
    const r = await cli(['check', '--model', 'register', file]);
    expect(r.code).toBe(1);
    expect(r.out.length).toBeGreaterThan(3);
    for (const line of r.out) expect(line, JSON.stringify(line)).not.toMatch(CONTROL);
    expect(r.out[0]).toContain('a\\nb\\u001b[2J.jsonl: INVALID');
    expect(r.out.join('\n')).toContain('\\u001b[31mred\\u001b[0m\\nnext\\u0085line\\u2028');
  });
});
