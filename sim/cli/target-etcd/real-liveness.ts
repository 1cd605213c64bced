// The liveness phase against real processes, in wall time: with every fault healed, within the
// scenario's budget the cluster must elect a leader, serve a write from every client, and
// converge: every member at the same revision with the same key-value content (each member's
// own serializable range over the whole key space at that revision, hashed), and every watcher
// caught up. The gateway of etcd 3.4 serves Hash, not HashKV, and Hash covers the whole backend
// (member-local metadata included), so the content hash is computed here from the ranges; the
// members' revisions and content hashes are then judged by the one convergence check
// (sim/check/convergence.ts) with the compact revision left out (the gateway does not report it).
import type { EtcdClient } from '../../etcd/client.ts';
import type { RunWatcher } from '../../etcd/watch-stream.ts';
import type { EtcdMemberStatus } from '../../etcd/member-status.ts';
import type { LivenessMilestones, LivenessResult } from '../../run/liveness.ts';
import { livenessVerdict, probeClients } from '../../run/liveness.ts';
import { createHash } from 'node:crypto';
import { checkConvergence } from '../../check/convergence.ts';
import { postJson } from './post-json.ts';
import type { RealCluster } from './real-cluster.ts';
import { count } from '../../text/count.ts';

const POLL_MS = 100;
const RANGE_TIMEOUT_MS = 5_000;

async function memberContent(cluster: RealCluster, member: string, revision: number): Promise<string | undefined> {
  const url = cluster.urls.get(member) as string;
  const body = await postJson(url, '/v3/kv/range', { key: 'AA==', range_end: 'AA==', serializable: true, revision: String(revision) }, RANGE_TIMEOUT_MS, cluster.agent);
  if (body === undefined) return undefined;
  const kvs = (body as { kvs?: unknown[] }).kvs ?? [];
  return createHash('sha256').update(JSON.stringify(kvs)).digest('hex').slice(0, 16);
}

interface Converged {
  ok: boolean;
  why: string;
  members: Record<string, EtcdMemberStatus | null>;
}

/** The 3.4 gateway's status carries no compact revision: every member reports this, so that field never disagrees. */
const COMPACT_REVISION_UNKNOWN = -1;

async function converged(cluster: RealCluster, watchers: readonly RunWatcher[]): Promise<Converged> {
  await cluster.poller.pollOnce();
  const members: Record<string, EtcdMemberStatus | null> = {};
  const ids = cluster.memberIds();
  const statuses = ids.map((m) => [m, cluster.poller.status(m)] as const);
  for (const [m, s] of statuses) members[m] = s === undefined ? null : { up: true, isLeader: s.isLeader, term: s.term, revision: s.revision, compactRevision: COMPACT_REVISION_UNKNOWN, kvHash: '' };
  const allUp = statuses.every(([, s]) => s !== undefined);
  if (allUp && cluster.poller.leader() === undefined) return { ok: false, why: 'no member leads', members };
  // Content is compared at one revision: it is hashed once every member answers at the same one.
  const revision = statuses[0]?.[1]?.revision ?? 0;
  const sameRevision = allUp && statuses.every(([, s]) => s?.revision === revision);
  const hashes = sameRevision ? await Promise.all(ids.map((m) => memberContent(cluster, m, revision))) : [];
  ids.forEach((m, i) => {
    const s = members[m];
    if (s != null && sameRevision) members[m] = { ...s, kvHash: hashes[i] ?? 'unavailable' };
  });
  if (sameRevision && hashes.some((h) => h === undefined)) return { ok: false, why: 'a member did not serve its content', members };
  // The one convergence (sim/check/convergence.ts), as the simulated runs judge it.
  const verdict = checkConvergence(statuses.map(([node, s], i) => ({ node, up: s !== undefined, revision: s?.revision ?? -1, compactRevision: COMPACT_REVISION_UNKNOWN, hash: hashes[i] ?? '' })));
  if (verdict.valid !== true) return { ok: false, why: verdict.summary, members };
  const late = watchers.filter((w) => w.active && revision > 1 && w.resumeRevision <= revision);
  if (late.length > 0) return { ok: false, why: `${count(late.length, 'watcher')} behind revision ${revision}`, members };
  return { ok: true, why: '', members };
}

export async function runRealLiveness(cluster: RealCluster, workers: readonly EtcdClient[], watchers: readonly RunWatcher[], budgetMs: number): Promise<LivenessResult> {
  const clock = cluster.options.clock;
  const m: LivenessMilestones = { startUs: clock.nowUs() };
  const deadlineUs = m.startUs + budgetMs * 1000;
  const served = probeClients(workers, clock, deadlineUs);
  let last: Converged = { ok: false, why: 'not checked', members: {} };
  while (clock.nowUs() < deadlineUs) {
    await clock.sleep(POLL_MS);
    const now = clock.nowUs();
    if (m.leaderAtUs === undefined && cluster.poller.leader() !== undefined) m.leaderAtUs = now;
    if (m.servedAtUs === undefined && served.every(Boolean)) m.servedAtUs = now;
    if (m.servedAtUs === undefined) continue;
    last = await converged(cluster, watchers);
    // converged() polled again: a leader it saw counts (it is checked there before convergence).
    if (m.leaderAtUs === undefined && cluster.poller.leader() !== undefined) m.leaderAtUs = clock.nowUs();
    if (last.ok) {
      m.convergedAtUs = clock.nowUs();
      break;
    }
  }
  const seen = cluster.memberIds().map((id) => {
    const st = cluster.poller.status(id);
    return st === undefined ? `${id} not answering` : `${id} (id ${st.memberId}) term ${st.term} leader ${st.leaderId === '0' ? 'none' : st.leaderId}`;
  });
  return livenessVerdict(m, budgetMs, served, { noLeader: `no leader elected (${seen.join(', ')})`, notConverged: last.why }, last.members);
}
