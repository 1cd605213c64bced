// What a watch response proves about time: every revision up to the highest it shows (its header,
// an event) was made before the client received it, so an op called after it arrived follows the
// write that made that revision, even when that write's own answer came later (its client or
// member slow). The check moves such a write's return to just before that op (history.ts
// returnBeforeWatchers): a read called after the response that misses the write is stale.
// Must-fail histories that only the watch evidence convicts, and must-pass ones where the read
// was called at the very time the response arrived (its order is then unknown) or before it.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { watchFacts } from '../../../sim/check/models/etcd/watch-observations.ts';
import { b64, hdr, history, kv } from './history-builder.ts';

// Times are index × 10 µs: put b is called at 20 and answered at 50; the read is called at 30.
const lateAnswer = history([
  [1, 'invoke', 'kv/put', { key: b64('k'), value: b64('a') }],
  [1, 'ok', 'kv/put', hdr(2)],
  [2, 'invoke', 'kv/put', { key: b64('k'), value: b64('b') }],
  [3, 'invoke', 'kv/range', { key: b64('k') }],
  [3, 'ok', 'kv/range', { ...hdr(2), kvs: [kv('k', 'a', 2, 2, 1)], count: '1' }],
  [2, 'ok', 'kv/put', hdr(3)],
]);

const event = (time: number): { time: number; response: unknown } => ({ time, response: { ...hdr(3), events: [{ kv: kv('k', 'b', 2, 3, 2), prev_kv: kv('k', 'a', 2, 2, 1) }] } });
const progress = (time: number): { time: number; response: unknown } => ({ time, response: hdr(3) });

describe('a watch response bounds when the writes of the revisions it shows returned', () => {
  it('the history alone is linearizable: the read may come before the put answered late', () => {
    expect(checkHistory(lateAnswer, 'etcd').valid).toBe(true);
  });

  it('fails a read called after a watch event showed the put, which it misses', () => {
    const r = checkHistory(lateAnswer, 'etcd', {}, { watches: [event(25)] });
    expect(r.valid, r.summary).toBe(false);
  });

  it('fails it after a progress notification at that revision too (a header alone shows the revision was made)', () => {
    const r = checkHistory(lateAnswer, 'etcd', {}, { watches: [progress(25)] });
    expect(r.valid, r.summary).toBe(false);
  });

  it('passes when the response arrived at the very time the read was called, or after: their order is not known', () => {
    for (const time of [30, 35, 45]) {
      expect(checkHistory(lateAnswer, 'etcd', {}, { watches: [event(time)] }).valid, `event at ${time}`).toBe(true);
      expect(checkHistory(lateAnswer, 'etcd', {}, { watches: [progress(time)] }).valid, `progress at ${time}`).toBe(true);
    }
  });

  it('passes when the response shows only an earlier revision', () => {
    expect(checkHistory(lateAnswer, 'etcd', {}, { watches: [{ time: 25, response: hdr(2) }] }).valid).toBe(true);
  });

  it('reads each response\'s highest revision, from its header or its events', () => {
    const f = watchFacts([
      { pos: 3, response: hdr(4) },
      { pos: 5, response: { events: [{ kv: kv('k', 'b', 2, 6, 2) }] } },
      { pos: 7, response: { ...hdr(9), events: [{ type: 'DELETE', kv: { key: b64('k'), mod_revision: '8' } }] } },
    ]);
    expect(f.reached).toEqual([
      { revision: 4, by: 3 },
      { revision: 6, by: 5 },
      { revision: 9, by: 7 },
    ]);
  });
});

describe('watch events that do not record create_revision, version or lease (etcd robustness-test reports)', () => {
  const unrecorded = { key: b64('k'), value: b64('b'), mod_revision: '3', create_revision: '*', version: '*', lease: '*' };

  it('are sightings that say nothing of what they do not record', () => {
    const f = watchFacts([{ pos: 2, response: { ...hdr(3), events: [{ kv: unrecorded, prev_kv: { ...kv('k', 'a', 2, 2, 1), create_revision: '*', lease: '*' } }] } }]);
    expect(f.kvs).toEqual([
      { key: 'k', value: b64('b'), create: 0, mod: 3, version: 0, lease: '0', at: 3, unrecorded: true },
      { key: 'k', value: b64('a'), create: 0, mod: 2, version: 0, lease: '0', at: 2, unrecorded: true },
    ]);
    expect(f.values).toEqual([
      { value: b64('b'), mod: 3, key: 'k', by: 2 },
      { value: b64('a'), mod: 2, key: 'k', by: 2 },
    ]);
  });

  it('settle a timed-out put whose value they show: a read called after the event that misses it fails, one before passes', () => {
    // Its answer leaves fields out as a robustness report's do ('*'): a history that says so.
    const timedOut = {
      ...history([
        [1, 'invoke', 'kv/put', { key: b64('k'), value: b64('a') }],
        [1, 'ok', 'kv/put', hdr(2)],
        [2, 'invoke', 'kv/put', { key: b64('k'), value: b64('b') }],
        [3, 'invoke', 'kv/range', { key: b64('k') }],
        [3, 'ok', 'kv/range', { ...hdr(2), kvs: [{ ...kv('k', 'a', 2, 2, 1), create_revision: '*', version: '*', lease: '*' }], count: '1' }],
        [2, 'info', 'kv/put', null, 'timeout'],
      ]),
      partialAnswers: true,
    };
    const seen = (time: number): { time: number; response: unknown } => ({ time, response: { ...hdr(3), events: [{ kv: unrecorded }] } });
    expect(checkHistory(timedOut, 'etcd').valid).toBe(true);
    expect(checkHistory(timedOut, 'etcd', {}, { watches: [seen(25)] }).valid).toBe(false);
    expect(checkHistory(timedOut, 'etcd', {}, { watches: [seen(30)] }).valid).toBe(true);
  });
});
