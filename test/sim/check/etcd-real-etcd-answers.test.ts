// The etcd model accepts what a real etcd 3.4 answers and nothing else. The fixture was
// recorded from etcd 3.4.23 (Go 1.19) by test/differential/real-etcd-history.ts: ranges sorted
// by MOD, CREATE, VERSION and VALUE over 30 keys that share sort keys come back in Go's
// unstable-sort order (the model used to call them impossible), limits cut through ties,
// order NONE with a non-KEY target sorts only the first limit+1 keys, compares over empty
// ranges fail for VERSION > 0, serializable reads, compacted and future revisions, and a lease
// granted below the minimum TTL. Mutations of it must fail.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import type { Op } from '../../../sim/history/op.ts';
import { parseJsonl } from '../../../sim/history/jsonl.ts';

const FIXTURE = 'test/fixtures/check/real-etcd-3.4.23-sort-ties.jsonl';
const load = (): Op[] => parseJsonl(readFileSync(FIXTURE, 'utf8')).ops;
const check = (ops: Op[]) => checkHistory({ ops, lines: ops.map((_, i) => i + 1) }, 'etcd');
type Kv = { key: string; mod_revision: string };
const text = (b64: string): string => Buffer.from(b64, 'base64').toString();

/** The ok of the first range whose request matches, with its kvs. */
function findRange(ops: Op[], match: (req: Record<string, unknown>) => boolean): { resp: { kvs: Kv[] } } {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.type !== 'invoke' || op.f !== 'kv/range' || !match(op.value as Record<string, unknown>)) continue;
    const done = ops.slice(i + 1).find((o) => o.process === op.process)!;
    return { resp: done.value as { kvs: Kv[] } };
  }
  throw new Error('no such range in the fixture');
}

const descMod = (r: Record<string, unknown>): boolean => r['sort_target'] === 'MOD' && r['sort_order'] === 'DESCEND' && r['limit'] === undefined && r['serializable'] === undefined && r['revision'] === undefined && r['min_mod_revision'] === undefined;

describe('the etcd model on a real etcd 3.4.23 history', () => {
  it('accepts it whole: unstable sort order among equal MOD, CREATE, VERSION and VALUE, limits through ties, serializable reads', () => {
    const ops = load();
    const { resp } = findRange(ops, descMod);
    const keys = resp.kvs.map((kv) => text(kv.key));
    const stable = [...resp.kvs].sort((a, b) => Number(b.mod_revision) - Number(a.mod_revision) || (a.key < b.key ? -1 : 1)).map((kv) => text(kv.key));
    // The recorded answer is not the stable order: this fixture exercises the tie case.
    expect(keys).not.toEqual(stable);
    expect(check(ops).valid).toBe(true);
  });

  it('rejects the DESCEND-by-MOD answer with two keys of different mod revisions swapped', () => {
    const ops = structuredClone(load());
    const { resp } = findRange(ops, descMod);
    const i = resp.kvs.findIndex((kv, j) => j > 0 && kv.mod_revision !== resp.kvs[j - 1]!.mod_revision);
    [resp.kvs[i - 1], resp.kvs[i]] = [resp.kvs[i]!, resp.kvs[i - 1]!];
    expect(check(load()).valid).toBe(true);
    expect(check(ops).valid).toBe(false);
  });

  it('rejects a limited answer that took a key from below the cut instead of one from the tie at the cut', () => {
    const ops = structuredClone(load());
    const { resp } = findRange(ops, (r) => r['sort_target'] === 'MOD' && r['sort_order'] === 'ASCEND' && r['limit'] === '13');
    const full = findRange(ops, (r) => r['sort_target'] === 'MOD' && r['sort_order'] === 'ASCEND' && r['limit'] === undefined).resp;
    const taken = new Set(resp.kvs.map((kv) => kv.key));
    const last = resp.kvs[resp.kvs.length - 1]!;
    const worse = full.kvs.find((kv) => !taken.has(kv.key) && Number(kv.mod_revision) > Number(last.mod_revision));
    expect(worse).toBeDefined();
    resp.kvs[resp.kvs.length - 1] = worse!;
    expect(check(ops).valid).toBe(false);
  });

  it('rejects an answer that lists the same key twice in a tie', () => {
    const ops = structuredClone(load());
    const { resp } = findRange(ops, descMod);
    const i = resp.kvs.findIndex((kv, j) => j > 0 && kv.mod_revision === resp.kvs[j - 1]!.mod_revision);
    resp.kvs[i] = resp.kvs[i - 1]!;
    expect(check(ops).valid).toBe(false);
  });
});
