// Which of a simulated cluster's messages the network may deliver twice: the one place that says
// how each kind travels in etcd 3.4.
//
// Raft's own messages may be duplicated: etcd-raft resends (heartbeats, MsgApp probes, a MsgSnap
// after a failed report), so a copy is a fault raft must take, and the model keeps it.
//
// The peer messages of peer-protocol.ts are not raft's: a follower forwards LeaseRenew and
// LeaseTimeToLive to the leader as one HTTP request each over the peer transport (etcdserver
// v3_server.go LeaseRenew -> leasehttp.RenewHTTP, POST /leases; LeaseTimeToLive ->
// TimeToLiveHTTP, /leases/internal), and the leader answers in that request's response. TCP
// delivers a request and its response at most once; etcd's retry loop sends a new request after
// an error, never the same one late. A late copy of a forwarded keep-alive would renew a lease
// again after its client saw the answer, long after the TTL the checker holds it to (swarm 343).
import { isPeerMessage } from '../../src/server/peer-protocol.ts';

/** True for a message the network never duplicates: a lease request forwarded between members, or its answer. */
export function deliveredAtMostOnce(message: unknown): boolean {
  return isPeerMessage(message);
}
