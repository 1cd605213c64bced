// results.json's version names the build: the release and a hash of the sources that decide a
// run (sim/cli/harness/detcd-build.ts). Before, every build wrote "detcd 0.1.0", so a run made
// before an edit to src/ or sim/ and replayed after it parted from its trace and was blamed on
// the harness (exit 4). Now replay and shrink refuse a run another build wrote, in one line
// naming both builds and the command that runs it again (exit 3).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detcdBuild, sourcesHash } from '../../sim/cli/harness/detcd-build.ts';
import { DETCD_VERSION } from '../../sim/run/detcd-version.ts';
import { scratchDir } from '../scratch-dir.ts';
import { cli, refused } from './capture-cli.ts';
import { runCopy } from './run-dir-copy.ts';

const root = scratchDir('detcd-build-');
const tiny = join(root, 'tiny.json');
writeFileSync(tiny, JSON.stringify({ name: 'tiny', workload: { kind: 'register', rateOpsPerSecond: 50, durationMs: 300 }, clients: { count: 2 }, nemesis: { packages: [] } }));
const run = join(root, 'run');

type Json = Record<string, unknown>;
/** A copy of the run directory whose results.json says `version`. */
function writtenBy(version: unknown): string {
  return runCopy(run, root, (results) => ({ ...results, version }));
}

beforeAll(async () => {
  const r = await cli(['run', '--scenario', tiny, '--seed', '1', '--quiet', '--out', run]);
  expect(r.code).toBe(0);
});

describe('results.json names the build that wrote it', () => {
  it('as the release and the hash of the sources that decide a run, as --version does', async () => {
    const version = (JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as Json)['version'];
    expect(version).toMatch(new RegExp(`^${DETCD_VERSION.replace('.', '\\.')}\\+[0-9a-f]{12}$`));
    expect(version).toBe(detcdBuild());
    expect((await cli(['--version'])).out).toEqual([version]);
    expect((await cli(['replay', run])).code).toBe(0);
  });

  it('a run of the same release from other sources: replay and shrink refuse it naming both builds', async () => {
    const other = `${DETCD_VERSION}+0123456789ab`;
    const dir = writtenBy(other);
    for (const command of ['replay', 'shrink']) {
      const line = await refused([command, dir], `version: written by ${other}, another build of ${DETCD_VERSION}`, `this is ${detcdBuild()}`);
      expect(line).toContain(`run it again: detcd run --scenario ${join(dir, 'scenario.json')} --seed 1`);
    }
  });

  it('a run written before the version named its build ("detcd 0.1.0" alone): refused, said so', async () => {
    const dir = writtenBy(DETCD_VERSION);
    for (const command of ['replay', 'shrink']) await refused([command, dir], `written by ${DETCD_VERSION}, a build from before results.json named its sources`, `this is ${detcdBuild()}`);
  });

  it('a version with a newline or a terminal escape is quoted on the one line', async () => {
    const line = await refused(['replay', writtenBy(`${DETCD_VERSION}\n\u001b[31mok`)], 'version: written by "detcd');
    expect(line.includes('\n') || line.includes('\u001b')).toBe(false);
  });
});

describe('the hash of the sources that decide a run', () => {
  /** A tree with a file under each folder the hash reads or leaves out. */
  function tree(): string {
    const dir = scratchDir('detcd-build-tree-');
    for (const d of ['src/raft', 'sim/world', 'sim/cli/commands', 'sim/report', 'test']) mkdirSync(join(dir, d), { recursive: true });
    for (const f of ['src/raft/raft.ts', 'sim/world/world.ts', 'sim/cli/commands/run.ts', 'sim/report/page.ts', 'test/a.test.ts', 'README.md']) writeFileSync(join(dir, f), `// ${f}\n`);
    return dir;
  }

  it('moves with an edit, an added file or a rename under src/ and sim/', () => {
    const dir = tree();
    const before = sourcesHash(dir);
    expect(before).toMatch(/^[0-9a-f]{12}$/);
    writeFileSync(join(dir, 'src/raft/raft.ts'), '// edited\n');
    const edited = sourcesHash(dir);
    expect(edited).not.toBe(before);
    writeFileSync(join(dir, 'sim/world/clock.ts'), '\n');
    const added = sourcesHash(dir);
    expect(added).not.toBe(edited);
    renameSync(join(dir, 'sim/world/clock.ts'), join(dir, 'sim/world/time.ts'));
    expect(sourcesHash(dir)).not.toBe(added);
  });

  it('stays for the command line, the report pages, the tests and the docs', () => {
    const dir = tree();
    const before = sourcesHash(dir);
    for (const f of ['sim/cli/commands/run.ts', 'sim/report/page.ts', 'test/a.test.ts', 'README.md']) writeFileSync(join(dir, f), '// edited\n');
    writeFileSync(join(dir, 'sim/cli/commands/new.ts'), '\n');
    expect(sourcesHash(dir)).toBe(before);
  });
});
