// allowedViolations excuses the documented anomaly, never everything a checker sees: the lock
// checker classifies every overlap of holders, a linearizability violation is a stale-read
// anomaly only with its evidence, and any other violation of the same checker fails the run.
import { describe, expect, it } from 'vitest';
import { checkMutex } from '../../../sim/check/mutex.ts';
import { excusedViolations } from '../../../sim/check/documented-anomalies.ts';
import type { AnomalyEvidence } from '../../../sim/check/documented-anomalies.ts';
import type { CheckResult } from '../../../sim/check/verdict.ts';
import type { Op } from '../../../sim/history/op.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import type { ScenarioInput } from '../../../sim/scenario/schema.ts';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import { runScenario } from '../../../sim/run/run.ts';

const TTL_MS = 2000;

/** Process 1 acquires at 10 ms (asked at 0) and pauses `pauseMs`; process 2 acquires at `secondMs` while 1 still holds. */
function twoHolders(pauseMs: number, secondMs: number): Op[] {
  const ops: Omit<Op, 'index'>[] = [
    { time: 0, process: 1, type: 'invoke', f: 'acquire', value: null },
    { time: 10_000, process: 1, type: 'ok', f: 'acquire', value: { key: '/lock/1', ttlMs: TTL_MS, pauseMs } },
    { time: 20_000, process: 2, type: 'invoke', f: 'acquire', value: null },
    { time: secondMs * 1000, process: 2, type: 'ok', f: 'acquire', value: { key: '/lock/2', ttlMs: TTL_MS, pauseMs: 0 } },
    { time: secondMs * 1000 + 1000, process: 2, type: 'invoke', f: 'release', value: null },
    { time: (pauseMs + 500) * 1000, process: 1, type: 'invoke', f: 'release', value: null },
  ];
  return ops.sort((a, b) => a.time - b.time).map((op, index) => ({ ...op, index }));
}

const lockScenario = (allowed: string[]): ReturnType<typeof defineScenario> =>
  defineScenario({ name: 'x', workload: { kind: 'lock' }, expect: 'violation-allowed', allowedViolations: allowed });

const NO_FAULTS: AnomalyEvidence = { faultKinds: new Set(), leaderChanges: 0 };

describe('documented anomalies', () => {
  it('a lock held by two after the first paused past its lease TTL is the documented anomaly, and is excused', () => {
    const r = checkMutex(twoHolders(3000, 2500));
    expect(r.valid).toBe(false);
    expect(r['anomalies']).toEqual(['pause-outlived-lease']);
    expect(excusedViolations(lockScenario(['lock:pause-outlived-lease']), { lock: r }, NO_FAULTS)).toEqual(new Map([['lock', 'pause-outlived-lease']]));
    // The older spelling, a bare checker name, means that checker's documented anomalies.
    expect(excusedViolations(lockScenario(['lock']), { lock: r }, NO_FAULTS).get('lock')).toBe('pause-outlived-lease');
  });

  it('a lock held by two with no pause, a pause shorter than the TTL, or a second holder too early is not excused', () => {
    for (const [pauseMs, secondMs] of [[0, 25], [1500, 1000], [3000, 1500]] as const) {
      const r = checkMutex(twoHolders(pauseMs, secondMs));
      expect(r.valid, `${pauseMs}/${secondMs}`).toBe(false);
      expect(r['unexplained'], `${pauseMs}/${secondMs}`).toBe(1);
      expect(r['anomalies'], `${pauseMs}/${secondMs}`).toBeUndefined();
      expect(excusedViolations(lockScenario(['lock:pause-outlived-lease']), { lock: r }, NO_FAULTS).size, `${pauseMs}/${secondMs}`).toBe(0);
    }
  });

  it('one explained overlap and one unexplained: the lock violation is not excused', () => {
    const ops = twoHolders(3000, 2500);
    // A third process acquires at 2.6 s, after 2 released: it overlaps only 1, which paused past its TTL.
    const extra: Op[] = [
      { index: 0, time: 2_550_000, process: 3, type: 'invoke', f: 'acquire', value: null },
      { index: 0, time: 2_600_000, process: 3, type: 'ok', f: 'acquire', value: { key: '/lock/3', ttlMs: TTL_MS, pauseMs: 0 } },
    ];
    const all = [...ops, ...extra].sort((a, b) => a.time - b.time).map((op, index) => ({ ...op, index }));
    const r = checkMutex(all);
    expect(r.valid).toBe(false);
    // 2 and 3 each overlap 1 (explained); a fourth holder at 2.7 s also overlaps 3, which never paused.
    expect(r['overlaps']).toBe(2);
    expect(r['unexplained']).toBe(0);
    const withEarly = checkMutex([...all, { index: all.length, time: 2_700_000, process: 4, type: 'ok', f: 'acquire', value: { key: '/lock/4', ttlMs: TTL_MS, pauseMs: 0 } }]);
    expect(withEarly['unexplained']).toBeGreaterThan(0);
    expect(excusedViolations(lockScenario(['lock:pause-outlived-lease']), { lock: withEarly }, NO_FAULTS).size).toBe(0);
  });

  const leaseReads = (allowed: string[], raft: Partial<NonNullable<ScenarioInput['cluster']>['raft']> = { readOnly: 'lease-based' }): ReturnType<typeof defineScenario> =>
    defineScenario({ name: 'x', workload: { kind: 'etcd' }, cluster: { raft }, expect: 'violation-allowed', allowedViolations: allowed });
  const staleReads: Record<string, CheckResult> = { linearizable: { valid: false }, 'linearizable-writes': { valid: true } };

  it('stale lease reads in a run with a clock fault are lease-read-clock; with no clock fault they are not', () => {
    const clock: AnomalyEvidence = { faultKinds: new Set(['clock-jump', 'partition']), leaderChanges: 1 };
    const noClock: AnomalyEvidence = { faultKinds: new Set(['partition']), leaderChanges: 1 };
    expect(excusedViolations(leaseReads(['linearizable:lease-read-clock']), staleReads, clock).get('linearizable')).toBe('lease-read-clock');
    expect(excusedViolations(leaseReads(['linearizable:lease-read-clock']), staleReads, noClock).size).toBe(0);
    // A leader cut off while another was elected explains them under the other anomaly.
    expect(excusedViolations(leaseReads(['linearizable:lease-read-deposed']), staleReads, noClock).get('linearizable')).toBe('lease-read-deposed');
    expect(excusedViolations(leaseReads(['linearizable:lease-read-deposed']), staleReads, { faultKinds: new Set(['partition']), leaderChanges: 0 }).size).toBe(0);
  });

  it('a linearizability violation of the writes, or with reads through ReadIndex, is never a stale-read anomaly', () => {
    const clock: AnomalyEvidence = { faultKinds: new Set(['clock-jump']), leaderChanges: 1 };
    const writesBroken: Record<string, CheckResult> = { linearizable: { valid: false }, 'linearizable-writes': { valid: false } };
    expect(excusedViolations(leaseReads(['linearizable']), writesBroken, clock).size).toBe(0);
    expect(excusedViolations(leaseReads(['linearizable'], { readOnly: 'safe' }), staleReads, clock).size).toBe(0);
  });

  it('a scenario names a documented anomaly or a checker; anything else is refused in one line', () => {
    expect(() => lockScenario(['lock:no-such'])).toThrow(/allowedViolations\[0\]: no documented anomaly 'no-such' of checker lock \(documented: pause-outlived-lease, lease-expired\)/);
    expect(() => lockScenario(['watch:x'])).toThrow(/of checker watch \(it has none\)/);
    expect(() => lockScenario(['nope:pause-outlived-lease'])).toThrow(/no checker 'nope'/);
    expect(lockScenario(['lock:pause-outlived-lease']).allowedViolations).toEqual(['lock:pause-outlived-lease']);
  });

  it('shipped scenarios: lock-gc-pause seed 2 and clock-lease-reads seed 6 are valid with their anomaly excused by name', () => {
    const lock = runScenario(loadScenario('lock-gc-pause').scenario, 2).results;
    expect(lock.valid).toBe(true);
    expect(lock.checkers['lock']?.valid).toBe(false);
    expect(lock.excused).toEqual({ lock: 'pause-outlived-lease' });
    const reads = runScenario(loadScenario('clock-lease-reads').scenario, 6).results;
    expect(reads.valid).toBe(true);
    // Its run had a clock jump and a cut-off leader: either documented cause explains the stale reads.
    expect(reads.excused?.['linearizable']).toMatch(/^lease-read-(clock|deposed)$/);
  });
});

/** A keep-alive of `lease` asked at `atMs` (its own process), answered ok with `ttlMs` (0: lease gone), or 'info'. */
function keepAlive(process: number, lease: string, atMs: number, answer: number | 'info'): Omit<Op, 'index'>[] {
  return [
    { time: atMs * 1000, process, type: 'invoke', f: 'keepalive', value: { lease } },
    answer === 'info'
      ? { time: atMs * 1000 + 1_000_000, process, type: 'info', f: 'keepalive', value: { lease } }
      : { time: atMs * 1000 + 2000, process, type: 'ok', f: 'keepalive', value: { lease, ttlMs: answer, raftTerm: 1 } },
  ];
}

/** Holder 1 (lease a) acquires at `firstAtMs`, asked at `firstAskedMs`; holder 2 (lease b, asked at `secondAskedMs`) at `secondAtMs`; neither paused. */
function leaseHolders(o: { firstAskedMs: number; firstAtMs: number; secondAskedMs: number; secondAtMs: number; keepAlives: Omit<Op, 'index'>[] }): Op[] {
  const ops: Omit<Op, 'index'>[] = [
    { time: o.firstAskedMs * 1000, process: 1, type: 'invoke', f: 'acquire', value: null },
    { time: o.firstAtMs * 1000, process: 1, type: 'ok', f: 'acquire', value: { key: '/lock/a', lease: 'a', ttlMs: TTL_MS, pauseMs: 0 } },
    { time: o.secondAskedMs * 1000, process: 2, type: 'invoke', f: 'acquire', value: null },
    { time: o.secondAtMs * 1000, process: 2, type: 'ok', f: 'acquire', value: { key: '/lock/b', lease: 'b', ttlMs: TTL_MS, pauseMs: 0 } },
    { time: (o.secondAtMs + 100) * 1000, process: 2, type: 'invoke', f: 'release', value: null },
    { time: (o.secondAtMs + 200) * 1000, process: 1, type: 'invoke', f: 'release', value: null },
    ...o.keepAlives,
  ];
  return ops.sort((a, b) => a.time - b.time).map((op, index) => ({ ...op, index }));
}

/** One leader, of term 1, in office from the start: every keep-alive answer (term 1) was its. */
const ONE_LEADER = [{ term: 1, startUs: 0 }];

describe('documented anomaly lock:lease-expired (a session lease not certainly alive, no pause)', () => {
  const renewedA = (timesMs: number[], answer: number | 'info' = TTL_MS): Omit<Op, 'index'>[] => timesMs.flatMap((t, i) => keepAlive(1_000_000 + i, 'a', t, answer));
  const renewedB = (timesMs: number[]): Omit<Op, 'index'>[] => timesMs.flatMap((t, i) => keepAlive(2_000_000 + i, 'b', t, TTL_MS));

  it("the holder's keep-alives stopped a TTL before the second acquired: lease-expired, excused only when the scenario names it", () => {
    const r = checkMutex(leaseHolders({ firstAskedMs: 0, firstAtMs: 10, secondAskedMs: 20, secondAtMs: 3500, keepAlives: [...renewedA([600, 1300]), ...renewedB([700, 1400, 2100, 2800])] }), ONE_LEADER);
    expect(r.valid).toBe(false);
    expect(r['anomalies']).toEqual(['lease-expired']);
    expect(excusedViolations(lockScenario(['lock:lease-expired']), { lock: r }, NO_FAULTS)).toEqual(new Map([['lock', 'lease-expired']]));
    expect(excusedViolations(lockScenario(['lock:pause-outlived-lease']), { lock: r }, NO_FAULTS).size).toBe(0);
  });

  it('both leases certainly alive (keep-alives answered within a TTL): two holders are not excused', () => {
    const r = checkMutex(leaseHolders({ firstAskedMs: 0, firstAtMs: 10, secondAskedMs: 20, secondAtMs: 3500, keepAlives: [...renewedA([600, 1300, 2000]), ...renewedB([700, 1400, 2100, 2800])] }), ONE_LEADER);
    expect(r.valid).toBe(false);
    expect(r['unexplained']).toBe(1);
    expect(r['anomalies']).toBeUndefined();
    expect(excusedViolations(lockScenario(['lock:lease-expired', 'lock:pause-outlived-lease']), { lock: r }, NO_FAULTS).size).toBe(0);
  });

  it('keep-alives that timed out or found the lease gone (TTL 0) renew nothing', () => {
    for (const answer of ['info', 0] as const) {
      const r = checkMutex(leaseHolders({ firstAskedMs: 0, firstAtMs: 10, secondAskedMs: 20, secondAtMs: 3500, keepAlives: [...renewedA([600, 1300]), ...renewedA([2000].map((t) => t), answer).map((op) => ({ ...op, process: 1_500_000 })), ...renewedB([700, 1400, 2100, 2800])] }), ONE_LEADER);
      expect(r['anomalies'], String(answer)).toEqual(['lease-expired']);
    }
  });

  it("a waiter whose own lease lapsed while it waited acquires beside a later holder: lease-expired", () => {
    // 2 asked at 20 ms and was never renewed; 1 asked at 4 s and acquired at 4.99 s (2's key, older, was gone).
    const r = checkMutex(leaseHolders({ firstAskedMs: 4000, firstAtMs: 4990, secondAskedMs: 20, secondAtMs: 5000, keepAlives: renewedA([4300]) }), ONE_LEADER);
    expect(r['anomalies']).toEqual(['lease-expired']);
    // The same, with the waiter's lease renewed until just before: both certainly alive, not excused.
    const renewed = checkMutex(leaseHolders({ firstAskedMs: 4000, firstAtMs: 4990, secondAskedMs: 20, secondAtMs: 5000, keepAlives: [...renewedA([4300]), ...renewedB([700, 1400, 2100, 2800, 3500, 4200])] }), ONE_LEADER);
    expect(renewed['unexplained']).toBe(1);
  });

  it('keep-alive answers prove a renewal only with a leader timeline that shows their leader still in office', () => {
    const history = leaseHolders({ firstAskedMs: 0, firstAtMs: 10, secondAskedMs: 20, secondAtMs: 3500, keepAlives: [...renewedA([600, 1300, 2000]), ...renewedB([700, 1400, 2100, 2800])] });
    expect(checkMutex(history, ONE_LEADER)['unexplained']).toBe(1);
    // A real etcd: no timeline, so only the grant counts (a deposed leader may have answered).
    expect(checkMutex(history)['anomalies']).toEqual(['lease-expired']);
    // A leader of term 2 in office from 1.5 s: the term-1 answer to the keep-alive asked at 2 s was a deposed leader's.
    expect(checkMutex(history, [...ONE_LEADER, { term: 2, startUs: 1_500_000 }])['anomalies']).toEqual(['lease-expired']);
  });

  it('a run with pause and expiry overlaps is excused only when the scenario names both', () => {
    const paused = twoHolders(3000, 2500);
    const expired = leaseHolders({ firstAskedMs: 10_000, firstAtMs: 10_010, secondAskedMs: 10_020, secondAtMs: 13_500, keepAlives: [...renewedA([10_600, 11_300]), ...renewedB([10_700, 11_400, 12_100, 12_800])] })
      .map((op) => ({ ...op, process: op.process === 1 ? 5 : op.process === 2 ? 6 : op.process }));
    const r = checkMutex([...paused, ...expired].map((op, index) => ({ ...op, index })), ONE_LEADER);
    expect(r['anomalies']).toEqual(['pause-outlived-lease', 'lease-expired']);
    expect(excusedViolations(lockScenario(['lock:pause-outlived-lease', 'lock:lease-expired']), { lock: r }, NO_FAULTS).get('lock')).toBe('pause-outlived-lease, lease-expired');
    expect(excusedViolations(lockScenario(['lock:pause-outlived-lease']), { lock: r }, NO_FAULTS).size).toBe(0);
    expect(excusedViolations(lockScenario(['lock']), { lock: r }, NO_FAULTS).get('lock')).toBe('pause-outlived-lease, lease-expired');
  });
});
