// The end of `detcd serve --scenario`: with the ports closed, heal every fault, run the liveness
// phase in simulated time (a probe write through every member, then convergence), judge what
// the clients saw with the same checkers as `detcd run`, and write the same report.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeRunReportTo } from '../../report/index.ts';
import { runChecks } from '../../run/checks.ts';
import { runLiveness, type LivenessResult } from '../../run/liveness.ts';
import { buildResults } from '../../run/results-build.ts';
import { detcdBuild } from '../harness/detcd-build.ts';
import { runStopOf } from '../../run/run-stop.ts';
import { raftVerdict } from '../../run/scenario-cluster.ts';
import type { Results } from '../../run/results.ts';
import type { ServeHandle } from './serve-cluster.ts';
import { shellWord } from '../../text/shell-word.ts';

/** Simulated time the harness may spend logging in again after the heal, before the liveness phase. */
const AUTH_SETTLE_US = 10_000_000;

export interface ServeOutcome {
  readonly results: Results;
  readonly dir: string;
}

/**
 * A serve runs for as long as its user likes: its raft line says where the observer's tables
 * start (every index below is gone from every member's log and disk, observer-floor.ts), so the
 * memory they hold is seen to follow the logs, not the run.
 */
function withObserverBound(raft: ReturnType<typeof raftVerdict>): ReturnType<typeof raftVerdict> {
  const t = raft['observerTables'] as { compactIndex: number; indexesKept: number } | undefined;
  if (t === undefined) return raft;
  return { ...raft, summary: `${raft.summary}; the Raft observer keeps indexes from ${t.compactIndex} on (${t.indexesKept} held), below every member's log and disk` };
}

/** Closes `handle`, heals, checks and writes the report into `dir`. Needs a serve with a scenario. */
export async function finishServe(handle: ServeHandle, dir: string, scenarioRef: string): Promise<ServeOutcome> {
  const history = handle.history;
  if (history === undefined) throw new Error('finishServe: serve was started without a scenario, so nothing was recorded');
  await handle.close();
  const { cluster, observers, nemesis, schedule, drawn, probes, watchers, harnessAuth, seed, bug, wallStartMs } = handle.internals;
  const scenario = handle.scenario;
  let stop = handle.fatal;
  let liveness: LivenessResult | undefined;
  if (stop === undefined) {
    try {
      nemesis.healAll();
      // With authentication on, the probes first need a token every member holds.
      harnessAuth.settle(AUTH_SETTLE_US);
      liveness = runLiveness(cluster.world, cluster, probes, watchers, scenario.liveness.budgetMs);
      for (const w of watchers) w.cancel();
    } catch (err) {
      stop = runStopOf(err, cluster.world.loop.now());
      if (stop === undefined) throw err;
    }
  }
  const leaders = observers.leaders.timeline();
  // Real clients' watch streams ended with the ports (recorded closed: owed nothing past their
  // close); serve's own watchers stayed open through the liveness phase and are owed its end.
  const checkers = runChecks({ scenario, history: history.ops, watches: history.watches, lockHistory: undefined, liveness, raft: withObserverBound(raftVerdict(observers)), leaders, stop });
  const results = buildResults({
    scenario, seed, bug, checkers, history: history.ops, world: cluster.world, leaders, events: cluster.eventCounts(), nemesis, drawn, schedule, error: stop?.message, stop,
    wallMs: performance.now() - wallStartMs,
    // Real clients cannot be replayed; the recorded history can be checked again.
    replay: `detcd check --model etcd ${shellWord(join(dir, 'history.jsonl'))}`,
    shrink: undefined,
    historyTruncated: history.truncated,
    version: detcdBuild(),
  });
  results.options = { ...results.options, target: 'serve', clients: 'real clients over gRPC and the JSON gateway', scenarioRef };
  await writeRunReportTo(dir, { results, history: history.ops, watches: history.watches, trace: [], scenario });
  writeFileSync(join(dir, 'scenario.json'), `${JSON.stringify(scenario, null, 2)}\n`);
  return { results, dir };
}
