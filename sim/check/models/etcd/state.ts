// The etcd model's state: the MVCC key space at the current revision, the compact revision,
// the leases, and a link to the last state of the previous revision so that reads at an
// older revision see exactly what that revision held. States are immutable and share
// structure; a step that changes something copies only the map it changes.
import { FNV1A_OFFSET, FNV1A_PRIME, fnv1aText } from '../../../../src/hash/fnv1a.ts';

export interface KeyValue {
  /** Key bytes as a binary string. */
  readonly key: string;
  /** Value as etcd's base64. */
  readonly value: string;
  readonly create: number;
  readonly mod: number;
  readonly version: number;
  /** Lease id as a decimal string, "0" for none. */
  readonly lease: string;
}

/** Folds an integer: an FNV-1a step and a shift, so that small integers spread. */
function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, FNV1A_PRIME);
  return (h ^ (h >>> 15)) | 0;
}

export function kvHash(kv: KeyValue): number {
  let h = fnv1aText(FNV1A_OFFSET, kv.key);
  h = fnv1aText(mix(h, 0x3c), kv.value);
  h = mix(mix(mix(h, kv.create), kv.mod), kv.version);
  return fnv1aText(h, kv.lease);
}

export function leaseHash(id: string, ttlSeconds: number): number {
  return mix(fnv1aText(0x2d2c, id), ttlSeconds);
}

export class EtcdState {
  /**
   * A memo of equalStates, not part of the value: a state whose chain was found equal to this
   * one's, revision by revision (revision, key space) down to `chainTwinFloor` or to where the two
   * chains meet (-Infinity).
   */
  chainTwin: EtcdState | undefined = undefined;
  chainTwinFloor = Infinity;

  constructor(
    readonly revision: number,
    readonly compactRevision: number,
    readonly kvs: ReadonlyMap<string, KeyValue>,
    /** Lease id → granted TTL in seconds. */
    readonly leases: ReadonlyMap<string, number>,
    /** XOR of kvHash over kvs. */
    readonly kvsHash: number,
    /** XOR of leaseHash over leases. */
    readonly leasesHash: number,
    /** The last state at revision - 1 (undefined at the first revision). */
    readonly previous: EtcdState | undefined,
    /** Hash of every revision's key space up to this one. */
    readonly historyHash: number,
    /** Keys the write that made this revision put or deleted (derived: not part of equality). */
    readonly changedKeys: readonly string[] = [],
  ) {}

  static initial(): EtcdState {
    // An empty store is at revision 1 and compactMainRev starts at -1.
    return new EtcdState(1, -1, new Map(), new Map(), 0, 0, undefined, 1);
  }

  get hash(): number {
    return mix(mix(mix(mix(this.historyHash, this.revision), this.compactRevision), this.kvsHash), this.leasesHash);
  }

  /** The same store with a higher compact revision (a compaction that left no revision of its own). */
  withCompactRevision(compactRevision: number): EtcdState {
    return new EtcdState(this.revision, compactRevision, this.kvs, this.leases, this.kvsHash, this.leasesHash, this.previous, this.historyHash, this.changedKeys);
  }

  /** The key space as of `revision` (which must be ≤ the current one). */
  kvsAt(revision: number): ReadonlyMap<string, KeyValue> {
    if (this.revision <= revision) return this.kvs;
    let s = this.previous;
    while (s !== undefined && s.revision > revision) s = s.previous;
    return s?.kvs ?? new Map<string, KeyValue>();
  }

  /** The last state at `revision` (which must be ≤ the current one), or the oldest state known. */
  at(revision: number): EtcdState {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let s: EtcdState = this;
    while (s.revision > revision && s.previous !== undefined) s = s.previous;
    return s;
  }

  /** Keys attached to a lease, sorted. */
  keysOfLease(id: string): string[] {
    const keys: string[] = [];
    for (const kv of this.kvs.values()) if (kv.lease === id) keys.push(kv.key);
    return keys.sort();
  }
}

// The search compares states whenever its memo meets a state hash again, down the chain of
// older revisions: these loops run millions of times, so they read values and keys (a kv's
// map key is its key) instead of [key, value] entries, which were a seventh of the bytes
// the history checkers allocated.
function sameKvs(a: ReadonlyMap<string, KeyValue>, b: ReadonlyMap<string, KeyValue>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a.values()) {
    const y = b.get(x.key);
    if (y === x) continue;
    if (y === undefined || x.value !== y.value || x.create !== y.create || x.mod !== y.mod || x.version !== y.version || x.lease !== y.lease) return false;
  }
  return true;
}

function sameLeases(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (b.get(k) !== a.get(k)) return false;
  return true;
}

/** Exact equality, including every readable older revision (above the compact revision). */
export function equalStates(a: EtcdState, b: EtcdState): boolean {
  if (a === b) return true;
  if (a.revision !== b.revision || a.compactRevision !== b.compactRevision || a.kvsHash !== b.kvsHash || a.leasesHash !== b.leasesHash || a.historyHash !== b.historyHash) return false;
  if (!sameKvs(a.kvs, b.kvs) || !sameLeases(a.leases, b.leases)) return false;
  const floor = a.compactRevision;
  let x = a.previous;
  let y = b.previous;
  // How far down the pairs walked are now known equal: where the chains meet or end (-Infinity).
  let known = -Infinity;
  while (x !== y && x !== undefined && y !== undefined) {
    if (x.revision < floor) {
      known = floor;
      break;
    }
    // Found equal down to a floor at or below this one before: the rest of the walk is known.
    if (x.chainTwin === y && x.chainTwinFloor <= floor) {
      known = x.chainTwinFloor;
      break;
    }
    if (y.chainTwin === x && y.chainTwinFloor <= floor) {
      known = y.chainTwinFloor;
      break;
    }
    if (x.revision !== y.revision || x.kvsHash !== y.kvsHash || !sameKvs(x.kvs, y.kvs)) return false;
    x = x.previous;
    y = y.previous;
  }
  rememberTwins(a.previous, b.previous, x, known);
  return true;
}

/**
 * Marks each pair of the walk from (x, y) to where it stopped (`end` on x's side) as equal down
 * to `floor`. The search meets one pair of twin chains again and again (an op with no revision of
 * its own, a lease grant, tried one revision later each time: twins one revision longer each
 * time); with the marks every walk ends at the first pair compared before, not at the floor.
 */
function rememberTwins(x: EtcdState | undefined, y: EtcdState | undefined, end: EtcdState | undefined, floor: number): void {
  while (x !== end && x !== undefined && y !== undefined && x !== y) {
    if (x.chainTwin === y && x.chainTwinFloor <= floor) return;
    x.chainTwin = y;
    x.chainTwinFloor = floor;
    x = x.previous;
    y = y.previous;
  }
}

/** The hash a new revision's history gets. */
export function nextHistoryHash(previous: EtcdState, kvsHash: number, revision: number): number {
  return mix(mix(previous.historyHash, revision), kvsHash);
}
