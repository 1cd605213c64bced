// Maintenance.Snapshot, the same over gRPC (a server stream) and the JSON gateway (streamed
// {"result": ...} lines): the asked member first answers its status (a killed member refuses
// at once, a paused one makes the caller wait, as a stopped etcd does), then its own applied
// state — not a linearizable read: etcd snapshots its local backend — is written as etcd 3.4's
// bbolt file (snapshot-db.ts) and sent in etcd's chunks.
import type { ClusterAdmin } from './cluster-admin.ts';
import type { GateResult, MemberGate } from './member-gate.ts';
import { backendFile, snapshotChunks, type BackendState, type SnapshotChunk } from './snapshot-db.ts';
import { notServedError } from './local-methods.ts';

export type SnapshotResult = { readonly ok: true; readonly chunks: readonly SnapshotChunk[] } | Extract<GateResult, { ok: false }>;

/** The applier's part of a detcd state machine snapshot (etcd-state-machine.ts), or undefined for another state machine. */
function applierState(json: string): Omit<BackendState, 'members'> | undefined {
  const parsed = JSON.parse(json) as { applier?: Partial<BackendState> };
  const a = parsed.applier;
  if (a === undefined || typeof a.consistentIndex !== 'number' || a.mvcc === undefined || !Array.isArray(a.leases)) return undefined;
  return { consistentIndex: a.consistentIndex, mvcc: a.mvcc, leases: a.leases };
}

export function takeSnapshot(gate: MemberGate, admin: ClusterAdmin, done: (r: SnapshotResult) => void): void {
  gate.call('/v3/maintenance/status', {}, (r) => {
    if (!r.ok) return done(r);
    const machine = admin.stateMachineOf(gate.member);
    const state = machine === undefined ? undefined : applierState(machine.snapshot());
    if (state === undefined) return done({ ok: false, error: notServedError('Maintenance.Snapshot', 'the state machine is not etcd\'s') });
    done({ ok: true, chunks: snapshotChunks(backendFile({ ...state, members: admin.members(gate.member) })) });
  });
}
