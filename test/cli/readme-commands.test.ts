// The README's shell examples run as shown. A new user pastes them in order: its "Replaying a
// failure" block ran `run --seed 17` (a run that passes) and then `shrink` on it, which refused
// (exit 3: no failure to keep). Every `npx detcd` line of the README's ```sh blocks that is cheap
// (no sweep of hundreds of runs, no real etcd, no server left running, no placeholder to fill
// in) runs here, in block order, from an empty directory, through the built bin.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../scratch-dir.ts';

const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'bin/detcd.js');

interface Example {
  /** The heading the block is under. */
  section: string;
  command: string;
}

/** Every `npx detcd …` line of the README's ```sh blocks, its comment cut off. */
function shellExamples(readme: string): Example[] {
  const out: Example[] = [];
  let section = '';
  let inSh = false;
  for (const line of readme.split('\n')) {
    if (line.startsWith('```')) {
      inSh = !inSh && line.trim() === '```sh';
      continue;
    }
    if (!inSh && /^#{2,3} /.test(line)) section = line.replace(/^#+ /, '');
    if (inSh && line.startsWith('npx detcd ')) out.push({ section, command: line.replace(/\s+#.*$/, '').trim() });
  }
  return out;
}

/** What a test can run in seconds and leaves nothing running. */
function cheap({ section, command }: Example): boolean {
  const words = command.split(/\s+/);
  if (words[2] === 'serve' || words[2] === 'sweep') return false; // a server until Ctrl-C; sweeps of 200+ runs
  // Real etcd as root, and the replay of that block's real run.
  if (command.includes('--target etcd') || section.includes('--target etcd')) return false;
  return !/\b[A-Z]{3,}\b/.test(command); // SEED, DIR: a placeholder for the reader
}

describe("the README's shell examples", () => {
  const examples = shellExamples(readFileSync(join(REPO, 'README.md'), 'utf8')).filter(cheap);

  it('are found (the extraction did not silently skip them)', () => {
    expect(examples.map((e) => e.command.split(/\s+/)[2])).toEqual(expect.arrayContaining(['scenarios', 'run', 'replay', 'shrink']));
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it('run as shown, in order, from an empty directory: none is refused, a failure is a failure, shrink shrinks it', () => {
    const cwd = scratchDir('detcd-readme-');
    for (const { section, command } of examples) {
      const r = spawnSync('bash', ['-c', command.replace(/^npx detcd /, `node ${JSON.stringify(BIN)} `)], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const said = `${section}: ${command}\n${r.stdout}${r.stderr}`;
      // 0 valid, 1 a violation, 2 unknown; 3 a refusal and 4 an internal error are not what the README shows.
      expect(r.status, said).not.toBeNull();
      expect(r.status!, said).toBeLessThan(3);
      const sub = command.split(/\s+/)[2];
      if (sub === 'replay') expect(r.stdout, said).toMatch(/replayed exactly/);
      if (section === 'Replaying a failure' && sub === 'run') expect(r.status, said).toBe(1);
      if (sub === 'shrink') expect(existsSync(join(cwd, command.split(/\s+/)[3]!, 'shrunk.json')), said).toBe(true);
    }
  }, 300_000);
});
