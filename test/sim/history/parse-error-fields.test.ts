// The EDN reader's, the op pairing's and the register, kv and etcd models' refusals name the op's field on
// HistoryParseError.field (a program can tell which field was wrong without reading the
// sentence), while their sentence, which the command line prints, stays what it was.
import { describe, expect, it } from 'vitest';
import { checkHistory, type OpObject } from '../../../sim/check/check-history.ts';
import { parseHistory } from '../../../sim/history/parse-history.ts';
import { HistoryParseError } from '../../../sim/history/parse-error.ts';

function refusal(read: () => unknown): HistoryParseError {
  try {
    read();
  } catch (err) {
    if (err instanceof HistoryParseError) return err;
    throw err;
  }
  throw new Error('not refused');
}

const op = (process: number, type: string, f: string, value: unknown, extra: Record<string, unknown> = {}): OpObject => ({ process, type, f, value, ...extra }) as OpObject;

describe('HistoryParseError.field of the EDN reader, the pairing of ops and the register and kv models', () => {
  it.each([
    ['{:type :invoke, :f :read, :value nil}', 'process', 'line 1: op map without :process'],
    ['{:process 0, :type :bogus, :f :read, :value nil}', 'type', 'line 1: bad :type "bogus"'],
    ['{:process 0, :type :invoke, :value nil}', 'f', 'line 1: op map without :f'],
  ])('EDN %s: field %s, the sentence unchanged', (text, field, message) => {
    const err = refusal(() => parseHistory(text, 'jepsen-edn'));
    expect(err.field).toBe(field);
    expect(err.message).toBe(message);
    expect(err.inFile('h.edn').message).toBe(`h.edn:${message.slice('line '.length)}`);
  });

  it.each([
    ['register', [op(0, 'invoke', 'write', { a: 1 }), op(0, 'ok', 'write', { a: 1 })], 'value', /^line 1: register value must be nil, a number or a string, got /],
    ['register', [op(0, 'invoke', 'cas', 5), op(0, 'ok', 'cas', 5)], 'value', /^line 1: cas value must be \[from to\], got 5$/],
    ['kv', [op(0, 'invoke', 'put', 'v')], 'key', /^line 1: kv op without a :key \(or a \[key value\] tuple\)$/],
    ['kv', [op(0, 'invoke', 'put', { a: 1 }, { key: 'k' })], 'value', /^line 1: kv value must be a string, got /],
    ['register', [op(0, 'invoke', 'frob', 1)], 'f', /^line 1: .*frob/],
    ['kv', [op(0, 'invoke', 'frob', 'v', { key: 'k' })], 'f', /^line 1: .*frob/],
    ['register', [op(0, 'invoke', 'write', 1), op(0, 'invoke', 'write', 2)], 'process', /^line 2: process 0 invokes while its previous op is still outstanding$/],
    ['register', [op(0, 'ok', 'write', 1)], 'process', /^line 1: process 0 completes \(ok\) an op it never invoked$/],
    ['register', [op(0, 'invoke', 'write', 1), op(0, 'ok', 'read', 1)], 'f', /^line 2: process 0 completes :read but invoked :write$/],
  ] as const)('%s model: field of %j', (model, ops, field, message) => {
    const err = refusal(() => checkHistory(ops, model));
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });
});
