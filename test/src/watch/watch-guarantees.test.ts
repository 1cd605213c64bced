// Property test of etcd's documented watch guarantees on random schedules of writes,
// compactions, watcher creation and cancellation, progress requests and notifications, catch-up
// syncs, victim retries and tiny stream buffers (so that watchers become victims often):
// ordered, unique, atomic (a revision is never split), reliable (exactly the matching events
// from the start revision, no gaps), bookmarkable (no event at or below a progress revision
// follows it), and compaction cancels carry the compact revision.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WatchResponse } from '../../../src/api/types.ts';
import { MvccStore } from '../../../src/mvcc/store.ts';
import { WatchableStore } from '../../../src/watch/watchable-store.ts';
import { WatchStream } from '../../../src/watch/watch-stream.ts';

const KEYS = ['a', 'b', 'c', 'd'];
type Op =
  | { k: 'put'; keys: string[] }
  | { k: 'del'; key: string }
  | { k: 'compact'; back: number }
  | { k: 'watch'; key: string; end: string | undefined; start: number; noPut: boolean; noDelete: boolean }
  | { k: 'cancel'; pick: number }
  | { k: 'progress' }
  | { k: 'tick' }
  | { k: 'sync' }
  | { k: 'victims' }
  | { k: 'take' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 3 }).map((keys): Op => ({ k: 'put', keys })) },
  { weight: 2, arbitrary: fc.constantFrom(...KEYS).map((key): Op => ({ k: 'del', key })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 6 }).map((back): Op => ({ k: 'compact', back })) },
  { weight: 2, arbitrary: fc.record({ key: fc.constantFrom(...KEYS), end: fc.constantFrom(undefined, 'c', '\0'), start: fc.integer({ min: -1, max: 40 }), noPut: fc.boolean(), noDelete: fc.boolean() }).map((w): Op => ({ k: 'watch', ...w })) },
  { weight: 1, arbitrary: fc.nat().map((pick): Op => ({ k: 'cancel', pick })) },
  { weight: 1, arbitrary: fc.constant<Op>({ k: 'progress' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ k: 'tick' }) },
  { weight: 2, arbitrary: fc.constant<Op>({ k: 'sync' }) },
  { weight: 2, arbitrary: fc.constant<Op>({ k: 'victims' }) },
  { weight: 2, arbitrary: fc.constant<Op>({ k: 'take' }) },
);

interface Spec { key: string; end: string | undefined; from: number; noPut: boolean; noDelete: boolean; canceled: boolean }
interface Change { rev: number; type: 'PUT' | 'DELETE'; key: string }

function matches(s: Spec, c: Change): boolean {
  const inRange = s.end === undefined ? c.key === s.key : s.end === '\0' ? c.key >= s.key : c.key >= s.key && c.key < s.end;
  return inRange && c.rev >= s.from && !(c.type === 'PUT' ? s.noPut : s.noDelete);
}

describe('watch guarantees', () => {
  it('ordered, unique, atomic, reliable and bookmarkable on random schedules', () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);
    console.log(`watch guarantees seed=${seed} (replay: SEED=${seed} npx vitest run test/src/watch/watch-guarantees.test.ts)`);
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 80 }), (buffer, ops) => {
      const store = new MvccStore();
      const ws = new WatchableStore(store);
      const stream = new WatchStream(ws, buffer);
      const changes: Change[] = [];
      const specs = new Map<number, Spec>();
      const out: WatchResponse[] = [];
      let nextId = 0;
      const record = () => {
        for (const e of store.log.get(store.currentRev) ?? []) if (e) changes.push({ rev: store.currentRev, type: e.tombstone ? 'DELETE' : 'PUT', key: e.kv.key });
      };
      for (const o of ops) {
        switch (o.k) {
          case 'put': {
            const t = store.write();
            for (const k of o.keys) t.put(k, 'v', 0n);
            t.end();
            record();
            break;
          }
          case 'del': {
            const t = store.write();
            t.deleteRange(o.key, undefined);
            const changed = t.hasChanges();
            t.end();
            if (changed) record();
            break;
          }
          case 'compact':
            store.compact(Math.max(0, store.currentRev - o.back));
            break;
          case 'watch': {
            const from = o.start === 0 ? store.currentRev + 1 : o.start;
            stream.create({ key: o.key, ...(o.end !== undefined ? { range_end: o.end } : {}), start_revision: o.start,
              filters: [...(o.noPut ? ['NOPUT' as const] : []), ...(o.noDelete ? ['NODELETE' as const] : [])] });
            // An empty range is refused (Created+Canceled with watch_id -1) and takes no id.
            if (o.end === undefined || o.end === '\0' || o.key < o.end) {
              specs.set(nextId++, { key: o.key, end: o.end, from, noPut: o.noPut, noDelete: o.noDelete, canceled: false });
            }
            break;
          }
          case 'cancel': {
            const ids = stream.ids();
            if (ids.length === 0) break;
            const id = ids[o.pick % ids.length]!;
            stream.cancel(id);
            specs.get(id)!.canceled = true;
            break;
          }
          case 'progress': stream.requestProgress(); break;
          case 'tick': stream.progressTick(); break;
          case 'sync': ws.syncWatchers(); break;
          case 'victims': ws.moveVictims(); break;
          case 'take': out.push(...stream.take()); break;
        }
      }
      for (let i = 0; i < 200 && (ws.pendingCount() > 0 || stream.hasOutput()); i++) {
        ws.moveVictims();
        ws.syncWatchers();
        out.push(...stream.take());
      }
      expect(ws.pendingCount()).toBe(0);
      // Walk the stream as a client would.
      const events = new Map<number, Change[]>();
      const lastRev = new Map<number, number>();
      const progressOwn = new Map<number, number>();
      let maxDelivered = 0;
      for (const r of out) {
        const id = r.watch_id ?? 0;
        if (r.created === true) {
          if (r.canceled === true) {
            expect(r).toMatchObject({ watch_id: -1, cancel_reason: 'mvcc: watcher range is empty' });
            continue;
          }
          expect(events.has(id)).toBe(false);
          events.set(id, []);
          continue;
        }
        if (r.canceled === true) {
          if (r.compact_revision !== undefined) specs.get(id)!.canceled = true;
          continue;
        }
        if (r.events === undefined) {
          const rev = r.header!.revision!;
          // etcd's cancel for compact revision 0 (a negative start after "compact 0") is not
          // marked canceled: an empty response with revision 0, and the watcher is gone.
          if (rev === 0) {
            specs.get(id)!.canceled = true;
            continue;
          }
          if (id === -1) {
            // A stream-wide bookmark speaks for the watches open at that moment.
            expect(rev).toBeGreaterThanOrEqual(maxDelivered);
            for (const open of events.keys()) progressOwn.set(open, Math.max(progressOwn.get(open) ?? 0, rev));
          } else progressOwn.set(id, rev);
          continue;
        }
        const list = events.get(id)!;
        const first = r.events[0]!.kv.mod_revision;
        // Atomic and ordered: a response starts after the previous response's last revision.
        expect(first).toBeGreaterThan(lastRev.get(id) ?? 0);
        // Bookmarkable: nothing at or below a progress revision comes after it.
        expect(first).toBeGreaterThan(progressOwn.get(id) ?? 0);
        for (const e of r.events) {
          list.push({ rev: e.kv.mod_revision, type: e.type, key: e.kv.key });
          maxDelivered = Math.max(maxDelivered, e.kv.mod_revision);
        }
        lastRev.set(id, r.events[r.events.length - 1]!.kv.mod_revision);
      }
      // Reliable: exactly the matching changes (a prefix of them for cancelled watches).
      for (const [id, spec] of specs) {
        const got = events.get(id) ?? [];
        const want = changes.filter((c) => matches(spec, c));
        if (spec.canceled) expect(want.slice(0, got.length)).toEqual(got);
        else expect(got).toEqual(want);
      }
    }), { seed, numRuns: 300 });
  });
});
