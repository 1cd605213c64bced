// Bugs of the real etcd versions a run may target that the harness's own clients would trip over
// on every run (of every scenario, or of every scenario whose workload sends the request that
// trips it), with how the run steps around each. The mitigation is
// recorded in results.json (target.mitigations), so a verdict says what it did not exercise, and
// `--no-mitigations` turns them off to reproduce the bug itself.

import type { Scenario } from '../../scenario/schema.ts';
import type { WatchViolation } from '../../check/watch.ts';
import type { WatchShapeFacts } from '../../check/watch-bug-shapes.ts';
import { isCompactRevisionDeleteMissed, isFutureWatchAnswer } from '../../check/watch-bug-shapes.ts';
import { etcdMixOf, withWeights } from '../../workload/etcd-op-names.ts';

export interface KnownBug {
  readonly id: string;
  readonly what: string;
  /**
   * The first fixed release per minor line ("3.4" → "3.4.24"); null: no release of that line is
   * known to fix it; absent lines are not affected.
   */
  readonly fixedIn: Readonly<Record<string, string | null>>;
  /** How the clients step around it; 'none': nothing a client sends avoids it, and a verdict may show it (target.unmitigable). */
  readonly mitigation: 'no-watch-progress-requests' | 'no-past-range-txns' | 'no-watch-resume-at-compact-revision' | 'none';
  readonly mitigationText: string;
  /** The checkers whose violations it can cause (for the bugs no client steps around: results.mayBeKnownBug). */
  readonly showsIn?: readonly string[];
  /**
   * By checker of showsIn, the violation kinds it can cause there (absent: any): a failed checker
   * names it only when every violation is of one of them (etcd#15247 revokes leases early; a
   * lease that outlived its TTL is not its shape, and named so it hid a false alarm of the lease
   * checker's on a real run: lease-failed-transfer seed 1).
   */
  readonly violationKinds?: Readonly<Record<string, readonly string[]>>;
  /**
   * The shape its watch violations have (watch-bug-shapes.ts): a failed watch checker whose every
   * violation has the shape of one of the version's bugs names them in results.mayBeKnownBug,
   * whatever the mitigations did (a mitigation may close one path to the bug, not every one).
   * A bug with a shape is named by its shape only.
   */
  readonly watchShape?: (v: WatchViolation, facts: WatchShapeFacts) => boolean;
  /** Whether a scenario's clients would send what trips the bug (default: every scenario). */
  readonly trippedBy?: (scenario: Scenario) => boolean;
}

/** The workload op of `workload.api: "full"` (and "wide") that writes and reads a past revision in one txn. */
export const PAST_RANGE_TXN = 'past-range-txn';

/** Whether an etcd workload's mix sends txns with a range at a past revision. */
function sendsPastRangeTxns(scenario: Scenario): boolean {
  const w = scenario.workload;
  if (w.kind !== 'etcd') return false;
  return withWeights(etcdMixOf(w.api), w.mix).some(([name, weight]) => name === PAST_RANGE_TXN && weight > 0);
}

export const KNOWN_BUGS: readonly KnownBug[] = [
  {
    id: 'etcd#15220',
    what: 'a requested watch progress notification is not synchronised with the stream: it can carry a revision whose events the watcher has not received yet',
    fixedIn: { '3.4': '3.4.24', '3.5': '3.5.8' },
    mitigation: 'no-watch-progress-requests',
    mitigationText: 'watchers do not send progress requests',
  },
  {
    id: 'etcd#18667',
    what: 'a txn that writes and ranges at a compacted (or future) revision fails on the member the client talks to, which checks the range, and succeeds on the others, which drop its ranges: the members diverge',
    // Fixed on main in 2026 (etcd#21432); no 3.4, 3.5 or 3.6 release is known to carry the fix.
    fixedIn: { '3.4': null, '3.5': null, '3.6': null },
    mitigation: 'no-past-range-txns',
    mitigationText: `clients send no txn with a range at a past revision (workload op ${PAST_RANGE_TXN})`,
    trippedBy: sendsPastRangeTxns,
  },
  {
    id: 'etcd#18089',
    what: 'a watch opened at the compact revision misses a delete made at that revision: compaction removes the tombstone at the compact revision from the backend, which the watch reads its first events from',
    // Backported in August 2024 (etcd#18455/#18456/#18475 for 3.4, #18457/#18461/#18474/#18476
    // for 3.5); 3.6 shipped with the fix. A variant after a crash mid-compaction is etcd#19179.
    fixedIn: { '3.4': '3.4.34', '3.5': '3.5.16' },
    mitigation: 'no-watch-resume-at-compact-revision',
    mitigationText: 'a watcher cancelled by a compaction ends instead of watching again from the compact revision (clients.watchResumeAtCompactRevision off)',
    trippedBy: (scenario) => scenario.clients.watchers && scenario.clients.watchResumeAtCompactRevision,
    // The mitigation closes the compaction-cancel path only: a watcher that reconnects after a
    // member failure at last-seen + 1 = the compact revision trips it too (real etcd 3.4.23,
    // watch-compaction-churn seed 3: compact(15) at a delete's revision, the watcher re-opened
    // on another member at 15 and first got PUT@16). Named by its shape wherever it shows.
    watchShape: isCompactRevisionDeleteMissed,
  },
  {
    id: 'etcd#20221',
    what: 'a watch opened at a revision the member has not reached (a client resuming on a lagging member at last-seen + 1) is sent progress notifications at the member\'s lower revision, and may be sent events below its start revision: progress goes back for the client',
    // etcd#20229 ("Skip sending progress notification for watch with starting revision in the
    // future") fixed the progress half in 3.6.2; its backports (#20250 for 3.4, #20245 for 3.5)
    // carry no release number we could confirm, and the issue stays open for the events half.
    fixedIn: { '3.4': null, '3.5': null, '3.6': null },
    mitigation: 'none',
    showsIn: ['watch'],
    mitigationText: 'nothing a client sends avoids it: a watcher that moves to a lagging member may show it',
    trippedBy: (scenario) => scenario.clients.watchers,
    watchShape: isFutureWatchAnswer,
  },
  {
    id: 'etcd#15247',
    what: 'a leader stalled (paused, slow disk or CPU) past its leases\' TTLs goes on expiring them when it wakes, before it learns of the new leader; its revoke proposals are forwarded to the new leader and commit, so a lease the new leader renewed is revoked early (the lease checker: revoked-early; the lock checker: an overlap no documented anomaly explains)',
    // 3.4.30 and 3.5.13 carry #16822 (#17465, #17480), which etcd calls a mitigation: a member
    // that is not the leader in raft's state no longer revokes, but the window is not closed.
    fixedIn: { '3.4': null, '3.5': null, '3.6': null },
    mitigation: 'none',
    showsIn: ['lock', 'lease'],
    violationKinds: { lease: ['revoked-early'] },
    mitigationText: 'nothing a client sends avoids it: a run whose leader stalls longer than a lease TTL may show it',
    trippedBy: (scenario) => scenario.workload.kind === 'lock' || scenario.workload.kind === 'lease',
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

/**
 * The known bugs `version` ("3.4.23") has that `scenario`'s clients would trip (every one when no
 * scenario is given). Versions of lines the table does not list are taken as fixed.
 */
export function knownBugsOf(version: string, scenario?: Scenario): KnownBug[] {
  const [major, minor] = parts(version);
  const line = `${major}.${minor}`;
  return KNOWN_BUGS.filter((b) => {
    const fixed = b.fixedIn[line];
    if (fixed === undefined || (fixed !== null && !below(version, fixed))) return false;
    return scenario === undefined || b.trippedBy === undefined || b.trippedBy(scenario);
  });
}

/** The scenario as the run's clients send it with `bugs` stepped around (only what the workload can change). */
export function mitigatedScenario(scenario: Scenario, bugs: readonly KnownBug[]): Scenario {
  const mitigates = (m: KnownBug['mitigation']): boolean => bugs.some((b) => b.mitigation === m);
  let out = scenario;
  if (mitigates('no-past-range-txns') && out.workload.kind === 'etcd') out = { ...out, workload: { ...out.workload, mix: { ...out.workload.mix, [PAST_RANGE_TXN]: 0 } } };
  if (mitigates('no-watch-resume-at-compact-revision') && out.clients.watchResumeAtCompactRevision) out = { ...out, clients: { ...out.clients, watchResumeAtCompactRevision: false } };
  return out;
}
