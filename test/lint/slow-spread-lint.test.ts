// The speed lint rejects an object literal with members after a spread (V8 in Node 20 builds it
// on a slow path) in src/ and the simulated world, and accepts a spread alone or last, array
// spreads and rest patterns.
import { describe, expect, it } from 'vitest';
import { eslintConfigUrl, lintText, restrictedSyntaxAppliesTo } from './lint-text.ts';
const { slowSyntax } = (await import(eslintConfigUrl)) as { slowSyntax: unknown[] };

const errors = lintText({ 'no-restricted-syntax': ['error', ...slowSyntax] }, 'src/probe.ts');

const rejected: [string, string][] = [
  ['a field after a spread', 'const a = { x: 1 };\nexport const b = { ...a, y: 2 };'],
  ['a spread after a spread', 'const a = { x: 1 };\nexport const b = { ...a, ...{ y: 2 } };'],
  ['conditional spreads in a row', 'const n: number | undefined = 1;\nexport const b = { ...(n !== undefined ? { n } : {}), ...(n === 1 ? { one: true } : {}) };'],
  ['a field between two spreads', 'const a = { x: 1 };\nexport const b = { y: 1, ...a, z: 2, ...a };'],
];

const accepted: [string, string][] = [
  ['a spread alone', 'const a = { x: 1 };\nexport const b = { ...a };'],
  ['a spread last', 'const a = { x: 1 };\nexport const b = { y: 2, ...a };'],
  ['one conditional spread last', 'const n: number | undefined = 1;\nexport const b = { m: 1, ...(n !== undefined ? { n } : {}) };'],
  ['array spreads', 'const a = [1];\nexport const b = [...a, 2, ...a];'],
  ['rest patterns', 'const o = { x: 1, y: 2 };\nconst { x, ...rest } = o;\nexport const b = [x, rest];'],
];

describe('the slow-spread lint', () => {
  it.each(rejected)('rejects %s', async (_what, code) => {
    const found = await errors(code);
    expect(found).not.toEqual([]);
    expect(found.every((e) => e.startsWith('no-restricted-syntax: Nothing after a spread'))).toBe(true);
  });

  it.each(accepted)('accepts %s', async (_what, code) => {
    expect(await errors(code)).toEqual([]);
  });

  // The repository's own config: the rule covers src/ and the simulated world, not the command
  // line, the reports or the tests (which run outside the world and are not hot).
  const selectorOf = (slowSyntax[0] as { selector: string }).selector;
  const appliesTo = (file: string): Promise<boolean> => restrictedSyntaxAppliesTo(file, selectorOf);

  it.each(['src/raft/raft.ts', 'sim/world/world.ts', 'sim/check/watch.ts', 'sim/workload/generator.ts'])('applies to %s', async (file) => {
    expect(await appliesTo(file)).toBe(true);
  });

  it.each(['sim/cli/main.ts', 'sim/report/charts.ts', 'test/lint/slow-spread-lint.test.ts'])('leaves %s alone', async (file) => {
    expect(await appliesTo(file)).toBe(false);
  });
});
