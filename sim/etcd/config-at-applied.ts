// config-at-applied: members whose raft applied the same entries hold the same configuration.
// Raft's configuration changes only as a conf change entry applies or a snapshot installs one, so
// it is a function of raft's applied index: a member whose configuration differs from another's
// at the same applied index skipped or doubled a conf change (a restarted member whose WAL replay
// left the conf changes out, a snapshot stamped with another index's configuration).
// Keyed on raft's applied index, not the member's: a restarted member's state machine may be
// ahead of raft (recovery replays the committed WAL into it) while raft re-delivers those entries,
// and its configuration follows raft's. Not judged while a received snapshot waits in raft's
// unstable log (raft switched to its configuration on receipt, before the host applied it), nor
// at applied 0 (a member that joins holds no configuration until the leader's snapshot).
// The member's own record of the configuration (Member.membership: what its snapshots carry, what
// etcd keeps as ep.confState) is raft's: both move together when a conf change applies, and the
// member takes a snapshot's configuration as it installs it. A member that kept its old one past an
// installed snapshot writes that one into its next snapshot, and a restart from it rebuilds a
// configuration the cluster left (judged under the same conditions as above).
import type { Raft } from '../../src/raft/raft.ts';
import type { ConfState } from '../../src/raft/types.ts';
import type { TrackerConfig } from '../../src/raft/tracker/tracker.ts';
import { configString } from '../../src/raft/tracker/tracker.ts';

export class ConfigAtApplied {
  /** The configuration (configString) first seen at each raft applied index, and by whom. */
  private readonly first = new Map<number, { readonly text: string; readonly member: string }>();
  /** configString of each configuration object (a tracker keeps one object until it changes). */
  private readonly texts = new WeakMap<TrackerConfig, string>();

  /** Undefined when `raft`'s configuration agrees with the one seen at its applied index; else why not. */
  check(member: string, raft: Raft): string | undefined {
    const applied = raft.raftLog.applied;
    if (applied === 0 || raft.raftLog.hasPendingSnapshot()) return undefined;
    const config = raft.prs.config;
    let text = this.texts.get(config);
    if (text === undefined) this.texts.set(config, (text = configString(config)));
    const seen = this.first.get(applied);
    if (seen === undefined) {
      this.first.set(applied, { text, member });
      return undefined;
    }
    if (seen.text === text) return undefined;
    return `raft applied up to index ${applied} with configuration ${text}, where ${seen.member} at the same applied index had ${seen.text}`;
  }

  /** Undefined when the member records raft's configuration (`membership`); else why not. */
  checkMember(raft: Raft, membership: ConfState): string | undefined {
    const applied = raft.raftLog.applied;
    if (applied === 0 || raft.raftLog.hasPendingSnapshot()) return undefined;
    const config = raft.prs.config;
    let text = this.confTexts.get(config);
    if (text === undefined) this.confTexts.set(config, (text = confStateString(raft.prs.confState())));
    let recorded = this.recordedTexts.get(membership);
    if (recorded === undefined) this.recordedTexts.set(membership, (recorded = confStateString(membership)));
    if (recorded === text) return undefined;
    return `the member records configuration ${recorded} (its snapshots carry it) while its raft, applied up to index ${applied}, holds ${text}`;
  }

  /** confStateString of raft's configuration objects, and of the members' recorded ConfStates (each kept until it changes). */
  private readonly confTexts = new WeakMap<TrackerConfig, string>();
  private readonly recordedTexts = new WeakMap<ConfState, string>();
}

/** A ConfState as text, each list sorted (a bootstrap ConfState lists its peers as configured). */
function confStateString(cs: ConfState): string {
  const ids = (xs: readonly number[]): string => [...xs].sort((a, b) => a - b).join(' ');
  return `voters=(${ids(cs.voters)}) outgoing=(${ids(cs.votersOutgoing)}) learners=(${ids(cs.learners)}) learners_next=(${ids(cs.learnersNext)})${cs.autoLeave ? ' autoleave' : ''}`;
}
