// The sim project's files share a worker's modules (vitest.config.ts, `isolate: false`), so what a
// file leaves in the process would reach the files after it: its scratch folders end with the file
// by test/scratch-dir-cleanup.ts, its spies by vitest itself (it restores every vi.spyOn after each
// file, shared worker or not; renamed-fields.test leaves one on process.stderr.write). Two files run
// here in one shared worker, each leaving both behind; each checks that the other's are gone,
// whichever vitest runs first.
import { spawnSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../scratch-dir.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A test file that fails when the other file's spy or scratch folder outlived it. */
function leavingBehind(self: string, other: string, dir: string): string {
  return `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, it, vi } from 'vitest';
import { scratchDir } from ${JSON.stringify(join(ROOT, 'test/scratch-dir.ts'))};
it('finds nothing the other file left behind', () => {
  expect(vi.isMockFunction(process.stderr.write)).toBe(false);
  const other = ${JSON.stringify(join(dir, `${other}.path`))};
  if (existsSync(other)) expect(existsSync(readFileSync(other, 'utf8'))).toBe(false);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  writeFileSync(${JSON.stringify(join(dir, `${self}.path`))}, scratchDir('detcd-left-behind-'));
});
`;
}

describe('a shared worker', () => {
  it("ends each file's spies and scratch folders with the file (test/scratch-dir-cleanup.ts, vitest)", () => {
    const dir = scratchDir('detcd-shared-worker-');
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'a.test.ts'), leavingBehind('a', 'b', dir));
    writeFileSync(join(dir, 'b.test.ts'), leavingBehind('b', 'a', dir));
    const config = { test: { include: ['*.test.ts'], setupFiles: [join(ROOT, 'test/scratch-dir-cleanup.ts')], pool: 'forks', isolate: false, maxWorkers: 1 } };
    writeFileSync(join(dir, 'vitest.config.mjs'), `export default ${JSON.stringify(config)};\n`);
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(`${r.stdout}${r.stderr}`).toMatch(/Tests {2}2 passed/);
    expect(r.status).toBe(0);
  });
});
