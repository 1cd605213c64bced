// The moments a lessor may have restarted the leases, for the lease checker: each leader span of
// the timeline, with the checkpointed remaining TTLs its leader promoted with. A span without a
// leader (the timeline saw none at its sample) restarts nothing by itself: only a leader that
// applied its term's first entry promotes, and one that led unseen between two samples left that
// entry in the committed log. So a leaderless span stays a restart only when a term between the
// leaders seen around it promoted, with the largest remaining TTL any of them had for each lease
// (a lease one of them held no checkpoint for restarted in full). Before, every leaderless span
// counted as a restart at the full TTL: a graceful leader move (the old leader steps down a few ms
// before the new one is seen) hid a new leader that restarted checkpointed leases in full
// (holdout 15: checkpoint-ignored-at-promotion, lease-checkpoint-leader-change 0 of 4). A leader
// the timeline saw that never promoted (deposed before it applied its term's first entry) is taken
// the same way: it counted as a restart at the full TTL.
import type { LeaderSpan } from '../etcd/leader-timeline.ts';

export interface LeasePromotions {
  /** The checkpointed remaining TTL (s) of each lease when term's leader promoted; undefined: none seen. */
  ttlsAt(term: number): ReadonlyMap<string, number> | undefined;
  /** Every term whose leader could have promoted, ascending (absent: unknown, a leaderless span restarts every lease in full). */
  terms?: () => readonly number[];
}

export interface LeaseRestarts {
  readonly changesUs: number[];
  /** Per change: the remaining TTLs leases restarted from (undefined: every lease in full). */
  readonly ttls: (ReadonlyMap<string, number> | undefined)[];
}

export function leaseRestarts(spans: readonly LeaderSpan[], promotions: LeasePromotions | undefined): LeaseRestarts {
  const changesUs: number[] = [];
  const ttls: (ReadonlyMap<string, number> | undefined)[] = [];
  for (let i = 0; i < spans.length; i++) {
    const restart = restartAt(spans, i, promotions);
    if (restart === undefined) continue;
    changesUs.push(spans[i]!.startUs);
    ttls.push(restart.ttls);
  }
  return { changesUs, ttls };
}

/** Span i as a restart and the TTLs it restarted from; undefined when it restarted nothing. */
function restartAt(spans: readonly LeaderSpan[], i: number, promotions: LeasePromotions | undefined): { ttls: ReadonlyMap<string, number> | undefined } | undefined {
  const term = spans[i]!.term;
  if (promotions === undefined) return { ttls: undefined };
  if (promotions.terms === undefined) return { ttls: term > 0 ? promotions.ttlsAt(term) : undefined };
  const promoted = promotions.terms();
  if (term > 0 && promoted.includes(term)) return { ttls: promotions.ttlsAt(term) };
  // No leader seen, or one seen that never promoted (deposed before it applied its term's first
  // entry): its lessor restarted nothing, only a term that promoted unseen around it did.
  const unseen = unseenPromotions(spans, i, promoted);
  return unseen.length === 0 ? undefined : { ttls: largestTtls(unseen.map((t) => promotions.ttlsAt(t))) };
}

/** Terms that promoted after the last leader seen before span i and before the next one seen after it. */
function unseenPromotions(spans: readonly LeaderSpan[], i: number, promoted: readonly number[]): number[] {
  let before = 0;
  for (let k = i - 1; k >= 0 && before === 0; k--) before = spans[k]!.term;
  let after = Infinity;
  for (let k = i + 1; k < spans.length && after === Infinity; k++) if (spans[k]!.term > 0) after = spans[k]!.term;
  return promoted.filter((t) => t > before && t < after);
}

/** Per lease, the largest remaining TTL of the maps; a lease missing from one (or an unknown map) restarts in full. */
function largestTtls(maps: readonly (ReadonlyMap<string, number> | undefined)[]): ReadonlyMap<string, number> | undefined {
  if (maps.some((m) => m === undefined)) return undefined;
  const first = maps[0] as ReadonlyMap<string, number>;
  const out = new Map<string, number>();
  for (const [id, ttl] of first) {
    let max = ttl;
    for (const m of maps) {
      const other = m!.get(id);
      if (other === undefined) {
        max = Infinity;
        break;
      }
      max = Math.max(max, other);
    }
    if (max !== Infinity) out.set(id, max);
  }
  return out;
}
