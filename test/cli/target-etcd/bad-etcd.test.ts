// --target etcd given what is not a working etcd, and refusals found after the report directory
// was made: one line naming --etcd and etcd's own last words, exit 3, at once (a member that
// ended by itself was waited for 30 s, then "internal error", exit 4), and no empty report
// directory left where the user asked for a report (the refusal came after the path was made).
// Needs no etcd: the binaries here are shell scripts.
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type * as FirstLeader from '../../../sim/cli/target-etcd/first-leader.ts';
import { cli } from '../capture-cli.ts';
import { scratchDir } from '../../scratch-dir.ts';

/**
 * The first leader's wait here (detcd's is 30 s at least, a bound for three real etcds starting
 * on a loaded machine; first-leader.test.ts holds it): an etcd that never serves is refused
 * after it, with the same line. Long enough for the fake member's shell to write its one log line.
 */
const { LEADER_WAIT_MS } = vi.hoisted(() => ({ LEADER_WAIT_MS: 5_000 }));
vi.mock('../../../sim/cli/target-etcd/first-leader.ts', async (original) => ({ ...(await original<typeof FirstLeader>()), firstLeaderWaitMs: () => LEADER_WAIT_MS }));

const root = scratchDir('detcd-bad-etcd-');
const tiny = join(root, 'tiny.json');
writeFileSync(tiny, JSON.stringify({ name: 'tiny', clients: { count: 2, watchers: false }, workload: { kind: 'register', durationMs: 300, rateOpsPerSecond: 20 }, nemesis: { packages: [] } }));

/** A script that answers --version as etcd 3.4.23 does and otherwise runs `body`. */
function fakeEtcd(name: string, body: string): string {
  const path = join(root, name);
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "etcd Version: 3.4.23"; echo "Git SHA: fake"; exit 0; fi\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Removes the members' folder a refusal names (its logs are the evidence the line points to). */
function removeNamedLogs(line: string): void {
  const dir = /logs in (\S+)$/.exec(line)?.[1];
  if (dir !== undefined && dir.includes('detcd-etcd-')) rmSync(dir, { recursive: true, force: true });
}

describe('--target etcd with an etcd that does not run as a member', () => {
  it('names --etcd, the member and its last log line, exit 3, and leaves no report directory', async () => {
    const etcd = fakeEtcd('exits', 'echo "flag provided but not defined: -name" >&2\nexit 2');
    const out = join(root, 'report-exits');
    const r = await cli(['run', '--target', 'etcd', '--etcd', etcd, '--scenario', tiny, '--seed', '1', '--out', out, '--quiet']);
    const line = r.err.at(-1) ?? '';
    removeNamedLogs(line);
    expect(r.code).toBe(3);
    expect(line).toMatch(/^detcd run: --etcd .*exits: member n\d ended at start \(exit status 2\), its log's last line: flag provided but not defined: -name; logs in /);
    expect(existsSync(out)).toBe(false);
  });

  // An etcd that runs but never serves (a wrapper that waits on something else, an etcd that cannot
  // reach its peers): waited for the whole leader wait, then it was "internal error" (exit 4, "no
  // leader within 30000 ms"), which named neither the member nor what it waited for.
  it('an etcd that runs but never serves: what was waited for, the member, its last log line, exit 3', async () => {
    const etcd = fakeEtcd('never-serves', 'echo "fake etcd: waiting for a disk that never comes" >&2\nexec sleep 600');
    const out = join(root, 'report-never-serves');
    const r = await cli(['run', '--target', 'etcd', '--etcd', etcd, '--scenario', tiny, '--seed', '1', '--out', out, '--quiet']);
    const line = r.err.at(-1) ?? '';
    removeNamedLogs(line);
    expect(r.code).toBe(3);
    expect(line).toMatch(/^detcd run: --etcd .*never-serves: no leader within (\d+) ms \(waited for a member's status on its client port to name it leader\): member n1 never answered on http:\/\/\S+, its log's last line: fake etcd: waiting for a disk that never comes \(\d+ of \d+ members never answered\); logs in /);
    expect(line.match(/no leader within (\d+) ms/)?.[1]).toBe(String(LEADER_WAIT_MS));
    expect(existsSync(out)).toBe(false);
  });

  it("an etcd whose --version fails: one line with its exit status and its own words (its stderr was passed through)", async () => {
    const etcd = fakeEtcd('version-fails', '');
    writeFileSync(etcd, '#!/bin/sh\necho "cannot load libssl" >&2\nexit 127\n');
    const out = join(root, 'report-version-fails');
    const r = await cli(['run', '--target', 'etcd', '--etcd', etcd, '--scenario', tiny, '--seed', '1', '--out', out]);
    expect(r.code).toBe(3);
    expect(r.err).toEqual([`detcd run: --etcd ${etcd}: cannot run it ('--version' exit status 127: cannot load libssl)`]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a refusal after the report directory was made leaves none behind', () => {
  it('run --target etcd --bug: the new directory (and the parents it made) are gone; exit 3', async () => {
    const out = join(root, 'new-parent', 'a', 'b');
    const r = await cli(['run', '--target', 'etcd', '--bug', 'figure8', '--scenario', tiny, '--seed', '1', '--out', out]);
    expect(r.code).toBe(3);
    expect(r.err).toEqual(['detcd run: --bug plants a bug in the simulated product; it cannot be used with --target etcd']);
    expect(existsSync(join(root, 'new-parent'))).toBe(false);
  });

  it('sweep --target etcd --etcd that cannot run: no sweep directory left; exit 3', async () => {
    const out = join(root, 'sweep-missing-etcd');
    const r = await cli(['sweep', '--target', 'etcd', '--etcd', join(root, 'no-such-etcd'), '--scenario', tiny, '--seeds', '1..2', '--out', out]);
    expect(r.code).toBe(3);
    // Refused before the sweep's header line: one line in all.
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^detcd sweep: --etcd .*no-such-etcd: cannot run it \(no such file, nor a program of that name on PATH \(ENOENT\)\)$/);
    expect(existsSync(out)).toBe(false);
  });

  it('keeps an empty directory the user made: detcd removes only what it created', async () => {
    const out = join(root, 'users-empty');
    mkdirSync(out);
    const r = await cli(['run', '--target', 'etcd', '--bug', 'figure8', '--scenario', tiny, '--seed', '1', '--out', out]);
    expect(r.code).toBe(3);
    expect(readdirSync(out)).toEqual([]);
  });
});
