// What `detcd replay` compares besides the trace hash: the verdict, each checker's verdict, the
// error and every statistic but the wall time. A results.json edited by hand, or a checker that
// is not deterministic, shows here even when the trace is the same.
import type { Results } from '../../run/results.ts';
import { pushAll } from '../../array/stack-safe.ts';

/** Statistics that measure the machine, not the run. */
const MACHINE_STATS: ReadonlySet<string> = new Set(['wallMs']);

function show(v: unknown): string {
  return v === undefined ? 'absent' : JSON.stringify(v);
}

function statDifferences(before: Record<string, unknown>, now: Record<string, unknown>): string[] {
  const out: string[] = [];
  const names = [...new Set([...Object.keys(before), ...Object.keys(now)])].filter((n) => !MACHINE_STATS.has(n)).sort();
  for (const name of names) {
    if (JSON.stringify(before[name]) !== JSON.stringify(now[name])) out.push(`stats.${name}: was ${show(before[name])}, now ${show(now[name])}`);
  }
  return out;
}

/** Each field of the recorded result that the replay did not reproduce, as `field: was X, now Y`. */
export function resultDifferences(before: Results, now: Results): string[] {
  const out: string[] = [];
  if (before.valid !== now.valid) out.push(`valid: was ${show(before.valid)}, now ${show(now.valid)}`);
  if (before.error !== now.error) out.push(`error: was ${show(before.error)}, now ${show(now.error)}`);
  const beforeCheckers = typeof before.checkers === 'object' && before.checkers !== null ? before.checkers : {};
  const names = [...new Set([...Object.keys(beforeCheckers), ...Object.keys(now.checkers)])].sort();
  for (const name of names) {
    const was = beforeCheckers[name]?.valid;
    const is = now.checkers[name]?.valid;
    if (was !== is) out.push(`checkers.${name}.valid: was ${show(was)}, now ${show(is)}`);
  }
  const beforeStats = typeof before.stats === 'object' && before.stats !== null ? (before.stats as unknown as Record<string, unknown>) : {};
  pushAll(out, statDifferences(beforeStats, now.stats));
  return out;
}
