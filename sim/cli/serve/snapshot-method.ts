// Maintenance.Snapshot, the same over gRPC (a server stream) and the JSON gateway (streamed
// {"result": ...} lines): the asked member first answers its status (a killed member refuses
// at once, a paused one makes the caller wait, as a stopped etcd does), then its own applied
// state — not a linearizable read: etcd snapshots its local backend — is written as etcd 3.4's
// bbolt file (snapshot-db.ts) and sent in etcd's chunks.
import type { ClusterAdmin } from './cluster-admin.ts';
import type { GateResult, MemberGate } from './member-gate.ts';
import { backendFile, snapshotChunks, type BackendState, type SnapshotChunk } from './snapshot-db.ts';
import { notServedError } from './local-methods.ts';
import { asAdmin } from './admin-check.ts';
import { EtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import type { StateMachinePort } from '../../../src/server/state-machine-port.ts';
import { statusSizeStale } from '../../../src/server/member.ts';

export type SnapshotResult = { readonly ok: true; readonly chunks: readonly SnapshotChunk[] } | Extract<GateResult, { ok: false }>;

/** The applier's part of a detcd state machine snapshot (etcd-state-machine.ts), or undefined for another state machine. */
function applierState(machine: StateMachinePort): Omit<BackendState, 'members'> | undefined {
  // The etcd applier's state as it stands, not through machine.snapshot()'s JSON text: with binary
  // values that text is up to six times their size (JSON escapes each control byte as \u00XX),
  // written and parsed again on every Status and /metrics scrape.
  const a: Partial<BackendState> | undefined = machine instanceof EtcdStateMachine ? machine.applier.snapshot() : (JSON.parse(machine.snapshot()) as { applier?: Partial<BackendState> }).applier;
  if (a === undefined || typeof a.consistentIndex !== 'number' || a.mvcc === undefined || !Array.isArray(a.leases)) return undefined;
  return { consistentIndex: a.consistentIndex, mvcc: a.mvcc, leases: a.leases, auth: a.auth };
}

/** The member's backend as etcd's bbolt file, or undefined for a state machine that is not etcd's (or a down member). */
function backendOf(gate: MemberGate, admin: ClusterAdmin): Uint8Array | undefined {
  const machine = admin.stateMachineOf(gate.member);
  const state = machine === undefined ? undefined : applierState(machine);
  return state === undefined ? undefined : backendFile({ ...state, members: admin.members(gate.member) });
}

export function takeSnapshot(gate: MemberGate, admin: ClusterAdmin, token: string | undefined, done: (r: SnapshotResult) => void): void {
  asAdmin(gate, token, done, () => gate.call('/v3/maintenance/status', {}, (r) => {
    if (!r.ok) return done(r);
    const file = backendOf(gate, admin);
    if (file === undefined) return done({ ok: false, error: notServedError('Maintenance.Snapshot', 'the state machine is not etcd\'s') });
    done({ ok: true, chunks: snapshotChunks(file) });
  }));
}

/** A member's backend file size, as of its state machine's consistent index and its members. */
interface SizeAt {
  readonly consistentIndex: number;
  readonly members: string;
  readonly bytes: number;
}
const backendSizes = new WeakMap<StateMachinePort, SizeAt>();

/**
 * The size of the member's backend file, written again only when the members changed or entries
 * applied since pay for it (statusSizeStale, src/server/member.ts: at most once per size/64 KiB
 * entries; a small store at every entry): health checks, /metrics scrapes and clients polling
 * Status while they write ask often, and the file is the member's whole state.
 */
function backendSize(gate: MemberGate, admin: ClusterAdmin): number | undefined {
  const machine = admin.stateMachineOf(gate.member);
  if (machine === undefined) return undefined;
  const members = JSON.stringify(admin.members(gate.member));
  const known = backendSizes.get(machine);
  if (known !== undefined && known.members === members && !statusSizeStale({ appliedIndex: known.consistentIndex, bytes: known.bytes }, machine.consistentIndex())) return known.bytes;
  const file = backendOf(gate, admin);
  if (file === undefined) return undefined;
  backendSizes.set(machine, { consistentIndex: machine.consistentIndex(), members, bytes: file.length });
  return file.length;
}

/**
 * Maintenance.Status as etcd answers it: dbSize and dbSizeInUse are the size of the backend
 * file (bbolt's tx.Size(); the file Snapshot streams has no free pages, so both are equal), not
 * the simulated member's own serialized state.
 */
export function status(gate: MemberGate, admin: ClusterAdmin, done: (r: GateResult) => void): void {
  gate.call('/v3/maintenance/status', {}, (r) => {
    if (!r.ok) return done(r);
    const bytes = backendSize(gate, admin);
    if (bytes === undefined) return done(r);
    done({ ok: true, body: { ...(r.body as object), dbSize: String(bytes), dbSizeInUse: String(bytes) } });
  });
}
