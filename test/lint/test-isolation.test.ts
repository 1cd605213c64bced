// The simulation tests share their worker's modules (vitest.config.ts's sim project, `isolate:
// false`); a file that mocks a module or changes what the process shares must run isolated
// instead (test/test-projects.ts's ISOLATED_TESTS). In a shared worker its module mock would
// leave the module real when an earlier file had imported it, or leak into the files after it;
// its environment, globals, timers or working directory would reach them. This lint holds every
// test file to the lists, so a new file cannot land in the shared project with one of those lines.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ISOLATED_TESTS, REAL_PROCESS_TESTS } from '../test-projects.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What needs a process of its own, each with why. */
const NEEDS_ISOLATION: readonly [RegExp, string][] = [
  [/\bvi\s*\.\s*(mock|doMock|unmock|doUnmock|resetModules|importMock|importActual)\b/, 'replaces or reloads modules'],
  [/\bvi\s*\.\s*(stubGlobal|stubEnv|useFakeTimers|setSystemTime)\b/, 'changes globals, the environment or the timers'],
  [/\bprocess\s*\.\s*chdir\s*\(/, 'changes the working directory'],
  [/\bprocess\s*\.\s*env\s*(\.\s*\w+|\[[^\]]+\])\s*(=(?!=)|\?\?=|\|\|=)|\bdelete\s+process\s*\.\s*env\b/, 'writes the environment'],
  [/\bprocess\s*\.\s*execArgv\s*\.\s*(push|splice|unshift|pop|shift)\b/, "changes node's flags as the process sees them"],
  // vitest restores spies (vi.spyOn) after each file, not properties a test defined itself.
  [/\bObject\s*\.\s*(defineProperty|defineProperties|assign)\s*\(\s*(process|console|globalThis)\b/, 'redefines what the process shares (its streams, console, globals)'],
  [/\bprocess\s*\.\s*(stdout|stderr|stdin)\s*\.\s*\w+\s*=(?!=)/, 'redefines what the process shares (its streams, console, globals)'],
];

/** The lines of a test file's text that need isolation: "LINE: why". */
function isolationNeeds(text: string): string[] {
  return text.split('\n').flatMap((line, i) => NEEDS_ISOLATION.filter(([re]) => re.test(line)).map(([, why]) => `${i + 1}: ${why}`));
}

/** A vitest include pattern as a RegExp over a path from the root (the patterns here use only a `**` folder and `*`). */
function globRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob[i] === '*') source += '[^/]*';
    else source += glob[i]!.replace(/[.+?^${}()|[\]\\]/, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.test.ts') ? [relative(ROOT, path).split(sep).join('/')] : [];
  });
}

const REAL = REAL_PROCESS_TESTS.map(globRegExp);
const isReal = (file: string): boolean => REAL.some((re) => re.test(file));

describe('test isolation', () => {
  const files = testFiles(join(ROOT, 'test'));

  it('a file that mocks modules or changes the process is isolated (test/test-projects.ts)', () => {
    const shared = files.filter((f) => !isReal(f) && !ISOLATED_TESTS.includes(f));
    expect(shared.length).toBeGreaterThan(300);
    const offending = shared.flatMap((f) => isolationNeeds(readFileSync(join(ROOT, f), 'utf8')).map((l) => `${f}:${l}`));
    expect(offending, 'add these files to ISOLATED_TESTS in test/test-projects.ts').toEqual([]);
  });

  it('every isolated file exists and is no real-process test', () => {
    expect(ISOLATED_TESTS.filter((f) => !files.includes(f) || isReal(f))).toEqual([]);
  });

  it('finds each kind of line, and not the ordinary ones', () => {
    // Spelt in pieces: this file is held to the lint too.
    const [vi, p] = ['vi', 'process'];
    expect(isolationNeeds(`${vi}.mock('../../sim/x.ts', () => ({}));`)).toEqual(['1: replaces or reloads modules']);
    expect(isolationNeeds(`a\n${vi}.resetModules();`)).toEqual(['2: replaces or reloads modules']);
    expect(isolationNeeds(`${vi}.stubEnv('NO_COLOR', '1');`)).toEqual(['1: changes globals, the environment or the timers']);
    expect(isolationNeeds(`${vi}.useFakeTimers();`)).toEqual(['1: changes globals, the environment or the timers']);
    expect(isolationNeeds(`${p}.chdir(dir);`)).toEqual(['1: changes the working directory']);
    expect(isolationNeeds(`${p}.env['TZ'] = 'UTC';`)).toEqual(['1: writes the environment']);
    expect(isolationNeeds(`${p}.env.TZ = "UTC";`)).toEqual(['1: writes the environment']);
    expect(isolationNeeds(`delete ${p}.env['TZ'];`)).toEqual(['1: writes the environment']);
    expect(isolationNeeds(`${p}.execArgv.push('--x');`)).toEqual(["1: changes node's flags as the process sees them"]);
    expect(isolationNeeds(`Object.defineProperty(${p}.stdout, 'isTTY', { value: true });`)).toEqual(['1: redefines what the process shares (its streams, console, globals)']);
    expect(isolationNeeds(`${p}.stderr.columns = 80;`)).toEqual(['1: redefines what the process shares (its streams, console, globals)']);
    expect(isolationNeeds([`const n = Number(${p}.env['SEEDS'] ?? 3);`, `if (${p}.env['CI'] === 'true') x();`, `${vi}.spyOn(console, 'log');`, 'const mock = 1;', `if (${p}.stdout.isTTY === true) y();`].join('\n'))).toEqual([]);
  });

  it('reads the real-process patterns as vitest does', () => {
    expect(isReal('test/differential/differential.test.ts')).toBe(true);
    expect(isReal('test/differential/a/b.test.ts')).toBe(true);
    expect(isReal('test/sim/cli/serve/grpc-vs-etcd.test.ts')).toBe(true);
    expect(isReal('test/cli/target-etcd/real-etcd.test.ts')).toBe(true);
    expect(isReal('test/cli/target-etcd/bad-etcd.test.ts')).toBe(false);
    expect(isReal('test/sim/report/browser.test.ts')).toBe(true);
    expect(isReal('test/sim/report/browserx.test.ts')).toBe(false);
  });
});
