// Invariant auth-revision-rises: every auth change a member applies raises its auth revision. etcd
// 3.4 (auth/store.go) calls commitRevision in each change of users, roles and permissions and in
// AuthDisable (AuthEnable only reads the stored revision back). A request carries the auth revision
// its member checked it at, and its apply refuses it as "auth revision is old" only when the
// revision rose since: a change that keeps the revision lets a request checked before it apply
// after it, as a user with roles or permissions it no longer has (holdout 13:
// revoke-role-keeps-auth-revision; no history shows the order of a request and an auth change
// applied while it was in flight). Judged per member, on each auth entry applied right after the
// last state this observer read (the member's start, or its previous auth entry, with no snapshot
// installed between): its users, roles or permissions changed, or authentication went off, and
// the revision did not rise; nor may the revision ever go down.
import { InvariantViolation } from '../../src/invariant-violation.ts';
import type { Entry } from '../../src/raft/types.ts';
import { entryDataText } from '../../src/raft/types.ts';
import { decodeRaftRequest, RaftRequestPayload } from '../../src/server/apply/raft-request.ts';
import { EtcdStateMachine } from '../../src/server/etcd-state-machine.ts';
import type { MemberHost } from './member-host.ts';

/** The auth store as the observer last read it on one member. */
interface Seen {
  readonly content: string;
  readonly enabled: boolean;
  readonly revision: number;
  readonly snapshotIndex: number;
}

export class AuthRevisionObserver {
  private readonly seen = new WeakMap<MemberHost, Seen>();
  /** Auth changes judged (content changed and the revision checked). */
  judged = 0;
  /** Its sibling: writes applied with an older auth revision change nothing (auth-revision-checked.ts). */
  checked: { readonly judged: number } | undefined;

  /** A member (re)started: its auth store as recovered. */
  onStart(host: MemberHost): void {
    const s = readAuth(host);
    if (s !== undefined) this.seen.set(host, s);
  }

  onApplied(e: Entry, host: MemberHost): void {
    if (e.type !== 'normal' || e.data === '' || !isAuthChange(e)) return;
    const sm = host.member.stateMachine;
    // A replayed entry (recovery): the store already holds later state.
    if (!(sm instanceof EtcdStateMachine) || sm.consistentIndex() !== e.index) return;
    const now = readAuth(host);
    if (now === undefined) return;
    const before = this.seen.get(host);
    this.seen.set(host, now);
    if (before === undefined || before.snapshotIndex !== now.snapshotIndex) return;
    const changed = now.content !== before.content || (before.enabled && !now.enabled);
    if (!changed && now.revision >= before.revision) return;
    this.judged++;
    if (now.revision > before.revision) return;
    throw new InvariantViolation({
      layer: 'server',
      invariant: 'auth-revision-rises',
      member: host.ctx.id,
      detail: `${host.ctx.id} applied auth entry ${e.index} (${authKind(e)}): ${changed ? 'users, roles or permissions changed, or authentication went off' : 'nothing changed'}, and the auth revision went from ${before.revision} to ${now.revision}`,
      facts: { index: e.index, revisionBefore: before.revision, revisionAfter: now.revision },
    });
  }
}

function readAuth(host: MemberHost): Seen | undefined {
  const sm = host.member.stateMachine;
  if (!(sm instanceof EtcdStateMachine)) return undefined;
  const s = sm.applier.auth.snapshot();
  return { content: JSON.stringify([s.users, s.roles]), enabled: s.enabled, revision: s.revision, snapshotIndex: host.receivedSnapshotIndex };
}

/** The kind of an auth request an entry carries ('' for any other entry). */
function authKind(e: Entry): string {
  const data = e.data;
  const kind = data instanceof RaftRequestPayload ? data.request.body.kind : entryDataText(data).includes('"auth_') ? decodeRaftRequest(data)?.body.kind ?? '' : '';
  return kind.startsWith('auth_') ? kind : '';
}

/** Any auth request but an Authenticate (which changes only the member's tokens). */
const isAuthChange = (e: Entry): boolean => authKind(e) !== '';
