// The revision gaps a history may hold before the etcd model stops listing them. Each gap (a
// revision no known write made) is listed and must be filled by one op of the history (a write
// of unknown outcome, a lease's revoke or expiry): an answer whose revision jumps far past the
// others (a corrupt header, or clients the history does not hold writing meanwhile) made the
// model list every revision in between — 10^9 of them never ended. Past the bound they are
// counted, not listed, and the count decides: the bound is never below what the history's ops
// could fill (2 per op), so a history past it is not linearizable (history-check/etcd.ts).

/** Gaps listed whatever the history's length: a million numbers (tens of MB) is within a laptop's memory. */
export const GAPS_LISTED_MIN = 1_000_000;

/** Thrown by etcdOperations when a history's gaps pass the bound: more than its ops could fill, so the check says not linearizable with this reason. */
export class RevisionGapBound extends Error {
  constructor(readonly gaps: number, readonly fillersMax: number) {
    super(`the answers skip ${gaps} revisions no op of the history made, more than its ops could make (at most ${fillersMax}: one per op and one per lease expiry; writes the history does not hold?)`);
    this.name = 'RevisionGapBound';
  }
}

/**
 * Refuses to list more than max(GAPS_LISTED_MIN, fillersMax) gaps in (initialRevision,
 * maxRevision]: `created` holds the revisions known writes made (counted, not listed).
 */
export function checkGapCount(initialRevision: number, maxRevision: number, created: ReadonlySet<number>, fillersMax: number): void {
  const span = maxRevision - initialRevision;
  if (span <= Math.max(GAPS_LISTED_MIN, fillersMax)) return;
  let made = 0;
  for (const r of created) if (r > initialRevision && r <= maxRevision) made++;
  const gaps = span - made;
  if (gaps > Math.max(GAPS_LISTED_MIN, fillersMax)) throw new RevisionGapBound(gaps, fillersMax);
}
