// TrafficState learns from every ok answer without decoding its keys and values (it keys by the
// answer's base64 key); what it answers must be what decoding every kv (rangeKvs) would give.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TrafficState } from '../../../sim/workload/traffic-state.ts';
import { b64, rangeKvs } from '../../../sim/workload/etcd-request.ts';
import type { WireKv } from '../../../sim/workload/etcd-request.ts';

const key = fc.oneof(fc.constantFrom('key0', 'key1', 'key2', '', 'é', '\u{1F600}'), fc.string({ maxLength: 3 }));
const kv = fc.record({ key, value: fc.string({ maxLength: 4 }), mod: fc.integer({ min: 0, max: 50 }), lease: fc.constantFrom(undefined, '0', '7') });

describe('TrafficState.observe', () => {
  it('answers as if every kv of every answer were decoded', () => {
    fc.assert(fc.property(fc.array(fc.array(kv, { maxLength: 4 }), { maxLength: 5 }), fc.array(key, { maxLength: 4 }), (answers, asked) => {
      const state = new TrafficState();
      const mod = new Map<string, number>();
      const last = new Map<string, WireKv>();
      for (const a of answers) {
        const body = { header: { revision: '9' }, kvs: a.map((x) => {
          const wire: Record<string, unknown> = { key: b64(x.key), mod_revision: String(x.mod), value: b64(x.value) };
          if (x.key === '') delete wire['key'];
          if (x.lease !== undefined) wire['lease'] = x.lease;
          return wire;
        }) };
        state.observe(body);
        for (const d of rangeKvs(body)) {
          mod.set(d.key, d.modRevision);
          last.set(d.key, d);
        }
      }
      expect(state.maxRevision).toBe(answers.length > 0 ? 9 : 1);
      for (const k of [...asked, ...last.keys()]) {
        expect(state.modRevisionOf(k)).toBe(mod.get(k) ?? 0);
        expect(state.kvOf(k)).toStrictEqual(last.get(k));
      }
    }), { numRuns: 300 });
  });
});
