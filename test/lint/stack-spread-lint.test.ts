// The stack lint rejects an array spread into Math.max/Math.min, push/unshift and
// String.fromCharCode anywhere in sim/ (the command line and the reports included: that is where
// a user's history-sized arrays are drawn): each element goes on the stack, and 300,000 ops threw
// RangeError on the check page. The loops of sim/array/stack-safe.ts give the same answers.
import { describe, expect, it } from 'vitest';
import { eslintConfigUrl, lintText, restrictedSyntaxAppliesTo } from './lint-text.ts';
import { fromCharCodes, maxOf, minOf, pushAll } from '../../sim/array/stack-safe.ts';
const { stackSpreadSyntax } = (await import(eslintConfigUrl)) as { stackSpreadSyntax: { selector: string }[] };

const errors = lintText({ 'no-restricted-syntax': ['error', ...stackSpreadSyntax] }, 'sim/probe.ts');

const rejected: [string, string][] = [
  ['Math.max of a spread', 'const xs = [1];\nexport const m = Math.max(...xs);'],
  ['Math.min with a spread after a value', 'const xs = [1];\nexport const m = Math.min(0, ...xs.map((x) => x + 1));'],
  ['push of a spread', 'const xs = [1];\nconst out: number[] = [];\nout.push(...xs);'],
  ['unshift of a spread', 'const xs = [1];\nconst out: number[] = [];\nout.unshift(...xs);'],
  ['String.fromCharCode of a spread', 'const xs = [65];\nexport const s = String.fromCharCode(...xs);'],
];

const accepted: [string, string][] = [
  ['array spreads', 'const a = [1];\nexport const b = [...a, 2, ...a];'],
  ['Math.max of values', 'export const m = Math.max(1, 2);'],
  ['a spread into another call', 'const f = (...xs: number[]): number => xs.length;\nconst a = [1];\nexport const n = f(...a);'],
  ['push of values', 'const out: number[] = [];\nout.push(1, 2);'],
];

describe('the stack-spread lint', () => {
  it.each(rejected)('rejects %s', async (_what, code) => {
    const found = await errors(code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^no-restricted-syntax: No spread into .*stack/);
  });

  it.each(accepted)('accepts %s', async (_what, code) => {
    expect(await errors(code)).toEqual([]);
  });

  // The repository's own config: every part of sim/, not src/ (one request's arrays, bounded by
  // etcd's limits or chunked) nor the tests.
  const appliesTo = (file: string): Promise<boolean> => restrictedSyntaxAppliesTo(file, stackSpreadSyntax[0]!.selector);

  it.each(['sim/cli/commands/check.ts', 'sim/report/violations.ts', 'sim/check/lease.ts', 'sim/world/world.ts', 'sim/history/jepsen-edn.ts'])('applies to %s', async (file) => {
    expect(await appliesTo(file)).toBe(true);
  });

  it.each(['src/raft/raft.ts', 'test/lint/stack-spread-lint.test.ts'])('leaves %s alone', async (file) => {
    expect(await appliesTo(file)).toBe(false);
  });
});

describe('the loops that stand in for the spreads', () => {
  const many = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_007);
  it('give what the spreads give, and take 300,000 elements (the spreads threw RangeError)', () => {
    expect(() => Math.max(...many)).toThrow(RangeError);
    expect(maxOf(many)).toBe(many.reduce((a, b) => Math.max(a, b)));
    expect(minOf(many)).toBe(many.reduce((a, b) => Math.min(a, b)));
    expect(pushAll([-1], many)).toHaveLength(300_001);
    expect(fromCharCodes(many.map((x) => 65 + (x % 26)))).toHaveLength(300_000);
    expect([maxOf([]), minOf([]), maxOf([], 0), maxOf([1, NaN]), maxOf([-0], -0), minOf([3], 2)]).toEqual([Math.max(), Math.min(), 0, NaN, -0, 2]);
    expect(fromCharCodes([104, 105])).toBe('hi');
  });
});
