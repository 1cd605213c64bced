// The liveness phase (TigerBeetle's VOPR, etcd's robustness tests): with every fault healed,
// within the scenario's budget the cluster must elect a leader, serve a write from every
// client, and converge: every member at the same revision, compact revision and KV hash, and
// every watcher caught up to that revision. What did not happen is named in the result.
import type { EtcdClient } from '../etcd/client.ts';
import type { RunWatcher } from '../etcd/watch-stream.ts';
import { put } from '../workload/etcd-request.ts';
import type { World } from '../world/world.ts';
import type { EtcdCluster } from '../etcd/cluster.ts';
import { MEMBER_DOWN, convergenceOf } from '../etcd/member-status.ts';
import type { EtcdMemberStatus } from '../etcd/member-status.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { count } from '../text/count.ts';
import { minOf } from '../array/stack-safe.ts';

/** Liveness probes use their own processes, apart from the workload's. */
export const PROBE_PROCESS_BASE = 2_000_000;
const POLL_US = 10_000;
const PROBE_RETRY_US = 100_000;

export interface LivenessResult {
  valid: boolean;
  summary: string;
  leaderAfterMs?: number;
  servedAfterMs?: number;
  convergedAfterMs?: number;
  members: Record<string, EtcdMemberStatus | null>;
  missing?: string[];
}

function converged(cluster: EtcdCluster, watchers: readonly RunWatcher[]): { ok: boolean; why: string } {
  // Convergence is over the current members, once a membership change in flight has finished.
  const changing = cluster.membershipChanging();
  if (changing !== undefined) return { ok: false, why: `membership change running: ${changing}` };
  const statuses = cluster.members().map((m) => [m, cluster.status(m)] as const);
  const c = convergenceOf(statuses);
  if (c.valid !== true) return { ok: false, why: c.summary };
  const revision = statuses[0]?.[1]?.revision ?? 0;
  const behind = watchers.filter((w) => w.active && revision > 1 && w.resumeRevision <= revision);
  if (behind.length > 0) return { ok: false, why: `${count(behind.length, 'watcher')} behind revision ${revision} (resuming at ${behind.map((w) => `${w.resumeRevision} after ${w.reconnects} reconnects`).join(', ')})` };
  return { ok: true, why: '' };
}

/**
 * The revision every open watcher had caught up past when the liveness phase converged (each
 * member at it, every active watcher resuming after it: converged() here and in
 * target-etcd/real-liveness.ts), or undefined when it did not converge. The run ends there, so
 * its watch records must show every event up to it for every watch not cancelled.
 */
export function watchesCaughtUpRevision(l: LivenessResult | undefined): number | undefined {
  if (l === undefined || l.valid !== true || l.convergedAfterMs === undefined) return undefined;
  const revisions = Object.values(l.members).flatMap((m) => (m !== null && m.up ? [m.revision] : []));
  return revisions.length === 0 ? undefined : minOf(revisions);
}

/** The clock a liveness phase runs on: the simulated world's event loop, or the real clock of a run against real processes. */
export interface LivenessClock {
  nowUs(): number;
  schedule(delayUs: number, fn: () => void): unknown;
}

/**
 * Sends a write from every client, each on its own probe process, and again every
 * PROBE_RETRY_US until it is answered ok or the deadline has passed; the flags say which
 * clients were served so far.
 */
export function probeClients(workers: readonly EtcdClient[], clock: LivenessClock, deadlineUs: number, probeToken?: (member: string) => string | undefined): readonly boolean[] {
  const served = workers.map(() => false);
  let nextProcess = PROBE_PROCESS_BASE;
  let probeSeq = 0;
  const probe = (i: number): void => {
    const client = workers[i] as EtcdClient;
    const request = put(`liveness/${i}`, `probe-${probeSeq++}`);
    client.call(probeToken === undefined ? request : withFields(request, { tokenFor: probeToken }), nextProcess++, (r) => {
      if (r.type === 'ok') served[i] = true;
      else if (clock.nowUs() < deadlineUs) clock.schedule(PROBE_RETRY_US, () => probe(i));
    });
  };
  workers.forEach((_, i) => probe(i));
  return served;
}

/** When the liveness phase started and first saw a leader, every client served, and convergence. */
export interface LivenessMilestones {
  readonly startUs: number;
  leaderAtUs?: number;
  servedAtUs?: number;
  convergedAtUs?: number;
}

/** The verdict of a liveness phase: what was reached and when, or what was not within the budget. */
export function livenessVerdict(
  m: LivenessMilestones, budgetMs: number, served: readonly boolean[], why: { noLeader: string; notConverged: string }, members: Record<string, EtcdMemberStatus | null>,
): LivenessResult {
  const ms = (t: number | undefined): number | undefined => (t === undefined ? undefined : Math.round((t - m.startUs) / 1000));
  const missing: string[] = [];
  if (m.leaderAtUs === undefined) missing.push(why.noLeader);
  if (m.servedAtUs === undefined) missing.push(`clients never served: ${served.flatMap((ok, i) => (ok ? [] : [`c${i}`])).join(', ')}`);
  if (m.convergedAtUs === undefined && m.servedAtUs !== undefined) missing.push(`not converged: ${why.notConverged}`);
  const out: LivenessResult = {
    valid: missing.length === 0,
    summary: missing.length === 0 ? `leader after ${ms(m.leaderAtUs)} ms, every client served after ${ms(m.servedAtUs)} ms, converged after ${ms(m.convergedAtUs)} ms` : `within ${budgetMs} ms: ${missing.join('; ')}`,
    members,
  };
  const [leaderMs, servedMs, convergedMs] = [ms(m.leaderAtUs), ms(m.servedAtUs), ms(m.convergedAtUs)];
  if (leaderMs !== undefined) out.leaderAfterMs = leaderMs;
  if (servedMs !== undefined) out.servedAfterMs = servedMs;
  if (convergedMs !== undefined) out.convergedAfterMs = convergedMs;
  if (missing.length > 0) out.missing = missing;
  return out;
}

/** `probeToken`: the token the probes send to a member (the harness's root login, while that member's authentication is on). */
export function runLiveness(world: World, cluster: EtcdCluster, workers: readonly EtcdClient[], watchers: readonly RunWatcher[], budgetMs: number, probeToken?: (member: string) => string | undefined): LivenessResult {
  const m: LivenessMilestones = { startUs: world.loop.now() };
  const deadlineUs = m.startUs + budgetMs * 1000;
  const served = probeClients(workers, { nowUs: () => world.loop.now(), schedule: (delayUs, fn) => world.loop.schedule(delayUs, fn) }, deadlineUs, probeToken);
  let lastWhy = '';
  while (world.loop.now() < deadlineUs) {
    world.run({ untilUs: Math.min(deadlineUs, world.loop.now() + POLL_US) });
    const now = world.loop.now();
    if (m.leaderAtUs === undefined && cluster.leader() !== undefined) m.leaderAtUs = now;
    if (m.servedAtUs === undefined && served.every(Boolean)) m.servedAtUs = now;
    if (m.servedAtUs !== undefined) {
      const c = converged(cluster, watchers);
      lastWhy = c.why;
      if (c.ok) {
        m.convergedAtUs = now;
        break;
      }
    }
  }
  const members: Record<string, EtcdMemberStatus | null> = {};
  for (const id of cluster.members()) members[id] = cluster.status(id) ?? MEMBER_DOWN;
  return livenessVerdict(m, budgetMs, served, { noLeader: 'no leader elected', notConverged: lastWhy }, members);
}
