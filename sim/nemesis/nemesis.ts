// The nemesis applies a run's timed faults to the world and heals each one when its duration
// ends; `healAll` ends every fault still active (the start of the liveness phase). Targets
// given by role resolve when the fault starts, from the nemesis stream. Partitions are kept as
// sets of cuts per fault and re-applied together, so overlapping faults compose and healing
// one leaves the others in place.
import type { Fault, Target, TimedFault } from '../scenario/fault.ts';
import { describeFault } from '../scenario/fault.ts';
import type { FaultInterval } from './fault-interval.ts';
import type { Cut } from '../world/partitions.ts';
import { bridgeCuts, groupsToCuts, majorityRingCuts } from '../world/partitions.ts';
import type { Prng } from '../world/prng.ts';
import { Figure8Sequence } from './figure8.ts';

/** What the nemesis needs from the world and the cluster (implemented in ../run/). */
export interface NemesisWorld {
  nowUs(): number;
  at(timeUs: number, fn: () => void): void;
  /** Voting members now, in a stable order. */
  members(): readonly string[];
  /** The member that believes it leads in the highest term, if any is up. */
  leader(): string | undefined;
  /** A member's term and whether it believes it leads; undefined when it is down or unknown. */
  raftStatus(node: string): { isLeader: boolean; term: number } | undefined;
  /** Replaces every cut among members with `cuts` (the union of active partition faults). */
  setCuts(cuts: readonly Cut[]): void;
  crash(node: string, tornWrites: boolean): void;
  restart(node: string): void;
  pause(node: string): void;
  resume(node: string): void;
  /** Adds `deltaUs` to the node's clock offset (skew) or jumps it (jump); drift in ppm. */
  clockOffset(node: string, deltaUs: number): void;
  clockJump(node: string, deltaUs: number): void;
  clockDrift(node: string, driftPpm: number): void;
  /** Clears every clock fault of a node. */
  clockReset(node: string): void;
  /** Network-wide lossiness; undefined restores the scenario's base network. */
  setLossy(lossy: { dropPercent: number; duplicatePercent: number; reorderPercent: number; delayMsMax: number } | undefined): void;
  clog(node: string): void;
  unclog(node: string): void;
  setFsyncLatency(node: string, fsyncUs: number | undefined): void;
  /** Replaces `node` by a fresh member, or removes it and adds it back; returns false when the cluster refused. */
  membership(action: 'replace' | 'remove-add', node: string): boolean;
  buggify(on: boolean): void;
}

interface Active {
  readonly id: number;
  readonly fault: Fault;
  readonly nodes: readonly string[];
  /** Mutable only for a figure8 sequence, whose cuts change as it goes. */
  cuts: readonly Cut[];
  readonly interval: FaultInterval;
  readonly sequence?: Figure8Sequence;
}

export class Nemesis {
  private readonly active = new Map<number, Active>();
  private nextId = 1;
  /** Every fault that ran, for results.json and the report. */
  readonly intervals: FaultInterval[] = [];
  private readonly crashed = new Set<string>();
  private readonly paused = new Set<string>();

  constructor(
    private readonly world: NemesisWorld,
    private readonly prng: Prng,
  ) {}

  /** Schedules every fault of `schedule` (times relative to `startUs`). */
  schedule(schedule: readonly TimedFault[], startUs: number): void {
    for (const timed of schedule) {
      this.world.at(startUs + timed.atMs * 1000, () => {
        const id = this.start(timed.fault);
        if (id !== undefined) this.world.at(this.world.nowUs() + timed.durationMs * 1000, () => this.heal(id));
      });
    }
  }

  get faultCount(): number {
    return this.intervals.length;
  }

  /** Heals every active fault and brings every crashed or paused member back. */
  healAll(): void {
    for (const id of [...this.active.keys()]) this.heal(id);
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
  }

  private resolve(target: Target, avoid: ReadonlySet<string>): string[] {
    const members = this.world.members().filter((m) => !avoid.has(m));
    const leader = this.world.leader();
    if (target === 'all') return [...members];
    if (target === 'leader') return leader !== undefined && members.includes(leader) ? [leader] : this.pickOne(members);
    if (target === 'follower') return this.pickOne(members.filter((m) => m !== leader));
    if (target === 'random') return this.pickOne(members);
    return members.includes(target) ? [target] : [];
  }

  private pickOne(candidates: readonly string[]): string[] {
    return candidates.length === 0 ? [] : [this.prng.pick(candidates)];
  }

  /** Starts a fault now; undefined when it has no target left (e.g. every member is down). */
  private start(fault: Fault): number | undefined {
    const down = new Set([...this.crashed, ...this.paused]);
    let nodes: string[] = [];
    let cuts: Cut[] = [];
    switch (fault.kind) {
      case 'partition':
        [nodes, cuts] = this.partitionCuts(fault.shape, fault.target);
        break;
      case 'one-way': {
        nodes = this.resolve(fault.target, new Set());
        const others = this.world.members().filter((m) => !nodes.includes(m));
        cuts = nodes.flatMap((n) => others.map((o): Cut => (fault.direction === 'in' ? [o, n] : [n, o])));
        break;
      }
      case 'buggify':
        this.world.buggify(true);
        break;
      case 'figure8':
        return this.startFigure8(fault.crashDelayMs);
      case 'lossy':
        this.world.setLossy({
          dropPercent: fault.dropPercent,
          duplicatePercent: fault.duplicatePercent ?? 0,
          reorderPercent: fault.reorderPercent ?? 0,
          delayMsMax: fault.delayMsMax ?? 0,
        });
        break;
      default:
        nodes = this.resolve(fault.target, down);
        if (nodes.length === 0) return undefined;
        if (!this.startOnNodes(fault, nodes)) return undefined;
    }
    const id = this.nextId++;
    const interval: FaultInterval = { kind: fault.kind, startUs: this.world.nowUs(), targets: nodes, description: describeFault(fault) };
    this.intervals.push(interval);
    this.active.set(id, { id, fault, nodes, cuts, interval });
    if (cuts.length > 0) this.applyCuts();
    return id;
  }

  /** Runs the Figure 8 sequence (./figure8.ts); its cuts and crashes are this fault's, healed with it. */
  private startFigure8(crashDelayMs: number): number | undefined {
    const id = this.nextId++;
    const nodes: string[] = [];
    const fault: Fault = { kind: 'figure8', crashDelayMs };
    const interval: FaultInterval = { kind: fault.kind, startUs: this.world.nowUs(), targets: nodes, description: describeFault(fault) };
    const sequence = new Figure8Sequence(this.world, this.prng, {
      setCuts: (cuts) => {
        const a = this.active.get(id);
        if (a === undefined) return;
        a.cuts = [...cuts];
        this.applyCuts();
      },
      crash: (node) => {
        if (this.crashed.has(node) || this.paused.has(node)) return;
        this.world.crash(node, false);
        this.crashed.add(node);
      },
      targeted: (node) => {
        if (!nodes.includes(node)) nodes.push(node);
      },
    }, crashDelayMs * 1000);
    this.active.set(id, { id, fault, nodes, cuts: [], interval, sequence });
    if (!sequence.start()) {
      this.active.delete(id);
      return undefined;
    }
    this.intervals.push(interval);
    return id;
  }

  private startOnNodes(fault: Fault, nodes: readonly string[]): boolean {
    for (const node of nodes) {
      switch (fault.kind) {
        case 'kill':
          this.world.crash(node, fault.tornWrites === true);
          this.crashed.add(node);
          break;
        case 'pause':
          this.world.pause(node);
          this.paused.add(node);
          break;
        case 'clock-skew':
          this.world.clockOffset(node, fault.offsetMs * 1000);
          break;
        case 'clock-jump':
          this.world.clockJump(node, fault.jumpMs * 1000);
          break;
        case 'clock-drift':
          this.world.clockDrift(node, fault.driftPpm);
          break;
        case 'clog':
          this.world.clog(node);
          break;
        case 'slow-disk':
          this.world.setFsyncLatency(node, fault.fsyncMs * 1000);
          break;
        case 'membership':
          return this.world.membership(fault.action, node);
        default:
          throw new Error(`Nemesis invariant: ${fault.kind} is not a per-node fault`);
      }
    }
    return true;
  }

  private partitionCuts(shape: string, target: Target | undefined): [string[], Cut[]] {
    const members = this.world.members();
    const leader = this.world.leader();
    const shuffled = this.prng.shuffle(members);
    const majority = Math.floor(members.length / 2) + 1;
    const minority = members.length - majority;
    switch (shape) {
      case 'isolate-leader': {
        const alone = leader ?? this.prng.pick(members);
        return [[alone], groupsToCuts([[alone], members.filter((m) => m !== alone)])];
      }
      case 'isolate-one': {
        const alone = this.resolve(target ?? 'random', new Set())[0] ?? this.prng.pick(members);
        return [[alone], groupsToCuts([[alone], members.filter((m) => m !== alone)])];
      }
      case 'leader-minority': {
        const withLeader = leader === undefined ? shuffled.slice(0, minority) : [leader, ...shuffled.filter((m) => m !== leader)].slice(0, Math.max(1, minority));
        return [withLeader, groupsToCuts([withLeader, members.filter((m) => !withLeader.includes(m))])];
      }
      case 'follower-minority': {
        const followers = shuffled.filter((m) => m !== leader).slice(0, Math.max(1, minority));
        return [followers, groupsToCuts([followers, members.filter((m) => !followers.includes(m))])];
      }
      case 'halves': {
        const side = shuffled.slice(0, Math.floor(members.length / 2));
        return [side, groupsToCuts([side, shuffled.slice(side.length)])];
      }
      case 'ring':
        return [shuffled, majorityRingCuts(shuffled)];
      case 'bridge':
        return members.length < 3 ? [[], []] : [[shuffled[Math.floor(members.length / 2)] as string], bridgeCuts(shuffled)];
      default:
        throw new Error(`Nemesis invariant: unknown partition shape ${shape}`);
    }
  }

  private applyCuts(): void {
    const all: Cut[] = [];
    for (const a of this.active.values()) all.push(...a.cuts);
    this.world.setCuts(all);
  }

  private heal(id: number): void {
    const a = this.active.get(id);
    if (a === undefined) return;
    this.active.delete(id);
    a.interval.endUs = this.world.nowUs();
    const f = a.fault;
    a.sequence?.stop();
    if (a.cuts.length > 0 || f.kind === 'partition' || f.kind === 'one-way' || f.kind === 'figure8') this.applyCuts();
    if (f.kind === 'lossy') this.world.setLossy(undefined);
    for (const node of a.nodes) this.healNode(f, node);
  }

  private healNode(f: Fault, node: string): void {
    switch (f.kind) {
      case 'kill':
      case 'figure8':
        if (this.crashed.delete(node)) this.world.restart(node);
        break;
      case 'pause':
        if (this.paused.delete(node)) this.world.resume(node);
        break;
      case 'clock-skew':
      case 'clock-jump':
      case 'clock-drift':
        // A skewed clock stays skewed until the liveness phase: NTP does not fix a clock at once.
        break;
      case 'clog':
        this.world.unclog(node);
        break;
      case 'slow-disk':
        this.world.setFsyncLatency(node, undefined);
        break;
      default:
        break;
    }
  }
}
