// Linearizable reads (etcd's linearizableReadLoop, v3_server.go). Reads that arrive while a
// ReadIndex round is in flight join the next batch; one raft ReadIndex serves a whole batch.
// The round is retried with a fresh id every READ_INDEX_RETRY_MS, fails with "leader changed"
// when the leader changes and with "request timed out" after ReqTimeout; once the read index is
// known the batch waits until the member has applied up to it, then every read in it is served
// from the local state machine.
import { PENDING_READS_MAX, READ_INDEX_RETRY_MS } from './member-config.ts';
import type { MemberError } from './member-errors.ts';
import { ErrLeaderChanged, ErrTimeout } from './member-errors.ts';

interface Round<W> {
  readonly waiters: W[];
  ctx: string;
  readonly startedMs: number;
  sentMs: number;
  retried: boolean;
}

export interface ReadIndexLoopBugs {
  /**
   * Planted bug (etcd#20418): a retry re-sends the round's request context instead of a fresh
   * one, and reads that arrive while a retried round waits ride on it; a late answer to the
   * first attempt (heartbeats from before a pause, a deposed leader's index) then serves them.
   */
  readonly reuseContext?: boolean;
}

interface Indexed<W> {
  readonly index: number;
  readonly waiters: W[];
}

export interface ReadIndexPort {
  /** Asks raft for a read index, tagged with `ctx` (raft's ReadIndex(rctx)). */
  readIndex(ctx: string): void;
  /** A fresh, never reused request context. */
  newContext(): string;
  /** BUGGIFY: retry the round now rather than after READ_INDEX_RETRY_MS. */
  retryEarly?(): boolean;
  /** Told when a round is sent again, and when one fails on a leader change (coverage). */
  onRetry?(): void;
  onLeaderChanged?(): void;
}

export interface ReadOutcome<W> {
  readonly served: W[];
  readonly failed: { waiter: W; error: MemberError }[];
}

/** The outcome with nothing served or failed (shared, never written). */
const NO_OUTCOME: ReadOutcome<never> = Object.freeze({ served: Object.freeze([]) as never[], failed: Object.freeze([]) as never[] });

export class ReadIndexLoop<W> {
  private queued: W[] = [];
  private round: Round<W> | undefined;
  private indexed: Indexed<W>[] = [];
  private readonly out: ReadOutcome<W> = { served: [], failed: [] };

  constructor(
    private readonly port: ReadIndexPort,
    private readonly requestTimeoutMs: number,
    private readonly capacity: number = PENDING_READS_MAX,
    private readonly bugs: ReadIndexLoopBugs = {},
  ) {}

  get waiting(): number {
    return this.queued.length + (this.round?.waiters.length ?? 0) + this.indexed.reduce((n, b) => n + b.waiters.length, 0);
  }

  /** Queues a read; false when the loop is full (the caller answers "too many requests"). */
  enqueue(waiter: W, nowMs: number): boolean {
    if (this.waiting >= this.capacity) return false;
    if (this.bugs.reuseContext === true && this.round?.retried === true) {
      this.round.waiters.push(waiter);
      return true;
    }
    this.queued.push(waiter);
    this.maybeStartRound(nowMs);
    return true;
  }

  /** Raft answered a ReadIndex. Stale contexts (earlier retries, earlier rounds) are ignored. */
  onReadState(ctx: string, index: number, appliedIndex: number, nowMs: number): void {
    const round = this.round;
    if (round === undefined || round.ctx !== ctx) return;
    this.round = undefined;
    this.indexed.push({ index, waiters: round.waiters });
    this.onApplied(appliedIndex);
    this.maybeStartRound(nowMs);
  }

  /** The member applied up to `appliedIndex`: batches whose read index is reached are served. */
  onApplied(appliedIndex: number): void {
    // Called after every apply: most of the time no batch waits, or none is due yet.
    let due = false;
    for (const b of this.indexed) if (b.index <= appliedIndex) due = true;
    if (!due) return;
    const still: Indexed<W>[] = [];
    for (const b of this.indexed) {
      if (b.index <= appliedIndex) this.out.served.push(...b.waiters);
      else still.push(b);
    }
    this.indexed = still;
  }

  /** The leader changed: the round in flight can no longer be trusted (etcd: ErrLeaderChanged). */
  onLeaderChange(nowMs: number): void {
    const round = this.round;
    if (round === undefined) return;
    this.round = undefined;
    this.port.onLeaderChanged?.();
    for (const w of round.waiters) this.out.failed.push({ waiter: w, error: ErrLeaderChanged });
    this.maybeStartRound(nowMs);
  }

  /** Retries the round with a new id, or fails it after ReqTimeout. Call every tick. */
  tick(nowMs: number): void {
    const round = this.round;
    if (round === undefined) return;
    if (nowMs - round.startedMs >= this.requestTimeoutMs) {
      this.round = undefined;
      for (const w of round.waiters) this.out.failed.push({ waiter: w, error: ErrTimeout });
      this.maybeStartRound(nowMs);
      return;
    }
    if (nowMs - round.sentMs >= READ_INDEX_RETRY_MS || this.port.retryEarly?.() === true) this.resend(round, nowMs);
  }

  /** etcd retries at once on the first commit of a new leader's term (the read was postponed). */
  retryNow(nowMs: number): void {
    const round = this.round;
    if (round === undefined) return;
    this.resend(round, nowMs);
  }

  /** Sends the round again, under a new request context (never reused: etcd#20418). */
  private resend(round: Round<W>, nowMs: number): void {
    if (this.bugs.reuseContext !== true) round.ctx = this.port.newContext();
    round.sentMs = nowMs;
    round.retried = true;
    this.port.onRetry?.();
    this.port.readIndex(round.ctx);
  }

  /** Reads served or failed since the last call. */
  takeOutcome(): ReadOutcome<W> {
    // Asked after every tick and apply, mostly with nothing to hand over: no new arrays then.
    if (this.out.served.length === 0 && this.out.failed.length === 0) return NO_OUTCOME;
    const out = { served: this.out.served.splice(0), failed: this.out.failed.splice(0) };
    return out;
  }

  /** Fails everything (the member stops). */
  failAll(error: MemberError): void {
    const all = [...this.queued, ...(this.round?.waiters ?? []), ...this.indexed.flatMap((b) => b.waiters)];
    this.queued = [];
    this.round = undefined;
    this.indexed = [];
    for (const w of all) this.out.failed.push({ waiter: w, error });
  }

  private maybeStartRound(nowMs: number): void {
    if (this.round !== undefined || this.queued.length === 0) return;
    const ctx = this.port.newContext();
    this.round = { waiters: this.queued, ctx, startedMs: nowMs, sentMs: nowMs, retried: false };
    this.queued = [];
    this.port.readIndex(ctx);
  }
}
