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

// Classes, not object literals of arrows: a view is made for every range, put, delete and txn
// each member applies, and the literal was four objects (and a context) where this is one.
class StoreView implements ReadView {
  constructor(private readonly store: MvccStore) {}

  range(key: Bytes, end: RangeEnd, ro: RangeOptions = {}): RangeResult | MvccError {
    return this.store.range(key, end, ro);
  }

  rev(): number {
    return this.store.currentRev;
  }

  firstRev(): number {
    return this.store.compactMainRev;
  }
}

class TxnView implements ReadView {
  constructor(private readonly store: MvccStore, private readonly txn: TxnWrite) {}

  range(key: Bytes, end: RangeEnd, ro: RangeOptions = {}): RangeResult | MvccError {
    return this.txn.range(key, end, ro);
  }

  rev(): number {
    return this.txn.readRev();
  }

  firstRev(): number {
    return this.store.compactMainRev;
  }
}

export function storeView(store: MvccStore): ReadView {
  return new StoreView(store);
}

export function txnView(store: MvccStore, txn: TxnWrite): ReadView {
  return new TxnView(store, txn);
}

/** etcd's mkGteRange: range_end "\0" means no upper bound; an absent range_end a single key. */
export function rangeEndOf(rangeEnd: Bytes | undefined): RangeEnd {
  if (rangeEnd === undefined || rangeEnd === '') return undefined;
  if (rangeEnd === '\0') return '';
  return rangeEnd;
}
