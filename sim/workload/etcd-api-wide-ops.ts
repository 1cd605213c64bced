// The request shapes `workload.api: "full"` never sends, for `workload.api: "wide"`: each op
// exercises a part of etcd's semantics whose mistakes no other traffic can show.
// - range-shapes: a range over the workload's keys with a limit below their number and no sort
//   (count is every key in range, `more` only when keys were left out), count_only, keys_only,
//   min/max mod and create revision filters, a sort on any target with a limit (a target without
//   an order too, and an order without a target), at the current or a recent past revision;
// - range-bounds: a range, a delete (with prev_kv) or a range compare over [keyA, keyB) where
//   keyB is a key the workload writes (range_end is exclusive);
// - read-else-write-txn: "read it if it is as I last saw it, else write it": a txn whose
//   success branch only reads and whose failure branch puts (not a read-only txn: etcd's
//   isTxnReadonly looks at both branches);
// - compare-missing: a VALUE compare other than EQUAL on a key nobody writes (etcd fails every
//   VALUE compare on a missing key), a put on success and a read on failure;
// - txn-put-ended-lease: a txn whose taken branch puts with a lease the client revoked (or, before
//   it revoked any, one nobody granted): etcd checks every put of the branch for its lease and
//   fails the whole txn, "requested lease not found" (a revoke that failed leaves it alive: ok);
// - from-key-delete-txn: one txn that deletes every key from a key on (range_end "\0") and puts a
//   key inside that range, in either order, then reads it. etcd's checkIntervals sees the
//   from-key interval as empty, so this is no "duplicate key": a put after the delete creates its
//   key anew (create revision the txn's, version 1), a put before it is deleted with the rest. In
//   one of three the delete ends at the put key instead (range_end exclusive: the put at the end
//   is no duplicate either, and the key keeps its history).
// - nested-same-key-txn: a nested txn whose then and else branches both put one key (only one
//   runs: etcd's checkIntervals lets the else put repeat a then put); in one of three the outer
//   level puts that key too, which is a duplicate key etcd refuses before raft.
// - many-compares-txn: a txn at etcd's operation limit (--max-txn-ops, 128): 125 to 131 copies of
//   one compare, a put, and in one of two a nested txn of one to three puts. etcd counts the
//   compares with the branches (opc = max(compares, success, failure)) and gives a nested txn
//   what is left (128 - opc): over either, "too many operations in txn request" (checked
//   against etcd 3.4.23: 128 compares pass, 129 do not; 127 compares leave a nested txn one op).
import type { ApiOpContext } from './etcd-api-ops.ts';
import { drawCompare } from './etcd-api-ops.ts';
import { deleteRange, prefixEnd, put, range, txn, withWriteOptions } from './etcd-request.ts';
import type { CompareResult, EtcdRequest, RangeOptions, TxnOp } from './etcd-request.ts';
import { ETCD_API_WIDE_MIX } from './etcd-op-names.ts';
import { withFields } from '../../src/object/with-fields.ts';

/** The op names of the mix, looked up for every operation a run dispatches. */
const WIDE_OP_NAMES: ReadonlySet<string> = new Set(ETCD_API_WIDE_MIX.map(([name]) => name));

export const isWideOp = (f: string): boolean => WIDE_OP_NAMES.has(f);

const SORT_TARGETS = ['KEY', 'CREATE', 'MOD', 'VERSION', 'VALUE'] as const;
/** A lease id no member grants (detcd's and etcd's ids are far from it only by chance; a clash just answers ok). */
const NEVER_GRANTED_LEASE = '7340032000000000001';

/** Compares of many-compares-txn: around etcd's --max-txn-ops (128), on both sides. */
const MANY_COMPARES_MIN = 125;
const MANY_COMPARES_MAX = 131;

/** Limits of range-shapes: below the number of keys a workload writes (at least 4 keys). */
const LIMIT_MAX = 3;

/** A range over every key of the workload in one of its shapes (see the file comment). */
export function rangeShape(c: ApiOpContext): EtcdRequest {
  const p = c.prng;
  const all: RangeOptions = { rangeEnd: prefixEnd(c.prefix) };
  const at = p.chance(1, 3) ? { revision: c.state.staleRevision(p) } : {};
  // Shapes are built with withFields, not `{ ...all, ...at, limit }` (slow in V8); the draws
  // keep their order: an argument is drawn before the next one.
  const base: RangeOptions = withFields(all, at);
  const recent = Math.max(1, c.state.maxRevision - p.int(20));
  switch (p.int(6)) {
    case 0:
      return range(c.prefix, withFields(base, { limit: p.intRange(1, LIMIT_MAX) }));
    case 1:
      return range(c.prefix, withFields(base, { countOnly: true, ...(p.chance(1, 2) ? { limit: p.intRange(1, LIMIT_MAX) } : {}) }));
    case 2:
      return range(c.prefix, withFields(base, { keysOnly: true, limit: p.intRange(1, LIMIT_MAX + 2) }));
    case 3:
      return range(c.prefix, withFields(withFields(base, p.chance(1, 2) ? { minModRevision: recent } : { maxModRevision: recent }), { limit: p.intRange(0, LIMIT_MAX) }));
    case 4:
      return range(c.prefix, withFields(withFields(base, p.chance(1, 2) ? { minCreateRevision: recent } : { maxCreateRevision: recent }), { limit: p.intRange(0, LIMIT_MAX) }));
    default: {
      // A target without an order sorts ascending by the target (etcd), an order without a target sorts by key.
      const sort = p.int(4);
      const order = sort === 0 ? {} : { sortOrder: sort === 1 ? ('ASCEND' as const) : ('DESCEND' as const) };
      const target = sort === 3 ? {} : { sortTarget: p.pick(SORT_TARGETS) };
      return range(c.prefix, withFields(withFields(withFields(base, order), target), { limit: p.intRange(1, LIMIT_MAX) }));
    }
  }
}

/** [lo, hi) between two distinct keys of the workload, hi being one of them. */
function bounds(key: string, c: ApiOpContext): [string, string] {
  let other = c.otherKey();
  for (let i = 0; i < 4 && other === key; i++) other = c.otherKey();
  if (other === key) return [key, `${key}\0`];
  return key < other ? [key, other] : [other, key];
}

export function wideRequest(f: string, key: string, c: ApiOpContext): EtcdRequest {
  const p = c.prng;
  switch (f) {
    case 'range-shapes':
      return rangeShape(c);
    case 'range-bounds': {
      const [lo, hi] = bounds(key, c);
      switch (p.int(3)) {
        case 0:
          return range(lo, { rangeEnd: hi });
        case 1:
          return withWriteOptions(deleteRange(lo, hi), { prevKv: true });
        default: {
          const kv = c.state.kvOf(key);
          const revision = kv?.modRevision ?? 0;
          return txn([{ target: 'MOD', key: lo, rangeEnd: hi, revision, result: p.chance(1, 2) ? 'LESS' : 'GREATER' }], [{ put: put(key, c.value) }], [{ range: range(lo, { rangeEnd: hi }) }]);
        }
      }
    }
    case 'read-else-write-txn':
      return txn([drawCompare(key, c)], [{ range: range(key) }, { range: range(c.prefix, { rangeEnd: prefixEnd(c.prefix), limit: 2 }) }], [{ put: withWriteOptions(put(key, c.value), { prevKv: true }) }]);
    case 'compare-missing': {
      const missing = `${c.prefix}-missing${p.int(3)}`;
      const result = p.pick<CompareResult>(['NOT_EQUAL', 'GREATER', 'LESS']);
      const value = result === 'LESS' ? '~' : 'a';
      return txn([{ target: 'VALUE', key: missing, value, result }], [{ put: put(key, c.value) }], [{ range: range(missing) }]);
    }
    case 'txn-put-ended-lease': {
      const lease = c.state.pickEndedLease(p) ?? NEVER_GRANTED_LEASE;
      const ended = { put: put(key, c.value, lease) };
      return txn([], p.chance(1, 2) ? [{ range: range(key) }, ended] : [ended, { range: range(key) }]);
    }
    case 'from-key-delete-txn': {
      const other = c.otherKey();
      const [from, written] = other < key ? [other, key] : [key, other];
      const del: TxnOp = { deleteRange: deleteRange(from, p.chance(1, 3) ? written : '\0') };
      const write: TxnOp = { put: put(written, c.value) };
      return txn([], p.chance(1, 2) ? [del, write, { range: range(written) }] : [write, del, { range: range(written) }]);
    }
    case 'nested-same-key-txn': {
      const other = c.otherKey();
      const inner: TxnOp = { txn: txn([drawCompare(other, c)], [{ put: put(other, `${c.value}-t`) }], [{ put: put(other, `${c.value}-e`) }]) };
      const outer: TxnOp[] = p.chance(1, 3) ? [inner, { put: put(other, `${c.value}-o`) }] : [inner, { range: range(other) }];
      return txn([drawCompare(key, c)], outer, [{ range: range(key) }]);
    }
    case 'many-compares-txn': {
      const compare = drawCompare(key, c);
      const compares = Array.from({ length: p.intRange(MANY_COMPARES_MIN, MANY_COMPARES_MAX) }, () => compare);
      const success: TxnOp[] = [{ put: put(key, c.value) }];
      if (p.chance(1, 2)) {
        // Keys of the workload other than `key` and each other (no duplicate key to refuse first).
        const keys = new Set<string>();
        const want = p.intRange(1, 3);
        for (let i = 0; i < 8 && keys.size < want; i++) {
          const k = c.otherKey();
          if (k !== key) keys.add(k);
        }
        success.push({ txn: txn([], [...keys].map((k, i) => ({ put: put(k, `${c.value}-n${i}`) }))) });
      }
      return txn(compares, success, [{ range: range(key) }]);
    }
    default:
      throw new Error(`etcd api traffic: unknown op ${f}`);
  }
}
