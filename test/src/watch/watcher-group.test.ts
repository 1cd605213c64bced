// WatcherGroup answers its watchers in creation order however they joined, and an order it gave
// out never changes under later adds and deletes (notify and syncWatchers iterate it while
// moving watchers between groups).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Watcher } from '../../../src/watch/watcher.ts';
import { WatcherGroup } from '../../../src/watch/watcher-group.ts';
import { fcParams } from '../../property-seed.ts';

const sink = { deliver: () => true };
const watcher = (seq: number): Watcher => new Watcher(seq, 'k', undefined, 0, 1, { noPut: false, noDelete: false }, sink, seq);

describe('WatcherGroup', () => {
  it('orders its watchers by creation, through any adds, deletes and clears', () => {
    const op = fc.oneof(fc.tuple(fc.constant('add'), fc.nat(9)), fc.tuple(fc.constant('delete'), fc.nat(9)), fc.tuple(fc.constant('clear'), fc.constant(0)));
    fc.assert(fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
      const ws = Array.from({ length: 10 }, (_, i) => watcher(i));
      const group = new WatcherGroup();
      const model = new Set<Watcher>();
      for (const [kind, i] of ops) {
        const before = group.ordered();
        const copy = [...before];
        if (kind === 'add') { group.add(ws[i]!); model.add(ws[i]!); }
        else if (kind === 'delete') expect(group.delete(ws[i]!)).toBe(model.delete(ws[i]!));
        else { group.clear(); model.clear(); }
        expect(before).toEqual(copy);
        expect(group.ordered()).toEqual([...model].sort((a, b) => a.seq - b.seq));
        expect([...group]).toEqual([...model]);
        expect(group.size).toBe(model.size);
      }
    }), fcParams(300));
  });

  it('keeps the order it gave out while nothing changes, and makes a new one after a change', () => {
    const group = new WatcherGroup();
    group.add(watcher(2));
    group.add(watcher(1));
    const first = group.ordered();
    expect(first.map((w) => w.seq)).toEqual([1, 2]);
    expect(group.ordered()).toBe(first);
    group.add(watcher(0));
    expect(group.ordered()).not.toBe(first);
    expect(group.ordered().map((w) => w.seq)).toEqual([0, 1, 2]);
  });
});
