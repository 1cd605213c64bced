// Auth checker rule 5: a token does not outlive what invalidates it. etcd 3.4's simple tokens are
// forgotten by every member when their user's password changes or the user is deleted
// (UserChangePassword, UserDelete: tokenProvider.invalidateUser), and all at once by AuthDisable
// (checked on etcd 3.4.23: a put with a token issued before `etcdctl user passwd` answered
// "invalid auth token"). A process sends the token of its last login (each process is sequential
// and logs in again after a refusal), so a request of a process whose last login returned before
// such a change was called, sent after the change returned ok, uses a forgotten token: answered ok
// while authentication was certainly on throughout its window, the token was honoured.
// A member that has not applied the change yet still knows the token, but a write it proposes
// carries the auth revision before the change and fails at apply ("auth revision is old"), and a
// linearizable read checks its token after the read index wait: only a serializable read may be
// served so, and it is not judged (holdout 13: password-change-keeps-tokens).
// A member that skips the change's entry by installing a raft snapshot past it keeps the token too:
// etcd 3.4's authStore.Recover reloads the enabled flag and the auth revision from the snapshot's
// backend and leaves the tokens alone (a member lagging behind the leader's compacted log:
// --snapshot-count, 5000 catch-up entries), so a write it proposes carries the new revision and
// passes. A history does not say which member installed a snapshot; it does say which member
// answered the change: that member applied it (etcd answers a proposal from its own apply) and so
// forgot the token. Only a request that member served is judged; a history without the serving
// members (`node`) is not.
import type { OpPair } from '../history/pair.ts';
import type { AuthFacts } from './auth-state.ts';

type Req = Record<string, unknown>;

/** What invalidates a user's tokens: a password change or the user's delete (AuthDisable: everyone's). */
const INVALIDATES = new Set(['auth/user/changepw', 'auth/user/delete', 'auth/disable']);

export interface StaleToken {
  readonly pair: OpPair;
  readonly user: string;
  /** The change that invalidated the token. */
  readonly change: OpPair;
}

const nameOf = (p: OpPair): string => {
  const v = (p.invoke.value as Req | null)?.['name'];
  return typeof v === 'string' ? v : '';
};

/** Whether a KV request is served without raft (its token and permission seen as of any earlier state). */
function serializable(p: OpPair): boolean {
  const v = (p.invoke.value ?? {}) as Req;
  // A watch's create: the member serving the stream reads the token from its own memory.
  if (p.invoke.f === 'watch/create') return true;
  if (p.invoke.f === 'kv/range') return v['serializable'] === true;
  if (p.invoke.f !== 'kv/txn') return false;
  const branch = (b: unknown): Req[] => (Array.isArray(b) ? (b as Req[]) : []);
  const ops = [...branch(v['success']), ...branch(v['failure'])];
  return ops.length > 0 && ops.every((op) => (op?.['request_range'] as Req | undefined)?.['serializable'] === true);
}

/**
 * KV requests (those `judged` accepts) answered ok with a token an earlier, certainly applied
 * change had invalidated, while authentication was certainly on, by the member that answered the
 * change. `pairs` in call order.
 */
export function findStaleTokens(pairs: readonly OpPair[], facts: AuthFacts, judged: (p: OpPair) => boolean): StaleToken[] {
  const changes = pairs.filter((p) => INVALIDATES.has(p.invoke.f) && p.completion?.type === 'ok');
  const lastLogin = new Map<number | string, OpPair>();
  const out: StaleToken[] = [];
  for (const p of pairs) {
    if (p.invoke.f === 'auth/authenticate') {
      lastLogin.set(p.invoke.process, p);
      continue;
    }
    const login = lastLogin.get(p.invoke.process);
    if (login?.completion?.type !== 'ok' || p.completion?.type !== 'ok' || !judged(p) || serializable(p)) continue;
    const user = nameOf(login);
    // Any member but the one that answered the change may have installed a snapshot across it.
    const node = p.completion.node;
    const change = changes.find((c) => c.call > login.return && c.return < p.call && (c.invoke.f === 'auth/disable' || nameOf(c) === user) && node !== undefined && c.completion?.node === node);
    if (change === undefined) continue;
    if (facts.window(p.call, p.return).enabled.has('false')) continue;
    out.push({ pair: p, user, change });
  }
  return out;
}
