// A scenario is a data file a user writes without coding. This schema is its whole grammar:
// every field with its type, bound and default, and no unknown field accepted anywhere, so a
// typo is an error rather than a silently ignored setting. Fields renamed since (units and
// bounds last) still load under their old spelling: ./renamed-fields.ts.
import { z } from 'zod';
import { DOCUMENTED_ANOMALY_NAMES, parseAllowedViolation } from './documented-anomalies.ts';
import { KIND_PACKAGE_NAMES, TimedFaultSchema } from './fault.ts';
import type { KindPackageName } from './fault.ts';
import { ETCD_OP_NAMES, etcdMixOf, withWeights } from '../workload/etcd-op-names.ts';
import { LEASE_MIX, LEASE_OP_NAMES } from '../workload/lease-op-names.ts';
import { HISTORY_OPS_MAX_DEFAULT } from '../etcd/history-log.ts';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** An inclusive integer range drawn from the seed; a single number means exactly that. */
export const RangeSchema = z.union([int(0, 3_600_000), z.strictObject({ min: int(0, 3_600_000), max: int(0, 3_600_000) })]).refine(
  (r) => typeof r === 'number' || r.min <= r.max,
  'min must be <= max',
);
export type Range = z.infer<typeof RangeSchema>;

export const RaftSettingsSchema = z.strictObject({
  tickMs: int(1, 1000).default(100),
  electionTicks: int(2, 100).default(10),
  heartbeatTicks: int(1, 50).default(1),
  preVote: z.boolean().default(true),
  checkQuorum: z.boolean().default(true),
  /** "lease-based" answers reads from the leader's lease: depends on clocks (etcd's option). */
  readOnly: z.enum(['safe', 'lease-based']).default('safe'),
  /** Raft's MaxInflightMsgs: appends in flight to one follower. */
  inflightMsgsMax: int(1, 4096).default(256),
  /** Raft's MaxSizePerMsg: a small value sends one entry per append (1 MiB by default). */
  sizePerMsgBytesMax: int(1, 64 * 1024 * 1024).default(1024 * 1024),
});

/** etcd's watchBatchMaxRevs. */
export const WATCH_BATCH_MAX_REVS_ETCD = 1000;
/** etcd's watch stream channel buffer (mvcc chanBufLen): a constant of its build. */
export const WATCH_STREAM_BUFFER_ETCD = 128;

/** etcd's --experimental-watch-progress-notify-interval default: 10 min. */
export const PROGRESS_NOTIFY_INTERVAL_MS_ETCD = 600_000;

/** The etcd and lock workloads' lease TTL unless a scenario names one (the lease workload then draws 2 to 6 s). */
export const LEASE_TTL_SECONDS_DEFAULT = 7200;

/** etcd's --experimental-lease-checkpoint-interval default: 5 min. */
export const LEASE_CHECKPOINT_INTERVAL_MS_ETCD = 300_000;

export const EtcdSettingsSchema = z.strictObject({
  /** Applied entries between snapshots (etcd's --snapshot-count); small values force snapshots. */
  snapshotCount: int(1, 1_000_000).default(1000),
  /** Entries kept behind a snapshot for slow followers (etcd's SnapshotCatchUpEntries). */
  snapshotCatchUpEntries: int(0, 100_000).default(100),
  /** Responses one watch stream buffers before its watchers become victims (etcd's chanBufLen); small values starve streams. */
  watchStreamBuffer: int(1, 100_000).default(WATCH_STREAM_BUFFER_ETCD),
  /**
   * Revisions an unsynced watcher is sent per catch-up round (etcd's watchBatchMaxRevs, a constant
   * 1,000 there): small values make a watcher that fell behind catch up in several batches.
   */
  watchBatchMaxRevs: int(1, 100_000).default(WATCH_BATCH_MAX_REVS_ETCD),
  /** The apply-lag limit behind "too many requests". */
  pendingApplyMax: int(1, 1_000_000).default(5000),
  /**
   * etcd's --experimental-watch-progress-notify-interval: watches that asked for progress_notify
   * and saw no event since the last tick get a progress notification (10 min by default, so never
   * within a run; etcd's robustness tests use 100 ms, the flag's minimum).
   */
  progressNotifyIntervalMs: int(100, 3_600_000).default(PROGRESS_NOTIFY_INTERVAL_MS_ETCD),
  /**
   * etcd's --experimental-enable-lease-checkpoint: the leader records each lease's remaining TTL
   * through raft, and a new leader restarts a lease from it instead of from the full TTL.
   */
  leaseCheckpointing: z.boolean().default(false),
  /** etcd's --experimental-lease-checkpoint-interval (5 min, so never within a run; the swarm draws 200 ms to 1 s). */
  leaseCheckpointIntervalMs: int(100, 3_600_000).default(LEASE_CHECKPOINT_INTERVAL_MS_ETCD),
  /**
   * Every other compaction, out of step between members, leaves deleting what it compacted to the
   * next one (etcd deletes in background batches): snapshots, hashes and restores meet a compaction
   * whose deletes are still pending on some members and done on others.
   */
  compactionDeletesDeferred: z.boolean().default(false),
});

export const ClusterSchema = z.strictObject({
  members: int(1, 9).default(3),
  raft: RaftSettingsSchema.prefault({}),
  etcd: EtcdSettingsSchema.prefault({}),
});

export const NetworkSchema = z.strictObject({
  latencyUsMin: int(0, 10_000_000).default(200),
  latencyUsMax: int(0, 10_000_000).default(2000),
  dropPercent: int(0, 100).default(0),
  duplicatePercent: int(0, 100).default(0),
  reorderPercent: int(0, 100).default(0),
  fsyncUsMin: int(0, 10_000_000).default(500),
  fsyncUsMax: int(0, 10_000_000).default(3000),
  /** A reordered message is delayed by up to this much more (a late duplicate of an old message). */
  reorderDelayUsMax: int(0, 10_000_000).default(5000),
  /**
   * A duplicated message's copy arrives up to this much later than it would (0: with the
   * original), outside the link's order: a retransmission that overtakes nothing but arrives after
   * the requests sent behind it, which a member must still drop as a duplicate.
   */
  duplicateDelayUsMax: int(0, 10_000_000).default(0),
  /**
   * A snapshot message (MsgSnap) leaves its member up to this much later than the member's other
   * messages, outside their order: etcd sends snapshots over their own connection (the snapshot
   * pipeline), so a slow transfer lets the leader's next snapshot or appends overtake it.
   */
  snapshotDelayUsMax: int(0, 10_000_000).default(0),
  /** Percent of snapshot messages sent a second time over such a connection, with a delay of its own (a transfer retried). */
  snapshotDuplicatePercent: int(0, 100).default(0),
}).refine((n) => n.latencyUsMin <= n.latencyUsMax, { message: 'latencyUsMin must be <= latencyUsMax', path: ['latencyUsMax'] })
  .refine((n) => n.snapshotDuplicatePercent === 0 || n.snapshotDelayUsMax > 0, { message: 'snapshotDuplicatePercent needs snapshotDelayUsMax > 0', path: ['snapshotDuplicatePercent'] })
  .refine((n) => n.fsyncUsMin <= n.fsyncUsMax, { message: 'fsyncUsMin must be <= fsyncUsMax', path: ['fsyncUsMax'] });

export const ClientsSchema = z.strictObject({
  /** Concurrent client processes issuing the workload. */
  count: int(1, 500).default(10),
  /** A request unanswered after this long completes as `info` (outcome unknown). */
  requestTimeoutMs: int(1, 600_000).default(1000),
  /**
   * "member": each client talks to one member (clients spread round robin); "cluster": to any,
   * following leader hints; "round-robin": every try to the next member (clientv3's balancer).
   */
  connect: z.enum(['member', 'cluster', 'round-robin']).default('member'),
  /** One watch client per member that resumes after disconnects (etcd's robustness setup). */
  watchers: z.boolean().default(true),
  /**
   * A watcher cancelled by a compaction watches again from the compact revision (a client that
   * accepts the gap; where etcd#18089 and #19179 lost a delete) instead of ending, as clientv3's does.
   */
  watchResumeAtCompactRevision: z.boolean().default(false),
  /**
   * Every this many ms a watcher re-opens its watch on the next member, from the last revision
   * it saw plus one (a client balanced over endpoints; a Kubernetes reflector re-watching after
   * its timeout): on a member that lags it, the watch waits for a future revision (etcd#20221).
   * 0: never.
   */
  watchRotateMs: int(0, 3_600_000).default(0),
  /**
   * Beside each member's watcher of every key, one more watch stream on the same client whose
   * create request has another shape (sim/run/watch-shapes.ts): a key range or a single key of
   * the etcd workload's keys, NOPUT or NODELETE filters, prev_kv off. Needs `watchers`.
   */
  watchShapes: z.boolean().default(false),
  /**
   * Beside each member's watcher, one more stream holding several watches of every key at once
   * (sim/etcd/watch-ids-stream.ts): one whose id the client chooses, cancelled and created again
   * under that id, beside watches etcd numbers. Needs `watchers`.
   */
  watchIds: z.boolean().default(false),
  /**
   * Watchers ask for a progress notification every 100 ms (etcd's robustness watchers). Off:
   * they never do, as clientv3's watchers by default; such a watcher finds out that a member
   * forgot its stream (a restart) only from its keep-alive pings. Without progress requests a
   * ranged or filtered watch learns no revision it has no event for, so no watch shapes then.
   */
  watchProgressRequests: z.boolean().default(true),
});

/** The requests a workload may plan (rate x length): each is two history records, and the history holds HISTORY_OPS_MAX_DEFAULT. */
export const PLANNED_REQUESTS_MAX = HISTORY_OPS_MAX_DEFAULT / 2;
/** The value bytes a workload may plan (requests x valueBytes): 256 MiB, kept in the MVCC log, the history and the messages. */
export const PLANNED_VALUE_BYTES_MAX = 256 * 1024 * 1024;

export const WorkloadKinds = ['register', 'kv', 'etcd', 'kubernetes', 'lease', 'lock', 'auth'] as const;
export type WorkloadKind = (typeof WorkloadKinds)[number];

export const WorkloadSchema = z.strictObject({
  kind: z.enum(WorkloadKinds).default('etcd'),
  /** Total request rate over all clients. */
  rateOpsPerSecond: int(1, 1_000_000).default(200),
  /** Length of the safety phase (traffic with faults). */
  durationMs: int(1, 3_600_000).default(3000),
  keys: int(1, 100_000).default(10),
  /** A compaction at a random recent revision this often (0: never). */
  compactionIntervalMs: int(0, 3_600_000).default(0),
  /**
   * Where a compaction aims: "recent", up to 5 revisions either side of the newest revision the
   * clients saw (etcd's robustness traffic); "newest", exactly the newest seen, so a delete that
   * made the latest revision is compacted at its own revision (etcd#17780, #19179).
   */
  compactionRevision: z.enum(['recent', 'newest']).default('recent'),
  /**
   * etcd and lease workloads: weights replacing the mix's own for the ops named (put, delete,
   * cas, lease-revoke, ... as `detcd` names them in the history; the lease workload's are in
   * sim/workload/lease-op-names.ts); 0 takes an op out.
   */
  mix: z.record(z.string(), int(0, 1000)).optional(),
  leaseTtlSeconds: int(2, 9_000_000_000).default(LEASE_TTL_SECONDS_DEFAULT),
  /** Lock workload: how long a holder works inside the critical section. */
  holdMs: RangeSchema.default({ min: 10, max: 200 }),
  /**
   * Lock workload: a stop-the-world pause of the holding client process (a GC pause) in one
   * hold out of clientPauseOdds; its keep-alives stop meanwhile (Jepsen's etcd 3.4.3 case).
   */
  clientPauseMs: RangeSchema.default(0),
  clientPauseOdds: int(1, 1_000_000).default(4),
  /** Put values are padded to at least this many bytes (0: no padding); large values make one entry per Raft message. */
  valueBytes: int(0, 1024 * 1024).default(0),
  /** Below this many ok ops the run means nothing and says "unknown" (etcd's QPS floor). */
  okOpsMin: int(0, 10_000_000).default(20),
  /**
   * etcd workload: "robustness" sends etcd's robustness traffic mix; "full" adds the rest of the
   * KV API (prev_kv, ignore_value/ignore_lease, every compare target and result, nested txns,
   * write txns with a range at a past revision); "wide" adds to "full" the request shapes it never
   * sends (limited, count-only, keys-only, filtered and sorted ranges; ranges, deletes and compares
   * ending at an existing key; txns reading on success and writing on failure; VALUE compares
   * on missing keys).
   */
  api: z.enum(['robustness', 'full', 'wide']).default('robustness'),
}).superRefine((w, ctx) => {
  // A run records every request; one whose plan cannot fit the history would run for hours and
  // end "unknown", so it is refused up front (a 1 MiB value is fine, a million of them is not).
  const plannedRequests = Math.ceil((w.rateOpsPerSecond * w.durationMs) / 1000);
  if (plannedRequests > PLANNED_REQUESTS_MAX) {
    ctx.addIssue({ code: 'custom', message: `${w.rateOpsPerSecond} ops/s for ${w.durationMs} ms plans ${plannedRequests} requests, more than the ${PLANNED_REQUESTS_MAX} a run's history holds: lower rateOpsPerSecond or durationMs`, path: ['rateOpsPerSecond'] });
  } else if (plannedRequests * w.valueBytes > PLANNED_VALUE_BYTES_MAX) {
    ctx.addIssue({ code: 'custom', message: `${plannedRequests} requests with values of ${w.valueBytes} bytes plan ${plannedRequests * w.valueBytes} bytes of values, more than the ${PLANNED_VALUE_BYTES_MAX} a run keeps in memory: lower valueBytes, rateOpsPerSecond or durationMs`, path: ['valueBytes'] });
  }
  if (w.mix === undefined) return;
  if (w.kind !== 'etcd' && w.kind !== 'lease') {
    ctx.addIssue({ code: 'custom', message: 'a mix is for the etcd and lease workloads only', path: ['mix'] });
    return;
  }
  const names = w.kind === 'etcd' ? ETCD_OP_NAMES : LEASE_OP_NAMES;
  for (const name of Object.keys(w.mix)) {
    if (!names.includes(name)) ctx.addIssue({ code: 'custom', message: `no ${w.kind} workload op '${name}' (ops: ${names.join(', ')})`, path: ['mix', name] });
  }
  const table = w.kind === 'etcd' ? etcdMixOf(w.api) : LEASE_MIX;
  if (withWeights(table, w.mix).every(([, weight]) => weight === 0)) ctx.addIssue({ code: 'custom', message: 'the mix leaves no op with a weight above 0', path: ['mix'] });
});

/**
 * The built-in nemesis packages (sim/nemesis/packages.ts gives each its draw; the compiler
 * insists on one per name), in the order the swarm considers them.
 */
export const BuiltinNemesisPackages = [
  'partition-leader',
  'partition-minority',
  'partition-majority',
  'partition-halves',
  'partition-ring',
  'partition-bridge',
  'one-way',
  'kill-leader',
  'kill-follower',
  'kill-random',
  'rolling-restart',
  'pause',
  'clock',
  'clock-jumps',
  'lossy',
  'clog',
  'slow-disk',
  'torn-writes',
  'lagging-member',
  'membership',
  'buggify',
  'figure8',
  'kill-majority',
  'crash-after-send',
  'slow-network',
  'member-api',
  'late-answers',
  'joint-membership',
  'crash-after-recovery',
  'crash-after-snapshot-ack',
  'failed-transfer',
  'joint-swap',
  'partition-leader-learners',
  'prevote-rollout',
] as const;
export type BuiltinNemesisPackageName = (typeof BuiltinNemesisPackages)[number];
/** Every package a scenario may name: the built-in ones, then those the fault table's kinds declare. */
export const NemesisPackages: readonly [...typeof BuiltinNemesisPackages, ...KindPackageName[]] = [...BuiltinNemesisPackages, ...KIND_PACKAGE_NAMES];
export type NemesisPackageName = (typeof NemesisPackages)[number];

export const NemesisSchema = z.strictObject({
  packages: z.array(z.enum(NemesisPackages)).max(NemesisPackages.length).default([]),
  /** When the first fault may start. */
  startMs: RangeSchema.default(500),
  /** Gap between one fault's heal and the next fault. */
  intervalMs: RangeSchema.default({ min: 200, max: 800 }),
  /** How long each fault lasts before the nemesis heals it. */
  faultDurationMs: RangeSchema.default({ min: 300, max: 1500 }),
  /** Upper bound on faults in one run. */
  faultsMax: int(0, 10_000).default(100),
  /**
   * A membership change (package `membership`) keeps its new member a learner this long after it
   * caught up before it promotes it (an operator who waits): other conf changes, elections and
   * faults then meet a started learner. 0: promote as soon as etcd would.
   */
  learnerHoldMs: int(0, 600_000).default(0),
  /**
   * Every kill the packages draw may tear the member's last unsynced WAL record, as the
   * torn-writes package's kills do (an explicit schedule keeps its own faults). The swarm turns it
   * on in half its runs: without it only torn-writes' own kills ever tore a record.
   */
  tornKills: z.boolean().default(false),
});

export const CheckerNames = ['linearizable', 'watch', 'lease', 'lock', 'convergence', 'raft', 'auth'] as const;
export type CheckerName = (typeof CheckerNames)[number];

/** One allowedViolations entry: "checker:anomaly", or a bare checker name. */
const AllowedViolationSchema = z.string().superRefine((entry, ctx) => {
  const { checker, anomaly } = parseAllowedViolation(entry);
  if (!(CheckerNames as readonly string[]).includes(checker)) {
    ctx.addIssue({ code: 'custom', message: `no checker '${checker}' (checkers: ${CheckerNames.join(', ')})` });
    return;
  }
  const known = DOCUMENTED_ANOMALY_NAMES.filter((a) => a.checker === checker).map((a) => a.name);
  // A bare name excuses that checker's documented anomalies; for a checker with none it would
  // excuse nothing while reading as if it excused the checker, so it is refused.
  if (anomaly === undefined && known.length === 0) {
    const all = DOCUMENTED_ANOMALY_NAMES.map((a) => `${a.checker}:${a.name}`).join(', ');
    ctx.addIssue({ code: 'custom', message: `checker ${checker} has no documented anomaly to excuse, so '${entry}' would excuse nothing (entries: ${all})` });
    return;
  }
  if (anomaly !== undefined && !known.includes(anomaly)) {
    ctx.addIssue({ code: 'custom', message: `no documented anomaly '${anomaly}' of checker ${checker} (${known.length === 0 ? 'it has none' : `documented: ${known.join(', ')}`})` });
  }
});

export const LivenessSchema = z.strictObject({
  /** After healing, a leader, a served request per client and convergence must happen within this. */
  budgetMs: int(100, 3_600_000).default(10_000),
});

export const SwarmSchema = z.strictObject({
  /** Draw the nemesis packages, network and Raft timings from the seed (FoundationDB's swarm testing). */
  enabled: z.boolean().default(false),
  /** Each package is in a run with probability 1/packageOdds. */
  packageOdds: int(1, 100).default(3),
});

export const ScenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a name is lowercase letters, digits and dashes'),
  description: z.string().max(500).default(''),
  cluster: ClusterSchema.prefault({}),
  network: NetworkSchema.prefault({}),
  clients: ClientsSchema.prefault({}),
  workload: WorkloadSchema.prefault({}),
  nemesis: NemesisSchema.prefault({}),
  /** An explicit list of timed faults (what `detcd shrink` writes); replaces the nemesis draw. */
  schedule: z.array(TimedFaultSchema).max(10_000).optional(),
  /** Default: chosen by workload. The Raft invariant observer always runs. */
  checkers: z.array(z.enum(CheckerNames)).optional(),
  liveness: LivenessSchema.prefault({}),
  swarm: SwarmSchema.prefault({}),
  /** A scenario that documents a known unsafety expects a violation: its runs pass when one is found. */
  expect: z.enum(['valid', 'violation-allowed']).default('valid'),
  /**
   * What the scenario runs against when the command line does not say (--target): the
   * simulation, or real etcd processes on this machine (faults on processes and namespaces).
   */
  target: z.enum(['simulation', 'etcd']).optional(),
  /**
   * With expect "violation-allowed": the documented anomalies ("checker:anomaly", see
   * documented-anomalies.ts; a bare checker name, the older form, means that checker's
   * documented anomalies) this unsafety shows as. Only a violation the run's evidence shows to
   * be one of them is excused: any other violation, of the same checker too, fails the run.
   */
  allowedViolations: z.array(AllowedViolationSchema).max(DOCUMENTED_ANOMALY_NAMES.length + CheckerNames.length).default([]),
}).refine((s) => s.expect === 'violation-allowed' ? s.allowedViolations.length > 0 : s.allowedViolations.length === 0, {
  message: 'allowedViolations names the checkers excused by expect "violation-allowed", and only then',
  path: ['allowedViolations'],
});

/** A scenario as written (defaults optional). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
/** A validated scenario with every default filled. */
export type Scenario = z.output<typeof ScenarioSchema>;
