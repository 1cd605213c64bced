// Every refusal is one line naming the option or file (design.md): a path or value holding a
// newline, a carriage return or a terminal escape is shown escaped, never split over lines or
// played to the terminal. Found by the input fuzzer: `check --watches $'a\nb'` printed two lines.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const root = scratchDir('detcd-one-line-');
const history = join(root, 'history.jsonl');
writeFileSync(history, '');

/** What the user sees on stderr, split into terminal lines. */
async function stderrLines(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const r = await cli(argv);
  return { code: r.code, lines: r.err.join('\n').split(/\r\n|\r|\n|\u2028|\u2029/) };
}

describe('a refusal stays one line whatever the user typed', () => {
  it.each([
    ['check --watches', ['check', '--model', 'etcd', '--watches', 'a\nb', history], /--watches a\\nb: cannot read/],
    ['check --initial-state', ['check', '--model', 'etcd', '--no-watches', '--initial-state', 'x\r\u001b[2J', history], /--initial-state x\\r\\u001b\[2J: cannot read/],
    ['a history file', ['check', '--model', 'etcd', join(root, 'no\nsuch\u2028file')], /no\\nsuch\\u2028file: cannot read/],
    ['run --scenario', ['run', '--scenario', 'evil\n\u001b[31mname'], /evil\\n\\u001b\[31mname/],
    ['sweep --merge', ['sweep', '--merge', join(root, 'shard\ndir'), '--out', join(root, 'merged')], /shard\\ndir\/sweep\.json: cannot read/],
  ])('%s: exit 3, one line, the control characters escaped', async (_name, argv, message) => {
    const r = await stderrLines(argv);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(message);
    expect(r.lines[0]).not.toContain(String.fromCharCode(27)); // no raw terminal escape
    expect(r.code).toBe(3);
  });

  it('names the option of a watches file given with --watches and of an initial state', async () => {
    expect((await stderrLines(['check', '--model', 'etcd', '--watches', join(root, 'none.jsonl'), history])).lines[0]).toMatch(/: --watches .*none\.jsonl: cannot read/);
    expect((await stderrLines(['check', '--model', 'etcd', '--no-watches', '--initial-state', ' 7', history])).lines[0]).toMatch(/: --initial-state {2}7: cannot read/);
  });
});
