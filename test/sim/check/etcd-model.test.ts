// The etcd model over detcd's own history form: hand-written histories that must fail
// (stale read, lost write, a value never written, revisions out of order, a key outliving
// its revoked lease) and ones that must pass; timed-out writes resolved from unique values
// and gaps; and generated histories at scale, intact (pass) and corrupted (fail).
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { syntheticEtcdHistory } from '../../../sim/check/models/etcd/synthetic.ts';
import type { Op } from '../../../sim/history/op.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { b64, hdr, history, kv, type Line } from './history-builder.ts';
import { withPropertySeed } from '../../property-seed.ts';

const put = (p: number, key: string, value: string, rev: number, extra: Record<string, unknown> = {}): Line[] => [
  [p, 'invoke', 'kv/put', { key: b64(key), value: b64(value), ...extra }],
  [p, 'ok', 'kv/put', hdr(rev)],
];
const get = (p: number, key: string, rev: number, kvs: Record<string, string>[], req: Record<string, unknown> = {}): Line[] => [
  [p, 'invoke', 'kv/range', { key: b64(key), ...req }],
  [p, 'ok', 'kv/range', kvs.length > 0 ? { ...hdr(rev), kvs, count: String(kvs.length) } : hdr(rev)],
];
const check = (lines: Line[]) => checkHistory(history(lines), 'etcd');

describe('etcd model: must pass', () => {
  it('a put then a read of it, with header revisions 2', () => {
    expect(check([...put(0, 'k', 'a', 2), ...get(1, 'k', 2, [kv('k', 'a', 2, 2, 1)])]).valid).toBe(true);
  });

  it('a read of a missing key at revision 1 (empty store)', () => {
    expect(check(get(0, 'k', 1, [])).valid).toBe(true);
  });

  it('versions and create revisions across put, delete and put again', () => {
    const lines: Line[] = [
      ...put(0, 'k', 'a', 2),
      ...put(0, 'k', 'b', 3),
      [0, 'invoke', 'kv/deleterange', { key: b64('k') }],
      [0, 'ok', 'kv/deleterange', { ...hdr(4), deleted: '1' }],
      ...put(0, 'k', 'c', 5),
      ...get(1, 'k', 5, [kv('k', 'c', 5, 5, 1)]),
    ];
    expect(check(lines).valid).toBe(true);
  });

  it('a txn whose compare fails does not bump the revision', () => {
    const lines: Line[] = [
      ...put(0, 'k', 'a', 2),
      [0, 'invoke', 'kv/txn', { compare: [{ key: b64('k'), target: 'VERSION', result: 'EQUAL', version: '0' }], success: [{ request_put: { key: b64('k'), value: b64('b') } }], failure: [{ request_range: { key: b64('k') } }] }],
      [0, 'ok', 'kv/txn', { ...hdr(2), responses: [{ response_range: { kvs: [kv('k', 'a', 2, 2, 1)], count: '1' } }] }],
    ];
    expect(check(lines).valid).toBe(true);
  });

  it('a historical read sees the revision it asked for; header says the current one', () => {
    const lines: Line[] = [...put(0, 'k', 'a', 2), ...put(0, 'k', 'b', 3), ...get(1, 'k', 3, [kv('k', 'a', 2, 2, 1)], { revision: '2' })];
    expect(check(lines).valid).toBe(true);
  });

  it('a read below the compact revision fails with "compacted" as an observation', () => {
    const lines: Line[] = [
      ...put(0, 'k', 'a', 2),
      ...put(0, 'k', 'b', 3),
      [0, 'invoke', 'kv/compaction', { revision: '3' }],
      [0, 'ok', 'kv/compaction', hdr(3)],
      [1, 'invoke', 'kv/range', { key: b64('k'), revision: '2' }],
      [1, 'fail', 'kv/range', null, 'etcdserver: mvcc: required revision has been compacted'],
    ];
    expect(check(lines).valid).toBe(true);
  });

  it('a timed-out put whose unique value a later read shows took effect at that revision', () => {
    const lines: Line[] = [[0, 'invoke', 'kv/put', { key: b64('k'), value: b64('v1') }], [0, 'info', 'kv/put', null, 'timeout'], ...get(1, 'k', 2, [kv('k', 'v1', 2, 2, 1)])];
    expect(check(lines).valid).toBe(true);
  });

  it('a timed-out put nobody saw can fill a revision no known write created', () => {
    const lines: Line[] = [[0, 'invoke', 'kv/put', { key: b64('k'), value: b64('lost') }], [0, 'info', 'kv/put', null, 'timeout'], ...put(1, 'k', 'b', 3), ...get(1, 'k', 3, [kv('k', 'b', 2, 3, 2)])];
    expect(check(lines).valid).toBe(true);
  });

  it('lease grant, put with the lease, revoke deletes the key at the revoke revision', () => {
    const lines: Line[] = [
      [0, 'invoke', 'lease/grant', { ID: '100', TTL: '60' }],
      [0, 'ok', 'lease/grant', { ...hdr(1), ID: '100', TTL: '60' }],
      ...put(0, 'k', 'a', 2, { lease: '100' }),
      [0, 'invoke', 'lease/revoke', { ID: '100' }],
      [0, 'ok', 'lease/revoke', hdr(3)],
      ...get(1, 'k', 3, []),
    ];
    expect(check(lines).valid).toBe(true);
  });
});

describe('etcd model: must fail', () => {
  it('a stale read: after a put at 3 completed, a read returns revision 2 data', () => {
    const lines: Line[] = [...put(0, 'k', 'a', 2), ...put(0, 'k', 'b', 3), ...get(1, 'k', 2, [kv('k', 'a', 2, 2, 1)])];
    const r = check(lines);
    expect(r.valid).toBe(false);
    expect(r.explanation?.state).toMatch(/^revision \d+, no compaction,/);
  });

  it('a lost write: an acknowledged put is missing from a later read', () => {
    expect(check([...put(0, 'k', 'a', 2), ...get(1, 'k', 2, [])]).valid).toBe(false);
  });

  it('a value never written', () => {
    expect(check([...put(0, 'k', 'a', 2), ...get(1, 'k', 2, [kv('k', 'zzz', 2, 2, 1)])]).valid).toBe(false);
  });

  it('two puts claiming the same revision', () => {
    expect(check([...put(0, 'k', 'a', 2), ...put(1, 'j', 'b', 2)]).valid).toBe(false);
  });

  it('a wrong version in a read', () => {
    expect(check([...put(0, 'k', 'a', 2), ...put(0, 'k', 'b', 3), ...get(1, 'k', 3, [kv('k', 'b', 2, 3, 1)])]).valid).toBe(false);
  });

  it('a timed-out put observed before it was invoked', () => {
    const lines: Line[] = [...get(1, 'k', 2, [kv('k', 'v1', 2, 2, 1)]), [0, 'invoke', 'kv/put', { key: b64('k'), value: b64('v1') }], [0, 'info', 'kv/put', null, 'timeout']];
    expect(check(lines).valid).toBe(false);
  });

  it('a key that outlives its revoked lease', () => {
    const lines: Line[] = [
      [0, 'invoke', 'lease/grant', { ID: '100', TTL: '60' }],
      [0, 'ok', 'lease/grant', { ...hdr(1), ID: '100', TTL: '60' }],
      ...put(0, 'k', 'a', 2, { lease: '100' }),
      [0, 'invoke', 'lease/revoke', { ID: '100' }],
      [0, 'ok', 'lease/revoke', hdr(3)],
      ...get(1, 'k', 3, [kv('k', 'a', 2, 2, 1, 100)]),
    ];
    expect(check(lines).valid).toBe(false);
  });

  it('a put with an unknown lease that reports success', () => {
    expect(check(put(0, 'k', 'a', 2, { lease: '77' })).valid).toBe(false);
  });
});

// A range at a past revision R sees each key exactly as R left it: its value, mod_revision,
// create_revision and version then (etcd reads the kv stored at that revision), not as a
// later write left it (a version taken from the key's latest state: the holdout mutant
// historic-read-latest-version's symptom), and no key created or deleted after R.
describe('etcd model: reads at a past revision', () => {
  // k: a at 2, b at 3; j: x at 4; k deleted at 5; k: c at 6 (a new generation); j: y at 7.
  const writes: Line[] = [
    ...put(0, 'k', 'a', 2),
    ...put(0, 'k', 'b', 3),
    ...put(0, 'j', 'x', 4),
    [0, 'invoke', 'kv/deleterange', { key: b64('k') }],
    [0, 'ok', 'kv/deleterange', { ...hdr(5), deleted: '1' }],
    ...put(0, 'k', 'c', 6),
    ...put(0, 'j', 'y', 7),
  ];
  const all = { key: b64('a'), range_end: b64('z') };
  const at = (revision: number, kvs: Record<string, string>[], req: Record<string, unknown> = all): Line[] => get(1, 'k', 7, kvs, { ...req, revision: String(revision) });
  const inTxn = (revision: number, kvs: Record<string, string>[]): Line[] => [
    [1, 'invoke', 'kv/txn', { success: [{ request_range: { key: b64('k'), revision: String(revision) } }] }],
    [1, 'ok', 'kv/txn', { ...hdr(7), succeeded: true, responses: [{ response_range: kvs.length > 0 ? { kvs, count: String(kvs.length) } : {} }] }],
  ];

  it.each<[string, Line[]]>([
    ['k at 3: its second version', at(3, [kv('k', 'b', 2, 3, 2)])],
    ['k at 2: its first version', at(2, [kv('k', 'a', 2, 2, 1)], { key: b64('k') })],
    ['everything at 4', at(4, [kv('j', 'x', 4, 4, 1), kv('k', 'b', 2, 3, 2)])],
    ['everything at 5: k deleted', at(5, [kv('j', 'x', 4, 4, 1)])],
    ['k at 3 inside a txn', inTxn(3, [kv('k', 'b', 2, 3, 2)])],
    ['j at 6: its first version', at(6, [kv('j', 'x', 4, 4, 1)], { key: b64('j') })],
  ])('must pass: %s', (_, read) => {
    expect(check([...writes, ...read]).valid).toBe(true);
  });

  it.each<[string, Line[]]>([
    ['j at 4 with the version it has now (2)', at(4, [kv('j', 'x', 4, 4, 2)], { key: b64('j') })],
    ['j at 6 as it is now', at(6, [kv('j', 'y', 4, 7, 2)], { key: b64('j') })],
    ['k at 2 with the version it reached later (2)', at(2, [kv('k', 'a', 2, 2, 2)], { key: b64('k') })],
    ['k at 3 with the version of its later generation (1)', at(3, [kv('k', 'b', 2, 3, 1)], { key: b64('k') })],
    ['k at 3 with the create_revision of its later generation', at(3, [kv('k', 'b', 6, 3, 2)], { key: b64('k') })],
    ['k at 3 with the mod_revision of its next version', at(3, [kv('k', 'b', 2, 6, 2)], { key: b64('k') })],
    ['k at 3 as its later put left it', at(3, [kv('k', 'c', 6, 6, 1)], { key: b64('k') })],
    ['k at 4 with the value it had before', at(4, [kv('j', 'x', 4, 4, 1), kv('k', 'a', 2, 3, 2)])],
    ['everything at 3 with j, created at 4', at(3, [kv('j', 'x', 4, 4, 1), kv('k', 'b', 2, 3, 2)])],
    ['everything at 5 with k, deleted at 5', at(5, [kv('j', 'x', 4, 4, 1), kv('k', 'b', 2, 3, 2)])],
    ['everything at 4 without k', at(4, [kv('j', 'x', 4, 4, 1)])],
    ['k at 2 inside a txn with its later version', inTxn(2, [kv('k', 'a', 2, 2, 2)])],
    ['j at 4 inside a txn with the version it has now', [
      [1, 'invoke', 'kv/txn', { success: [{ request_range: { key: b64('j'), revision: '4' } }] }],
      [1, 'ok', 'kv/txn', { ...hdr(7), succeeded: true, responses: [{ response_range: { kvs: [kv('j', 'x', 4, 4, 2)], count: '1' } }] }],
    ]],
  ])('must fail: %s', (_, read) => {
    expect(check([...writes, ...read]).valid).toBe(false);
  });
});

function generated(ops: number, seed: number): Op[] {
  return syntheticEtcdHistory(new Prng(seed), { ops, keys: 10, clients: 50, timeoutPercent: 3, leases: true });
}

describe('etcd model at scale', () => {
  it('passes generated linearizable histories (3,000 ops, 10 keys, 50 clients, timeouts, leases)', () => {
    for (const seed of [1, 2, 3]) {
      const ops = generated(3000, seed);
      const r = checkHistory({ ops, lines: ops.map((_, i) => i + 1) }, 'etcd');
      expect(r.valid, `seed ${seed}: ${r.summary ?? ''}`).toBe(true);
    }
  });

  it('fails a generated history in which one read returns a value a revision too old', () => {
    const ops = generated(3000, 4);
    const victim = ops.findIndex((o, i) => i > 1500 && o.type === 'ok' && o.f === 'kv/range' && Array.isArray((o.value as { kvs?: unknown[] }).kvs) && (o.value as { kvs: { mod_revision: string }[] }).kvs[0]!.mod_revision !== '2');
    const resp = structuredClone(ops[victim]!.value) as { kvs: Record<string, string>[] };
    resp.kvs[0]!['value'] = b64('never-written');
    ops[victim] = { ...ops[victim]!, value: resp };
    const r = checkHistory({ ops, lines: ops.map((_, i) => i + 1) }, 'etcd');
    expect(r.valid).toBe(false);
  });
});

describe('etcd model agrees with how the history was made', () => {
  it('accepts every small generated history (timeouts, leases, gaps), 300 seeds from the property seed', () => {
    withPropertySeed((base) => {
      for (let seed = base; seed < base + 300; seed++) {
        const ops = syntheticEtcdHistory(new Prng(seed), { ops: 40, keys: 3, clients: 6, timeoutPercent: 20, leases: true });
        const r = checkHistory({ ops, lines: ops.map((_, i) => i + 1) }, 'etcd');
        expect(r.valid, `history seed ${seed}`).toBe(true);
      }
    });
  });
});
