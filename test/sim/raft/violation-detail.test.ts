// A Raft invariant violation carries, as data, every member involved and the entries involved,
// decoded for people (etcd's base64 keys and values as text, long values cut), so a report can
// show them without printing escaped JSON.
import { describe, expect, it } from 'vitest';
import { entryText } from '../../../sim/check/raft-entry-text.ts';
import { RaftInvariants, RaftInvariantViolation } from '../../../sim/check/raft-invariants.ts';
import { FakeView } from './fake-view.ts';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const put = (key: string, value: string): string => JSON.stringify({ ID: '7', put: { key: b64(key), value: b64(value) } });

describe('entryText', () => {
  it('decodes byte fields to text and cuts long strings, saying how long they were', () => {
    const text = entryText(put('key1', `v1-${'x'.repeat(1200)}`));
    expect(text).toContain('"key":"key1"');
    expect(text).toContain('…(1203 chars)');
    expect(text).not.toContain(b64('key1'));
    expect(text.length).toBeLessThanOrEqual(160);
  });

  it('says (empty) for a leader no-op and keeps non-JSON data short', () => {
    expect(entryText('')).toBe('(empty)');
    expect(entryText('y'.repeat(500)).length).toBeLessThan(60);
  });
});

describe('violation detail', () => {
  it('election-safety names both leaders', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, 'x');
    const b = new FakeView('b').append(1, 'x');
    a.isLeader = true;
    b.isLeader = true;
    const v = inv.check([a, b]);
    expect(v?.invariant).toBe('election-safety');
    expect(v?.members).toEqual(['b', 'a']);
  });

  it('state-machine-safety names both members and both entries, decoded, and the error carries them', () => {
    const inv = new RaftInvariants();
    const a = new FakeView('a').append(1, put('k', 'one'));
    const b = new FakeView('b').append(2, put('k', 'two'));
    a.commit = 1;
    expect(inv.check([a])).toBeUndefined();
    b.commit = 1;
    let thrown: unknown;
    try {
      inv.checkOrThrow([a, b]);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(RaftInvariantViolation);
    const err = thrown as RaftInvariantViolation;
    expect(err.layer).toBe('raft');
    expect(err.invariant).toBe('state-machine-safety');
    expect(err.members).toEqual(['b', 'a']);
    expect(err.entries.map((e) => [e.member, e.index, e.term, e.role])).toEqual([['b', 1, 2, 'committed'], ['a', 1, 1, 'committed']]);
    expect(err.entries[0]!.text).toContain('"value":"two"');
    expect(err.message).not.toContain('\\"');
    expect(err.message).not.toContain(b64('two'));
  });
});
