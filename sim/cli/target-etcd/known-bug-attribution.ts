// Which known bugs of the target's etcd release a failed checker's violations may be
// (results.mayBeKnownBug). The verdict stays what the checker said: the server broke the
// guarantee, and the run says which known bug it looks like, so a reader knows it is not news.
import type { CheckResult } from '../../check/verdict.ts';
import type { WatchViolation } from '../../check/watch.ts';
import { watchShapeFacts } from '../../check/watch-bug-shapes.ts';
import type { Op, WatchRecord } from '../../history/op.ts';
import type { KnownBug } from './known-bugs.ts';

export interface AttributionInput {
  /** The checkers' results, by name. */
  readonly checkers: Readonly<Record<string, CheckResult>>;
  /** Checkers whose violations a documented anomaly explains already (not attributed). */
  readonly excused: ReadonlySet<string>;
  /** Bugs no client steps around that the scenario's clients would trip: named for any violation of their checkers. */
  readonly unmitigable: readonly KnownBug[];
  /** Every bug of the release with a watch shape: named when every watch violation has one of their shapes. */
  readonly shaped: readonly KnownBug[];
  readonly watches: readonly WatchRecord[];
  readonly history: readonly Op[];
}

/** By failed checker, the ids of the known bugs its violations may be (empty: none). */
export function mayBeKnownBugs(input: AttributionInput): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, c] of Object.entries(input.checkers)) {
    if (c.valid !== false || input.excused.has(name)) continue;
    const ids = input.unmitigable.filter((b) => b.watchShape === undefined && (b.showsIn ?? []).includes(name) && ofKinds(c, b.violationKinds?.[name])).map((b) => b.id);
    if (name === 'watch') for (const id of watchShapeIds(c, input)) if (!ids.includes(id)) ids.push(id);
    if (ids.length > 0) out[name] = ids;
  }
  return out;
}

/** Whether every violation of `c` is of one of `kinds` (undefined: any kind). */
function ofKinds(c: CheckResult, kinds: readonly string[] | undefined): boolean {
  if (kinds === undefined) return true;
  const violations = (c['violations'] ?? []) as readonly { kind?: unknown }[];
  return violations.length > 0 && violations.every((v) => typeof v.kind === 'string' && kinds.includes(v.kind));
}

/** The shaped bugs that together explain every violation of the watch checker (none when one is left unexplained). */
function watchShapeIds(c: CheckResult, input: AttributionInput): string[] {
  const violations = (c['violations'] ?? []) as readonly WatchViolation[];
  if (violations.length === 0 || input.shaped.length === 0) return [];
  const facts = watchShapeFacts(input.watches, input.history);
  const ids: string[] = [];
  for (const v of violations) {
    const bug = input.shaped.find((b) => b.watchShape?.(v, facts) === true);
    if (bug === undefined) return [];
    if (!ids.includes(bug.id)) ids.push(bug.id);
  }
  return ids;
}
