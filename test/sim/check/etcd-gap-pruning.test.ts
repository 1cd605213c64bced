// The pruning that decides histories with many timed-out writes (issue 11): keys an answer
// shows missing (absences.ts), deletes known per key, lease revokes that delete only keys with
// their lease, and the capacity of the gaps left for every key's needs together
// (gap-capacity.ts). Pruning can only turn "valid" into "invalid", so each rule has a valid
// history at its edge that must stay valid (a rule that says too much would call it a
// violation), and each real history that it decides has corrupted copies that must fail.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { rangeAbsences } from '../../../sim/check/models/etcd/absences.ts';
import { enoughCapacity, type CapacityCandidate } from '../../../sim/check/models/etcd/gap-capacity.ts';
import { findContradiction } from '../../../sim/check/models/etcd/contradictions.ts';
import { placeWatches } from '../../../sim/check/models/etcd/watch-observations.ts';
import { gapConstraints, knownDeleteIn } from '../../../sim/check/models/etcd/gap-constraints.ts';
import { etcdOperations } from '../../../sim/check/models/etcd/history.ts';
import { type EtcdF, type EtcdInput, type EtcdOutput } from '../../../sim/check/models/etcd/model.ts';
import { EtcdState, type KeyValue } from '../../../sim/check/models/etcd/state.ts';
import { parseJsonl } from '../../../sim/history/jsonl.ts';
import type { Op } from '../../../sim/history/op.ts';
import { pairOps } from '../../../sim/history/pair.ts';
import type { ParsedHistory } from '../../../sim/history/parsed-history.ts';
import { counterexampleSection, findExplanations } from '../../../sim/report/counterexample.ts';
import { explanationLines } from '../../../sim/report/explanation-text.ts';
import { defaultReportLimits } from '../../../sim/report/limits.ts';
import { pairOps as pairReportOps } from '../../../sim/report/paired-ops.ts';
import { b64, hdr, history, kv, type Line } from './history-builder.ts';

type Req = Record<string, unknown>;

function answered(f: EtcdF, request: Req, response: Req, pre?: number): { input: EtcdInput; output: EtcdOutput } {
  const input: EtcdInput = { f, request };
  if (pre !== undefined) input.pre = pre;
  return { input, output: { response, range: undefined } };
}

function absencesOf(ops: { input: EtcdInput; output: EtcdOutput }[], universe: string[]): string[] {
  const out: string[] = [];
  rangeAbsences(ops, universe, (key, at) => out.push(`${key}@${at}`));
  return out;
}

/** A watch stream with no events: it turns the gap constraints on for a small history. */
const NO_EVENTS = [{ time: 0, response: {} }];

function verdict(lines: Line[]): boolean | 'unknown' {
  return checkHistory(history(lines), 'etcd', { maxSteps: 200_000 }, { watches: NO_EVENTS }).valid;
}

describe('keys a range answer shows missing', () => {
  const universe = ['a', 'b', 'c', 'd'];
  const range = (req: Req, keys: string[], extra: Req = {}): { input: EtcdInput; output: EtcdOutput } =>
    answered('kv/range', { key: b64('a'), range_end: b64('d'), ...req }, { ...hdr(9), kvs: keys.map((k) => kv(k, `v-${k}`, 2, 2, 1)), count: String(keys.length), ...extra }, 9);

  it('a range that lists every key of its range proves the others in it missing at the revision it read', () => {
    expect(absencesOf([range({}, ['a'])], universe)).toEqual(['b@9', 'c@9']);
    expect(absencesOf([range({ revision: '5' }, ['b'])], universe)).toEqual(['a@5', 'c@5']);
    expect(absencesOf([answered('kv/range', { key: b64('c') }, { ...hdr(9), count: '0' }, 9)], universe)).toEqual(['c@9']);
  });

  it('a range cut by a limit, filtered by revisions or count_only proves nothing', () => {
    expect(absencesOf([range({ limit: '1' }, ['a'], { more: true, count: '3' })], universe)).toEqual([]);
    expect(absencesOf([range({}, ['a'], { count: '2' })], universe)).toEqual([]);
    expect(absencesOf([range({ min_mod_revision: '4' }, ['a'])], universe)).toEqual([]);
    expect(absencesOf([range({ max_create_revision: '4' }, ['a'])], universe)).toEqual([]);
    expect(absencesOf([answered('kv/range', { key: b64('a'), range_end: b64('d'), count_only: true }, { ...hdr(9), count: '3' }, 9)], universe)).toEqual([]);
    // Nested txn ranges see the txn's own writes: left out.
    expect(absencesOf([answered('kv/txn', { success: [{ request_range: { key: b64('a'), range_end: b64('d') } }] }, { ...hdr(9), succeeded: true, responses: [{ response_range: { kvs: [] } }] }, 9)], universe)).toEqual([]);
  });

  it('a limit that did not cut ("more" absent) still lists every key', () => {
    expect(absencesOf([range({ limit: '5' }, ['a', 'b'])], universe)).toEqual(['c@9']);
  });
});

describe('known deletes are asked per key', () => {
  const gaps = [4];
  const at = (rev: number, f: EtcdF, request: Req, response: Req = {}): { input: EtcdInput; output: EtcdOutput } => answered(f, request, { ...hdr(rev), ...response }, rev - 1);

  it('a txn that deletes key9 is no excuse for key0 to be gone; a range delete covering it is', () => {
    const c = gapConstraints([at(5, 'kv/txn', { success: [{ request_delete_range: { key: b64('key9') } }] }, { succeeded: true, responses: [{ response_delete_range: { deleted: '1' } }] }), at(6, 'kv/deleterange', { key: b64('b'), range_end: b64('d') }, { deleted: '2' })], gaps);
    expect(knownDeleteIn(c, 'key9', 4, 5)).toBe(true);
    expect(knownDeleteIn(c, 'key0', 4, 5)).toBe(false);
    expect(knownDeleteIn(c, 'c', 4, 6)).toBe(true);
    expect(knownDeleteIn(c, 'd', 4, 6)).toBe(false);
    expect(knownDeleteIn(c, 'c', 6, 9)).toBe(false);
  });

  it('a lease revoke may delete any key', () => {
    const c = gapConstraints([{ input: { f: 'lease/revoke', request: { ID: '7' }, preMax: 5 }, output: { response: hdr(5), range: undefined } }], gaps);
    expect(knownDeleteIn(c, 'anything', 4, 6)).toBe(true);
  });
});

describe('the capacity of the gaps left', () => {
  const kvOf = (key: string, mod: number): KeyValue => ({ key, value: b64('v'), create: mod, mod, version: 1, lease: '0' });
  // x@2 and y@3; w@5; a range at 5 shows x and y missing; revision 4 is the only gap.
  const c = gapConstraints(
    [
      answered('kv/put', { key: b64('x'), value: b64('vx') }, hdr(2), 1),
      answered('kv/put', { key: b64('y'), value: b64('vy') }, hdr(3), 2),
      answered('kv/put', { key: b64('w'), value: b64('vw') }, hdr(5), 4),
      answered('kv/range', { key: b64('a'), range_end: b64('z') }, { ...hdr(5), kvs: [kv('w', 'vw', 5, 5, 1)], count: '1' }, 5),
    ],
    [4],
  );
  const state = new EtcdState(3, -1, new Map([['x', kvOf('x', 2)], ['y', kvOf('y', 3)]]), new Map(), 0, 0, undefined, 0);
  const due = Float64Array.from([Infinity]);
  const deleter = (id: number, keys: string[]): CapacityCandidate => ({ id, call: 0, mayPut: () => false, mustTouch: [], mayDelete: (k) => keys.includes(k) });

  it('two keys to delete and one gap: not enough unless one candidate deletes both', () => {
    expect(enoughCapacity(c, state, Infinity, due, [deleter(0, ['x']), deleter(1, ['y'])], () => false)).toBe(false);
    expect(enoughCapacity(c, state, Infinity, due, [deleter(0, ['x', 'y'])], () => false)).toBe(true);
  });

  it('a used candidate serves nothing', () => {
    expect(enoughCapacity(c, state, Infinity, due, [deleter(0, ['x', 'y'])], (id) => id === 0)).toBe(false);
  });
});

describe('histories at the edge of each rule stay valid; their corrupted copies fail', () => {
  // a@2, c put by a timed-out write (its value unseen) at the gap 3, b@4.
  const base = (read: [Req, Req]): Line[] => [
    [1, 'invoke', 'kv/put', { key: b64('a'), value: b64('va') }],
    [1, 'ok', 'kv/put', hdr(2)],
    [2, 'invoke', 'kv/put', { key: b64('c'), value: b64('vc') }],
    [2, 'info', 'kv/put', undefined, 'timed out'],
    [1, 'invoke', 'kv/put', { key: b64('b'), value: b64('vb') }],
    [1, 'ok', 'kv/put', hdr(4)],
    [3, 'invoke', 'kv/range', read[0]],
    [3, 'ok', 'kv/range', read[1]],
    [3, 'invoke', 'kv/range', { key: b64('c'), keys_only: true }],
    [3, 'ok', 'kv/range', { ...hdr(4), kvs: [{ key: b64('c'), create_revision: '3', mod_revision: '3', version: '1' }], count: '1' }],
  ];
  const abc = { key: b64('a'), range_end: b64('d') };

  it('a range cut by its limit does not make the key it left out missing', () => {
    expect(verdict(base([{ ...abc, limit: '1' }, { ...hdr(4), kvs: [kv('a', 'va', 2, 2, 1)], more: true, count: '3' }]))).toBe(true);
    // etcd counts the keys in the range before the revision filters.
    expect(verdict(base([{ ...abc, min_mod_revision: '4' }, { ...hdr(4), kvs: [kv('b', 'vb', 4, 4, 1)], count: '3' }]))).toBe(true);
    // Without the limit, the same answer says c was missing at 4, which the other read denies.
    expect(verdict(base([abc, { ...hdr(4), kvs: [kv('a', 'va', 2, 2, 1), kv('b', 'vb', 4, 4, 1)], count: '2' }]))).toBe(false);
  });

  it('a key deleted by a revoke of the lease a known put attached after the gap before is not missing too early', () => {
    // a@2 without a lease; a timed-out put of q fills 3; a put attaches lease 7 to a at 4; a
    // timed-out revoke of 7 fills 5 and deletes a; b@6; a keys-only range at 6 shows q and b.
    const lines: Line[] = [
      [1, 'invoke', 'lease/grant', { ID: '7', TTL: '60' }],
      [1, 'ok', 'lease/grant', { ...hdr(1), ID: '7', TTL: '60' }],
      [1, 'invoke', 'kv/put', { key: b64('a'), value: b64('va') }],
      [1, 'ok', 'kv/put', hdr(2)],
      [2, 'invoke', 'kv/put', { key: b64('q'), value: b64('vq') }],
      [2, 'info', 'kv/put', undefined, 'timed out'],
      [1, 'invoke', 'kv/put', { key: b64('a'), value: b64('va2'), lease: '7' }],
      [1, 'ok', 'kv/put', hdr(4)],
      [4, 'invoke', 'lease/revoke', { ID: '7' }],
      [4, 'info', 'lease/revoke', undefined, 'timed out'],
      [1, 'invoke', 'kv/put', { key: b64('b'), value: b64('vb') }],
      [1, 'ok', 'kv/put', hdr(6)],
      [3, 'invoke', 'kv/range', { key: b64('a'), range_end: b64('z'), keys_only: true }],
      [3, 'ok', 'kv/range', { ...hdr(6), kvs: [{ key: b64('b'), create_revision: '6', mod_revision: '6', version: '1' }, { key: b64('q'), create_revision: '3', mod_revision: '3', version: '1' }], count: '2' }],
    ];
    expect(verdict(lines)).toBe(true);
    // The same history with a still there at 6 (version 2, as the put at 4 left it) after the revoke: a violation.
    const kept = structuredClone(lines);
    (kept[13]![3] as { kvs: unknown[]; count: string }).kvs.unshift({ key: b64('a'), create_revision: '2', mod_revision: '4', version: '2', lease: '7' });
    (kept[13]![3] as { count: string }).count = '3';
    expect(verdict(kept)).toBe(false);
  });

  it('two keys a txn of unknown outcome deletes together in the one gap left', () => {
    const lines = (success: Req[]): Line[] => [
      [1, 'invoke', 'kv/put', { key: b64('x'), value: b64('vx') }],
      [1, 'ok', 'kv/put', hdr(2)],
      [1, 'invoke', 'kv/put', { key: b64('y'), value: b64('vy') }],
      [1, 'ok', 'kv/put', hdr(3)],
      [2, 'invoke', 'kv/txn', { compare: [], success, failure: [] }],
      [2, 'info', 'kv/txn', undefined, 'timed out'],
      [4, 'invoke', 'kv/deleterange', { key: b64('x') }],
      [4, 'info', 'kv/deleterange', undefined, 'timed out'],
      [1, 'invoke', 'kv/put', { key: b64('w'), value: b64('vw') }],
      [1, 'ok', 'kv/put', hdr(5)],
      [3, 'invoke', 'kv/range', { key: b64('a'), range_end: b64('z') }],
      [3, 'ok', 'kv/range', { ...hdr(5), kvs: [kv('w', 'vw', 5, 5, 1)], count: '1' }],
    ];
    expect(verdict(lines([{ request_delete_range: { key: b64('x') } }, { request_delete_range: { key: b64('y') } }]))).toBe(true);
    // A txn that deletes y alone: x and y both need the one gap.
    expect(verdict(lines([{ request_delete_range: { key: b64('y') } }]))).toBe(false);
  });
});

describe('a key a known txn deletes and puts again at one revision (swarm seed 223 with the wide shape)', () => {
  // a@2; a timed-out put of c fills the gap 3; a txn deletes every key from a on and puts a
  // again (etcd's checkIntervals: a from-key delete is no duplicate key), so at 4 a is created
  // anew (create 4, version 1) by the very write that deleted it: nothing had to delete a
  // before revision 4. Swarm seed 223 (with the delete ending at the put key in the wide
  // workload) was called not linearizable for this once a watch stream turned the gap
  // constraints on.
  const lines = (rangeEnd: string): Line[] => [
    [1, 'invoke', 'kv/put', { key: b64('a'), value: b64('va') }],
    [1, 'ok', 'kv/put', hdr(2)],
    [2, 'invoke', 'kv/put', { key: b64('c'), value: b64('vc') }],
    [2, 'info', 'kv/put', undefined, 'timed out'],
    [1, 'invoke', 'kv/txn', { compare: [], success: [{ request_delete_range: { key: b64('a'), range_end: b64(rangeEnd) } }, { request_put: { key: b64('a'), value: b64('va2') } }], failure: [] }],
    [1, 'ok', 'kv/txn', { ...hdr(4), succeeded: true, responses: [{ response_delete_range: { deleted: rangeEnd === '\0' ? '2' : '0' } }, { response_put: {} }] }],
    [3, 'invoke', 'kv/range', { key: b64('a') }],
    [3, 'ok', 'kv/range', { ...hdr(4), kvs: [kv('a', 'va2', 4, 4, 1)], count: '1' }],
  ];

  it('is valid when the txn deleted the key itself', () => {
    expect(verdict(lines('\0'))).toBe(true);
  });

  it('fails when the txn deleted up to the key only (a kept its create revision 2)', () => {
    expect(verdict(lines('a'))).toBe(false);
  });
});

describe('short-timeouts seed 3 (111 timed-out writes), from the history alone', () => {
  const FILE = 'test/fixtures/check/short-timeouts-seed3/history.jsonl';
  const load = (): ParsedHistory => parseJsonl(readFileSync(FILE, 'utf8'));
  /** The ok answer of the first full range (range_end set, no revision) with at least `min` keys at or above header revision `from`. */
  const fullRange = (h: ParsedHistory, from: number): Op => {
    const invokes = new Map<number | string, Op>();
    for (const op of h.ops) {
      if (op.type === 'invoke') invokes.set(op.process, op);
      const req = invokes.get(op.process)?.value as Req | undefined;
      const resp = op.value as { header?: { revision: string }; kvs?: unknown[] } | undefined;
      if (op.type === 'ok' && invokes.get(op.process)?.f === 'kv/range' && req?.['range_end'] !== undefined && req['revision'] === undefined && req['serializable'] !== true && Number(resp?.header?.revision) >= from && (resp?.kvs?.length ?? 0) >= 5) return op;
    }
    throw new Error('no full range');
  };

  it('has more than 100 timed-out writes and is decided valid (it was unknown after 20 s before the absences, the capacity check and the sequel order)', () => {
    const h = load();
    expect(h.ops.filter((o) => o.type === 'info' && ['kv/put', 'kv/txn', 'kv/deleterange'].includes(o.f)).length).toBeGreaterThan(100);
    const r = checkHistory(h, 'etcd', { maxSteps: 20_000_000 });
    expect(r.valid, r.summary).toBe(true);
  });

  it('a key dropped from a full range answer after the gaps fails', () => {
    const h = load();
    const resp = fullRange(h, 170).value as { kvs: unknown[]; count: string };
    resp.kvs.splice(0, 1);
    resp.count = String(resp.kvs.length);
    const r = checkHistory(h, 'etcd', { maxSteps: 20_000_000 });
    expect(r.valid, r.summary).toBe(false);
  });

  it('a full range answer moved one revision later fails', () => {
    const h = load();
    const resp = fullRange(h, 170).value as { header: { revision: string } };
    resp.header.revision = String(Number(resp.header.revision) + 1);
    const r = checkHistory(h, 'etcd', { maxSteps: 20_000_000 });
    expect(r.valid, r.summary).toBe(false);
  });

  it('a key-value moved to a gap revision (as if a timed-out write had put that value there) fails', () => {
    const h = load();
    const gaps = [...etcdOperations(pairOps(h)).gaps];
    type Shown = { value?: string; mod_revision: string; create_revision: string };
    const kvs = h.ops.filter((o) => o.type === 'ok').flatMap((o) => (o.value as { kvs?: Shown[] } | undefined)?.kvs ?? []);
    const shown = kvs.find((kv) => kv.value !== undefined && gaps.some((g) => g >= Number(kv.create_revision) && g < Number(kv.mod_revision)));
    expect(shown).toBeDefined();
    shown!.mod_revision = String(gaps.find((g) => g >= Number(shown!.create_revision) && g < Number(shown!.mod_revision)));
    const r = checkHistory(h, 'etcd', { maxSteps: 20_000_000 });
    expect(r.valid, r.summary).toBe(false);
  });

  it('a version changed in a full range answer after the gaps fails', () => {
    const h = load();
    const resp = fullRange(h, 170).value as { kvs: { version: string }[] };
    resp.kvs[0]!.version = String(Number(resp.kvs[0]!.version) + 1);
    const r = checkHistory(h, 'etcd', { maxSteps: 20_000_000 });
    expect(r.valid, r.summary).toBe(false);
  });
});

describe('the values a write stores: a contradiction only where no write could store the value shown', () => {
  // findContradiction directly: on a small history the search decides before it would consult
  // it; on a long one a false contradiction ends the search as a violation.
  const contradiction = (lines: Line[]): string | undefined => {
    const h = history(lines);
    const p = etcdOperations(pairOps(h), { watches: placeWatches(h.ops.map((o) => o.time), NO_EVENTS) });
    return findContradiction(p.ops, p.constraints, p.initial.revision)?.reason;
  };
  // a@2; a timed-out put of a fills the gap 3; b@4; a read of a at 4 shows what the gap stored.
  const lines = (put: Req, shown: Record<string, string>): Line[] => [
    [1, 'invoke', 'kv/put', { key: b64('a'), value: b64('va') }],
    [1, 'ok', 'kv/put', hdr(2)],
    [2, 'invoke', 'kv/put', { key: b64('a'), ...put }],
    [2, 'info', 'kv/put', undefined, 'timed out'],
    [1, 'invoke', 'kv/put', { key: b64('b'), value: b64('vb') }],
    [1, 'ok', 'kv/put', hdr(4)],
    [3, 'invoke', 'kv/range', { key: b64('a') }],
    [3, 'ok', 'kv/range', { ...hdr(4), kvs: [shown], count: '1' }],
  ];

  it('a put with ignore_value keeps the old value at the gap it fills', () => {
    expect(contradiction(lines({ ignore_value: true }, kv('a', 'va', 2, 3, 2)))).toBeUndefined();
    expect(verdict(lines({ ignore_value: true }, kv('a', 'va', 2, 3, 2)))).toBe(true);
    expect(verdict(lines({ ignore_value: true }, kv('a', 'other', 2, 3, 2)))).toBe(false);
  });

  it('a put that leaves its value out (proto3 JSON omits an empty one) stores the empty value', () => {
    const shown = { key: b64('a'), create_revision: '2', mod_revision: '3', version: '2' };
    expect(contradiction(lines({}, shown))).toBeUndefined();
    expect(verdict(lines({}, shown))).toBe(true);
    expect(contradiction(lines({ value: b64('vg') }, kv('a', 'not-vg', 2, 3, 2)))).toMatch(/no write of unknown outcome puts there/);
  });

  it('a known flat put that left its value out made an empty value: another value at its revision is a contradiction', () => {
    const known = (shown: Record<string, string>): Line[] => [
      [1, 'invoke', 'kv/put', { key: b64('a') }],
      [1, 'ok', 'kv/put', hdr(2)],
      [2, 'invoke', 'kv/put', { key: b64('z'), value: b64('vz') }],
      [2, 'info', 'kv/put', undefined, 'timed out'],
      [1, 'invoke', 'kv/put', { key: b64('b'), value: b64('vb') }],
      [1, 'ok', 'kv/put', hdr(4)],
      [3, 'invoke', 'kv/range', { key: b64('a') }],
      [3, 'ok', 'kv/range', { ...hdr(4), kvs: [shown], count: '1' }],
    ];
    expect(contradiction(known({ key: b64('a'), create_revision: '2', mod_revision: '2', version: '1' }))).toBeUndefined();
    expect(contradiction(known(kv('a', 'filled', 2, 2, 1)))).toMatch(/did not put that/);
  });

  it('a key shown with the revision of a known put of another key is a contradiction; of its own key it is not', () => {
    const lines = (shown: Record<string, string>): Line[] => [
      [1, 'invoke', 'kv/put', { key: b64('a'), value: b64('va') }],
      [1, 'ok', 'kv/put', hdr(2)],
      [2, 'invoke', 'kv/put', { key: b64('z'), value: b64('vz') }],
      [2, 'info', 'kv/put', undefined, 'timed out'],
      [1, 'invoke', 'kv/put', { key: b64('b'), value: b64('vb') }],
      [1, 'ok', 'kv/put', hdr(4)],
      [3, 'invoke', 'kv/range', { key: b64('a'), range_end: b64('c') }],
      [3, 'ok', 'kv/range', { ...hdr(4), kvs: [kv('a', 'va', 2, 2, 1), shown], count: '2' }],
    ];
    expect(contradiction(lines(kv('b', 'vb', 4, 4, 1)))).toBeUndefined();
    expect(contradiction(lines({ key: b64('b'), create_revision: '4', mod_revision: '4', version: '1' }))).toBeUndefined();
    const wrong = lines(kv('b', 'vb', 4, 4, 1));
    (wrong[7]![3] as { kvs: Record<string, string>[] }).kvs[0] = kv('a', 'vb', 2, 4, 2);
    expect(contradiction(wrong)).toMatch(/did not put that/);
  });
});

describe('a value no write stores, at a revision a txn of known outcome made', () => {
  const contradiction = (lines: Line[]): string | undefined => {
    const h = history(lines);
    const p = etcdOperations(pairOps(h), { watches: placeWatches(h.ops.map((o) => o.time), NO_EVENTS) });
    return findContradiction(p.ops, p.constraints, p.initial.revision)?.reason;
  };
  const lines = (shown: string, put: Req = { value: b64('vt') }): Line[] => [
    [1, 'invoke', 'kv/put', { key: b64('a'), value: b64('va') }],
    [1, 'ok', 'kv/put', hdr(2)],
    [2, 'invoke', 'kv/put', { key: b64('z'), value: b64('vz') }],
    [2, 'info', 'kv/put', undefined, 'timed out'],
    [1, 'invoke', 'kv/txn', { compare: [{ key: b64('a'), target: 'VERSION', result: 'EQUAL', version: '1' }], success: [{ request_put: { key: b64('a'), ...put } }], failure: [{ request_put: { key: b64('a'), value: b64('vf') } }] }],
    [1, 'ok', 'kv/txn', { ...hdr(4), succeeded: true, responses: [{ response_put: {} }] }],
    [3, 'invoke', 'kv/range', { key: b64('a') }],
    [3, 'ok', 'kv/range', { ...hdr(4), kvs: [kv('a', shown, 2, 4, 2)], count: '1' }],
  ];

  it('is a contradiction naming the read; a value of either branch or a kept old value is not', () => {
    expect(contradiction(lines('vt'))).toBeUndefined();
    expect(contradiction(lines('vf'))).toBeUndefined();
    expect(contradiction(lines('va', { ignore_value: true }))).toBeUndefined();
    expect(contradiction(lines('never-written'))).toMatch(/did not put that/);
  });
});

describe('a key shown missing and alive at once: the answer blamed', () => {
  // a@2, a timed-out put of z (a gap), b@4; one read shows a alive at 4, a later one shows it
  // missing at 4: the later read is the one the search would reach last, and is blamed. (The
  // absences' callback once passed the index of the key in its list of keys, not the op's.)
  it('blames the read that returned last', () => {
    const lines: Line[] = [
      [1, 'invoke', 'kv/put', { key: b64('a'), value: b64('va') }],
      [1, 'ok', 'kv/put', hdr(2)],
      [2, 'invoke', 'kv/put', { key: b64('z'), value: b64('vz') }],
      [2, 'info', 'kv/put', undefined, 'timed out'],
      [1, 'invoke', 'kv/put', { key: b64('b'), value: b64('vb') }],
      [1, 'ok', 'kv/put', hdr(4)],
      [3, 'invoke', 'kv/range', { key: b64('a') }],
      [3, 'ok', 'kv/range', { ...hdr(4), kvs: [kv('a', 'va', 2, 2, 1)], count: '1' }],
      [3, 'invoke', 'kv/range', { key: b64('a') }],
      [3, 'ok', 'kv/range', { ...hdr(4) }],
    ];
    const h = history(lines);
    const p = etcdOperations(pairOps(h), { watches: placeWatches(h.ops.map((o) => o.time), NO_EVENTS) });
    const found = findContradiction(p.ops, p.constraints, p.initial.revision);
    expect(found?.reason).toMatch(/missing at revision 4, another shows it created at 2/);
    const blamed = p.ops[found!.id]!;
    expect(blamed.input.f).toBe('kv/range');
    expect(blamed.output !== undefined && 'response' in blamed.output && blamed.output.response['kvs']).toBeUndefined();
  });
});

describe('a contradiction leads the explanation (terminal, JUnit, HTML)', () => {
  it('names the corrupted read and why, before where the search stopped', () => {
    const h: ParsedHistory = parseJsonl(readFileSync(new URL('../../fixtures/check/short-timeouts-seed3/history.jsonl', import.meta.url), 'utf8'));
    // The last read answer that shows a value: its value replaced by one no write stores.
    const read = [...h.ops].reverse().find((o) => o.type === 'ok' && o.f === 'kv/range' && ((o.value as { kvs?: unknown[] }).kvs ?? []).length > 0)!;
    (read.value as { kvs: { value: string }[] }).kvs[0]!.value = b64('never-written');
    const r = checkHistory(h, 'etcd', { maxSteps: 20_000_000 });
    expect(r.valid).toBe(false);
    const explanation = r.explanation as { contradiction?: { index: number } };
    const invoke = h.ops.filter((o: Op) => o.process === read.process && o.index < read.index && o.type === 'invoke').at(-1)!;
    expect(explanation.contradiction?.index).toBe(invoke.index);
    const lines = explanationLines(r.explanation);
    expect(lines[0]).toMatch(/an answer contradicts the others/);
    expect(lines[1]).toContain(`#${invoke.index} `);
    expect(lines[2]).toMatch(/did not put that|no write of unknown outcome/);
    const found = findExplanations({ linearizability: { valid: false, explanation: r.explanation } });
    const html = counterexampleSection(found, pairReportOps(h.ops), defaultReportLimits);
    expect(html.indexOf('an answer contradicts the others')).toBeGreaterThan(-1);
    expect(html.indexOf(`history index ${invoke.index}`)).toBeLessThan(html.indexOf('Where the search'));
  });
});
