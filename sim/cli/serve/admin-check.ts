// etcd's maintenance isAuthenticated (v3rpc/maintenance.go), for the methods serve answers beside
// the member (Snapshot, Defragment; the member checks Hash and HashKV itself): with
// authentication enabled only root may call them, and the refusal is the auth store's own error,
// untranslated (code Unknown, "auth: permission denied"), as etcdctl prints it.
import type { GateResult, MemberGate } from './member-gate.ts';

/** Runs `go` when the caller (`token`) may; the member's HashKV, which checks the same, answers that. */
export function asAdmin(gate: MemberGate, token: string | undefined, done: (r: Extract<GateResult, { ok: false }>) => void, go: () => void): void {
  gate.call('/v3/maintenance/hashkv', {}, (r) => (r.ok ? go() : done(r)), token);
}
