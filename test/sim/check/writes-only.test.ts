// Where a scenario excuses stale reads (allowedViolations "linearizable"), its writes are still
// judged: linearized without the reads they must be linearizable (checker "linearizable-writes",
// never excused). A stale read passes it; a write anomaly fails it.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { readsOnly, writesOnly } from '../../../sim/check/writes-only.ts';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import type { Op } from '../../../sim/history/op.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { b64, hdr, history, kv } from './history-builder.ts';
import type { Line } from './history-builder.ts';

const put = (p: number, key: string, value: string, rev: number): Line[] => [
  [p, 'invoke', 'kv/put', { key: b64(key), value: b64(value) }],
  [p, 'ok', 'kv/put', hdr(rev)],
];
const get = (p: number, key: string, rev: number, kvs: Record<string, string>[]): Line[] => [
  [p, 'invoke', 'kv/range', { key: b64(key) }],
  [p, 'ok', 'kv/range', { ...hdr(rev), kvs, count: String(kvs.length) }],
];
const both = (lines: Line[]) => {
  const ops = history(lines).ops;
  const writes = writesOnly(ops);
  return { all: checkHistory(history(lines), 'etcd').valid, writes: checkHistory({ ops: writes, lines: writes.map((o) => o.index + 1) }, 'etcd').valid };
};
const invoke = (f: string, value: unknown): Op => ({ index: 0, time: 0, process: 0, type: 'invoke', f, value });

describe('linearizable-writes', () => {
  it('a stale read fails linearizability but not the writes alone', () => {
    expect(both([...put(0, 'k', 'a', 2), ...put(0, 'k', 'b', 3), ...get(1, 'k', 2, [kv('k', 'a', 2, 2, 1)])])).toEqual({ all: false, writes: true });
  });

  it('two puts claiming one revision fail both', () => {
    expect(both([...put(0, 'k', 'a', 2), ...put(1, 'j', 'b', 2), ...get(2, 'k', 2, [kv('k', 'a', 2, 2, 1)])])).toEqual({ all: false, writes: false });
  });

  it('reads are ranges, lease lookups and txns without a put or delete in any branch (nested included)', () => {
    const range = { request_range: { key: b64('k') } };
    const putOp = { request_put: { key: b64('k'), value: b64('v') } };
    expect(readsOnly(invoke('kv/range', { key: b64('k') }))).toBe(true);
    expect(readsOnly(invoke('lease/timetolive', { ID: '1' }))).toBe(true);
    expect(readsOnly(invoke('kv/txn', { compare: [], success: [range], failure: [{ request_txn: { success: [range] } }] }))).toBe(true);
    expect(readsOnly(invoke('kv/txn', { compare: [], success: [range], failure: [{ request_txn: { success: [putOp] } }] }))).toBe(false);
    expect(readsOnly(invoke('kv/put', { key: b64('k'), value: b64('v') }))).toBe(false);
    expect(readsOnly(invoke('kv/deleterange', { key: b64('k') }))).toBe(false);
  });

  it('clock-lease-reads seed 6: a stale lease read is excused, the writes are judged and linearizable', () => {
    const r = runScenario(loadScenario('clock-lease-reads').scenario, 6).results;
    expect(r.checkers['linearizable']?.valid).toBe(false);
    expect(r.checkers['linearizable-writes']?.valid).toBe(true);
    expect(r.valid).toBe(true);
  });
});
