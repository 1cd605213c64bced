// equalStates remembers which older revisions of two states it found equal (EtcdState.chainTwin),
// so that the search's twin chains are walked once, not once per comparison. On random trees of
// states (puts, deletes, compactions and lease changes from shared parents, so that orders that
// commute build equal states as different objects) and comparisons in random order, repeated, it
// must answer exactly as the plain walk it replaced, written out here.
import { describe, expect, it } from 'vitest';
import { applyCompaction, applyDeleteRange, applyLeaseGrant, applyLeaseRevoke, applyPut } from '../../../sim/check/models/etcd/apply.ts';
import { EtcdState, equalStates, type KeyValue } from '../../../sim/check/models/etcd/state.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { withPropertySeed } from '../../property-seed.ts';

const b64 = (s: string): string => btoa(s);

function sameKvs(a: ReadonlyMap<string, KeyValue>, b: ReadonlyMap<string, KeyValue>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, x] of a) {
    const y = b.get(k);
    if (y === undefined || x.value !== y.value || x.create !== y.create || x.mod !== y.mod || x.version !== y.version || x.lease !== y.lease) return false;
  }
  return true;
}

/** The walk before the memo: every readable older revision compared. */
function referenceEqual(a: EtcdState, b: EtcdState): boolean {
  if (a === b) return true;
  if (a.revision !== b.revision || a.compactRevision !== b.compactRevision || a.kvsHash !== b.kvsHash || a.leasesHash !== b.leasesHash || a.historyHash !== b.historyHash) return false;
  if (!sameKvs(a.kvs, b.kvs) || a.leases.size !== b.leases.size) return false;
  for (const [k, v] of a.leases) if (b.leases.get(k) !== v) return false;
  let x = a.previous;
  let y = b.previous;
  while (x !== y && x !== undefined && y !== undefined && x.revision >= a.compactRevision) {
    if (x.revision !== y.revision || x.kvsHash !== y.kvsHash || !sameKvs(x.kvs, y.kvs)) return false;
    x = x.previous;
    y = y.previous;
  }
  return true;
}

/** One random change: mostly puts of few keys and values (so equal states recur), now and then a delete, a compaction or a lease change. */
function step(prng: Prng, s: EtcdState): EtcdState {
  const key = b64(`k${prng.int(3)}`);
  const kind = prng.int(10);
  const r =
    kind < 5
      ? applyPut(s, { key, value: b64(`v${prng.int(2)}`) })
      : kind === 5
        ? applyDeleteRange(s, { key })
        : kind === 6
          ? applyCompaction(s, { revision: String(Math.max(0, s.revision - prng.int(4))) })
          : kind === 7
            ? applyLeaseGrant(s, { ID: '7', TTL: '10' }, '7', 10)
            : kind === 8
              ? applyLeaseRevoke(s, { ID: '7' })
              : applyPut(s, { key, value: b64('v0'), lease: '7' });
  return 'error' in r ? s : r.state;
}

/**
 * A state grown from `parent` by hand, every hash 0: the hashes then never tell states apart (as
 * if they all collided), so only the walk does, and twins that differ below some revision are common.
 */
function collidingChild(prng: Prng, parent: EtcdState): EtcdState {
  if (prng.int(4) === 0 && parent.revision > 1) {
    // A compaction: the same revision, a higher compact revision.
    const compact = Math.min(parent.revision, parent.compactRevision + 1 + prng.int(3));
    return new EtcdState(parent.revision, compact, parent.kvs, parent.leases, 0, 0, parent.previous, 0);
  }
  const kvs = new Map<string, KeyValue>();
  for (const key of ['a', 'b']) {
    const v = prng.int(3);
    if (v > 0) kvs.set(key, { key, value: String(v), create: 1, mod: 1, version: 1, lease: '0' });
  }
  return new EtcdState(parent.revision + 1, parent.compactRevision, kvs, parent.leases, 0, 0, parent, 0);
}

describe('etcd state equality', () => {
  it('answers as the plain walk on random state trees, comparisons repeated in random order', () => {
    withPropertySeed((seed) => {
      const prng = new Prng(seed);
      let equal = 0;
      let compared = 0;
      for (let tree = 0; tree < 30; tree++) {
        // Branches from shared states: each new state grows from a random earlier one.
        const states: EtcdState[] = [EtcdState.initial()];
        for (let i = 0; i < 120; i++) states.push(step(prng, states[prng.int(states.length)]!));
        for (let k = 0; k < 1500; k++) {
          const a = states[prng.int(states.length)]!;
          const b = states[prng.int(states.length)]!;
          if (a.revision !== b.revision) continue;
          const expected = referenceEqual(a, b);
          expect(equalStates(a, b)).toBe(expected);
          compared++;
          if (expected && a !== b) equal++;
        }
      }
      // Both answers, and equal states that are different objects, are common in the sample.
      expect(equal).toBeGreaterThan(200);
      expect(compared - equal).toBeGreaterThan(200);
    });
  });

  it('answers as the plain walk when every hash collides, twins differing below the compact revision', () => {
    withPropertySeed((seed) => {
      const prng = new Prng(seed);
      let equal = 0;
      let compared = 0;
      for (let tree = 0; tree < 200; tree++) {
        const states: EtcdState[] = [EtcdState.initial()];
        for (let i = 0; i < 40; i++) {
          // Mostly from the newest states, so chains grow long.
          const from = states.length - 1 - Math.min(states.length - 1, prng.int(6));
          states.push(collidingChild(prng, states[from]!));
        }
        for (let k = 0; k < 400; k++) {
          const a = states[prng.int(states.length)]!;
          const b = states[prng.int(states.length)]!;
          if (a.revision !== b.revision || a.compactRevision !== b.compactRevision) continue;
          const expected = referenceEqual(a, b);
          expect(equalStates(a, b)).toBe(expected);
          compared++;
          if (expected && a !== b) equal++;
        }
      }
      expect(equal).toBeGreaterThan(200);
      expect(compared - equal).toBeGreaterThan(200);
    });
  });

  it('does not carry a walk that stopped at one compact revision over to a lower one', () => {
    // Two chains equal at revision 3 but not at 2, every hash 0 (as if colliding): equal above a
    // compaction to 3, not above one to 1, in whatever order they are compared.
    const kvs = (a: number): Map<string, KeyValue> => new Map([['a', { key: 'a', value: String(a), create: 1, mod: 1, version: 1, lease: '0' }]]);
    const p0 = EtcdState.initial();
    const state = (revision: number, compact: number, a: number, previous: EtcdState): EtcdState => new EtcdState(revision, compact, kvs(a), new Map(), 0, 0, previous, 0);
    const x3 = state(3, -1, 2, state(2, -1, 1, p0));
    const y3 = state(3, -1, 2, state(2, -1, 9, p0));
    const a4 = state(4, 3, 3, x3);
    const b4 = state(4, 3, 3, y3);
    expect(equalStates(a4, b4)).toBe(true);
    expect(equalStates(state(4, 1, 3, x3), state(4, 1, 3, y3))).toBe(false);
    // A walk that stops at a pair found equal before knows only as much as that pair did.
    expect(equalStates(state(5, 3, 4, a4), state(5, 3, 4, b4))).toBe(true);
    expect(equalStates(state(5, 1, 4, a4), state(5, 1, 4, b4))).toBe(false);
  });
});
