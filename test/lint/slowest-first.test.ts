// The order of the test files (test/slowest-first.ts): each project's slowest files first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { slowestFirst } from '../slowest-first.ts';
import { SLOWEST_TESTS } from '../test-projects.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('slowest first', () => {
  it("puts each project's slowest files first, in the list's order; projects and the other files keep vitest's order", () => {
    const files = [
      { project: 'sim', file: 'a' },
      { project: 'sim', file: 'slow2' },
      { project: 'sim', file: 'b' },
      { project: 'sim', file: 'slow1' },
      { project: 'real', file: 'c' },
      { project: 'real', file: 'slow3' },
    ];
    expect(slowestFirst(files, ['slow1', 'slow2', 'slow3']).map((f) => `${f.project}:${f.file}`)).toEqual(['sim:slow1', 'sim:slow2', 'sim:a', 'sim:b', 'real:slow3', 'real:c']);
  });

  it('names test files that exist, each once', () => {
    expect(SLOWEST_TESTS.filter((f) => !f.endsWith('.test.ts') || !existsSync(join(ROOT, f)))).toEqual([]);
    expect(new Set(SLOWEST_TESTS).size).toBe(SLOWEST_TESTS.length);
  });
});
