// A distributed lock with etcd's lease-and-revision recipe (clientv3/concurrency Mutex): grant
// a session lease, create /lock/<lease> with it unless it exists, and own the lock once no key
// under /lock/ has a lower create revision (waiting for the lower ones to be deleted); keep the
// lease alive while holding; release by deleting the key and revoking the lease. Each
// invocation is one acquire, hold, release cycle, recorded as acquire and release operations
// in the lock history, which the mutual-exclusion checker (sim/check/mutex.ts) judges, with the
// session's keep-alives (the evidence of when its lease was certainly alive). Like the real
// recipe, a holder does not notice that its lease expired (Jepsen, etcd 3.4.3), and neither does
// a waiter (etcd 3.4's Mutex.Lock does not read its own key back after the wait).
import type { Op } from '../history/op.ts';
import { repeat } from './generator.ts';
import type { Gen } from './generator.ts';
import type { Dispatched, Outcome } from './interpreter.ts';
import { deleteRange, headerRevision, leaseGrant, leaseId, leaseKeepAlive, leaseRevoke, prefixEnd, put, range, rangeKvs, txn } from './etcd-request.ts';
import type { LeaseId } from './etcd-request.ts';
import { drawRange } from '../nemesis/schedule.ts';
import type { ClientCall, Workload, WorkloadEnv } from './workload.ts';

const PREFIX = '/lock/';
const POLL_US = 20_000;
/** A waiter gives up after this long and withdraws its key (every wait is bounded). */
const WAIT_US_MAX = 10_000_000;
/** Keep-alive requests get process ids from here up, apart from the workers' processes. */
export const KEEPALIVE_PROCESS_BASE = 1_000_000;

export class LockWorkload implements Workload {
  /** acquire/release operations in Jepsen's shape, for the mutex checker and the report. */
  readonly history: Op[] = [];
  private nextKeepAliveProcess = KEEPALIVE_PROCESS_BASE;

  constructor(private readonly env: WorkloadEnv) {}

  generator(): Gen {
    return repeat({ f: 'lock-cycle' });
  }

  private record(process: number, type: Op['type'], f: 'acquire' | 'release' | 'keepalive', value: unknown = null): void {
    this.history.push({ index: this.history.length, time: this.env.clock.nowUs(), process, type, f, value });
  }

  execute(op: Dispatched, call: ClientCall, done: (outcome: Outcome) => void): void {
    const ttl = this.env.scenario.workload.leaseTtlSeconds;
    this.record(op.process, 'invoke', 'acquire');
    const fail = (type: 'fail' | 'info'): void => {
      this.record(op.process, type, 'acquire');
      done(type);
    };
    call(leaseGrant(ttl), op.process, (granted) => {
      if (granted.type !== 'ok') return fail(granted.type);
      const lease = leaseId((granted.body as { ID?: unknown } | null)?.ID);
      const key = `${PREFIX}${BigInt(lease).toString(16)}`;
      const create = txn(
        [{ target: 'CREATE', key, revision: 0 }],
        [{ put: put(key, '', lease) }, { range: range(PREFIX, { rangeEnd: prefixEnd(PREFIX), sortTarget: 'CREATE', sortOrder: 'ASCEND', limit: 1 }) }],
        [{ range: range(key) }, { range: range(PREFIX, { rangeEnd: prefixEnd(PREFIX), sortTarget: 'CREATE', sortOrder: 'ASCEND', limit: 1 }) }],
      );
      call(create, op.process, (created) => {
        if (created.type !== 'ok') return fail('info');
        const myRevision = headerRevision(created.body);
        const keepAlive = this.keepAlive(lease, ttl, call);
        const acquired = (): void => {
          const w = this.env.scenario.workload;
          const pauseMs = this.env.prng.chance(1, w.clientPauseOdds) ? drawRange(this.env.prng, w.clientPauseMs) : 0;
          // The lease's TTL and the client's pause go with the acquire: the lock checker's
          // evidence for the documented anomaly (sim/check/mutex.ts).
          this.record(op.process, 'ok', 'acquire', { key, lease, ttlMs: ttl * 1000, pauseMs });
          // A paused client process sends nothing, keep-alives included, and then carries on
          // believing it holds the lock: the recipe has no fencing.
          if (pauseMs > 0) keepAlive.pauseFor(pauseMs * 1000);
          const holdUs = (drawRange(this.env.prng, w.holdMs) + pauseMs) * 1000;
          this.env.clock.after(holdUs, () => this.release(op, key, lease, keepAlive, call, done));
        };
        this.waitForOwnership(op, myRevision, this.env.clock.nowUs() + WAIT_US_MAX, call, acquired, () => {
          keepAlive.stop();
          call(deleteRange(key), op.process, (r) => fail(r.type === 'ok' ? 'fail' : 'info'));
        });
      });
    });
  }

  /** Polls for keys created before ours; acquired when none is left (etcd's waitDeletes). */
  private waitForOwnership(op: Dispatched, myRevision: number, deadlineUs: number, call: ClientCall, acquired: () => void, giveUp: () => void): void {
    const probe = range(PREFIX, { rangeEnd: prefixEnd(PREFIX), maxCreateRevision: myRevision - 1, sortTarget: 'CREATE', sortOrder: 'DESCEND', limit: 1 });
    call(probe, op.process, (r) => {
      if (r.type === 'ok' && rangeKvs(r.body).length === 0) return acquired();
      if (this.env.clock.nowUs() >= deadlineUs) return giveUp();
      this.env.clock.after(POLL_US, () => this.waitForOwnership(op, myRevision, deadlineUs, call, acquired, giveUp));
    });
  }

  private release(op: Dispatched, key: string, lease: LeaseId, keepAlive: { stop(): void }, call: ClientCall, done: (outcome: Outcome) => void): void {
    this.record(op.process, 'invoke', 'release', { key });
    call(deleteRange(key), op.process, (deleted) => {
      keepAlive.stop();
      this.record(op.process, deleted.type, 'release', { key });
      if (deleted.type !== 'ok') return done(deleted.type);
      call(leaseRevoke(lease), op.process, () => done('ok'));
    });
  }

  /** The session's keep-alive every TTL/3, as clientv3 does, until stopped. */
  private keepAlive(lease: LeaseId, ttlSeconds: number, call: ClientCall): { stop(): void; pauseFor(us: number): void } {
    let running = true;
    let inFlight = false;
    let pausedUntilUs = 0;
    const tick = (): void => {
      if (!running) return;
      if (!inFlight && this.env.clock.nowUs() >= pausedUntilUs) {
        inFlight = true;
        // Each keep-alive is its own process: one with an unknown outcome never shares a process
        // with a later request, and none overlaps the holder's own requests. The lock history
        // keeps them too: the lock checker's evidence of when the session was certainly alive.
        const process = this.nextKeepAliveProcess++;
        this.record(process, 'invoke', 'keepalive', { lease });
        call(leaseKeepAlive(lease), process, (r) => {
          inFlight = false;
          const body = r.body as { TTL?: unknown; header?: { raft_term?: unknown } } | null;
          const ttlSeconds = r.type === 'ok' ? Number(body?.TTL ?? 0) : 0;
          // The answer's term: a keep-alive renews only the lessor of whoever thinks it leads, so
          // it proves a renewal only when no newer leader was in office (sim/check/mutex.ts).
          this.record(process, r.type, 'keepalive', r.type === 'ok' ? { lease, ttlMs: ttlSeconds > 0 ? ttlSeconds * 1000 : 0, raftTerm: Number(body?.header?.raft_term ?? 0) } : { lease });
        });
      }
      this.env.clock.after((ttlSeconds * 1_000_000) / 3, tick);
    };
    this.env.clock.after((ttlSeconds * 1_000_000) / 3, tick);
    return {
      stop: () => (running = false),
      pauseFor: (us) => (pausedUntilUs = this.env.clock.nowUs() + us),
    };
  }
}
