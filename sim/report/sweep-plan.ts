// What a sweep set out to run, kept in its sweep.json: the scenarios, the seed range, which
// shard of how many, the planted bug and the detcd version. A merge reads it to tell the
// shards of one sweep from another's: shards of different seed ranges, scenarios, bugs or
// versions, the same shard twice, a shard missing, or a run that no shard of the plan holds
// (a hand-edited sweep.json) would each give a merged verdict about a sweep nobody ran.
import type { RunSummary } from './run-summary.ts';

export interface SweepPlanSummary {
  /** Scenario names in the order the sweep ran them (its shards interleave over scenario x seed). */
  scenarios: string[];
  /** The seed range, inclusive. */
  seeds: [number, number];
  /** 1 <= index <= count; a whole sweep (or a merge of every shard) is 1 of 1. */
  shard: { index: number; count: number };
  bug?: string;
  /** The detcd build that ran it ("detcd 0.1.0+3f9a0c21b7e4": sim/cli/harness/detcd-build.ts). */
  detcd: string;
}

const isWhole = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** The first wrong field of a sweep.json's plan, or undefined. */
export function planProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'plan is not an object';
  const p = v as Record<string, unknown>;
  const scenarios = p['scenarios'];
  if (!Array.isArray(scenarios) || scenarios.length === 0 || !scenarios.every((s) => typeof s === 'string')) return 'plan.scenarios is not a list of scenario names';
  const seeds = p['seeds'];
  if (!Array.isArray(seeds) || seeds.length !== 2 || !isWhole(seeds[0]) || !isWhole(seeds[1]) || seeds[1] < seeds[0]) return 'plan.seeds is not [first, last] seeds';
  const shard = p['shard'] as Record<string, unknown> | null | undefined;
  if (typeof shard !== 'object' || shard === null || !isWhole(shard['index']) || !isWhole(shard['count']) || shard['index'] < 1 || shard['index'] > shard['count']) return 'plan.shard is not {index, count} with 1 <= index <= count';
  if (p['bug'] !== undefined && typeof p['bug'] !== 'string') return 'plan.bug is not a string';
  if (typeof p['detcd'] !== 'string') return 'plan.detcd is not a string';
  return undefined;
}

/** Whether a (scenario, seed) is one of the plan's runs, in its own shard. */
function inShard(plan: SweepPlanSummary, scenario: string, seed: number): boolean {
  const s = plan.scenarios.indexOf(scenario);
  if (s < 0 || seed < plan.seeds[0] || seed > plan.seeds[1]) return false;
  const flat = s * (plan.seeds[1] - plan.seeds[0] + 1) + (seed - plan.seeds[0]);
  return flat % plan.shard.count === plan.shard.index - 1;
}

const describeField = {
  scenarios: (p: SweepPlanSummary): string => p.scenarios.join(','),
  seeds: (p: SweepPlanSummary): string => `${p.seeds[0]}..${p.seeds[1]}`,
  'shard count': (p: SweepPlanSummary): string => String(p.shard.count),
  bug: (p: SweepPlanSummary): string => p.bug ?? '(none)',
  'detcd version': (p: SweepPlanSummary): string => p.detcd,
};

export interface PlannedShard {
  dir: string;
  plan?: SweepPlanSummary | undefined;
  runs: readonly RunSummary[];
}

/**
 * Why these shards do not make one sweep, in one line naming the directories and the field, or
 * undefined when they do (or when none records its plan: sweeps written before plans existed).
 */
export function shardPlanConflict(shards: readonly PlannedShard[]): string | undefined {
  const first = shards[0];
  if (first === undefined) return undefined;
  const withPlan = shards.filter((s) => s.plan !== undefined);
  if (withPlan.length === 0) return undefined;
  const without = shards.find((s) => s.plan === undefined);
  if (without !== undefined) return `${without.dir}/sweep.json records no sweep plan (an older detcd wrote it) but ${withPlan[0]!.dir}/sweep.json does: merge shards written by one detcd version`;
  const a = first.plan!;
  for (const s of shards.slice(1)) {
    for (const [field, show] of Object.entries(describeField)) {
      if (show(a) !== show(s.plan!)) return `${s.dir} is a shard of another sweep: its ${field} is ${show(s.plan!)}, ${first.dir}'s is ${show(a)}`;
    }
  }
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const seen = byIndex.get(s.plan!.shard.index);
    if (seen !== undefined) return `${seen} and ${s.dir} are both shard ${s.plan!.shard.index}/${a.shard.count} of the sweep`;
    byIndex.set(s.plan!.shard.index, s.dir);
  }
  for (const s of shards) {
    const stray = s.runs.find((r) => !inShard(s.plan!, r.scenario, r.seed));
    if (stray !== undefined) return `${s.dir}/sweep.json holds ${stray.scenario} seed ${stray.seed}, which is not a run of shard ${s.plan!.shard.index}/${a.shard.count} of its plan (scenarios ${describeField.scenarios(a)}, seeds ${describeField.seeds(a)}): was it edited?`;
  }
  const missing = Array.from({ length: a.shard.count }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map((k) => `${k}/${a.shard.count}`).join(', ');
    return `shard${missing.length === 1 ? '' : 's'} ${shown}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} of the sweep ${missing.length === 1 ? 'is' : 'are'} missing: a merge without ${missing.length === 1 ? 'it' : 'them'} would judge seeds nobody ran (give every shard's directory)`;
  }
  return undefined;
}

/** The plan of the merged sweep: the shards' common plan, as one whole shard. */
export function mergedPlan(shards: readonly PlannedShard[]): SweepPlanSummary | undefined {
  const plan = shards[0]?.plan;
  return plan === undefined || shards.some((s) => s.plan === undefined) ? undefined : { ...plan, shard: { index: 1, count: 1 } };
}
