// The Wing–Gong search with Lowe's memoization, shaped like Porcupine's checkSingle: a doubly
// linked list of call and return entries in real-time order; linearizing an op "lifts" its
// call and return out of the list, backtracking "unlifts" them. An op may be linearized next
// iff its call comes before the first return left in the list.
//
// Two additions:
// - read-only ops (model.readOnly) that are legal and callable are linearized at once with
//   no alternative tried first: moving a state-preserving op earlier keeps any linearization
//   valid, so the node is satisfiable iff the node after the read is;
// - an op with an unknown outcome and a finite return is tried applied, then skipped (it
//   never took effect); with an infinite return it is simply never required.
//
// The search is resumable: run(stepLimit) returns after at most that many model steps, so a
// scheduler can interleave partitions and stop on a deadline.
import { LinearizedSet } from './bitset.ts';
import { VisitedCache } from './cache.ts';
import { PartitionLayout } from './layout.ts';
import type { Model, Operation } from './model.ts';

export type SearchStatus = 'running' | 'valid' | 'invalid' | 'unknown';
/**
 * Gated ops tried most recently called first, earliest called first, or 'sequel': the ones
 * called after the last gated op linearized first, in call order, then the earlier ones back
 * from it (etcd: writes proposed to one leader get their revisions in proposal order).
 */
export type FloatOrder = 'newest' | 'oldest' | 'sequel';

/** Steps a search with a doomed op spends looking for a long prefix to explain the violation with. */
const DOOMED_PREFIX_STEPS = 20_000;
/**
 * Steps per op a search that defers the doomed op (check.ts) goes on past DOOMED_PREFIX_STEPS before
 * it asks: the harness bench's valid histories take 6–11 steps per op, and finding the doomed op
 * (etcd's contradictions) costs as much as some 3 steps per op there.
 */
const DOOMED_DEFER_STEPS_PER_OP = 8;

const APPLIED = 0;
const SKIPPED = 1;
const FORCED = 2;

export class PartitionSearch<S, I, O> {
  status: SearchStatus = 'running';
  /** Why the verdict is unknown, when it is. */
  unknownReason: string | undefined;
  steps = 0;
  readonly ops: readonly Operation<I, O>[];
  /** The partition's read-only layout (shared with the other orders' searches over the same ops). */
  readonly layout: PartitionLayout<S, I, O>;
  private readonly model: Model<S, I, O>;
  private readonly maxCacheEntries: number;
  private readonly cache: VisitedCache<S>;
  private readonly set: LinearizedSet;
  // The entry list: index 0 is the head sentinel; -1 ends the list.
  private readonly entryOp: Int32Array;
  private readonly entryIsCall: Uint8Array;
  private readonly entryMatch: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly finite: Uint8Array;
  private readonly skippable: Uint8Array;
  private readonly readOnly: Uint8Array;
  /** For an unknown-outcome op with an infinite return: an earlier such op with the same input, or -1. */
  private readonly twin: Int32Array;
  private readonly reach: ((state: S, input: I, output: O, linearized: (id: number) => boolean) => boolean) | undefined;
  private readonly gateCheck: ((state: S, linearized: (id: number) => boolean) => boolean) | undefined;
  private readonly observers: readonly (readonly number[] | undefined)[] | undefined;
  /** The first return entry left, as ownReturnFirst last found it (-1: none). */
  private firstReturn = -1;
  private readonly isLinearized = (id: number): boolean => this.set.has(id);
  // Order bounds (see Model.order): op ids sorted by bound, and the first one not linearized.
  /**
   * The model orders its states (Model.order): called on the model, not through a closure made per
   * search, so that the call site keeps one target from one check to the next.
   */
  private readonly hasOrder: boolean;
  private readonly boundOf: Float64Array;
  private readonly byBound: Int32Array;
  private readonly byBoundPos: Int32Array;
  private boundPtr = 0;
  // The stack of linearized ops.
  private readonly frameEntry: Int32Array;
  private readonly frameKind: Uint8Array;
  private readonly frameOp: Int32Array;
  private readonly frameState: S[];
  // Gated ops (Model.gated), outside the entry list, sorted by call; a frame for one holds -1 - its position.
  private readonly floating: Int32Array;
  private readonly entryTime: Float64Array;
  /** -1 while scanning the entry list; otherwise the next gated op to try. */
  private floatPos = -1;
  /** Whether coveredBeforeFree may prune (no order bounds, no gated ops). */
  private readonly freeReorder: boolean;
  private floatLimit = Infinity;
  /** Gated ops called before floatLimit (computed lazily; -1 until then). */
  private floatCallable = -1;
  private depth = 0;
  /** Per depth: the position (in `floating`) of the last gated op linearized below it, or -1. */
  private readonly lastFloatAt: Int32Array;
  // The search position.
  private state: S;
  private entry: number;
  private variant = APPLIED;
  private fresh = true;
  private remaining = 0;
  // The longest linearizable prefix seen, for the explanation.
  private readonly bestEntry: Int32Array;
  private readonly bestKind: Uint8Array;
  private readonly bestOp: Int32Array;
  private bestDepth = 0;
  private bestState: S;
  private bestValid = 0;

  /** The order gated ops are tried in at a node (see tryFloating). */
  readonly floatOrder: FloatOrder;
  /**
   * Whether the doomed op is asked for later than DOOMED_PREFIX_STEPS (check.ts): a search that
   * decides "valid" first has shown there is none, and never asks.
   */
  private readonly deferDoomed: boolean;
  /** The steps at which the search next asks for the doomed op (Infinity once it knows there is none). */
  private doomedAt = DOOMED_PREFIX_STEPS;
  /** Deferring: the search reached DOOMED_PREFIX_STEPS undecided, where a search that does not defer asks. */
  passedDoomedSteps = false;
  /**
   * Deferring: the doomed op was found after DOOMED_PREFIX_STEPS. A search that does not defer would
   * have stopped there, so this one stops (run returns 'running' at once) and check.ts searches again without deferring.
   */
  doomedLate = false;
  /** An op no linearization can place (Model.doomed), and why: the search then only looks for a prefix to show. Found when first asked (layout.ts). */
  get doomed(): { id: number; reason: string } | undefined {
    return this.layout.doomed;
  }

  /**
   * `layout`: the partition's read-only layout, when another search over the same ops (another
   * order) already built it; built here otherwise.
   */
  constructor(model: Model<S, I, O>, ops: readonly Operation<I, O>[], maxCacheEntries: number, floatOrder: FloatOrder = 'newest', layout?: PartitionLayout<S, I, O>, deferDoomed = false) {
    if (layout !== undefined && layout.ops !== ops) throw new Error('invariant layout-of-these-ops broken: a shared layout must be of the same ops');
    const l = layout ?? new PartitionLayout(model, ops);
    this.layout = l;
    this.floatOrder = floatOrder;
    this.deferDoomed = deferDoomed;
    this.model = model;
    this.ops = ops;
    this.maxCacheEntries = maxCacheEntries;
    const n = ops.length;
    this.cache = new VisitedCache<S>(model);
    this.set = new LinearizedSet(n, l.finiteCount);
    this.finite = l.finite;
    this.skippable = l.skippable;
    this.readOnly = l.readOnly;
    this.twin = l.twin;
    this.reach = l.reach;
    this.gateCheck = l.gateCheck;
    this.observers = l.observers;
    this.remaining = l.finiteOps;
    this.floating = l.floating;
    this.entryTime = l.entryTime;
    this.entryOp = l.entryOp;
    this.entryIsCall = l.entryIsCall;
    this.entryMatch = l.entryMatch;
    // The search's own linked list over the shared entries: linearizing lifts entries out of it.
    const m = l.entries;
    this.next = new Int32Array(m + 1);
    this.prev = new Int32Array(m + 1);
    for (let e = 1; e <= m; e++) {
      this.prev[e] = e - 1;
      this.next[e] = e < m ? e + 1 : -1;
    }
    this.next[0] = m > 0 ? 1 : -1;
    this.lastFloatAt = new Int32Array(n + 1).fill(-1);
    this.frameEntry = new Int32Array(n);
    this.frameKind = new Uint8Array(n);
    this.frameOp = new Int32Array(n);
    this.frameState = new Array<S>(n);
    this.bestEntry = new Int32Array(n);
    this.bestKind = new Uint8Array(n);
    this.bestOp = new Int32Array(n);
    this.boundOf = l.boundOf;
    this.byBoundPos = l.byBoundPos;
    this.byBound = l.byBound;
    this.hasOrder = l.hasOrder;
    this.freeReorder = !this.hasOrder && this.floating.length === 0;
    this.state = model.init();
    this.bestState = this.state;
    this.entry = this.next[0]!;
  }

  /** Whether the partition has gated ops (then the order they are tried in matters). */
  get hasGated(): boolean {
    return this.floating.length > 0;
  }

  get cacheEntries(): number {
    return this.cache.size;
  }

  /** Runs until decided or `stepLimit` more model steps were spent. */
  run(stepLimit: number): SearchStatus {
    if (this.status !== 'running') return this.status;
    const limit = this.steps + stepLimit;
    const next = this.next;
    const isCall = this.entryIsCall;
    const entryOp = this.entryOp;
    const ops = this.ops;
    const model = this.model;
    while (true) {
      if (this.remaining === 0) return (this.status = 'valid');
      // Steps first: the doomed op is looked for only by a search that has not decided by then.
      if (this.steps >= this.doomedAt && this.stopsForDoomed()) return this.status;
      if (this.steps >= limit) return this.status;
      if (this.cache.size > this.maxCacheEntries) {
        this.unknownReason = `memory budget: more than ${this.maxCacheEntries} cached search nodes`;
        return (this.status = 'unknown');
      }
      if (this.fresh) {
        this.fresh = false;
        if (!this.linearizeLegalReads()) {
          if (!this.backtrack()) return (this.status = 'invalid');
          continue;
        }
        if (this.remaining === 0) continue;
        this.entry = next[0]!;
        this.variant = APPLIED;
      }
      const e = this.entry;
      if (e !== -1 && isCall[e] === 1) {
        const id = entryOp[e]!;
        const twin = this.twin[id]!;
        if (this.readOnly[id] === 1 || (twin !== -1 && !this.set.has(twin))) {
          // A read here is illegal (a legal one was linearized by linearizeLegalReads); an
          // op whose earlier twin is still unlinearized is covered by trying that twin.
          this.entry = next[e]!;
          continue;
        }
        this.steps++;
        const op = ops[id]!;
        const variant = this.variant;
        const after = variant === APPLIED ? model.step(this.state, op.input, op.output) : this.state;
        const waits = variant === APPLIED && this.observers !== undefined && this.observers[id] !== undefined && !this.ownReturnFirst(e);
        if (waits && (after === undefined || after === this.state || this.unobserved(id, after))) {
          // Neither applied nor skipped here: a later node tries both (Model.prepareObservers).
          this.entry = next[e]!;
          continue;
        }
        // A free op (unknown outcome, never returned) that leaves the state as it was is never
        // needed here: the node without it has the same state and fewer ops to place.
        if (after !== undefined && !(after === this.state && this.finite[id] === 0) && !this.coveredBeforeFree(id, variant, after)) {
          this.set.set(id);
          if ((!this.hasOrder || this.model.order!(after) <= this.minPendingBound()) && this.cache.add(this.set, after)) {
            this.push(e, variant, after);
            this.fresh = true;
            continue;
          }
          this.unmark(id);
        }
        if (variant === APPLIED && this.skippable[id] === 1 && !waits) this.variant = SKIPPED;
        else {
          this.entry = next[e]!;
          this.variant = APPLIED;
        }
      } else if (this.floatPos === -1 && this.floating.length > 0 && model.gateOpen!(this.state)) {
        this.floatPos = 0;
        this.floatCallable = -1;
        this.floatLimit = e === -1 ? Infinity : this.entryTime[e]!;
      } else if (this.floatPos !== -1 && this.tryFloating()) {
        this.fresh = true;
      } else if (!this.backtrack()) {
        return (this.status = 'invalid');
      }
    }
  }

  /**
   * At doomedAt steps: whether the search stops for the doomed op (Model.doomed). Not deferring, it
   * asks at DOOMED_PREFIX_STEPS and is then invalid. Deferring, it notes there that a search that
   * does not defer asks (passedDoomedSteps) and asks DOOMED_DEFER_STEPS_PER_OP steps per op later,
   * unless another order's search of these ops asked already: most searches decide "valid" before,
   * which shows there is no doomed op (no linearization places it). Found then, it is doomedLate.
   * Asking changes nothing else, so until then both searches take the very same steps.
   */
  private stopsForDoomed(): boolean {
    if (this.deferDoomed && !this.layout.doomedKnown) {
      this.passedDoomedSteps = true;
      const askAt = DOOMED_PREFIX_STEPS + DOOMED_DEFER_STEPS_PER_OP * this.ops.length;
      if (this.steps < askAt) {
        this.doomedAt = askAt;
        return false;
      }
    }
    if (this.layout.doomed === undefined) {
      this.doomedAt = Infinity;
      return false;
    }
    if (this.deferDoomed) {
      this.passedDoomedSteps = true;
      this.doomedLate = true;
    } else this.status = 'invalid';
    return true;
  }

  /**
   * Tries the next callable gated op; true when one was linearized. 'newest': from the most
   * recently called back to the oldest (an op whose outcome is unknown often took effect soon
   * after its call); 'oldest': the other way (writes proposed during a partition are applied in
   * proposal order once a leader commits them). Which is faster depends on the history, so
   * the checker runs both (check.ts). floatPos counts the candidates already tried here.
   */
  private tryFloating(): boolean {
    const floating = this.floating;
    const ops = this.ops;
    if (this.floatCallable < 0) {
      // Binary search: the number of gated ops called before the first return left.
      let lo = 0;
      let hi = floating.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ops[floating[mid]!]!.call < this.floatLimit) lo = mid + 1;
        else hi = mid;
      }
      this.floatCallable = lo;
    }
    while (this.floatPos < this.floatCallable) {
      const pos = this.floatOrder === 'newest' ? this.floatCallable - 1 - this.floatPos++ : this.floatOrder === 'oldest' ? this.floatPos++ : this.sequelPosition(this.floatPos++);
      const id = floating[pos]!;
      if (this.set.has(id)) continue;
      const twin = this.twin[id]!;
      // Covered by trying its earlier twin (called earlier, so callable whenever this one is).
      if (twin !== -1 && !this.set.has(twin)) continue;
      const op = ops[id]!;
      this.steps++;
      const after = this.model.step(this.state, op.input, op.output);
      if (after === undefined) continue;
      this.set.set(id);
      if ((!this.hasOrder || this.model.order!(after) <= this.minPendingBound()) && (this.gateCheck === undefined || this.gateCheck(after, this.isLinearized)) && this.cache.add(this.set, after)) {
        this.push(-1 - this.floatPos, APPLIED, after, id);
        this.lastFloatAt[this.depth] = pos;
        return true;
      }
      this.unmark(id);
    }
    return false;
  }



  /**
   * At a node reached by linearizing a free op f (unknown outcome, never returned) from the
   * parent's state s: whether op x, leading here to `after`, is covered by a node the parent
   * explores itself. Without f: x from s gives the same state (f was overwritten before anyone
   * saw it), so the parent's child by x has the same state and f still unplaced. Before f
   * (x with a known return only): x from s, then f, gives the same state, so the parent's child
   * by x reaches this node's child with f placed second. Either way this child is satisfiable
   * only if the parent's child by x is, which the parent tries (f, never returning, does not
   * hold back anything x's call could wait for). A free x only drops f, never swaps with it, so
   * two free ops cannot each leave the order to the other. Models without order bounds or gated
   * ops only (register, kv).
   */
  private coveredBeforeFree(id: number, variant: number, after: S): boolean {
    const d = this.depth - 1;
    if (d < 0 || !this.freeReorder || this.frameKind[d] !== APPLIED || this.frameEntry[d]! < 0) return false;
    const f = this.frameOp[d]!;
    if (this.finite[f] === 1) return false;
    const parent = this.frameState[d]!;
    let b: S | undefined = parent;
    if (variant === APPLIED) {
      const op = this.ops[id]!;
      this.steps++;
      b = this.model.step(parent, op.input, op.output);
    }
    if (b === undefined) return false;
    if (this.model.equal(b, after)) return true;
    if (this.finite[id] === 0) return false;
    const fop = this.ops[f]!;
    this.steps++;
    const swapped = this.model.step(b, fop.input, fop.output);
    return swapped !== undefined && this.model.equal(swapped, after);
  }

  /**
   * Whether the first return left after call entry `e` is that op's own. An op with observers
   * (Model.prepareObservers) is skipped only there: skipping it anywhere earlier changes no state
   * and lets no op be called that could not be already, so the node where its return comes first
   * skips it as well. Elsewhere it is only applied, and only when unobserved says it must be.
   */
  private ownReturnFirst(e: number): boolean {
    let r = this.next[e]!;
    while (r !== -1 && this.entryIsCall[r] === 1) r = this.next[r]!;
    this.firstReturn = r;
    return r !== -1 && r === this.entryMatch[e];
  }

  /**
   * Whether op `id`, leading to `after`, need not be applied here (its return not the first left,
   * ownReturnFirst having found that first return): it leaves the order where it was and no
   * observer of it not yet linearized is callable (called before that first return; at equal
   * times counted callable). Then whatever comes next neither sees it nor becomes callable by it,
   * and it stays callable after: the node where an observer or its own return comes tries it.
   */
  private unobserved(id: number, after: S): boolean {
    if (this.model.order!(after) !== this.model.order!(this.state)) return false;
    const limit = this.firstReturn === -1 ? Infinity : this.entryTime[this.firstReturn]!;
    const observers = this.observers![id]!;
    for (let i = 0; i < observers.length; i++) {
      const o = observers[i]!;
      if (o !== id && !this.set.has(o) && this.ops[o]!.call <= limit) return false;
    }
    return true;
  }

  /** The k-th gated op to try in 'sequel' order: after the last one linearized ascending, then before it descending. */
  private sequelPosition(k: number): number {
    const last = Math.min(this.lastFloatAt[this.depth]!, this.floatCallable - 1);
    const after = this.floatCallable - 1 - last;
    return k < after ? last + 1 + k : last - (k - after);
  }

  /** Linearizes every callable read-only op that is legal now; false if this node is known to fail. */
  private linearizeLegalReads(): boolean {
    const next = this.next;
    let e = next[0]!;
    while (e !== -1 && this.entryIsCall[e] === 1) {
      const id = this.entryOp[e]!;
      if (this.readOnly[id] === 1) {
        this.steps++;
        const op = this.ops[id]!;
        const after = this.model.step(this.state, op.input, op.output);
        if (after !== undefined) {
          this.set.set(id);
          if (!this.cache.add(this.set, after)) {
            this.unmark(id);
            return false;
          }
          this.push(e, FORCED, after);
          if (this.remaining === 0) return true;
          e = next[0]!;
          continue;
        }
        if (this.reach !== undefined && !this.reach(this.state, op.input, op.output!, this.isLinearized)) return false;
      }
      e = next[e]!;
    }
    return true;
  }

  private unmark(id: number): void {
    this.set.clear(id);
    const pos = this.byBoundPos[id]!;
    if (pos < this.boundPtr) this.boundPtr = pos;
  }

  /** The lowest order bound among ops not yet linearized. */
  private minPendingBound(): number {
    const by = this.byBound;
    let p = this.boundPtr;
    while (p < by.length && this.set.has(by[p]!)) p++;
    this.boundPtr = p;
    return p < by.length ? this.boundOf[by[p]!]! : Infinity;
  }

  private push(e: number, kind: number, after: S, id = this.entryOp[e]!): void {
    const d = this.depth;
    this.frameEntry[d] = e;
    this.frameOp[d] = id;
    this.frameKind[d] = kind;
    this.frameState[d] = this.state;
    this.depth = d + 1;
    this.lastFloatAt[d + 1] = this.lastFloatAt[d]!;
    this.state = after;
    this.floatPos = -1;
    if (e >= 0) {
      this.lift(e);
      if (this.finite[this.entryOp[e]!] === 1) this.remaining--;
    }
    if (this.depth > this.bestDepth) {
      for (let i = this.bestValid; i < this.depth; i++) {
        this.bestEntry[i] = this.frameEntry[i]!;
        this.bestKind[i] = this.frameKind[i]!;
        this.bestOp[i] = this.frameOp[i]!;
      }
      this.bestDepth = this.depth;
      this.bestValid = this.depth;
      this.bestState = after;
    }
  }

  /** Undoes linearizations until one leaves an alternative to try; false when none is left. */
  private backtrack(): boolean {
    while (this.depth > 0) {
      const d = --this.depth;
      if (d < this.bestValid) this.bestValid = d;
      const e = this.frameEntry[d]!;
      const kind = this.frameKind[d]!;
      const id = this.frameOp[d]!;
      this.state = this.frameState[d]!;
      this.frameState[d] = undefined as S;
      this.unmark(id);
      if (e < 0) {
        // Resume the gated ops after this one, at the parent node.
        this.floatPos = -1 - e;
        this.floatCallable = -1;
        this.entry = -1;
        let r = this.next[0]!;
        while (r !== -1 && this.entryIsCall[r] === 1) r = this.next[r]!;
        this.floatLimit = r === -1 ? Infinity : this.entryTime[r]!;
        return true;
      }
      this.floatPos = -1;
      this.unlift(e);
      if (this.finite[id] === 1) this.remaining++;
      if (kind === FORCED) continue;
      if (kind === APPLIED && this.skippable[id] === 1 && !(this.observers !== undefined && this.observers[id] !== undefined && !this.ownReturnFirst(e))) {
        this.entry = e;
        this.variant = SKIPPED;
      } else {
        this.entry = this.next[e]!;
        this.variant = APPLIED;
      }
      return true;
    }
    return false;
  }

  private lift(e: number): void {
    const next = this.next;
    const prev = this.prev;
    const p = prev[e]!;
    const nx = next[e]!;
    next[p] = nx;
    if (nx !== -1) prev[nx] = p;
    const r = this.entryMatch[e]!;
    if (r !== -1) {
      const rp = prev[r]!;
      const rn = next[r]!;
      next[rp] = rn;
      if (rn !== -1) prev[rn] = rp;
    }
  }

  private unlift(e: number): void {
    const next = this.next;
    const prev = this.prev;
    const r = this.entryMatch[e]!;
    if (r !== -1) {
      const rn = next[r]!;
      next[prev[r]!] = r;
      if (rn !== -1) prev[rn] = r;
    }
    const nx = next[e]!;
    next[prev[e]!] = e;
    if (nx !== -1) prev[nx] = e;
  }

  /** The longest prefix linearized so far: op ids with whether each was skipped, and the state after it. */
  longestPrefix(): { ids: number[]; skipped: boolean[]; state: S } {
    const ids: number[] = [];
    const skipped: boolean[] = [];
    for (let i = 0; i < this.bestDepth; i++) {
      ids.push(this.bestOp[i]!);
      skipped.push(this.bestKind[i] === SKIPPED);
    }
    return { ids, skipped, state: this.bestState };
  }
}
