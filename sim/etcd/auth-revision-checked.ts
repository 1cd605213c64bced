// Invariant auth-revision-checked: a write proposed under an auth revision older than the one its
// member holds when it applies changes nothing. etcd 3.4's isOpPermitted refuses such an entry,
// "auth revision is old", before it looks at the user's permissions (root too): the proposer
// checked the request against an auth store that has changed since, and clientv3 retries it with
// a fresh token. An entry that applied anyway may have run with roles or permissions its user no
// longer has, or, still allowed, where etcd refuses it (holdout 21: old-auth-revision-accepted);
// no history shows the order of a request's proposal and an auth change that applied while it
// was in flight. Judged per member on each put, delete, txn or lease revoke entry that carries
// its proposer's auth info and applied right after the last entry this observer saw (no snapshot
// installed between), authentication on before it: its revision below the member's auth
// revision, the store's revision must not move (a write that moved it applied).
import { InvariantViolation } from '../../src/invariant-violation.ts';
import type { Entry } from '../../src/raft/types.ts';
import { entryDataText } from '../../src/raft/types.ts';
import type { InternalRaftRequest } from '../../src/server/apply/raft-request.ts';
import { decodeRaftRequest, RaftRequestPayload } from '../../src/server/apply/raft-request.ts';
import { EtcdStateMachine } from '../../src/server/etcd-state-machine.ts';
import type { MemberHost } from './member-host.ts';

/** What a member held after the last entry the observer saw. */
interface After {
  readonly index: number;
  readonly snapshotIndex: number;
  readonly enabled: boolean;
  readonly authRevision: number;
  readonly storeRevision: number;
}

/** The kinds whose apply checks the proposer's auth revision when they write (authApplierV3). */
const CHECKED: ReadonlySet<string> = new Set(['put', 'delete_range', 'txn', 'lease_revoke']);

export class AuthRevisionChecked {
  private readonly after = new WeakMap<MemberHost, After>();
  /** Entries judged: an old auth revision met at apply. */
  judged = 0;

  onStart(host: MemberHost): void {
    const a = read(host);
    if (a !== undefined) this.after.set(host, a);
  }

  onApplied(e: Entry, host: MemberHost): void {
    const now = read(host);
    if (now === undefined) return;
    const before = this.after.get(host);
    this.after.set(host, now);
    if (before === undefined || !before.enabled || before.index !== e.index - 1 || before.snapshotIndex !== now.snapshotIndex || now.index !== e.index) return;
    if (e.type !== 'normal' || e.data === '') return;
    const req = authedRequest(e);
    if (req === undefined || !CHECKED.has(req.body.kind)) return;
    const revision = req.auth?.revision ?? 0;
    if (revision === 0 || revision >= before.authRevision) return;
    this.judged++;
    if (now.storeRevision === before.storeRevision) return;
    throw new InvariantViolation({
      layer: 'server',
      invariant: 'auth-revision-checked',
      member: host.ctx.id,
      detail: `${host.ctx.id} applied ${req.body.kind} entry ${e.index} of ${req.auth?.username ?? '?'} proposed at auth revision ${revision} while it held auth revision ${before.authRevision}, and the store moved from revision ${before.storeRevision} to ${now.storeRevision}: etcd refuses it, "auth revision is old"`,
      facts: { index: e.index, entryAuthRevision: revision, authRevision: before.authRevision, storeRevisionBefore: before.storeRevision, storeRevisionAfter: now.storeRevision },
    });
  }
}

function read(host: MemberHost): After | undefined {
  const sm = host.member.stateMachine;
  if (!(sm instanceof EtcdStateMachine)) return undefined;
  const a = sm.applier;
  return { index: sm.consistentIndex(), snapshotIndex: host.receivedSnapshotIndex, enabled: a.auth.isEnabled, authRevision: a.auth.revision, storeRevision: a.store.currentRev };
}

/** The entry's request when it carries its proposer's auth info (only entries sent with a token do). */
function authedRequest(e: Entry): InternalRaftRequest | undefined {
  const data = e.data;
  if (data instanceof RaftRequestPayload) return data.request.auth === undefined ? undefined : data.request;
  if (!entryDataText(data).includes('"auth":')) return undefined;
  const r = decodeRaftRequest(data);
  return r?.auth === undefined ? undefined : r;
}
