// Which known bugs of the checked etcd's release a failed checker's violations may be, for
// `detcd check` (the run target names them the same way: results.mayBeKnownBug). The release
// comes from --etcd-version, or from the detcd report the history belongs to (results.json
// beside history.jsonl: target.version). An etcd robustness-test report does not record the
// release its server ran (its WAL holds the cluster version, major.minor.0, not the patch a fix
// came in), so there --etcd-version names it. The verdict stays what the checkers said.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CheckResult } from '../../check/verdict.ts';
import type { Op, WatchRecord } from '../../history/op.ts';
import { mayBeKnownBugs } from '../target-etcd/known-bug-attribution.ts';
import { knownBugsOf } from '../target-etcd/known-bugs.ts';

/** An etcd release as `etcd --version` prints it: 3.4.23, 3.5.0-alpha.0. */
const RELEASE = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

export function isEtcdRelease(v: string): boolean {
  return RELEASE.test(v);
}

/**
 * The forms a user writes an etcd release in, around the release itself: its git tag (v3.4.23),
 * its archive's name (etcd-v3.4.23, etcd-v3.4.23-linux-amd64.tar.gz), the line `etcd --version` prints (etcd Version: 3.4.23).
 */
const RELEASE_WRITTEN = /^(?:etcd(?:\s+version:?\s*|[-\s@]))?v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)$/i;
/** What a release archive's name adds after the release: etcd-v3.4.23-linux-amd64.tar.gz. */
const ARCHIVE_SUFFIX = /-(?:linux|darwin|windows|freebsd)-[0-9a-z]+(?:\.tar\.gz|\.zip)?$/i;

/** The release `written` names ("3.4.23" for v3.4.23, etcd-v3.4.23, "etcd Version: 3.4.23"), or undefined when it names none. */
export function etcdRelease(written: string): string | undefined {
  const m = RELEASE_WRITTEN.exec(written.trim().replace(ARCHIVE_SUFFIX, ''));
  return m === null ? undefined : m[1];
}

/** The etcd release of the detcd report `file` (a history.jsonl) belongs to, from its results.json; undefined when it has none. */
export function reportEtcdVersion(file: string): string | undefined {
  if (basename(file) !== 'history.jsonl') return undefined;
  let results: unknown;
  try {
    results = JSON.parse(readFileSync(join(dirname(file), 'results.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const target = (results as { target?: { kind?: unknown; version?: unknown } } | null)?.target;
  return target?.kind === 'etcd' && typeof target.version === 'string' && isEtcdRelease(target.version) ? target.version : undefined;
}

/** By failed checker, the known bugs of `version` its violations may be: bugs no client steps around that show in it, and watch bugs by their shape. */
export function checkedMayBeKnownBugs(version: string, checkers: Readonly<Record<string, CheckResult>>, watches: readonly WatchRecord[], history: readonly Op[]): Record<string, string[]> {
  const bugs = knownBugsOf(version);
  return mayBeKnownBugs({
    checkers,
    excused: new Set(),
    unmitigable: bugs.filter((b) => b.mitigation === 'none'),
    shaped: bugs.filter((b) => b.watchShape !== undefined),
    watches,
    history,
  });
}
