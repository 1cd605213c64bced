// Inputs a reviewer tries on the command line, each refused in one line naming the option or
// field, exit 3, nothing written: an option given twice (parseArgs kept the last and dropped the
// first silently: `sweep --seeds 1..2 --seeds 3..4` ran 3..4), seed ranges at and past their
// bounds, --out inside detcd's own folders (a shrunk scenario written into scenarios/ became a
// shipped scenario; a report in dist/ sat in the build), and scenario files with every field of
// another JSON type, out of range, unknown, huge or a number written as text.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../sim/cli/harness/package-root.ts';
import { UsageError } from '../../sim/errors/usage-error.ts';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { scratchDir } from '../scratch-dir.ts';
import { cli } from './capture-cli.ts';

const root = scratchDir('detcd-reviewer-inputs-');
const tiny = join(root, 'tiny.json');
const TINY = { name: 'tiny', workload: { kind: 'register', rateOpsPerSecond: 50, durationMs: 300 }, clients: { count: 2 }, nemesis: { packages: [] } };
writeFileSync(tiny, JSON.stringify(TINY));

async function refused(argv: string[], ...parts: string[]): Promise<string> {
  const r = await cli(argv);
  expect(r.err, r.err.join('\n')).toHaveLength(1);
  for (const p of parts) expect(r.err[0]).toContain(p);
  expect(r.code).toBe(3);
  return r.err[0]!;
}

describe('an option given twice is refused, naming it and both values', () => {
  const out = join(root, 'twice');
  const cases: [string, string[], string][] = [
    ['run --seed', ['run', '--scenario', tiny, '--seed', '1', '--seed', '2', '--quiet', '--out', out], '--seed given twice ("1", then "2")'],
    ['run --scenario', ['run', '--scenario', tiny, '--scenario', 'leader-partition', '--seed', '1', '--out', out], '--scenario given twice'],
    ['run --out', ['run', '--scenario', tiny, '--seed', '1', '--out', out, '--out', `${out}-2`], '--out given twice'],
    ['sweep --seeds', ['sweep', '--scenario', tiny, '--seeds', '1..2', '--seeds', '3..4', '--out', out], '--seeds given twice ("1..2", then "3..4")'],
    ['sweep --jobs', ['sweep', '--scenario', tiny, '--seeds', '1', '--jobs', '1', '--jobs', '2', '--out', out], '--jobs given twice'],
    ['check --model', ['check', '--model', 'etcd', '--model', 'register', tiny], 'detcd check: --model given twice ("etcd", then "register")'],
    ['check --watches', ['check', '--model', 'etcd', '--watches', tiny, '--watches', `${tiny}.2`, tiny], '--watches given twice'],
    ['shrink --runs', ['shrink', root, '--runs', '3', '--runs', '4'], '--runs given twice'],
  ];
  it.each(cases)('%s', async (_name, argv, part) => {
    await refused(argv, part, 'give it once');
    expect(existsSync(out)).toBe(false);
  });

  it('a flag without a value given twice means what it means once', async () => {
    expect((await cli(['run', '--scenario', tiny, '--seed', '1', '--quiet', '--quiet', '--out', join(root, 'quiet')])).code).toBe(0);
  });
});

describe('seed ranges at and past their bounds', () => {
  const out = join(root, 'seeds');
  it.each([
    ['0 (a count of no seeds)', '0', 'got 0'],
    ['negative', '-3', 'got -3'],
    ['a negative end', '0..-1', 'got 0..-1'],
    ['reversed', '5..2', 'the end is before the start'],
    ['past the largest seed', '1..2147483648', 'seeds are whole numbers from 0 to 2147483647'],
    ['huge', '1..99999999999999999999', 'seeds are whole numbers from 0 to 2147483647'],
    ['an open end', '3..', 'got 3..'],
    ['three parts', '1..2..3', 'got 1..2..3'],
    ['a fraction', '1.5', 'got 1.5'],
  ])('--seeds %s', async (_name, seeds, part) => {
    await refused(['sweep', '--scenario', tiny, '--seeds', seeds, '--out', out], 'detcd sweep: --seeds', part);
    expect(existsSync(out)).toBe(false);
  });

  it.each([['-1', 'from 0 to 2147483647'], ['2147483648', 'from 0 to 2147483647'], ['1e3', 'not an integer'], ['0x10', '--seed']])('run --seed %s', async (seed, part) => {
    await refused(['run', '--scenario', tiny, '--seed', seed, '--out', out], 'detcd run: --seed', part);
  });

  it('seed 0 and the largest seed run (a verdict, not a refusal)', async () => {
    for (const seed of ['0', '2147483647']) expect([0, 1, 2]).toContain((await cli(['run', '--scenario', tiny, '--seed', seed, '--quiet', '--out', join(root, `seed-${seed}`)])).code);
  });
});

describe("--out inside detcd's own folders is refused before any work", () => {
  const own = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);
  it.each([
    ['run --out in scenarios/', ['run', '--scenario', tiny, '--seed', '1', '--out', own('scenarios', 'detcd-test-report')], 'scenarios/'],
    ['run --out in src/', ['run', '--scenario', tiny, '--seed', '1', '--out', own('src', 'detcd-test-report')], 'src/'],
    ['sweep --out in dist/', ['sweep', '--scenario', tiny, '--seeds', '1', '--out', own('dist', 'detcd-test-sweep')], 'dist/'],
    ['campaign --out in sim/', ['campaign', '--seeds', '1', '--out', own('sim', 'detcd-test-campaign')], 'sim/'],
    // Not node_modules/: a checkout's may be a link to one others share, and a build without this
    // refusal would write there.
    ['serve --out in bin/', ['serve', '--scenario', tiny, '--port', '0', '--duration', '1', '--out', own('bin', 'detcd-test-serve')], 'bin/'],
  ])('%s', async (_name, argv, folder) => {
    const before = readdirSync(own(folder));
    await refused(argv, `inside detcd's own ${folder}`, 'write it elsewhere');
    expect(readdirSync(own(folder))).toEqual(before);
  });

  it('shrink --out naming a new scenario in scenarios/ (it would be shipped)', async () => {
    const run = join(root, 'failing');
    expect((await cli(['run', '--scenario', 'kill-leader', '--seed', '1', '--bug', 'read-without-readindex', '--quiet', '--out', run])).code).toBe(1);
    const before = readdirSync(own('scenarios'));
    await refused(['shrink', run, '--out', own('scenarios', 'mine.json')], "inside detcd's own scenarios/");
    expect(readdirSync(own('scenarios'))).toEqual(before);
  });
});

describe('a scenario file: every field of another JSON type, out of range, unknown, huge, or a number as text', () => {
  type Json = Record<string, unknown>;
  const filled = JSON.parse(JSON.stringify(parseScenario(TINY, 'F.json'))) as Json;

  /** [path, value] of every field of the filled scenario, nested objects and lists too. */
  function fields(v: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
    if (v === null || typeof v !== 'object') return [[path, v]];
    const inner = Object.entries(v).flatMap(([k, x]) => fields(x, [...path, Array.isArray(v) ? Number(k) : k]));
    return path.length === 0 ? inner : [[path, v], ...inner];
  }
  function setAt(path: (string | number)[], value: unknown): Json {
    const copy = structuredClone(filled);
    let at = copy as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
    at[path.at(-1)!] = value;
    return copy;
  }
  const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  const isRange = (v: unknown): boolean => typeOf(v) === 'object' && Object.keys(v as Json).sort().join() === 'max,min';
  const OTHERS: unknown[] = [null, 'x', '5', 'NaN', 'Infinity', '1e3', true, [], {}, 7];

  /** The one-line refusal naming the file and the field, or a failure saying what was taken. */
  function expectRefused(raw: unknown, field: string, label: string): void {
    let err: unknown;
    try {
      parseScenario(raw, 'F.json');
    } catch (e) {
      err = e;
    }
    expect(err, `${label} was taken`).toBeInstanceOf(UsageError);
    const message = (err as Error).message;
    expect(message.startsWith('F.json: '), message).toBe(true);
    expect(message, label).toContain(field);
    expect(message.includes('\n'), message).toBe(false);
  }

  it('every field given a value of another JSON type', () => {
    let judged = 0;
    for (const [path, value] of fields(filled)) {
      const field = String(path.filter((k) => typeof k === 'string').at(-1));
      for (const other of OTHERS) {
        // A range may be given as one number; a field that held null takes other types.
        if (value === null || typeOf(other) === typeOf(value) || (isRange(value) && typeof other === 'number')) continue;
        expectRefused(setAt(path, other), field, `${path.join('.')} = ${JSON.stringify(other)}`);
        judged++;
      }
    }
    expect(judged).toBeGreaterThan(300);
  });

  it('every number out of range: negative, fractional, huge, past 2^53', () => {
    for (const [path, value] of fields(filled)) {
      if (typeof value !== 'number') continue;
      const field = String(path.filter((k) => typeof k === 'string').at(-1));
      for (const bad of [-1, 0.5, 1e300, 2 ** 53 + 2]) {
        let taken = true;
        try {
          parseScenario(setAt(path, bad), 'F.json');
        } catch (e) {
          taken = false;
          expect(e).toBeInstanceOf(UsageError);
          expect((e as Error).message).toContain(field);
        }
        // -1 and 0.5 may be in range for a few fields (a probability): never 1e300 or past 2^53.
        if (bad > 2 ** 40) expect(taken, `${path.join('.')} = ${bad} was taken`).toBe(false);
      }
    }
  });

  it('an unknown field in every object', () => {
    for (const [path, value] of fields(filled)) {
      if (typeOf(value) !== 'object') continue;
      expectRefused(setAt([...path, 'unknownField'], 1), 'unknownField', `${path.join('.')}.unknownField`);
    }
    expectRefused({ ...filled, unknownField: 1 }, 'unknownField', 'unknownField at the top');
  });

  it('a scenario file of another type on the command line: one line, exit 3, no report', async () => {
    const file = join(root, 'retyped.json');
    writeFileSync(file, JSON.stringify({ ...TINY, workload: { ...TINY.workload, durationMs: '300' } }));
    const out = join(root, 'retyped');
    await refused(['run', '--scenario', file, '--seed', '1', '--out', out], file, 'durationMs');
    expect(existsSync(out)).toBe(false);
  });
});
