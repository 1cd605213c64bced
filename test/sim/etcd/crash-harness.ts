// Kills a member at every step of a window of work and checks what recovers. For each k, a
// fresh cluster with the same seed (so the same events) runs the setup, issues the requests,
// handles exactly k more world events, crashes `victim`, restarts it, and lets it recover. The
// result tells which acknowledged writes were lost and whether the revision went backwards.
import type { MemberConfig } from '../../../src/server/member-config.ts';
import type { StateMachinePort } from '../../../src/server/state-machine-port.ts';
import type { CallResult, EtcdRequest } from '../../../sim/etcd/client.ts';
import type { MemberSettings } from '../../../sim/etcd/cluster.ts';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';

export interface CrashCase {
  seed: number;
  members: number;
  settings: Partial<MemberSettings>;
  makeStateMachine: (c: MemberConfig) => StateMachinePort;
  /** Requests sent one after another before the window (not crashed during). */
  setup: EtcdRequest[];
  /** Requests sent at once at the start of the window. */
  window: EtcdRequest[];
  /** Which member to kill: 'leader', 'follower' (the first that is not leader) or a name. */
  victim: string;
  /** The revision every member must settle at, when the window's outcome is certain. */
  settledRevision?: number;
}

export interface CrashOutcome {
  k: number;
  /** Revisions of writes acknowledged (ok) before the crash. */
  acknowledged: number[];
  /** Highest revision any response carried before the crash. */
  maxSeenRevision: number;
  /** The victim's revision right after restart (recovery replays the durable log). */
  revisionAfterRestart: number;
  /** Its revision once the cluster settled. */
  revisionSettled: number;
  converged: boolean;
}

function revisionOf(r: CallResult): number {
  const rev = (r.body as { header?: { revision?: string } } | undefined)?.header?.revision;
  return rev === undefined ? 0 : Number(rev);
}

function boot(c: CrashCase): { cluster: EtcdCluster; results: CallResult[]; victim: string } {
  const cluster = new EtcdCluster({ seed: c.seed, members: c.members, settings: c.settings, makeStateMachine: c.makeStateMachine });
  cluster.observeRaftInvariants(`crash case seed ${c.seed}`);
  cluster.start();
  if (!cluster.runUntilTrue(() => cluster.leader() !== undefined, 10_000_000)) throw new Error('no leader');
  const client = cluster.client('setup', { requestTimeoutUs: 5_000_000 });
  for (const req of c.setup) {
    let done: CallResult | undefined;
    client.call(req, 0, (r) => { done = r; });
    cluster.runUntilTrue(() => done !== undefined, 20_000_000);
    if (done?.type !== 'ok') throw new Error(`setup request failed: ${JSON.stringify(done)}`);
  }
  const leader = cluster.leader() as string;
  const victim = c.victim === 'leader' ? leader : c.victim === 'follower' ? (cluster.names.find((n) => n !== leader) as string) : c.victim;
  const results: CallResult[] = [];
  const w = cluster.client('window', { requestTimeoutUs: 5_000_000, members: [cluster.leader() as string] });
  c.window.forEach((req, i) => w.call(req, 1 + i, (r) => results.push(r)));
  return { cluster, results, victim };
}

/** Events the window takes to finish when nothing crashes (the range of k to try). */
export function windowLength(c: CrashCase): number {
  const { cluster, results } = boot(c);
  const start = cluster.world.loop.steps;
  cluster.runUntilTrue(() => results.length === c.window.length, 20_000_000);
  // Let snapshots and follower applies finish too.
  cluster.runUntil(cluster.world.loop.now() + 200_000);
  return cluster.world.loop.steps - start;
}

export function crashAt(c: CrashCase, k: number): CrashOutcome {
  const { cluster, results, victim } = boot(c);
  for (let i = 0; i < k; i++) cluster.world.loop.step();
  const acknowledged = results.filter((r) => r.type === 'ok').map(revisionOf);
  const maxSeenRevision = Math.max(0, ...results.map(revisionOf));
  cluster.world.crash(victim);
  cluster.world.restart(victim);
  const revisionAfterRestart = cluster.status(victim)?.revision ?? -1;
  cluster.runUntilTrue(() => results.length === c.window.length && cluster.leader() !== undefined, 30_000_000);
  cluster.runUntil(cluster.world.loop.now() + 3_000_000);
  return {
    k,
    acknowledged,
    maxSeenRevision,
    revisionAfterRestart,
    revisionSettled: cluster.status(victim)?.revision ?? -1,
    converged: cluster.converged(),
  };
}
