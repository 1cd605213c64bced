// A hash of the whole KV state, for convergence checks: members that applied the same entries
// have the same revision, compact revision and hash (etcd's HashKV serves the same purpose; its
// value is a CRC over bolt pages, which a simulation cannot and need not reproduce).
import { forEachChange, forEachChangeAfter } from './changes.ts';
import type { ChangeVisitor } from './changes.ts';
import { FNV1A_OFFSET, fnv1aCode, fnv1aDecimal, fnv1aField, fnv1aFieldEnd, fnv1aText } from '../hash/fnv1a.ts';
import type { LogEntry, MvccStore } from './store.ts';

export interface KvHash {
  /** FNV-1a 32-bit over every stored change up to `revision`, in revision order. */
  readonly hash: number;
  readonly revision: number;
  readonly compactRevision: number;
}


/** The hash of the store at `rev` (0: current). */
export function hashKv(store: MvccStore, rev = 0): KvHash {
  const upTo = rev <= 0 ? store.currentRev : Math.min(rev, store.currentRev);
  const hasher = new ChangeHasher(fnv1aField(FNV1A_OFFSET, String(store.compactMainRev)));
  forEachChange(store, upTo, hasher);
  return { hash: hasher.h >>> 0, revision: upTo, compactRevision: store.compactMainRev };
}

/** Logs of at most this many revisions are walked whole at every hash (see CurrentKvHash). */
export const FULL_WALK_REVISIONS_MAX = 10_000;

/**
 * hashKv at the current revision, kept between calls. FNV-1a folds the changes in revision
 * order, so the hash at a later revision continues the earlier one's state over the changes
 * written since: a member's hash, asked for every 200 ms of a run (hashkv-agreement) and by every
 * HashKV, costs the writes since it was last asked, not the whole log (a serve that took 30,000
 * puts spent 30 % of its CPU walking it). It starts over when what it folded may have changed:
 * a compaction (its revision, or its deletes still pending) or a restore.
 *
 * It also walks the whole log again, as hashKv does, while the log holds at most
 * FULL_WALK_REVISIONS_MAX revisions (every run of a campaign: hashkv-agreement then still sees an
 * older change rewritten in place, an aliasing bug that adds no revision) and, past that, once the
 * writes folded since the last whole walk reach that walk's revisions (a doubling schedule: at
 * most twice the writes' cost, and an old change rewritten shows within one more log's worth).
 */
export class CurrentKvHash {
  private hasher: ChangeHasher | undefined;
  private upTo = 0;
  private compactMainRev = 0;
  private pendingDeletes: MvccStore['pendingDeletes'];
  private restores = 0;
  /** Revisions the last whole walk covered, and the revisions folded on since. */
  private walkedRevisions = 0;
  private foldedRevisions = 0;
  /** Changes folded so far (the hash's cost, for tests). */
  folded = 0;

  constructor(private readonly fullWalkRevisionsMax = FULL_WALK_REVISIONS_MAX) {}

  of(store: MvccStore): KvHash {
    let hasher = this.hasher;
    const revisions = store.currentRev - store.compactMainRev;
    const walkAgain = revisions <= this.fullWalkRevisionsMax || this.foldedRevisions + store.currentRev - this.upTo >= this.walkedRevisions ||
      store.compactMainRev !== this.compactMainRev || store.pendingDeletes !== this.pendingDeletes || store.restores !== this.restores || store.currentRev < this.upTo;
    if (hasher === undefined || walkAgain) {
      hasher = new ChangeHasher(fnv1aField(FNV1A_OFFSET, String(store.compactMainRev)), this);
      forEachChange(store, store.currentRev, hasher);
      this.walkedRevisions = revisions;
      this.foldedRevisions = 0;
    } else {
      this.foldedRevisions += store.currentRev - this.upTo;
      forEachChangeAfter(store, this.upTo, store.currentRev, hasher);
    }
    this.hasher = hasher;
    this.upTo = store.currentRev;
    this.compactMainRev = store.compactMainRev;
    this.pendingDeletes = store.pendingDeletes;
    this.restores = store.restores;
    return { hash: hasher.h >>> 0, revision: store.currentRev, compactRevision: store.compactMainRev };
  }
}

const DOT = 0x2e;
const COMMA = 0x2c;
const LETTER_T = 0x74;
const LETTER_P = 0x70;
const DIGIT_0 = 0x30;

/** FNV-1a over the changes it visits, in order. */
class ChangeHasher implements ChangeVisitor {
  constructor(public h: number, private readonly cost?: { folded: number }) {}

  // The fields `${main}.${sub}${t or p}`, key, value and `${create},${mod},${version},${lease}`,
  // folded digit by digit rather than built as strings (a hash walks every stored change).
  visit(main: number, sub: number, e: LogEntry): void {
    const kv = e.kv;
    let h = this.h;
    h = fnv1aDecimal(h, main);
    h = fnv1aCode(h, DOT);
    h = fnv1aDecimal(h, sub);
    h = fnv1aFieldEnd(fnv1aCode(h, e.tombstone ? LETTER_T : LETTER_P));
    h = fnv1aField(h, kv.key);
    h = fnv1aField(h, kv.value);
    h = fnv1aCode(fnv1aDecimal(h, kv.create_revision), COMMA);
    h = fnv1aCode(fnv1aDecimal(h, kv.mod_revision), COMMA);
    h = fnv1aCode(fnv1aDecimal(h, kv.version), COMMA);
    h = fnv1aFieldEnd(kv.lease === 0n ? fnv1aCode(h, DIGIT_0) : fnv1aText(h, String(kv.lease)));
    this.h = h;
    if (this.cost !== undefined) this.cost.folded++;
  }
}
