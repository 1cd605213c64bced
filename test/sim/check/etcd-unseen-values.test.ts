// Values no answer shows become one placeholder (sim/check/models/etcd/unseen-values.ts),
// only where that cannot change a verdict.
import { describe, expect, it } from 'vitest';
import { hideUnseenValues, valuedObjects } from '../../../sim/check/models/etcd/unseen-values.ts';
import { placeWatches } from '../../../sim/check/models/etcd/watch-observations.ts';

const b64 = (s: string): string => btoa(s);
const put = (key: string, value: string): { f: string; request: Record<string, unknown> } => ({ f: 'kv/put', request: { key: b64(key), value: b64(value) } });

describe('hiding values nobody saw', () => {
  it('two timed-out puts of one key whose values no answer shows become the same request', () => {
    const a = put('k', 'v1');
    const b = put('k', 'v2');
    const r = hideUnseenValues([a, b], [], [a, b])!;
    expect(r.requests[0]).toEqual(r.requests[1]);
    expect(r.requests[0]!['value']).toBe(r.placeholder);
  });

  it('a value an answer shows (a range kv, a prev_kv, a nested txn answer) is kept', () => {
    const a = put('k', 'v1');
    const b = put('k', 'v2');
    const r = hideUnseenValues([a, b], [shownBy({ responses: [{ response_range: { kvs: [{ key: b64('k'), value: b64('v1'), mod_revision: '3' }] } }] })], [a, b])!;
    expect(r.requests[0]!['value']).toBe(b64('v1'));
    expect(r.requests[1]!['value']).toBe(r.placeholder);
  });

  it('a value a VALUE compare names is kept; an ordering compare on VALUE or a sort by VALUE turns hiding off', () => {
    const a = put('k', 'v1');
    const eq = { f: 'kv/txn', request: { compare: [{ key: b64('k'), target: 'VALUE', result: 'EQUAL', value: b64('v1') }], success: [] } };
    expect(hideUnseenValues([a, eq], [], [a])!.requests[0]!['value']).toBe(b64('v1'));
    const less = { f: 'kv/txn', request: { compare: [{ key: b64('k'), target: 'VALUE', result: 'LESS', value: b64('zz') }], success: [] } };
    expect(hideUnseenValues([a, less], [], [a])).toBeUndefined();
    const sorted = { f: 'kv/range', request: { key: b64('a'), range_end: b64('z'), sort_target: 'VALUE', sort_order: 'ASCEND', limit: '1', keys_only: true } };
    expect(hideUnseenValues([a, sorted], [], [a])).toBeUndefined();
    const nestedSort = { f: 'kv/txn', request: { success: [{ request_range: { key: b64('a'), range_end: b64('z'), sort_target: 'VALUE' } }] } };
    expect(hideUnseenValues([a, nestedSort], [], [a])).toBeUndefined();
  });

  it('puts inside txn branches (nested too) are hidden; the placeholder is no value of the history', () => {
    const txn = { f: 'kv/txn', request: { success: [{ request_put: { key: b64('k'), value: b64('x') } }, { request_txn: { failure: [{ request_put: { key: b64('j'), value: b64('y') } }] } }] } };
    const r = hideUnseenValues([txn], [], [txn])!;
    const text = JSON.stringify(r.requests[0]);
    expect(text).not.toContain(b64('x'));
    expect(text).not.toContain(b64('y'));
    const clash = put('k', '\u0000detcd: a value no answer shows');
    const r2 = hideUnseenValues([clash, txn], [], [txn])!;
    expect(r2.placeholder).not.toBe(clash.request['value']);
  });
});

describe('placing watch responses among ops', () => {
  it('at the first position from which every op is at or after the response', () => {
    const placed = placeWatches([10, 20, 30, 40], [{ time: 25, response: {} }, { time: 5, response: {} }, { time: 99, response: {} }]);
    expect(placed.map((p) => p.pos)).toEqual([0, 2, 4]);
  });

  it('times that go backwards in the history move positions later, never earlier', () => {
    // Op 2 (time 15) was recorded after op 1 (time 30): a response at 20 comes after op 2.
    expect(placeWatches([10, 30, 15, 40], [{ time: 20, response: {} }])[0]!.pos).toBe(3);
  });
});

/** The valued objects of one answer, as the history preparation hands them to hideUnseenValues. */
function shownBy(answer: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  valuedObjects(answer, out);
  return out;
}
