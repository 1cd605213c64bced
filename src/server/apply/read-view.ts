// What the applier reads through: the store at its current revision, or a write txn that sees
// its own earlier writes (etcd's mvcc.ReadView / TxnRead).
import type { Bytes } from '../../mvcc/key.ts';
import type { MvccError } from '../../mvcc/errors.ts';
import type { MvccStore, RangeOptions, RangeResult, TxnWrite } from '../../mvcc/store.ts';
import type { RangeEnd } from '../../mvcc/tree-index.ts';

export interface ReadView {
  range(key: Bytes, end: RangeEnd, ro?: RangeOptions): RangeResult | MvccError;
  /** The revision reads see. */
  rev(): number;
  /** The compact revision (etcd's FirstRev). */
  firstRev(): number;
}

export function storeView(store: MvccStore): ReadView {
  return {
    range: (key, end, ro = {}) => store.range(key, end, ro),
    rev: () => store.currentRev,
    firstRev: () => store.compactMainRev,
  };
}

export function txnView(store: MvccStore, txn: TxnWrite): ReadView {
  return {
    range: (key, end, ro = {}) => txn.range(key, end, ro),
    rev: () => txn.readRev(),
    firstRev: () => store.compactMainRev,
  };
}

/** etcd's mkGteRange: range_end "\0" means no upper bound; an absent range_end a single key. */
export function rangeEndOf(rangeEnd: Bytes | undefined): RangeEnd {
  if (rangeEnd === undefined || rangeEnd === '') return undefined;
  if (rangeEnd === '\0') return '';
  return rangeEnd;
}
