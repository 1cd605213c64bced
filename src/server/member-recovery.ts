// Rebuilding a member from what its disk made durable: the last snapshot (state machine and
// raft metadata), the raft hard state and the log entries after the snapshot. Committed
// entries are replayed into the state machine before the member serves anything, so its
// revision never goes backwards across a crash (etcd gets the same from its backend, which
// holds the applied state); raft then re-delivers them and the member skips what is applied.
import { MemoryStorage } from '../raft/storage.ts';
import type { RandomSource } from '../raft/config.ts';
import type { ConfState, Entry, HardState, Snapshot } from '../raft/types.ts';
import { EMPTY_CONF_STATE, EMPTY_HARD_STATE } from '../raft/types.ts';
import type { MemberConfig } from './member-config.ts';
import type { MemberEnv } from './member.ts';
import { Member } from './member.ts';
import { RaftNode } from './raft-node.ts';
import type { StateMachinePort } from './state-machine-port.ts';
import { violated } from '../invariant-violation.ts';
import { withFields } from '../object/with-fields.ts';

const NOT_PROPOSED_HERE = (): boolean => false;

export interface DurableState {
  readonly snapshot?: Snapshot | undefined;
  readonly hardState: HardState;
  /** Log entries after the snapshot, in index order, as the WAL holds them. */
  readonly entries: readonly Entry[];
}

export const EMPTY_DURABLE_STATE: DurableState = { hardState: EMPTY_HARD_STATE, entries: [] };

export function initialConfState(peers: readonly number[]): ConfState {
  return withFields(EMPTY_CONF_STATE, { voters: peers.slice() });
}

export interface RecoveredMember {
  readonly member: Member;
  readonly storage: MemoryStorage;
  readonly raft: RaftNode;
  /** Committed entries replayed into the state machine at recovery. */
  readonly replayed: number;
}

export function recoverMember(config: MemberConfig, durable: DurableState, sm: StateMachinePort, env: MemberEnv, random: RandomSource): RecoveredMember {
  const storage = new MemoryStorage(initialConfState(config.peers));
  const snap = durable.snapshot;
  if (snap !== undefined && snap.metadata.index > 0) {
    storage.applySnapshot(snap);
    sm.restore(snap.data, env.nowMs());
  }
  const snapIndex = storage.snapshot().metadata.index;
  storage.setHardState(durable.hardState);
  storage.append(durable.entries.filter((e) => e.index > snapIndex));
  if (durable.hardState.commit > storage.lastIndex()) {
    throw violated('server', 'commit-within-log', `durable commit ${durable.hardState.commit} beyond last index ${storage.lastIndex()}`);
  }
  let replayed = 0;
  for (const e of durable.entries) {
    if (e.index <= sm.consistentIndex() || e.index > durable.hardState.commit) continue;
    // Nobody waits for a reply of a replayed entry.
    if (e.type === 'normal' && e.data !== '') sm.apply(e.index, e.term, e.data, env.nowMs(), NOT_PROPOSED_HERE);
    else sm.applyNoop(e.index);
    replayed++;
  }
  const raft = new RaftNode(config, storage, snapIndex, random);
  const member = new Member(config, raft, storage, sm, env);
  return { member, storage, raft, replayed };
}
