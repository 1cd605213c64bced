// What the search over one partition's ops reads but never changes: the real-time entry list
// (calls and returns in order), which ops are finite, skippable, read-only or gated, the twins
// of identical unknown-outcome ops, the order bounds, and the model's prepared tests. A hard
// partition is searched in three orders at once (check.ts); they share one layout, so the
// sorting and the model's preparation (etcd: the gap supply check) are done once per partition.
//
// Built once per partition by one small function per pass, not one constructor with every loop:
// V8 compiles a function with a hot loop at that loop (on-stack replacement), so a loop nest in
// one body was compiled again for each loop it entered, and a branch the first partitions never
// took (no gated op, no order bound) threw all of it away; a small function is compiled once,
// and a path new to it costs only its own code.
import type { Model, Operation } from './model.ts';
import { stableOrderByTwo } from '../stable-order.ts';

/** The real-time entry list (index 0 is the head sentinel, entries 1..entries) and what building it found of each op. */
interface EntryList {
  entries: number;
  entryTime: Float64Array;
  entryOp: Int32Array;
  entryIsCall: Uint8Array;
  entryMatch: Int32Array;
  finite: Uint8Array;
  skippable: Uint8Array;
  readOnly: Uint8Array;
  finiteOps: number;
  floating: Int32Array;
}

/** The order bounds (Model.order): each op's bound, the bounded op ids sorted by bound, and each one's position there. */
interface OrderBounds {
  hasOrder: boolean;
  boundOf: Float64Array;
  byBound: Int32Array;
  byBoundPos: Int32Array;
}

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
  /** Per op, the ops that alone can tell it happened when it leaves the order (Model.prepareObservers); undefined when none has any. */
  readonly observers: readonly (readonly number[] | undefined)[] | undefined;
  private readonly model: Model<S, I, O>;
  private doomedRead = false;
  private doomedFound: { id: number; reason: string } | undefined;

  constructor(model: Model<S, I, O>, ops: readonly Operation<I, O>[]) {
    this.ops = ops;
    this.finiteCount = finiteCountOf(ops);
    this.reach = model.prepareReach?.(ops);
    this.gateCheck = model.prepareGateCheck?.(ops);
    this.observers = model.order === undefined ? undefined : model.prepareObservers?.(ops);
    this.model = model;
    this.twin = twinsOf(model, ops);
    const list = entryListOf(model, ops);
    this.finite = list.finite;
    this.skippable = list.skippable;
    this.readOnly = list.readOnly;
    this.finiteOps = list.finiteOps;
    this.floating = list.floating;
    this.entries = list.entries;
    this.entryTime = list.entryTime;
    this.entryOp = list.entryOp;
    this.entryIsCall = list.entryIsCall;
    this.entryMatch = list.entryMatch;
    const order = orderBoundsOf(model, ops);
    this.hasOrder = order.hasOrder;
    this.boundOf = order.boundOf;
    this.byBound = order.byBound;
    this.byBoundPos = order.byBoundPos;
  }

  /** Whether the doomed op was asked for already (then asking again costs nothing). */
  get doomedKnown(): boolean {
    return this.doomedRead;
  }

  /**
   * An op no linearization can place (Model.doomed), and why; found when first asked. The search
   * asks only once it has spent DOOMED_PREFIX_STEPS (search.ts), or to explain a violation: most
   * histories are decided before, and finding it (etcd: the contradictions among the answers,
   * sorting every key's sightings) was 7 % of the checkers' time on 30 swarm runs. check.ts's
   * first search asks later still (a search found valid never asks): the harness bench's histories
   * pass DOOMED_PREFIX_STEPS, and asking was 10 % of their etcd check (2026-12-07).
   */
  get doomed(): { id: number; reason: string } | undefined {
    if (!this.doomedRead) {
      this.doomedFound = this.model.doomed?.(this.ops);
      this.doomedRead = true;
    }
    return this.doomedFound;
  }
}

/** How many ops have a finite return, after checking the numbering the search relies on (dense ids, finite ones first). */
function finiteCountOf<I, O>(ops: readonly Operation<I, O>[]): number {
  const n = ops.length;
  for (let i = 0; i < n; i++) if (ops[i]!.id !== i) throw new Error('invariant dense-op-ids broken: partition ops must be renumbered 0..n-1');
  let finiteCount = 0;
  while (finiteCount < n && ops[finiteCount]!.return !== Infinity) finiteCount++;
  for (let i = finiteCount; i < n; i++) if (ops[i]!.return !== Infinity) throw new Error('invariant finite-ops-first broken: ops with an infinite return must be numbered last');
  return finiteCount;
}

/**
 * Identical unknown-outcome ops that never need to be linearized are interchangeable once both
 * are called: only the earliest not yet linearized is ever tried (symmetry breaking). Per op,
 * the previous such op with its input, or -1.
 */
function twinsOf<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[]): Int32Array {
  const twin = new Int32Array(ops.length).fill(-1);
  const lastWithInput = new Map<string, number>();
  const byCall = [...ops].sort((a, b) => a.call - b.call || a.id - b.id);
  for (let i = 0; i < byCall.length; i++) {
    const op = byCall[i]!;
    if (op.return !== Infinity || op.output !== undefined) continue;
    const key = model.equivalenceKey?.(op.input) ?? JSON.stringify(op.input);
    const prev = lastWithInput.get(key);
    if (prev !== undefined) twin[op.id] = prev;
    lastWithInput.set(key, op.id);
  }
  return twin;
}

/** Whether the op is gated (Model.gated): outside the entry list, tried where its gate opens. */
function isFloating<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): boolean {
  return op.return === Infinity && op.output === undefined && model.gated?.(op.input) === true && model.gateOpen !== undefined;
}

/** The entry list: every op's call and finite return in real-time order (at equal times calls first, so touching ops count as concurrent). */
function entryListOf<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[]): EntryList {
  const n = ops.length;
  const finite = new Uint8Array(n);
  const skippable = new Uint8Array(n);
  const readOnly = new Uint8Array(n);
  // Calls and returns as parallel arrays (no object per entry), sorted by (time, calls before
  // returns, op id): each entry's time twice (exact: .5 positions become integers) and a second
  // number that orders calls before returns, then by op (stable-order.ts: no comparator call).
  const evTime2 = new Float64Array(2 * n);
  const evThen = new Float64Array(2 * n);
  let m = 0;
  const floating: number[] = [];
  let finiteOps = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (isFloating(model, op)) {
      floating.push(op.id);
      continue;
    }
    if (!(op.call <= op.return)) throw new Error(`invariant call<=return broken for op ${op.index}`);
    evTime2[m] = 2 * op.call;
    evThen[m++] = op.id;
    if (op.return !== Infinity) {
      evTime2[m] = 2 * op.return;
      evThen[m++] = n + op.id;
      finite[op.id] = 1;
      finiteOps++;
      if (op.output === undefined) skippable[op.id] = 1;
    }
    if (op.output !== undefined && model.readOnly?.(op.input, op.output) === true) readOnly[op.id] = 1;
  }
  const order = stableOrderByTwo(evTime2.subarray(0, m), evThen.subarray(0, m));
  const entryTime = new Float64Array(m + 1);
  const entryOp = new Int32Array(m + 1);
  const entryIsCall = new Uint8Array(m + 1);
  const entryMatch = new Int32Array(m + 1).fill(-1);
  const callEntry = new Int32Array(n);
  for (let i = 0; i < m; i++) {
    const j = order[i]!;
    const e = i + 1;
    const then = evThen[j]!;
    const call = then < n;
    const id = call ? then : then - n;
    entryOp[e] = id;
    entryTime[e] = evTime2[j]! / 2;
    entryIsCall[e] = call ? 1 : 0;
    if (call) callEntry[id] = e;
    else entryMatch[callEntry[id]!] = e;
  }
  const floatingSorted = Int32Array.from(floating.sort((x, y) => ops[x]!.call - ops[y]!.call || x - y));
  return { entries: m, entryTime, entryOp, entryIsCall, entryMatch, finite, skippable, readOnly, finiteOps, floating: floatingSorted };
}

/** The order bounds of the ops with a finite return (Model.orderBound), when the model orders ops. */
function orderBoundsOf<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[]): OrderBounds {
  const n = ops.length;
  const boundOf = new Float64Array(n).fill(Infinity);
  const byBoundPos = new Int32Array(n).fill(n);
  const hasOrder = model.order !== undefined && model.orderBound !== undefined;
  if (!hasOrder) return { hasOrder, boundOf, byBound: new Int32Array(0), byBoundPos };
  const bounded: number[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const b = model.orderBound!(op.input, op.output);
    if (b === undefined || op.return === Infinity) continue;
    boundOf[op.id] = b;
    bounded.push(op.id);
  }
  bounded.sort((x, y) => boundOf[x]! - boundOf[y]! || x - y);
  for (let i = 0; i < bounded.length; i++) byBoundPos[bounded[i]!] = i;
  return { hasOrder, boundOf, byBound: Int32Array.from(bounded), byBoundPos };
}
