// The product's assertions fire on the state they guard: each one is shown a broken state and
// must throw the typed InvariantViolation with its layer and name (and stay quiet on a sound one).
import { describe, expect, it } from 'vitest';
import type { Event } from '../../src/mvcc/key-value.ts';
import { NO_LEASE } from '../../src/mvcc/key-value.ts';
import { KeyIndex } from '../../src/mvcc/key-index.ts';
import { Lessor } from '../../src/lease/lessor.ts';
import { Unstable } from '../../src/raft/log-unstable.ts';
import { Progress } from '../../src/raft/tracker/progress.ts';
import type { Entry } from '../../src/raft/types.ts';
import { MvccStore } from '../../src/mvcc/store.ts';
import { WatchStream } from '../../src/watch/watch-stream.ts';
import { WatchableStore } from '../../src/watch/watchable-store.ts';
import type { StoreWatchResponse } from '../../src/watch/watcher.ts';
import { Watcher } from '../../src/watch/watcher.ts';
import { violation } from '../support/violation.ts';
import { invariant, raftViolation } from '../../src/raft/errors.ts';
import { invariantBroken, invariantHolds } from '../../src/invariant-violation.ts';

const put = (rev: number): Event => ({ type: 'PUT', kv: { key: 'k', create_revision: 1, mod_revision: rev, version: rev, value: 'v', lease: NO_LEASE } });
const resp = (...revs: number[]): StoreWatchResponse => ({ watchId: 0, events: revs.map(put), revision: revs[revs.length - 1] ?? 0, compactRevision: 0 });

function watcher(minRev: number): Watcher {
  return new Watcher(0, 'k', undefined, 1, minRev, { noPut: false, noDelete: false }, { deliver: () => true }, 0);
}

describe('per-watcher revisions', () => {
  it('a watcher is never sent a revision it was already sent', () => {
    const w = watcher(1);
    w.minRev = 6;
    expect(violation(() => w.send(resp(4, 5)))).toBeUndefined();
    expect(violation(() => w.send(resp(5)))).toEqual({ layer: 'watch', invariant: 'watcher-revision-increases' });
  });

  it('after a send, the next revision the watcher needs is past what it was sent', () => {
    const w = watcher(1);
    w.minRev = 5;
    expect(violation(() => w.send(resp(5)))).toEqual({ layer: 'watch', invariant: 'watcher-needs-after-sent' });
  });

  it('progress and compaction responses carry no events and are not held to it', () => {
    const w = watcher(-1);
    expect(violation(() => w.send({ watchId: 0, events: [], revision: 0, compactRevision: 3 }))).toBeUndefined();
  });

  it('is off only for the planted bugs that resend a revision on purpose (their checker must find them)', () => {
    const w = watcher(1);
    w.assertsRevisions = false;
    w.minRev = 6;
    w.send(resp(5));
    expect(violation(() => w.send(resp(5)))).toBeUndefined();
  });
});

describe('watch stream bookmarks', () => {
  function stream(): WatchStream {
    const store = new MvccStore();
    const ws = new WatchableStore(store);
    for (let i = 0; i < 3; i++) {
      const t = store.write();
      t.put('k', 'v', NO_LEASE);
      t.end();
    }
    const s = new WatchStream(ws);
    s.create({ key: 'k' });
    return s;
  }

  it('no event at or below a revision a progress response vouched for', () => {
    const s = stream();
    s.requestProgress(); // synced at revision 4: vouches for 4
    expect(violation(() => s.deliver({ ...resp(5), watchId: 0 }))).toBeUndefined();
    expect(violation(() => s.deliver({ ...resp(4), watchId: 0 }))).toEqual({ layer: 'watch', invariant: 'watch-event-after-progress' });
  });
});

describe('raft log', () => {
  const entry = (index: number, term = 1): Entry => ({ index, term, type: 'normal', data: '' });

  it('an append is contiguous', () => {
    const u = new Unstable(1);
    expect(violation(() => u.truncateAndAppend([entry(1), entry(2)]))).toBeUndefined();
    expect(violation(() => u.truncateAndAppend([entry(3), entry(5)]))).toEqual({ layer: 'raft', invariant: 'append-contiguous' });
  });

  it('unstable entries stay indexed from the offset', () => {
    const u = new Unstable(1);
    u.truncateAndAppend([entry(1), entry(2)]);
    u.entries[0] = entry(9); // checked at both ends: a broken first entry
    expect(violation(() => u.truncateAndAppend([entry(3)]))).toEqual({ layer: 'raft', invariant: 'unstable-indexed' });
  });
});

describe('mvcc key index', () => {
  it('a put keeps versions and the latest revision last', () => {
    const ki = new KeyIndex('k');
    ki.put({ main: 2, sub: 0 });
    expect(violation(() => ki.put({ main: 3, sub: 0 }))).toBeUndefined();
    ki.generations[0]!.ver = 0;
    expect(violation(() => ki.put({ main: 4, sub: 0 }))).toEqual({ layer: 'mvcc', invariant: 'key-index: a generation counts every revision it holds, the latest last' });
  });

  it('a restored key has a version', () => {
    expect(violation(() => new KeyIndex('k').restore({ main: 2, sub: 0 }, { main: 3, sub: 0 }, 0))).toMatchObject({ layer: 'mvcc' });
  });
});

describe('lessor', () => {
  const lease = (invariant: string) => ({ layer: 'lease', invariant: `lessor: ${invariant}` });

  function withKey(): { lessor: Lessor; store: MvccStore } {
    const store = new MvccStore();
    const lessor = new Lessor();
    store.leases = lessor;
    lessor.grant(1n, 10, 0);
    lessor.grant(2n, 10, 0);
    const t = store.write();
    t.put('a', 'v', 1n);
    t.end();
    return { lessor, store };
  }

  it('a lease\'s keys map back to it when it is revoked', () => {
    const sound = withKey();
    expect(violation(() => sound.lessor.revoke(1n, sound.store))).toBeUndefined();
    const { lessor, store } = withKey();
    (lessor as unknown as { itemMap: Map<string, bigint> }).itemMap.set('a', 2n);
    expect(violation(() => lessor.revoke(1n, store))).toEqual(lease('a lease\'s keys map back to it'));
  });

  it('promotion gives every lease an expiry; demotion takes every expiry away', () => {
    const sound = withKey();
    expect(violation(() => sound.lessor.promote(0, 0))).toBeUndefined();
    expect(violation(() => sound.lessor.demote())).toBeUndefined();
    const { lessor } = withKey();
    // A promotion that skips a lease (a bug in the loop) leaves it never expiring on the primary.
    lessor.lookup(2n)!.refresh = () => undefined;
    expect(violation(() => lessor.promote(0, 0))).toEqual(lease('every lease of the primary expires'));
    const other = withKey().lessor;
    other.promote(0, 0);
    other.lookup(1n)!.forever = () => undefined;
    expect(violation(() => other.demote())).toEqual(lease('a follower\'s leases never expire'));
  });
});

describe('raft progress transitions', () => {
  const raft = (invariant: string) => ({ layer: 'raft', invariant });

  it('replication starts only from a probe', () => {
    const pr = new Progress(0, 1, 4, false);
    expect(violation(() => pr.becomeReplicate())).toBeUndefined();
    expect(violation(() => pr.becomeReplicate())).toEqual(raft('progress-replicate-from-probe'));
  });

  it('an optimistic update happens only while replicating, and keeps match below next', () => {
    const pr = new Progress(0, 1, 4, false);
    expect(violation(() => pr.optimisticUpdate(3))).toEqual(raft('progress-optimistic-in-replicate'));
    pr.becomeReplicate();
    expect(violation(() => pr.optimisticUpdate(3))).toBeUndefined();
    pr.match = 9; // a corrupted match past what was sent
    expect(violation(() => pr.optimisticUpdate(4))).toEqual(raft('progress-match-below-next'));
  });

  it('one snapshot at a time', () => {
    const pr = new Progress(0, 1, 4, false);
    expect(violation(() => pr.becomeSnapshot(5))).toBeUndefined();
    expect(violation(() => pr.becomeSnapshot(6))).toEqual(raft('progress-one-snapshot-at-a-time'));
  });
});

describe('watch groups', () => {
  const watch = (invariant: string) => ({ layer: 'watch', invariant: `watch: ${invariant}` });

  /** A synced watcher on k whose stream refuses until `open` is set: the next put makes it a victim. */
  function victim(): { ws: WatchableStore; w: Watcher; open: () => void } {
    const store = new MvccStore();
    const ws = new WatchableStore(store);
    let accepting = false;
    const w = ws.watch('k', undefined, 0, 1, { noPut: false, noDelete: false }, { deliver: () => accepting });
    const t = store.write();
    t.put('k', 'v', NO_LEASE);
    t.end();
    return { ws, w, open: () => (accepting = true) };
  }

  it('a delivered victim joins exactly one group', () => {
    const sound = victim();
    sound.open();
    expect(violation(() => sound.ws.moveVictims())).toBeUndefined();
    expect(sound.ws.isSynced(sound.w)).toBe(true);
    const { ws, w, open } = victim();
    open();
    // A bug that left the victim among the unsynced as well.
    (ws as unknown as { unsynced: Set<Watcher> }).unsynced.add(w);
    expect(violation(() => ws.moveVictims())).toEqual(watch('a delivered victim joins exactly one group'));
  });

  it('a cancelled watcher is in no group', () => {
    const { ws, w } = victim();
    expect(violation(() => ws.cancel(w))).toBeUndefined();
    const other = victim();
    // A bug that kept a second list of victims the cancel does not know about.
    const victims = (other.ws as unknown as { victims: Map<Watcher, unknown>[] }).victims;
    Object.defineProperty(other.ws, 'victims', { get: () => [...victims, new Map([[other.w, {}]])] });
    expect(violation(() => other.ws.cancel(other.w))).toEqual(watch('a cancelled watcher is in no group'));
  });
});

describe('the allocation-free forms throw what the arrow forms threw', () => {
  it('raftViolation is invariant()\'s error, invariantBroken is invariantHolds()\'s', () => {
    const thrown = (f: () => void): unknown => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const fields = (e: unknown): object => {
      const v = e as { name: string; message: string; layer: string; invariant: string; detail: string; member: unknown; facts: object };
      return { name: v.name, message: v.message, layer: v.layer, invariant: v.invariant, detail: v.detail, member: v.member, facts: v.facts };
    };
    expect(fields(raftViolation('slice-order', 'invalid slice 3 > 2'))).toEqual(fields(thrown(() => invariant(false, 'slice-order', () => 'invalid slice 3 > 2'))));
    expect(fields(invariantBroken('watch', 'watch-batch-revisions-max', '3 revisions'))).toEqual(fields(thrown(() => invariantHolds(false, 'watch', 'watch-batch-revisions-max', () => '3 revisions'))));
  });
});
