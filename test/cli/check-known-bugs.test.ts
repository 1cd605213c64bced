// detcd check names the known bugs of the checked etcd release that a violation may be, as a run
// against real etcd does (results.mayBeKnownBug): the release from --etcd-version, or from the
// detcd report the history belongs to (results.json's target.version). An etcd robustness-test
// report does not record its release, so without the flag the check says how to name it.
// The verdict stays what the checker said.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Op, WatchRecord } from '../../sim/history/op.ts';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const RUN = join(import.meta.dirname, '../fixtures/check/etcd-robustness/real-etcd-3.4.23-kill-leader-3-watch');
const WATCHER = 'client-3000002';
const dir = scratchDir('detcd-check-known-bugs-');

interface Response {
  Events: Record<string, unknown>[] | null;
  IsProgressNotify: boolean;
  Revision: number;
  Time: number;
}

/** A copy of the robustness run whose WATCHER's `line`-th watch gets `edit`. */
function planted(name: string, line: number, edit: (op: { Request: { Revision: number }; Responses: Response[] }) => void): string {
  const to = join(dir, name);
  cpSync(RUN, to, { recursive: true });
  const file = join(to, WATCHER, 'watch.json');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const op = JSON.parse(lines[line]!) as { Request: { Revision: number }; Responses: Response[] };
  edit(op);
  lines[line] = JSON.stringify(op);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return to;
}

/** etcd#20221's progress half: the watch re-opened at 52, told progress at 65, then (on a member behind it) at the member's 40. */
const lagging = planted('progress-behind-start', 2, (op) => {
  expect(op.Request.Revision).toBe(52);
  const last = op.Responses.at(-1)!;
  op.Responses.push({ Events: null, IsProgressNotify: true, Revision: last.Revision, Time: last.Time + 1000 }, { Events: null, IsProgressNotify: true, Revision: 40, Time: last.Time + 2000 });
});

/** Another violation: an event missed (reliable), which no known bug's shape explains. */
const missed = planted('missed-event', 1, (op) => {
  op.Responses.splice(3, 1);
});

describe('detcd check: which known bug of the checked etcd a violation may be', () => {
  it('a robustness report (no release recorded): the violation stands, and the check says --etcd-version names its known bugs', async () => {
    const r = await cli(['check', '--model', 'etcd', lagging]);
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toMatch(/watch: .*bookmarkable/);
    expect(r.out.at(-1)).toBe('  (the report does not name the etcd release that answered: --etcd-version V names the known bugs of V its violations may be)');
  });

  it('--etcd-version 3.4.23 names etcd#20221 for a progress notification below the watch\'s start; the exit code stays 1', async () => {
    const r = await cli(['check', '--model', 'etcd', '--etcd-version', '3.4.23', lagging]);
    expect(r.code).toBe(1);
    expect(r.out.at(-1)).toBe('  watch: may be etcd#20221, a known bug of etcd 3.4.23 (every violation has its shape, or no client can step around it)');
    const json = await cli(['check', '--model', 'etcd', '--json', '--etcd-version', '3.4.23', lagging]);
    expect(JSON.parse(json.out[0]!)).toMatchObject({ valid: false, watch: { valid: false }, etcdVersion: '3.4.23', mayBeKnownBug: { watch: ['etcd#20221'] } });
  });

  it('not for a release without the bug, nor for a violation of another shape', async () => {
    const older = await cli(['check', '--model', 'etcd', '--etcd-version', '3.3.27', lagging]);
    expect(older.code).toBe(1);
    expect(older.out.join('\n')).not.toContain('may be');
    const other = await cli(['check', '--model', 'etcd', '--etcd-version', '3.4.23', missed]);
    expect(other.code).toBe(1);
    expect(other.out.join('\n')).not.toContain('may be');
    expect(other.out.join('\n')).not.toContain('--etcd-version V');
  });

  it('a detcd report\'s history.jsonl: the release comes from its results.json', async () => {
    const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/real/etcd-20221-lagging-member.json'), 'utf8')) as { watches: WatchRecord[]; history: Op[] };
    const report = join(dir, 'report');
    mkdirSync(report, { recursive: true });
    const write = (name: string, rows: readonly unknown[]) => writeFileSync(join(report, name), rows.map((x) => `${JSON.stringify(x)}\n`).join(''));
    write('history.jsonl', [{ index: 0, time: 1, process: 0, type: 'invoke', f: 'kv/range', value: { key: 'aw==' } }, { index: 1, time: 2, process: 0, type: 'ok', f: 'kv/range', value: { header: { revision: '1' } } }, ...fixture.history]);
    write('watches.jsonl', fixture.watches);
    const history = join(report, 'history.jsonl');
    const plain = await cli(['check', '--model', 'etcd', history]);
    expect(plain.code).toBe(1);
    expect(plain.out.join('\n')).not.toContain('may be');
    writeFileSync(join(report, 'results.json'), JSON.stringify({ valid: false, target: { kind: 'etcd', version: '3.4.23' } }));
    const named = await cli(['check', '--model', 'etcd', history]);
    expect(named.code).toBe(1);
    expect(named.out.at(-1)).toBe('  watch: may be etcd#20221, a known bug of etcd 3.4.23 (every violation has its shape, or no client can step around it)');
  });

  it('a release as users write it: its tag, its archive\'s name, etcd --version\'s line, each names the release itself', async () => {
    for (const written of ['v3.4.23', 'V3.4.23', ' 3.4.23 ', 'etcd-v3.4.23', 'etcd-v3.4.23-linux-amd64.tar.gz', 'etcd v3.4.23', 'etcd Version: 3.4.23']) {
      const json = await cli(['check', '--model', 'etcd', '--json', '--etcd-version', written, lagging]);
      expect([written, json.code, json.err]).toEqual([written, 1, []]);
      expect(JSON.parse(json.out[0]!)).toMatchObject({ etcdVersion: '3.4.23', mayBeKnownBug: { watch: ['etcd#20221'] } });
    }
  });

  it('a release that is not one, or the flag with another model: one line, exit 3', async () => {
    const notARelease = (v: string): string => `detcd check: --etcd-version '${v}' is not an etcd release (3.4.23 or v3.4.23)`;
    for (const [argv, line] of [
      ...['3.4', 'v3.4', '3.4.x', 'latest', '3.4.23.1', 'vv3.4.23', 'etcd'].map((v) => [['--model', 'etcd', '--etcd-version', v, RUN], notARelease(v)] as const),
      [['--model', 'etcd', '--etcd-version', '3.4\n.23', RUN], notARelease('3.4\\n.23')],
      [['--model', 'kv', '--etcd-version', '3.4.23', RUN], 'detcd check: --etcd-version applies to --model etcd only'],
    ] as const) {
      const r = await cli(['check', ...argv]);
      expect([r.code, r.err]).toEqual([3, [line]]);
    }
  });
});
