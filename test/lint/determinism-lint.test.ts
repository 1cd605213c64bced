// The determinism lint rejects every way into the wall clock, global randomness, the garbage
// collector's timing and the host's locale that the simulated code could take, including the
// aliases that slipped past it before (globalThis.Date.now(), an aliased Math.random, WeakRef,
// Intl, localeCompare); and it accepts the ordinary code that looks like them.
import { describe, expect, it } from 'vitest';
import { eslintConfigUrl, lintText } from './lint-text.ts';
const rules = (await import(eslintConfigUrl)) as {
  banned: unknown[];
  bannedProps: unknown[];
  bannedImports: unknown;
  bannedSyntax: (where: string) => unknown[];
};
const { banned, bannedImports, bannedProps, bannedSyntax } = rules;

const errors = lintText({
  'no-restricted-globals': ['error', ...banned],
  'no-restricted-properties': ['error', ...bannedProps],
  'no-restricted-imports': ['error', bannedImports],
  'no-restricted-syntax': ['error', ...bannedSyntax('The simulated world')],
}, 'src/probe.ts');

const rejected: [string, string][] = [
  ['Date.now()', 'export const t = Date.now();'],
  ['globalThis.Date.now()', 'export const t = globalThis.Date.now();'],
  ['global.Date', 'export const t = global.Date.now();'],
  ['Math.random()', 'export const r = Math.random();'],
  ['an aliased Math', 'const m = Math;\nexport const r = m.random();'],
  ['a destructured Math.random', 'const { random } = Math;\nexport const r = random();'],
  ['a computed Math member', "export const r = Math['rand' + 'om']();"],
  ['WeakRef', 'export const w = new WeakRef({});'],
  ['FinalizationRegistry', 'export const f = new FinalizationRegistry(() => undefined);'],
  ['Intl', "export const s = new Intl.Collator('en').compare('a', 'b');"],
  ['localeCompare', "export const c = 'a'.localeCompare('b');"],
  ['toLocaleString', 'export const s = (1234).toLocaleString();'],
  ['performance.now()', 'export const t = performance.now();'],
  ['setTimeout', 'setTimeout(() => undefined, 1);'],
  ['process', 'export const e = process.env;'],
  ['a Node import', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;"],
  ['async code', 'export async function f(): Promise<void> {}'],
];

describe('the determinism lint', () => {
  it.each(rejected)('rejects %s', async (_what, code) => {
    expect(await errors(code)).not.toEqual([]);
  });

  it('accepts Math.name calls, code-unit comparison and the seeded Prng', async () => {
    const ok = "export const a = Math.max(1, 2) + Math.floor(2.5) + Math.imul(3, 4);\nexport const lt = 'a' < 'b';\nexport function pick(prng: { int(n: number): number }): number { return prng.int(6); }";
    expect(await errors(ok)).toEqual([]);
  });
});
