// What one etcd member reports about itself (raft role and term, MVCC revision, compact
// revision, HashKV), as the liveness phase, the nemesis and results.json see it, and
// convergence over such reports (the definition is sim/check/convergence.ts).
import { checkConvergence } from '../check/convergence.ts';
import type { ConvergenceResult } from '../check/convergence.ts';

export interface EtcdMemberStatus {
  readonly up: boolean;
  readonly isLeader: boolean;
  readonly term: number;
  /** The MVCC store's current revision. */
  readonly revision: number;
  readonly compactRevision: number;
  /** A hash of every key-value pair (etcd's HashKV); equal stores give equal hashes. */
  readonly kvHash: string;
}

/** The report of a member that did not answer: down, paused or gone. */
export const MEMBER_DOWN: EtcdMemberStatus = { up: false, isLeader: false, term: 0, revision: 0, compactRevision: 0, kvHash: '' };

/** Convergence of members by their reports (null or undefined: the member did not answer). */
export function convergenceOf(members: readonly (readonly [string, EtcdMemberStatus | null | undefined])[]): ConvergenceResult {
  return checkConvergence(members.map(([node, s]) => (s == null ? { node, up: false, revision: 0, compactRevision: 0, hash: '' } : { node, up: s.up, revision: s.revision, compactRevision: s.compactRevision, hash: s.kvHash })));
}
