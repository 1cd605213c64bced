// Response headers as etcd's v3rpc fills them (header.go): cluster id, member id and raft term
// always; the revision only if the response did not set one. Watch responses are the exception:
// their revision is explicit (0 for a compaction cancel) and never replaced.
import type { ResponseHeader } from './types.ts';

export interface HeaderSource {
  readonly clusterId: string;
  readonly memberId: string;
  raftTerm(): number;
}

export function fillHeader(h: ResponseHeader | undefined, src: HeaderSource, currentRev: number): ResponseHeader {
  const revision = h?.revision ?? 0;
  return { cluster_id: src.clusterId, member_id: src.memberId, revision: revision === 0 ? currentRev : revision, raft_term: src.raftTerm() };
}

/** A watch response header: the revision stays exactly as the watch produced it. */
export function fillWatchHeader(h: ResponseHeader | undefined, src: HeaderSource): ResponseHeader {
  return { cluster_id: src.clusterId, member_id: src.memberId, revision: h?.revision ?? 0, raft_term: src.raftTerm() };
}
