// Member settings of a scenario that real etcd 3.4 members do not take: constants of etcd's build,
// or flags a run does not pass (real-cluster.ts passes the Raft timings, the snapshot count, pre-vote
// and the progress-notify interval). The simulated cluster follows the scenario's values; a real
// run has etcd's, and its report says so (results.json target.notApplied), so it never claims
// a setting that did not run. The network's latency and the disks' fsyncs are the machine's own.
import type { Scenario } from '../../scenario/schema.ts';

interface EtcdOwn {
  readonly setting: string;
  readonly value: (s: Scenario) => number | boolean;
  readonly etcd: number | boolean;
  readonly why: string;
}

const CONSTANT = "a constant of etcd's build";

/** etcd 3.4's own values (etcdserver/raft.go, etcdserver/server.go, mvcc/watchable_store.go, lease/lessor.go). */
const ETCD_OWN: readonly EtcdOwn[] = [
  { setting: 'cluster.etcd.snapshotCatchUpEntries', value: (s) => s.cluster.etcd.snapshotCatchUpEntries, etcd: 5000, why: CONSTANT },
  { setting: 'cluster.etcd.watchStreamBuffer', value: (s) => s.cluster.etcd.watchStreamBuffer, etcd: 128, why: CONSTANT },
  { setting: 'cluster.etcd.pendingApplyMax', value: (s) => s.cluster.etcd.pendingApplyMax, etcd: 5000, why: CONSTANT },
  { setting: 'cluster.etcd.compactionDeletesDeferred', value: (s) => s.cluster.etcd.compactionDeletesDeferred, etcd: false, why: 'etcd deletes compacted revisions in background batches as soon as it can' },
  { setting: 'cluster.etcd.leaseCheckpointing', value: (s) => s.cluster.etcd.leaseCheckpointing, etcd: false, why: 'etcd 3.4 sets no checkpoint interval: every 5 min' },
  { setting: 'cluster.raft.inflightMsgsMax', value: (s) => s.cluster.raft.inflightMsgsMax, etcd: 512, why: CONSTANT },
  { setting: 'cluster.raft.sizePerMsgBytesMax', value: (s) => s.cluster.raft.sizePerMsgBytesMax, etcd: 1024 * 1024, why: CONSTANT },
  { setting: 'network.snapshotDelayUsMax', value: (s) => s.network.snapshotDelayUsMax, etcd: 0, why: 'snapshots go over the members\' own connections' },
  { setting: 'network.snapshotDuplicatePercent', value: (s) => s.network.snapshotDuplicatePercent, etcd: 0, why: 'snapshots go over the members\' own connections' },
];

/** The scenario's member settings a real etcd 3.4 run does not take, each with the value that ran instead. */
export function notApplied(scenario: Scenario): string[] {
  return ETCD_OWN.filter((o) => o.value(scenario) !== o.etcd).map((o) => `${o.setting} ${String(o.value(scenario))}: etcd's ${String(o.etcd)} ran (${o.why})`);
}
