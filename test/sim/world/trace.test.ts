import { describe, expect, it } from 'vitest';
import { Trace, TraceKind } from '../../../sim/world/trace.ts';

describe('Trace', () => {
  it('changes the hash with every event field and agrees for equal sequences', () => {
    const run = (fields: [number, number, number]): string => {
      const t = new Trace(() => 5, 0);
      t.record(TraceKind.send, ...fields);
      return t.digest();
    };
    const base = run([1, 2, 3]);
    expect(run([1, 2, 3])).toBe(base);
    expect(run([2, 1, 3])).not.toBe(base);
    expect(run([1, 2, 4])).not.toBe(base);
    const later = new Trace(() => 6, 0);
    later.record(TraceKind.send, 1, 2, 3);
    expect(later.digest()).not.toBe(base);
  });

  it('interns names to small ids in first-use order', () => {
    const t = new Trace(() => 0, 0);
    expect(t.intern('n1')).toBe(1);
    expect(t.intern('n2')).toBe(2);
    expect(t.intern('n1')).toBe(1);
    expect(t.nameOf(2)).toBe('n2');
    expect(() => t.nameOf(3)).toThrow(/invariant/);
  });

  it('keeps a ring of the last logCap entries, oldest first, with names resolved', () => {
    let now = 0;
    const t = new Trace(() => now, 3);
    const n1 = t.intern('n1');
    const n2 = t.intern('n2');
    for (let i = 0; i < 7; i++) {
      now = i * 10;
      t.record(TraceKind.send, n1, n2, i);
    }
    expect(t.entries()).toEqual([
      { index: 4, timeUs: 40, kind: 'send', from: 'n1', to: 'n2', messageId: 4 },
      { index: 5, timeUs: 50, kind: 'send', from: 'n1', to: 'n2', messageId: 5 },
      { index: 6, timeUs: 60, kind: 'send', from: 'n1', to: 'n2', messageId: 6 },
    ]);
    expect(t.events).toBe(7);
    expect(() => new Trace(() => 0, -1)).toThrow(/logCap/);
  });

  it('hashes annotation details by value and key, ignoring key order', () => {
    const t = new Trace(() => 0, 0);
    expect(t.hashDetail({ a: 1, b: 'x' })).toBe(t.hashDetail({ b: 'x', a: 1 }));
    expect(t.hashDetail({ a: 1 })).not.toBe(t.hashDetail({ a: 2 }));
    expect(t.hashDetail({ a: true })).not.toBe(t.hashDetail({ b: true }));
  });
});
