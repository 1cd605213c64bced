// Bugs of the real etcd versions a run may target that the harness's own clients would trip over
// on every run, whatever the scenario, with how the run steps around each. The mitigation is
// recorded in results.json (target.mitigations), so a verdict says what it did not exercise, and
// `--no-mitigations` turns them off to reproduce the bug itself.

export interface KnownBug {
  readonly id: string;
  readonly what: string;
  /** The first fixed release per minor line ("3.4" → "3.4.24"); absent lines are not affected. */
  readonly fixedIn: Readonly<Record<string, string>>;
  readonly mitigation: 'no-watch-progress-requests';
  readonly mitigationText: string;
}

export const KNOWN_BUGS: readonly KnownBug[] = [
  {
    id: 'etcd#15220',
    what: 'a requested watch progress notification is not synchronised with the stream: it can carry a revision whose events the watcher has not received yet',
    fixedIn: { '3.4': '3.4.24', '3.5': '3.5.8' },
    mitigation: 'no-watch-progress-requests',
    mitigationText: 'watchers do not send progress requests',
  },
];

function parts(version: string): number[] {
  return version.split(/[.-]/).slice(0, 3).map((x) => Number.parseInt(x, 10) || 0);
}

function below(version: string, fixed: string): boolean {
  const [a, b] = [parts(version), parts(fixed)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** The known bugs `version` ("3.4.23") has. Versions of lines the table does not list are taken as fixed. */
export function knownBugsOf(version: string): KnownBug[] {
  const [major, minor] = parts(version);
  const line = `${major}.${minor}`;
  return KNOWN_BUGS.filter((b) => {
    const fixed = b.fixedIn[line];
    return fixed !== undefined && below(version, fixed);
  });
}
