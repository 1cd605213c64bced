// The public API of the system under test (src/): an etcd-like member, pure and synchronous.
// Exports are listed by name as modules land.

// The etcd member (src/server): raft + apply loop + reads + leases + watch streams.
export { Member, recoverMember, makeEtcdStateMachine, EtcdStateMachine, RaftNode, DEFAULT_MEMBER_CONFIG } from './server/index.ts';
export type { MemberConfig, MemberBug, MemberEnv, MemberOutput, DurableState, StateMachinePort, ClientToMember, MemberToClient, PeerMessage } from './server/index.ts';
