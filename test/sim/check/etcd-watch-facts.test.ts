// What the linearizability check reads of watch responses (watch-observations.ts watchFacts):
// every watcher of a key gets the same events, and a kv already read with the very same fields
// as of the same revision, no later, is passed over. These pin that the facts are those of the
// responses read one by one: the same kv seen earlier by another watcher still counts (the
// earliest position a value was seen by matters), and a kv that differs in any field does.
import { describe, expect, it } from 'vitest';
import { watchFacts, type WatchObservation } from '../../../sim/check/models/etcd/watch-observations.ts';
import { b64, kv } from './history-builder.ts';

const put = (pos: number, key: string, value: string, create: number, mod: number, version: number, prev?: Record<string, string>): WatchObservation => ({
  pos,
  response: { header: { revision: String(mod) }, events: [{ kv: kv(key, value, create, mod, version), ...(prev === undefined ? {} : { prev_kv: prev }) }] },
});

describe('watch facts from responses that repeat each other', () => {
  it('a kv seen again by another watcher, later, adds nothing', () => {
    const one = watchFacts([put(3, 'a', 'v1', 2, 2, 1)]);
    const three = watchFacts([put(3, 'a', 'v1', 2, 2, 1), put(4, 'a', 'v1', 2, 2, 1), put(9, 'a', 'v1', 2, 2, 1)]);
    // Only the revisions each response reached are per response (each its own position).
    expect({ ...three, reached: [] }).toEqual({ ...one, reached: [] });
    expect(three.reached.map((r) => r.by)).toEqual([3, 4, 9]);
    expect(three.values).toEqual([{ value: b64('v1'), mod: 2, key: 'a', by: 3 }]);
  });

  it('the same kv seen earlier than the first copy read counts (its position)', () => {
    const f = watchFacts([put(9, 'a', 'v1', 2, 2, 1), put(3, 'a', 'v1', 2, 2, 1)]);
    expect(f.values.map((v) => v.by)).toEqual([9, 3]);
  });

  it('a kv that differs in any field, or is read as of another revision, counts', () => {
    const f = watchFacts([
      put(3, 'a', 'v1', 2, 2, 1),
      put(3, 'a', 'v2', 2, 2, 1),
      put(3, 'a', 'v1', 1, 2, 1),
      put(3, 'a', 'v1', 2, 2, 2),
      put(3, 'b', 'v1', 2, 2, 1),
      // The same kv as a prev_kv: as of revision 4, not 2.
      put(3, 'a', 'v3', 2, 5, 2, kv('a', 'v1', 2, 2, 1)),
    ]);
    expect(f.kvs.map((k) => `${k.key}=${k.value}@${k.mod}/${k.create}/${k.version} at ${k.at}`)).toEqual([
      `a=${b64('v1')}@2/2/1 at 2`,
      `a=${b64('v2')}@2/2/1 at 2`,
      `a=${b64('v1')}@2/1/1 at 2`,
      `a=${b64('v1')}@2/2/2 at 2`,
      `b=${b64('v1')}@2/2/1 at 2`,
      `a=${b64('v3')}@5/2/2 at 5`,
      `a=${b64('v1')}@2/2/1 at 4`,
    ]);
  });

  it('a repeated kv with a bad field is still bad input', () => {
    const bad = { pos: 3, response: { events: [{ kv: { key: b64('a'), mod_revision: '2', version: 'x' } }] } };
    expect(() => watchFacts([bad, { ...bad, pos: 4 }])).toThrow(/expected an int64/);
  });
});

describe('watch facts of a key shown twice at one revision (a from-key delete and a put in one txn)', () => {
  const del = (key: string, mod: number): Record<string, unknown> => ({ type: 'DELETE', kv: { key: b64(key), mod_revision: String(mod) } });
  const at = (events: unknown[]): WatchObservation => ({ pos: 5, response: { header: { revision: '3' }, events } });

  it('only the key\'s last event says how the revision left it; an earlier PUT still shows its value', () => {
    // DELETE then PUT: the key exists after revision 3, as the PUT shows; it is not gone there.
    const reput = watchFacts([at([del('a', 3), { kv: kv('a', 'v2', 3, 3, 1) }])]);
    expect(reput.deleted.get(3)).toBeUndefined();
    expect(reput.kvs.map((k) => `${k.key}=${k.value}@${k.mod} at ${k.at}`)).toEqual([`a=${b64('v2')}@3 at 3`]);
    // PUT then DELETE: gone after revision 3; the put's value was written there, but not left.
    const gone = watchFacts([at([{ kv: kv('a', 'v2', 2, 3, 2) }, del('a', 3)])]);
    expect([...(gone.deleted.get(3) ?? [])]).toEqual(['a']);
    expect(gone.kvs).toEqual([]);
    expect(gone.values).toEqual([{ value: b64('v2'), mod: 3, key: 'a', by: 5 }]);
  });
});
