import { describe, expect, it } from 'vitest';
import { MvccStore } from '../../../src/mvcc/store.ts';
import { restoreStore, snapshotStore } from '../../../src/mvcc/snapshot.ts';
import { hashKv } from '../../../src/mvcc/hash.ts';
import { prefixRangeEnd, bytesFromUint8Array, bytesToUint8Array } from '../../../src/mvcc/key.ts';

function put(s: MvccStore, k: string, v: string): number {
  const t = s.write();
  const rev = t.put(k, v, 0n);
  t.end();
  return rev;
}

function del(s: MvccStore, k: string, end?: string): number {
  const t = s.write();
  const r = t.deleteRange(k, end);
  t.end();
  return r.deleted;
}

function get(s: MvccStore, k: string, rev = 0) {
  const r = s.range(k, undefined, { rev });
  if (typeof r === 'string') return r;
  return r.kvs[0];
}

describe('mvcc store', () => {
  it('starts at revision 1 with compactMainRev -1, and the first write gets revision 2', () => {
    const s = new MvccStore();
    expect(s.currentRev).toBe(1);
    expect(s.compactMainRev).toBe(-1);
    expect(put(s, 'a', '1')).toBe(2);
    expect(s.currentRev).toBe(2);
  });

  it('keeps create_revision and bumps version on put; a put after delete starts a new generation', () => {
    const s = new MvccStore();
    put(s, 'a', '1');
    put(s, 'a', '2');
    expect(get(s, 'a')).toMatchObject({ create_revision: 2, mod_revision: 3, version: 2, value: '2' });
    expect(del(s, 'a')).toBe(1);
    expect(get(s, 'a')).toBeUndefined();
    put(s, 'a', '3');
    expect(get(s, 'a')).toMatchObject({ create_revision: 5, mod_revision: 5, version: 1 });
    // Past revisions still read their state.
    expect(get(s, 'a', 3)).toMatchObject({ value: '2', version: 2 });
    expect(get(s, 'a', 4)).toBeUndefined();
  });

  it('does not bump the revision for deletes of missing keys or empty write txns', () => {
    const s = new MvccStore();
    put(s, 'a', '1');
    expect(del(s, 'zz')).toBe(0);
    s.write().end();
    expect(s.currentRev).toBe(2);
  });

  it('reports future and compacted revisions, and reads exactly at the compact revision', () => {
    const s = new MvccStore();
    put(s, 'a', '1');
    put(s, 'a', '2');
    put(s, 'a', '3');
    expect(get(s, 'a', 10)).toBe('future-rev');
    expect(s.compact(0)).toBeUndefined();
    expect(s.compact(0)).toBe('compacted');
    expect(s.compact(100)).toBe('future-rev');
    expect(s.compact(3)).toBeUndefined();
    expect(s.currentRev).toBe(4);
    expect(get(s, 'a', 2)).toBe('compacted');
    expect(get(s, 'a', 3)).toMatchObject({ value: '2' });
    expect(s.compact(3)).toBe('compacted');
  });

  it('ranges in byte order with limit and count, "" end meaning no upper bound', () => {
    const s = new MvccStore();
    for (const k of ['b', 'a', '\xff', 'ab', 'c']) put(s, k, k);
    const r = s.range('a', '', { limit: 2 });
    expect(typeof r).not.toBe('string');
    if (typeof r === 'string') return;
    expect(r.kvs.map((kv) => kv.key)).toEqual(['a', 'ab']);
    expect(r.count).toBe(5);
    const p = s.range('a', prefixRangeEnd('a'));
    if (typeof p === 'string') throw new Error(p);
    expect(p.kvs.map((kv) => kv.key)).toEqual(['a', 'ab']);
    expect(prefixRangeEnd('a\xff')).toBe('b');
    expect(prefixRangeEnd('\xff\xff')).toBe('\0');
  });

  it('snapshot and restore give the same reads, revision and hash', () => {
    const s = new MvccStore();
    put(s, 'a', '1');
    put(s, 'b', '1');
    del(s, 'a');
    put(s, 'a', '2');
    put(s, 'c', '3');
    s.compact(4);
    del(s, 'c');
    const r = restoreStore(JSON.parse(JSON.stringify(snapshotStore(s))) as ReturnType<typeof snapshotStore>);
    expect(r.currentRev).toBe(s.currentRev);
    expect(r.compactMainRev).toBe(4);
    expect(hashKv(r)).toEqual(hashKv(s));
    for (const rev of [4, 5, 6, 7]) {
      for (const k of ['a', 'b', 'c']) expect(get(r, k, rev)).toEqual(get(s, k, rev));
    }
    // The restored store keeps working identically.
    put(s, 'a', 'x');
    put(r, 'a', 'x');
    expect(hashKv(r)).toEqual(hashKv(s));
  });

  it('repeated compactions keep the log bounded: entries kept by one compaction go at the next', () => {
    const s = new MvccStore();
    const sizes: number[] = [];
    for (let i = 1; i <= 3000; i++) {
      put(s, `k${i % 50}`, 'v');
      if (i % 500 === 0) {
        expect(s.compact(s.currentRev - 50)).toBeUndefined();
        sizes.push([...s.log.values()].reduce((n, subs) => n + subs.filter((e) => e !== undefined).length, 0));
      }
    }
    // 50 revisions after the compact revision, plus the latest of each of the 50 keys before it.
    expect(sizes).toEqual([100, 100, 100, 100, 100, 100]);
  });

  it('compacting at the current revision after a delete and restoring keeps the revision (#17780)', () => {
    const s = new MvccStore();
    put(s, 'a', '1');
    del(s, 'a');
    expect(s.compact(s.currentRev)).toBeUndefined();
    const r = restoreStore(JSON.parse(JSON.stringify(snapshotStore(s))) as ReturnType<typeof snapshotStore>);
    expect(r.currentRev).toBe(3);
    expect(r.compactMainRev).toBe(3);
    expect(put(r, 'b', '1')).toBe(4);
  });

  it('the hash differs when the state differs', () => {
    const a = new MvccStore();
    const b = new MvccStore();
    put(a, 'k', '1');
    put(b, 'k', '2');
    expect(hashKv(a).hash).not.toBe(hashKv(b).hash);
  });

  it('converts raw bytes to binary strings and back', () => {
    const bytes = new Uint8Array([0, 1, 127, 128, 255]);
    expect(bytesToUint8Array(bytesFromUint8Array(bytes))).toEqual(bytes);
  });
});

describe('restore after compacting a delete at the latest revision (etcd#17780)', () => {
  it('keeps the revision; the planted bug reads it back from the log and goes backwards', () => {
    const s = new MvccStore();
    s.compactionDropsDelete = true; // etcd 3.4's compaction, which drops a delete at the compact revision
    let t = s.write(); t.put('a', '1', 0n); t.end();
    t = s.write(); t.put('b', '1', 0n); t.end();
    t = s.write(); t.deleteRange('b', undefined); t.end();
    expect(s.compact(s.currentRev)).toBeUndefined();
    const snap = snapshotStore(s);
    expect(restoreStore(snap).currentRev).toBe(4);
    expect(restoreStore(snap, undefined, true).currentRev).toBeLessThan(4);
  });
});
