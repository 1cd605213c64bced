// The script of the three-member differential test (three-members-vs-etcd.test.ts): etcdctl
// commands and raw gRPC calls addressed to members by their role when the script starts — L
// (the leader), F1 and F2 (the followers, in name order) — or to all three, so the same script
// means the same thing on two clusters whose leaders are different members. Covered: the member
// list, status, health and HashKV of every member, writes through one member read through
// another, a watch, a lease and its keep-alive through followers, a lock and an election,
// MoveLeader (refused by a follower, to a follower and back, to a learner and to a member that
// never started), and the member API: adding a voter (after which etcd's strict checks refuse
// another), a learner (one at most), promotions that must fail, updates, removals, bad URLs,
// unknown ids; finally a started member removed (its port then refuses connections).
//
// Placeholders in arguments: {ID:L}, {ID:F1}, {ID:F2} (hex for etcdctl, decimal for gRPC),
// {ID:ADDED} (the member the last "member add" added), {PEER:F1} (that member's peer URL),
// {LEASE} (the last lease granted).

import type { CtlStep } from '../../../../differential/etcdctl-runner.ts';

export type Role = 'L' | 'F1' | 'F2';
export const ROLES: readonly Role[] = ['L', 'F1', 'F2'];

export interface ClusterStep extends CtlStep {
  /** Which endpoints the command is given. */
  readonly at: Role | 'ALL';
  /** Compared with lines (or JSON arrays) sorted: etcd lists members by their random ids and asks endpoints concurrently. */
  readonly sorted?: boolean;
  /** Endpoints given with their scheme ("http://host:port"), as users often write them. */
  readonly withScheme?: boolean;
}

const ctl = (at: ClusterStep['at'], args: string[], more: Partial<ClusterStep> = {}): ClusterStep => ({ at, args, ...more });

export const CLUSTER_SCRIPT: readonly ClusterStep[] = [
  // The cluster as each member sees it.
  ctl('ALL', ['member', 'list', '-w', 'json'], { sorted: true }),
  ctl('F2', ['member', 'list'], { sorted: true }),
  ctl('ALL', ['endpoint', 'status', '-w', 'json'], { sorted: true }),
  ctl('F1', ['endpoint', 'status', '--cluster', '-w', 'json'], { sorted: true }),
  ctl('ALL', ['endpoint', 'health', '--cluster'], { sorted: true }),
  { at: 'F2', grpc: { call: 'Cluster.MemberList', req: {} }, sorted: true },
  { at: 'F1', grpc: { call: 'Maintenance.Status', req: {} } },
  // Writes through one member, reads through another (linearizable: the leader is asked).
  ctl('F1', ['put', 'k1', 'v1']),
  ctl('F2', ['get', 'k1', '-w', 'json'], { withScheme: true }),
  ctl('L', ['put', 'k2', 'v2', '--prev-kv']),
  ctl('F1', ['put', 'k1', 'v3', '--prev-kv']),
  ctl('F2', ['get', 'k', '--prefix']),
  ctl('F1', ['del', 'k2']),
  ctl('F2', ['watch', 'k', '--prefix', '--rev', '2', '--prev-kv'], { until: /DELETE\nk2\n/ }),
  ctl('ALL', ['endpoint', 'hashkv', '-w', 'json'], { sorted: true }),
  // A lease granted through a follower, kept alive through the other (etcd forwards to the leader).
  ctl('F1', ['lease', 'grant', '60']),
  ctl('F2', ['put', 'lk', 'v', '--lease', '{LEASE}']),
  ctl('F2', ['lease', 'keep-alive', '--once', '{LEASE}']),
  ctl('L', ['lease', 'timetolive', '--keys', '{LEASE}']),
  ctl('F1', ['lease', 'revoke', '{LEASE}']),
  ctl('F2', ['get', 'lk']),
  // A lock and an election through followers (sessions: a lease kept alive, txns, a watch).
  ctl('F1', ['lock', 'mylock', 'echo', 'locked']),
  ctl('F2', ['elect', 'office', 'p1'], { until: /p1\n/ }),
  // Leadership: only the leader moves it, to a voting member.
  ctl('F1', ['move-leader', '{ID:F1}']),
  { at: 'F2', grpc: { call: 'Maintenance.MoveLeader', req: { targetID: '{ID:F1}' } } },
  ctl('L', ['move-leader', '{ID:F1}']),
  ctl('ALL', ['move-leader', '{ID:L}']),
  ctl('ALL', ['move-leader', '12345']),
  ctl('ALL', ['put', 'after-moves', '1']),
  // The member API: a voter that never starts; etcd's strict checks then refuse another one.
  // (etcd adds a voter only when every voter has been connected to the asked member for 5 s.)
  ctl('ALL', ['member', 'add', 'x', '--peer-urls=http://127.0.0.1:9'], { sorted: true, delayMs: 6_000 }),
  ctl('F2', ['member', 'list'], { sorted: true }),
  ctl('ALL', ['member', 'add', 'y', '--peer-urls=http://127.0.0.1:10']),
  ctl('ALL', ['member', 'promote', '{ID:ADDED}']),
  ctl('ALL', ['put', 'with-four-voters', '1']),
  ctl('ALL', ['member', 'remove', '{ID:ADDED}']),
  ctl('ALL', ['member', 'remove', '{ID:ADDED}']),
  // A learner: one at most; it never catches up, so it cannot be promoted or lead.
  ctl('ALL', ['member', 'add', 'l', '--learner', '--peer-urls=http://127.0.0.1:11', '-w', 'json'], { sorted: true }),
  ctl('ALL', ['member', 'add', 'l2', '--learner', '--peer-urls=http://127.0.0.1:12']),
  ctl('ALL', ['member', 'promote', '{ID:ADDED}']),
  ctl('L', ['move-leader', '{ID:ADDED}']),
  ctl('ALL', ['member', 'add', 'v', '--peer-urls={PEER:F1}']),
  // etcd 3.4's MemberUpdate clears the learner flag in its member store (the update carries
  // IsLearner false): the list shows a voter, and the strict checks count an unstarted voter.
  ctl('ALL', ['member', 'update', '{ID:ADDED}', '--peer-urls=http://127.0.0.1:13']),
  ctl('F1', ['member', 'list'], { sorted: true }),
  // Refusals: unhealthy (that unstarted "voter"), bad URLs, a voter promoted, unknown ids.
  ctl('ALL', ['member', 'add', 'v', '--peer-urls={PEER:F1}']),
  ctl('ALL', ['member', 'add', 'v', '--peer-urls=foo']),
  { at: 'L', grpc: { call: 'Cluster.MemberAdd', req: { peerURLs: ['http://127.0.0.1:14/path'] } } },
  { at: 'L', grpc: { call: 'Cluster.MemberAdd', req: { peerURLs: ['http://no-port'] } } },
  ctl('ALL', ['member', 'promote', '{ID:F1}']),
  ctl('ALL', ['member', 'update', '1234', '--peer-urls=http://127.0.0.1:15']),
  ctl('ALL', ['member', 'remove', '1234']),
  ctl('ALL', ['member', 'promote', '1234']),
  { at: 'F1', grpc: { call: 'Cluster.MemberRemove', req: { ID: '4660' } } },
  ctl('ALL', ['member', 'remove', '{ID:ADDED}'], { sorted: true }),
  ctl('ALL', ['member', 'list', '-w', 'json'], { sorted: true }),
  ctl('ALL', ['get', '', '--prefix', '--keys-only']),
  // A started member removed: it applies its own removal and its process exits, so its port
  // refuses connections (etcdctl's dial fails; gRPC: UNAVAILABLE, connection refused).
  ctl('L', ['member', 'remove', '{ID:F2}']),
  ctl('F2', ['get', 'k1'], { afterExit: true, commandTimeout: '2s' }),
  { at: 'F2', grpc: { call: 'KV.Range', req: { key: 'azE=' } } },
  ctl('L', ['member', 'list'], { sorted: true }),
];
