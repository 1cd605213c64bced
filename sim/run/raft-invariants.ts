// The Raft invariant observer on every event of a run. The observer itself belongs to the
// Raft module (sim/raft/); this wires it to the cluster and keeps its verdict for results.json.
import type { EtcdCluster } from '../etcd/cluster.ts';
import type { Validity } from '../check/verdict.ts';

export interface InvariantWatch {
  verdict(): { valid: Validity; summary: string; [detail: string]: unknown };
}

export function watchRaftInvariants(_cluster: EtcdCluster): InvariantWatch {
  return { verdict: () => ({ valid: 'unknown', summary: 'the Raft invariant observer is not wired yet' }) };
}
