// The one registry of planted bugs: every bug `--bug NAME` can put back into the simulated
// stack, where it happened in the wild, where its switch lives, and a scenario and seed whose
// run catches it. A new bug is one entry here plus its switch in MemberUnsafeOptions
// (src/server/member-config.ts) and the code that reads it.
import { violated } from '../../src/invariant-violation.ts';
import type { MemberUnsafeOptions } from '../../src/server/member-config.ts';

export interface PlantedBugEntry {
  readonly name: string;
  readonly description: string;
  /** Where it happened in the wild (issue, paper, Jepsen report). */
  readonly reference: string;
  /** The file whose code the switch changes. */
  readonly plantedIn: string;
  /** The member's switches that plant it. */
  readonly unsafe: MemberUnsafeOptions;
  /**
   * A run that catches it (`detcd run --scenario S --seed N --bug NAME`) and the checker that
   * does; or, while no shipped scenario catches it yet, the test that does.
   */
  readonly caughtBy: CaughtByRun | CaughtByTest;
}

export interface CaughtByRun {
  readonly scenario: string;
  readonly seed: number;
  readonly checker: string;
}

export interface CaughtByTest {
  readonly test: string;
  readonly checker: string;
}

export const PLANTED_BUGS = [
  {
    name: 'figure8',
    description: "a leader commits an older term's entry by counting replicas (Raft paper, Figure 8)",
    reference: 'Raft paper §5.4.2; logcabin#44, canonical/raft#220',
    plantedIn: 'src/raft/raft.ts',
    unsafe: { raft: { figure8: true } },
    caughtBy: { scenario: 'figure8', seed: 1, checker: 'raft (leader-completeness)' },
  },
  {
    name: 'read-without-readindex',
    description: 'a leader answers linearizable reads from its own state, without ReadIndex',
    reference: 'Jepsen etcd 2014 (stale reads)',
    plantedIn: 'src/server/member.ts',
    unsafe: { readWithoutReadIndex: true },
    caughtBy: { scenario: 'kill-leader', seed: 1, checker: 'linearizable' },
  },
  {
    name: 'vote-without-log-check',
    description: 'a member votes without the up-to-date-log check',
    reference: 'Raft paper §5.4.1',
    plantedIn: 'src/raft/raft.ts',
    unsafe: { raft: { voteWithoutLogCheck: true } },
    caughtBy: { scenario: 'rolling-restart', seed: 1, checker: 'raft (leader-completeness)' },
  },
  {
    name: 'read-index-without-quorum',
    description: "raft answers ReadIndex from the leader's own commit index, without a heartbeat quorum",
    reference: 'Jepsen etcd 2014, etcd#20418',
    plantedIn: 'src/raft/read-only.ts',
    unsafe: { raft: { readWithoutReadIndex: true } },
    caughtBy: { scenario: 'duplicating-network', seed: 3, checker: 'linearizable' },
  },
  {
    name: 'send-before-fsync',
    description: 'a member sends votes and append acknowledgements before its hard state and entries are durable',
    reference: 'hashicorp/raft#661',
    plantedIn: 'src/server/member.ts',
    unsafe: { sendBeforeSync: true },
    caughtBy: { scenario: 'torn-writes', seed: 2, checker: 'raft' },
  },
  {
    name: 'compaction-drops-delete',
    description: 'compaction drops a tombstone made at exactly the compact revision: a watch from there misses the delete',
    reference: 'etcd#19179 (3.4.23)',
    plantedIn: 'src/mvcc/store.ts',
    unsafe: { stateMachine: ['compaction-drops-delete'] },
    caughtBy: { test: 'test/src/watch/watch-guarantees.test.ts', checker: 'watch' },
  },
  {
    name: 'watch-replay-after-restore',
    description: 'synced watchers do not record what they were sent: after a snapshot restore they replay events',
    reference: 'etcd#15271',
    plantedIn: 'src/watch/watchable-store.ts',
    unsafe: { stateMachine: ['watch-replay-after-restore'] },
    caughtBy: { scenario: 'snapshot-catch-up', seed: 1, checker: 'watch' },
  },
  {
    name: 'progress-while-unsynced',
    description: 'a progress request is answered while a watch of the stream is still unsynced',
    reference: 'etcd#15220 (3.4.23)',
    plantedIn: 'src/watch/watch-stream.ts',
    unsafe: { stateMachine: ['progress-while-unsynced'] },
    caughtBy: { test: 'test/src/watch/watch-guarantees.test.ts', checker: 'watch' },
  },
  {
    name: 'progress-before-start',
    description: 'a watch waiting for a future start revision gets progress notifications',
    reference: 'etcd#20221 (3.4.23)',
    plantedIn: 'src/watch/watch-stream.ts',
    unsafe: { stateMachine: ['progress-before-start'] },
    caughtBy: { scenario: 'figure8', seed: 3, checker: 'watch' },
  },
] as const satisfies readonly PlantedBugEntry[];

export type PlantedBug = (typeof PLANTED_BUGS)[number]['name'];

export function isPlantedBug(name: string): name is PlantedBug {
  return PLANTED_BUGS.some((b) => b.name === name);
}

/** The registry entry of a bug name; throws for a name isPlantedBug refuses. */
export function plantedBug(name: PlantedBug): PlantedBugEntry {
  const entry = PLANTED_BUGS.find((b) => b.name === name);
  if (entry === undefined) throw violated('harness', 'planted-bug-known', `no planted bug '${name}'`);
  return entry;
}
