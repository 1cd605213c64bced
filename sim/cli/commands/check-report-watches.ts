// A detcd report's watch streams judged by `detcd check` as its run judged them. A run ends only
// once its liveness phase found every member at one revision and every open watcher past it
// (sim/run/liveness.ts, watchesCaughtUpRevision), so the run's watch checker also judges that
// each open watch delivered everything up to that revision. results.json keeps the liveness
// verdict with each member's revision: from it `detcd check` judges the same, where it used to
// say "delivery up to the end not judged" for the history its run called complete.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { LivenessResult } from '../../run/liveness.ts';

/**
 * The revision the run of the report `history` (its history.jsonl) found every open watch caught
 * up to, when `watchesFile` is that report's own watches.jsonl and its results.json records a
 * liveness phase that converged; otherwise undefined (delivery up to the end is then not judged).
 */
export async function reportCaughtUpRevision(history: string, watchesFile: string | undefined): Promise<number | undefined> {
  if (basename(history) !== 'history.jsonl' || watchesFile !== join(dirname(history), 'watches.jsonl')) return undefined;
  let results: unknown;
  try {
    results = JSON.parse(readFileSync(join(dirname(history), 'results.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const liveness = (results as { checkers?: { liveness?: unknown } } | null)?.checkers?.liveness;
  if (!isLiveness(liveness)) return undefined;
  return (await import('../../run/liveness.ts')).watchesCaughtUpRevision(liveness);
}

/** A liveness verdict as a run writes it, as far as the caught-up revision reads it: anything else is no evidence. */
function isLiveness(v: unknown): v is LivenessResult {
  if (typeof v !== 'object' || v === null) return false;
  const l = v as Record<string, unknown>;
  if (typeof l['valid'] !== 'boolean' || typeof l['convergedAfterMs'] !== 'number') return false;
  const members = l['members'];
  if (typeof members !== 'object' || members === null || Array.isArray(members)) return false;
  return Object.values(members).every((m) => m === null || (typeof m === 'object' && typeof (m as Record<string, unknown>)['up'] === 'boolean' && Number.isSafeInteger((m as Record<string, unknown>)['revision']) && ((m as Record<string, number>)['revision'] ?? -1) >= 0));
}
