// A plain model of etcd's KV: the whole state at every revision as a Map, plus the compact
// revision and the leases. It computes expected responses directly from the semantics in
// ../shared/etcd-semantics.md, with none of the store's machinery (no key index, no
// generations): a past revision is simply an older Map.

export interface MKv {
  key: string;
  value: string;
  create_revision: number;
  mod_revision: number;
  version: number;
  lease: bigint;
}

/** A change; a PUT carries the KeyValue it wrote (a later op of the same txn may delete it). */
export type MEvent = { type: 'PUT' | 'DELETE'; key: string; rev: number; kv?: MKv };

export class KvModel {
  /** states[r] = the state at revision r (states[0] unused, states[1] empty). */
  readonly states: Map<string, MKv>[] = [new Map<string, MKv>(), new Map<string, MKv>()];
  compactRev = -1;
  leases = new Set<bigint>();
  /** Every change in order: what a watch from revision 1 must deliver. */
  readonly events: MEvent[] = [];

  get rev(): number {
    return this.states.length - 1;
  }

  state(rev = this.rev): Map<string, MKv> {
    return this.states[rev]!;
  }

  /** Keys of [key, end) in byte order; end undefined = one key, '\0' = no upper bound. */
  static inRange(k: string, key: string, end: string | undefined): boolean {
    if (end === undefined || end === '') return k === key;
    if (end === '\0') return k >= key;
    return k >= key && k < end;
  }

  live(rev: number, key: string, end: string | undefined): MKv[] {
    return [...this.state(rev).values()].filter((kv) => KvModel.inRange(kv.key, key, end)).sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** Starts a write txn: returns a working copy; commit() publishes it if anything changed. */
  begin(): ModelTxn {
    return new ModelTxn(this);
  }
}

export class ModelTxn {
  readonly work: Map<string, MKv>;
  changed: MEvent[] = [];

  constructor(private readonly m: KvModel) {
    this.work = new Map(m.state());
  }

  get writeRev(): number {
    return this.m.rev + 1;
  }

  put(key: string, value: string, lease: bigint): void {
    const prev = this.work.get(key);
    const kv: MKv = {
      key, value, lease,
      create_revision: prev?.create_revision ?? this.writeRev,
      mod_revision: this.writeRev,
      version: (prev?.version ?? 0) + 1,
    };
    this.work.set(key, kv);
    this.changed.push({ type: 'PUT', key, rev: this.writeRev, kv });
  }

  del(key: string, end: string | undefined): number {
    const keys = [...this.work.keys()].filter((k) => KvModel.inRange(k, key, end)).sort();
    for (const k of keys) {
      this.work.delete(k);
      this.changed.push({ type: 'DELETE', key: k, rev: this.writeRev });
    }
    return keys.length;
  }

  commit(): void {
    if (this.changed.length === 0) return;
    this.m.states.push(this.work);
    this.m.events.push(...this.changed);
  }
}
