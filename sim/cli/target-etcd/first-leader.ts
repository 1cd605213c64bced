// The wait for a real cluster's first leader, and the refusal when none comes. Without a leader
// no run starts, and the cause lies in what the user gave, not in detcd: the --etcd binary (a
// wrapper that waits on something else, a program that only answers --version as etcd, a broken
// install), the scenario's cluster (its Raft timing becomes etcd's flags) or the machine it runs
// on (peers that cannot reach each other). So it is exit 3, one line naming --etcd, what was
// waited for, the member that never answered and its log's last line: etcd's own last words say
// which of those it was. Exit 4 stays for detcd's own failures.
import { UsageError } from '../errors.ts';
import type { RealCluster } from './real-cluster.ts';

/** The least wait for the first leader: a loaded machine starts three etcd processes in seconds. */
const FIRST_LEADER_WAIT_MS_MIN = 30_000;
/** Election timeouts waited at least: a member campaigns after one to two of them (etcd randomises it). */
const FIRST_LEADER_ELECTIONS_MIN = 3;

/** How long to wait for the first leader of a cluster whose election timeout is `electionMs`. */
export function firstLeaderWaitMs(electionMs: number): number {
  return Math.max(FIRST_LEADER_WAIT_MS_MIN, FIRST_LEADER_ELECTIONS_MIN * electionMs);
}

/** The refusal of a cluster that had no leader after `waitMs` (or whose member ended at start). */
export function noFirstLeader(cluster: RealCluster, binary: string, waitMs: number, workDir: string): UsageError {
  const lastWords = (said: string): string => (said === '' ? 'its log is empty' : `its log's last line: ${said}`);
  // A member that ended by itself is an etcd that does not run here as a cluster member.
  const ended = cluster.endedMember();
  if (ended !== undefined) {
    const said = ended.lastLogLine();
    return new UsageError(`--etcd ${binary}: member ${ended.spec.name} ended at start (${ended.endedOnItsOwn ?? ''})${said === '' ? '' : `, its log's last line: ${said}`}; logs in ${workDir}`);
  }
  const waited = `no leader within ${waitMs} ms (waited for a member's status on its client port to name it leader)`;
  const silent = cluster.members.filter((m) => !cluster.poller.answered(m.spec.name));
  const first = silent[0];
  if (first !== undefined) {
    const url = cluster.urls.get(first.spec.name) ?? '';
    return new UsageError(`--etcd ${binary}: ${waited}: member ${first.spec.name} never answered on ${url}, ${lastWords(first.lastLogLine())} (${silent.length} of ${cluster.members.length} members never answered); logs in ${workDir}`);
  }
  const named = cluster.members[0];
  const said = named === undefined ? '' : `; member ${named.spec.name}'s log's last line: ${named.lastLogLine() || '(empty)'}`;
  return new UsageError(`--etcd ${binary}: ${waited}: every member answered, none named itself leader${said}; logs in ${workDir}`);
}
