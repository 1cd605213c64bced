// The etcd state machine every member runs in a harness run: the applier of src/server/apply
// (MVCC, leases, watches) behind the member's StateMachinePort.
export { makeEtcdStateMachine } from '../../src/server/etcd-state-machine.ts';
