// The nemesis applies a run's timed faults to the world and heals each one when its duration
// ends; `healAll` ends every fault still active (the start of the liveness phase). Targets
// given by role resolve when the fault starts, from the nemesis stream. What a fault does is
// its kind's effect (./fault-effects.ts); the nemesis keeps the bookkeeping: which faults are
// active, which members it crashed or paused, and the cuts of every active fault, re-applied
// together so that overlapping faults compose and healing one leaves the others in place.
import { violated } from '../../src/invariant-violation.ts';
import type { CrashMoment, Fault, Target, TimedFault } from '../scenario/fault.ts';
import { describeFault } from '../scenario/fault.ts';
import type { FaultInterval } from './fault-interval.ts';
import type { Cut } from '../world/partitions.ts';
import type { Prng } from '../world/prng.ts';
import { FAULT_EFFECTS } from './fault-effects.ts';
import type { FaultEffect, NemesisContext, Started } from './fault-effects.ts';
import type { NemesisWorld } from './nemesis-world-port.ts';
import { maxOf, pushAll } from '../array/stack-safe.ts';

export type { NemesisWorld } from './nemesis-world-port.ts';

interface Active {
  readonly id: number;
  readonly fault: Fault;
  readonly nodes: readonly string[];
  /** Mutable only for a sequence (figure8), whose cuts change as it goes. */
  cuts: readonly Cut[];
  readonly interval: FaultInterval;
  readonly sequence: Started['sequence'];
}

export class Nemesis {
  private readonly active = new Map<number, Active>();
  private nextId = 1;
  /** Every fault that ran, for results.json and the report. */
  readonly intervals: FaultInterval[] = [];
  private readonly crashed = new Set<string>();
  private readonly paused = new Set<string>();
  /** Armed crash-at-a-moment triggers by node (and event moment), disarmed by the final heal. */
  private readonly armed = new Map<string, () => void>();
  /** Set by healAll: a fault the schedule starts later does not run (the run is past its faults). */
  private healedAll = false;
  /** Faults scheduled after recovery not started yet, and how many of them healAll found so. */
  private unstarted = 0;
  private notStartedAtHeal = 0;
  /** Faults of the schedule neither in force nor skipped yet, and the most one came in force past its planned start. */
  private startsPending = 0;
  private startLagUsMax = 0;

  constructor(
    private readonly world: NemesisWorld,
    private readonly prng: Prng,
  ) {}

  /** Schedules every fault of `schedule` (times relative to `startUs`). */
  schedule(schedule: readonly TimedFault[], startUs: number): void {
    if (this.world.recovered !== undefined) {
      this.scheduleAfterRecovery(schedule, startUs, this.world.recovered.bind(this.world));
      return;
    }
    for (const timed of schedule) {
      this.world.at(startUs + timed.atMs * 1000, () => {
        const id = this.start(timed.fault);
        // The fault lasts its duration from when it is in force (at once in the simulated world).
        if (id !== undefined) this.whenInForce(() => this.world.at(this.world.nowUs() + timed.durationMs * 1000, () => this.heal(id)));
      });
    }
  }

  /**
   * On a world whose members take time to serve after a restart: a fault starts once every fault
   * the schedule healed before it began has recovered (its heal in force, its restarted members
   * serving), as late as the latest of them recovered past its planned end, so the gap the
   * schedule put between them is kept. The schedule's faults follow one another, each healed
   * before the next (schedule.ts): started at their planned times on real etcd, a member restarted
   * 1-2 s before it served was down beside the next fault's (rolling-restart: two of three down).
   * Faults the schedule overlaps still overlap. One that would start after healAll does not run.
   */
  private scheduleAfterRecovery(schedule: readonly TimedFault[], startUs: number, recovered: (done: () => void) => void): void {
    this.unstarted += schedule.length;
    this.startsPending += schedule.length;
    const planned = schedule.map((t) => ({ startUs: startUs + t.atMs * 1000, endUs: startUs + (t.atMs + t.durationMs) * 1000 }));
    const recoveredUs: (number | undefined)[] = schedule.map(() => undefined);
    const waiting: (() => void)[][] = schedule.map(() => []);
    const recover = (k: number): void => {
      recoveredUs[k] = this.world.nowUs();
      for (const fn of (waiting[k] ?? []).splice(0)) fn();
    };
    const afterAll = (faults: readonly number[], fn: () => void): void => {
      const j = faults.find((f) => recoveredUs[f] === undefined);
      if (j === undefined) fn();
      else waiting[j]?.push(() => afterAll(faults, fn));
    };
    schedule.forEach((timed, k) => {
      const plan = planned[k]!;
      const before = planned.flatMap((p, j) => (j !== k && p.endUs <= plan.startUs ? [j] : []));
      this.world.at(plan.startUs, () => afterAll(before, () => {
        const lagUs = maxOf(before.map((j) => (recoveredUs[j] ?? 0) - planned[j]!.endUs), 0);
        this.world.at(Math.max(this.world.nowUs(), plan.startUs + lagUs), () => {
          if (this.healedAll) {
            this.startsPending--;
            return recover(k);
          }
          this.unstarted--;
          const id = this.start(timed.fault);
          if (id === undefined) {
            this.startsPending--;
            return recover(k);
          }
          this.whenInForce(() => this.world.at(this.startedInForce(plan.startUs) + timed.durationMs * 1000, () => {
            this.heal(id);
            recovered(() => recover(k));
          }));
        });
      }));
    });
  }

  /** A fault of the schedule came in force now, planned for `plannedStartUs`: its lag is kept; returns now. */
  private startedInForce(plannedStartUs: number): number {
    const nowUs = this.world.nowUs();
    this.startsPending--;
    this.startLagUsMax = Math.max(this.startLagUsMax, nowUs - plannedStartUs);
    return nowUs;
  }

  /**
   * On a world whose members take time to serve: whether every fault of the schedule has come in
   * force (or found no target), and the most one came in force after its planned start. A run
   * that keeps its traffic until then, as far past its planned end as that lag, gives every fault
   * the time to the traffic's end the schedule gave it (sim/cli/target-etcd/schedule-cover.ts).
   */
  get scheduleStarts(): { done: boolean; lagUsMax: number } {
    return { done: this.startsPending === 0, lagUsMax: this.startLagUsMax };
  }

  /** Faults of the schedule not started by healAll: waiting for the ones before them to recover, they came after it. */
  get faultsNotRun(): number {
    return this.notStartedAtHeal;
  }

  /** Runs `fn` once what was asked of the world is in force: at once where the world has no delay. */
  private whenInForce(fn: () => void): void {
    if (this.world.inForce === undefined) fn();
    else this.world.inForce(fn);
  }

  /** Where faults come in force after they are asked for: the interval's times become the in-force ones, and the asked ones are kept beside. */
  private recordInForce(interval: FaultInterval, edge: 'start' | 'end'): void {
    if (this.world.inForce === undefined) return;
    const askedUs = this.world.nowUs();
    this.world.inForce(() => {
      const nowUs = this.world.nowUs();
      // Both edges are reported in the order asked; the max keeps the interval ordered whatever the callbacks' order.
      if (edge === 'start') {
        interval.askedUs = askedUs;
        interval.startUs = nowUs;
        if (interval.endUs !== undefined && interval.endUs < nowUs) interval.endUs = nowUs;
      } else {
        interval.healAskedUs = askedUs;
        interval.endUs = Math.max(nowUs, interval.startUs);
      }
    });
  }

  get faultCount(): number {
    return this.intervals.length;
  }

  /** Heals every active fault and brings every crashed or paused member back. */
  healAll(): void {
    if (!this.healedAll) this.notStartedAtHeal = this.unstarted;
    this.healedAll = true;
    for (const id of [...this.active.keys()]) this.heal(id);
    for (const disarm of this.armed.values()) disarm();
    this.armed.clear();
    this.world.setCuts([]);
    this.world.setLossy(undefined);
    this.world.buggify(false);
    for (const node of this.world.members()) {
      if (this.paused.delete(node)) this.world.resume(node);
      if (this.crashed.delete(node)) this.world.restart(node);
      this.world.unclog(node);
      this.world.setFsyncLatency(node, undefined);
      this.world.clockReset(node);
    }
    if (this.active.size !== 0) throw violated('harness', 'nemesis-healed', `${this.active.size} faults still active after healAll`);
  }

  private resolve(target: Target, avoid: ReadonlySet<string>): string[] {
    const members = this.world.members().filter((m) => !avoid.has(m));
    const leader = this.world.leader();
    if (target === 'all') return [...members];
    if (target === 'majority') return this.prng.shuffle(members).slice(0, Math.floor(this.world.members().length / 2) + 1);
    if (target === 'leader') return leader !== undefined && members.includes(leader) ? [leader] : this.pickOne(members);
    if (target === 'follower') return this.pickOne(members.filter((m) => m !== leader));
    if (target === 'random') return this.pickOne(members);
    return members.includes(target) ? [target] : [];
  }

  private pickOne(candidates: readonly string[]): string[] {
    return candidates.length === 0 ? [] : [this.prng.pick(candidates)];
  }

  /** What a fault's effect may do, bound to the fault with id `id`. */
  private context(id: number): NemesisContext {
    return {
      world: this.world,
      prng: this.prng,
      resolve: (target, avoid) => this.resolve(target, avoid),
      down: () => new Set([...this.crashed, ...this.paused]),
      crash: (node, tornWrites) => {
        this.world.crash(node, tornWrites);
        this.crashed.add(node);
      },
      armCrash: (node, moment, tornWrites, downMs) => this.armCrash(node, moment, tornWrites, downMs),
      restart: (node) => {
        if (this.crashed.delete(node)) this.world.restart(node);
      },
      pause: (node) => {
        this.world.pause(node);
        this.paused.add(node);
      },
      resume: (node) => {
        if (this.paused.delete(node)) this.world.resume(node);
      },
      setOwnCuts: (cuts) => {
        const a = this.active.get(id);
        if (a === undefined) return;
        a.cuts = [...cuts];
        this.applyCuts();
      },
    };
  }

  private armCrash(node: string, moment: CrashMoment, tornWrites: boolean, downMs: number): void {
    // A member waits for one send moment (a new one replaces the last) and, besides, for each
    // event moment: a truncation armed stays armed when a commit crash is armed on the member.
    const key = moment === 'vote' || moment === 'append-ack' ? node : `${node} ${moment}`;
    this.armed.get(key)?.();
    this.armed.set(key, this.world.crashAfter(node, moment, tornWrites, () => {
      this.armed.delete(key);
      this.crashed.add(node);
      this.world.at(this.world.nowUs() + downMs * 1000, () => {
        if (this.crashed.delete(node)) this.world.restart(node);
      });
    }));
  }

  /** Starts a fault now; undefined when it has no target left (e.g. every member is down). */
  private start(fault: Fault): number | undefined {
    const id = this.nextId++;
    const started = faultEffect(fault).start(fault, this.context(id));
    if (started === undefined) return undefined;
    const interval: FaultInterval = { kind: fault.kind, startUs: this.world.nowUs(), targets: started.nodes, description: describeFault(fault) };
    this.active.set(id, { id, fault, nodes: started.nodes, cuts: started.cuts, interval, sequence: started.sequence });
    if (started.sequence !== undefined && !started.sequence.start()) {
      this.active.delete(id);
      return undefined;
    }
    this.intervals.push(interval);
    if (started.cuts.length > 0) this.applyCuts();
    this.recordInForce(interval, 'start');
    return id;
  }

  private applyCuts(): void {
    const all: Cut[] = [];
    for (const a of this.active.values()) pushAll(all, a.cuts);
    this.world.setCuts(all);
  }

  private heal(id: number): void {
    const a = this.active.get(id);
    if (a === undefined) return;
    this.active.delete(id);
    a.interval.endUs = this.world.nowUs();
    const effect = faultEffect(a.fault);
    const ctx = this.context(id);
    a.sequence?.stop();
    if (a.cuts.length > 0 || effect.cutsOnHeal === true) this.applyCuts();
    effect.healWorld?.(a.fault, ctx);
    for (const node of a.nodes) effect.healNode?.(a.fault, node, ctx);
    this.recordInForce(a.interval, 'end');
    if (this.active.has(id)) throw violated('harness', 'nemesis-heal-once', `fault ${id} still active after its heal`);
  }
}

/** The effect of a fault's kind, typed for that fault (read here, not in the table's module, so that a test can add a kind). */
function faultEffect(fault: Fault): FaultEffect<Fault> {
  const effect = FAULT_EFFECTS[fault.kind] as FaultEffect<Fault> | undefined;
  if (effect === undefined) throw new Error(`nemesis: no effect for fault kind ${fault.kind}`);
  return effect;
}
