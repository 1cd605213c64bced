// The Raft bugs a run can plant (`--bug NAME`), each a real bug from a real implementation,
// and the host options that switch it on. Off by default; the tests show each one is caught.
import type { RaftHostOptions } from './raft-host.ts';

export interface RaftBug {
  readonly name: string;
  readonly description: string;
  /** Where it happened in the wild. */
  readonly anchor: string;
  /** What catches it: an invariant of the observer, or a history checker. */
  readonly caughtBy: string;
  readonly hostOptions: Partial<Omit<RaftHostOptions, 'peers'>>;
}

export const RAFT_BUGS: readonly RaftBug[] = [
  {
    name: 'raft-commit-old-term',
    description: 'commit an entry of an older term by counting replicas (Raft paper, Figure 8)',
    anchor: 'logcabin#44, canonical/raft#220',
    caughtBy: 'leader-completeness / committed-entry-lost',
    hostOptions: { unsafe: { figure8: true } },
  },
  {
    name: 'raft-vote-without-log-check',
    description: 'grant a vote without the up-to-date log check (§5.4.1)',
    anchor: 'textbook',
    caughtBy: 'leader-completeness',
    hostOptions: { unsafe: { voteWithoutLogCheck: true } },
  },
  {
    name: 'raft-read-without-read-index',
    description: 'answer ReadIndex from the leader\'s own commit index without a heartbeat quorum',
    anchor: 'Jepsen etcd 2014, etcd#20418',
    caughtBy: 'linearizability (stale read)',
    hostOptions: { unsafe: { readWithoutReadIndex: true } },
  },
  {
    name: 'raft-send-before-fsync',
    description: 'send votes and append acknowledgements before the hard state and entries are durable',
    anchor: 'hashicorp/raft#661',
    caughtBy: 'election-safety / committed-entry-lost after crashes',
    hostOptions: { unsafeSendBeforeSync: true },
  },
];

export function raftBug(name: string): RaftBug | undefined {
  return RAFT_BUGS.find((b) => b.name === name);
}
