// What the search over one partition's ops reads but never changes: the real-time entry list
// (calls and returns in order), which ops are finite, skippable, read-only or gated, the twins
// of identical unknown-outcome ops, the order bounds, and the model's prepared tests. A hard
// partition is searched in three orders at once (check.ts); they share one layout, so the
// sorting and the model's preparation (etcd: the gap supply check) are done once per partition.
import type { Model, Operation } from './model.ts';

export class PartitionLayout<S, I, O> {
  readonly ops: readonly Operation<I, O>[];
  /** Ops with a finite return (numbered first). */
  readonly finiteCount: number;
  readonly finite: Uint8Array;
  readonly skippable: Uint8Array;
  readonly readOnly: Uint8Array;
  /** For an unknown-outcome op with an infinite return: an earlier such op with the same input, or -1. */
  readonly twin: Int32Array;
  /** Ops with a finite return: the search is done when it has placed them all. */
  readonly finiteOps: number;
  // The entry list in real-time order: index 0 is the head sentinel, entries 1..entries.
  readonly entries: number;
  readonly entryTime: Float64Array;
  readonly entryOp: Int32Array;
  readonly entryIsCall: Uint8Array;
  /** For a call entry: its return entry, or -1 (infinite return). */
  readonly entryMatch: Int32Array;
  /** Gated ops (Model.gated), outside the entry list, sorted by call. */
  readonly floating: Int32Array;
  // Order bounds (Model.order): each op's bound, the bounded op ids sorted by bound, and each one's position there.
  readonly hasOrder: boolean;
  readonly boundOf: Float64Array;
  readonly byBound: Int32Array;
  readonly byBoundPos: Int32Array;
  readonly reach: ((state: S, input: I, output: O, linearized: (id: number) => boolean) => boolean) | undefined;
  readonly gateCheck: ((state: S, linearized: (id: number) => boolean) => boolean) | undefined;
  /** An op no linearization can place (Model.doomed), and why. */
  readonly doomed: { id: number; reason: string } | undefined;

  constructor(model: Model<S, I, O>, ops: readonly Operation<I, O>[]) {
    this.ops = ops;
    const n = ops.length;
    for (let i = 0; i < n; i++) if (ops[i]!.id !== i) throw new Error('invariant dense-op-ids broken: partition ops must be renumbered 0..n-1');
    let finiteCount = 0;
    while (finiteCount < n && ops[finiteCount]!.return !== Infinity) finiteCount++;
    for (let i = finiteCount; i < n; i++) if (ops[i]!.return !== Infinity) throw new Error('invariant finite-ops-first broken: ops with an infinite return must be numbered last');
    this.finiteCount = finiteCount;
    this.finite = new Uint8Array(n);
    this.skippable = new Uint8Array(n);
    this.readOnly = new Uint8Array(n);
    this.twin = new Int32Array(n).fill(-1);
    this.reach = model.prepareReach?.(ops);
    this.gateCheck = model.prepareGateCheck?.(ops);
    this.doomed = model.doomed?.(ops);
    // Identical unknown-outcome ops that never need to be linearized are interchangeable once
    // both are called: only the earliest not yet linearized is ever tried (symmetry breaking).
    const lastWithInput = new Map<string, number>();
    for (const op of [...ops].sort((a, b) => a.call - b.call || a.id - b.id)) {
      if (op.return !== Infinity || op.output !== undefined) continue;
      const key = model.equivalenceKey?.(op.input) ?? JSON.stringify(op.input);
      const prev = lastWithInput.get(key);
      if (prev !== undefined) this.twin[op.id] = prev;
      lastWithInput.set(key, op.id);
    }
    const events: { time: number; call: boolean; op: number }[] = [];
    const floating: number[] = [];
    let finiteOps = 0;
    for (const op of ops) {
      if (op.return === Infinity && op.output === undefined && model.gated?.(op.input) === true && model.gateOpen !== undefined) {
        floating.push(op.id);
        continue;
      }
      if (!(op.call <= op.return)) throw new Error(`invariant call<=return broken for op ${op.index}`);
      events.push({ time: op.call, call: true, op: op.id });
      if (op.return !== Infinity) {
        events.push({ time: op.return, call: false, op: op.id });
        this.finite[op.id] = 1;
        finiteOps++;
        if (op.output === undefined) this.skippable[op.id] = 1;
      }
      if (op.output !== undefined && model.readOnly?.(op.input, op.output) === true) this.readOnly[op.id] = 1;
    }
    this.finiteOps = finiteOps;
    // Real-time order; at equal times calls come first, so touching ops count as concurrent.
    events.sort((x, y) => x.time - y.time || (x.call === y.call ? x.op - y.op : x.call ? -1 : 1));
    this.floating = Int32Array.from(floating.sort((x, y) => ops[x]!.call - ops[y]!.call || x - y));
    const m = events.length;
    this.entries = m;
    this.entryTime = new Float64Array(m + 1);
    this.entryOp = new Int32Array(m + 1);
    this.entryIsCall = new Uint8Array(m + 1);
    this.entryMatch = new Int32Array(m + 1).fill(-1);
    const callEntry = new Int32Array(n);
    for (let i = 0; i < m; i++) {
      const ev = events[i]!;
      const e = i + 1;
      this.entryOp[e] = ev.op;
      this.entryTime[e] = ev.time;
      this.entryIsCall[e] = ev.call ? 1 : 0;
      if (ev.call) callEntry[ev.op] = e;
      else this.entryMatch[callEntry[ev.op]!] = e;
    }
    this.boundOf = new Float64Array(n).fill(Infinity);
    this.byBoundPos = new Int32Array(n).fill(n);
    const bounded: number[] = [];
    this.hasOrder = model.order !== undefined && model.orderBound !== undefined;
    if (this.hasOrder) {
      for (const op of ops) {
        const b = model.orderBound!(op.input, op.output);
        if (b === undefined || op.return === Infinity) continue;
        this.boundOf[op.id] = b;
        bounded.push(op.id);
      }
      bounded.sort((x, y) => this.boundOf[x]! - this.boundOf[y]! || x - y);
      bounded.forEach((id, i) => (this.byBoundPos[id] = i));
    }
    this.byBound = Int32Array.from(bounded);
  }
}
