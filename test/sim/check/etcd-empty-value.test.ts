// etcd omits empty bytes from its JSON answers (proto3): a put of the empty value reads back
// as a kv with no `value` field, and a client may also send it with no `value` field. Every
// form must be the same value to the checker (unseen-values.ts once hid it as a value nobody saw;
// its own test: etcd-unseen-values.test.ts). Found by lock-gc-pause seed 14: the lock workload puts empty values, one timed
// out, and a later range showing it was called not linearizable on the correct build.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { b64, hdr, history, type Line } from './history-builder.ts';

/** A kv as etcd prints it for an empty value: no `value` field. */
const emptyKv = (key: string, mod: number): Record<string, string> => ({ key: b64(key), create_revision: String(mod), mod_revision: String(mod), version: '1' });

function verdict(lines: Line[]): boolean | 'unknown' {
  return checkHistory(history(lines), 'etcd', { maxSteps: 200_000 }).valid;
}

describe('the empty value, which etcd answers by omitting it', () => {
  const timedOutEmptyPut: Line[] = [
    [1, 'invoke', 'kv/put', { key: b64('k'), value: '' }],
    [2, 'invoke', 'kv/put', { key: b64('j'), value: b64('x') }],
    [2, 'ok', 'kv/put', hdr(2)],
    [1, 'info', 'kv/put', null, 'timeout'],
  ];

  it('a timed-out put of "" that a range shows (no value field) is linearizable', () => {
    const lines: Line[] = [...timedOutEmptyPut, [3, 'invoke', 'kv/range', { key: b64('k') }], [3, 'ok', 'kv/range', { ...hdr(3), kvs: [emptyKv('k', 3)], count: '1' }]];
    expect(verdict(lines)).toBe(true);
  });

  it('so is one whose request leaves the value out (the empty value too)', () => {
    const lines: Line[] = [...timedOutEmptyPut, [3, 'invoke', 'kv/range', { key: b64('k') }], [3, 'ok', 'kv/range', { ...hdr(3), kvs: [emptyKv('k', 3)], count: '1' }]];
    lines[0] = [1, 'invoke', 'kv/put', { key: b64('k') }];
    expect(verdict(lines)).toBe(true);
  });

  // Every way to write the empty value in a request (absent, "") and in an answer (absent, ""),
  // for a put whose outcome is known and for one that timed out: always the same value.
  const requests: Record<string, unknown>[] = [{ key: b64('k') }, { key: b64('k'), value: '' }];
  const answers: Record<string, string>[] = [emptyKv('k', 3), { ...emptyKv('k', 3), value: '' }];
  for (const [ri, request] of requests.entries()) {
    for (const [ai, shown] of answers.entries()) {
      for (const outcome of ['ok', 'info'] as const) {
        it(`request form ${ri}, answer form ${ai}, put ${outcome}: linearizable`, () => {
          const lines: Line[] = [
            [1, 'invoke', 'kv/put', request],
            [2, 'invoke', 'kv/put', { key: b64('j'), value: b64('x') }],
            [2, 'ok', 'kv/put', hdr(2)],
            outcome === 'ok' ? [1, 'ok', 'kv/put', hdr(3)] : [1, 'info', 'kv/put', null, 'timeout'],
            [3, 'invoke', 'kv/range', { key: b64('k') }],
            [3, 'ok', 'kv/range', { ...hdr(3), kvs: [shown], count: '1' }],
          ];
          expect(verdict(lines)).toBe(true);
        });
      }
    }
  }

  it('the same range showing a value nobody put is not', () => {
    const lines: Line[] = [...timedOutEmptyPut, [3, 'invoke', 'kv/range', { key: b64('k') }], [3, 'ok', 'kv/range', { ...hdr(3), kvs: [{ ...emptyKv('k', 3), value: b64('y') }], count: '1' }]];
    expect(verdict(lines)).toBe(false);
  });

});
