// The Raft paper's Figure 8 as a nemesis sequence, with every target resolved while it runs:
//  (1) cut {L1, F} (the leader and one follower) from the other members while clients write,
//      so L1 appends term-t entries that only F gets;
//  (2) as soon as the other side elects L2 (term t+1), isolate L2 alone before its own entry
//      leaves it, and join L1 and F with the rest, so L1 or F (the longest term-t log) wins t+2;
//      with l2RunUs, L2 first leads the majority side that long (committing term-t+1 entries
//      there, fewer than L1's term-t ones): then a correct vote check elects one of the rest,
//      and one that compares log lengths alone elects L1 or F, which erase what L2 committed;
//  (3) crashDelayMs after that leader L3 is elected (while it catches the others up on the
//      term-t entries, before its own entry reaches a majority) crash L1 and F and let L2 back:
//      L2's last term t+1 beats the term-t entries, so L2 wins and overwrites them.
// A correct leader never commits the term-t entries by counting, so nothing is lost; a leader
// with the planted bug commits them at step (3) and L2 erases committed entries.
import type { Cut } from '../world/partitions.ts';
import { groupsToCuts } from '../world/partitions.ts';
import type { Prng } from '../world/prng.ts';

/** How often the sequence looks at the cluster: well below a message's latency, so L2 is isolated before its entry lands. */
export const FIGURE8_POLL_US = 100;

export interface Figure8World {
  nowUs(): number;
  at(timeUs: number, fn: () => void): void;
  members(): readonly string[];
  leader(): string | undefined;
  /** The member's term and whether it believes it leads; undefined when down or unknown. */
  raftStatus(node: string): { isLeader: boolean; term: number } | undefined;
}

export interface Figure8Effects {
  /** Replaces this sequence's cuts (the nemesis composes them with other faults'). */
  setCuts(cuts: readonly Cut[]): void;
  crash(node: string): void;
  /** A member became a target (for the fault interval). */
  targeted(node: string): void;
}

type Phase = 'split' | 'l2-runs' | 'isolate-l2' | 'crash-l3' | 'done';

export class Figure8Sequence {
  private phase: Phase = 'split';
  private l1 = '';
  private f = '';
  private l2 = '';
  private l2Term = 0;
  private stopped = false;

  constructor(
    private readonly world: Figure8World,
    private readonly prng: Prng,
    private readonly effects: Figure8Effects,
    private readonly crashDelayUs: number,
    private readonly l2RunUs = 0,
  ) {}

  /** Step (1); returns false when the cluster is too small for the sequence (fewer than 5 members). */
  start(): boolean {
    const members = this.world.members();
    if (members.length < 5) return false;
    this.l1 = this.world.leader() ?? this.prng.pick(members);
    this.f = this.prng.pick(members.filter((m) => m !== this.l1));
    this.effects.targeted(this.l1);
    this.effects.targeted(this.f);
    this.effects.setCuts(groupsToCuts([[this.l1, this.f], members.filter((m) => m !== this.l1 && m !== this.f)]));
    this.poll();
    return true;
  }

  /** Ends the sequence (the fault healed): no further step runs. */
  stop(): void {
    this.stopped = true;
    this.phase = 'done';
  }

  private poll(): void {
    if (this.stopped || this.phase === 'done') return;
    this.step();
    if (this.phase === 'split' || this.phase === 'isolate-l2') this.world.at(this.world.nowUs() + FIGURE8_POLL_US, () => this.poll());
  }

  private step(): void {
    const members = this.world.members();
    if (this.phase === 'split') {
      const leader = this.world.leader();
      if (leader === undefined || leader === this.l1 || leader === this.f) return;
      this.l2 = leader;
      this.l2Term = this.world.raftStatus(leader)?.term ?? 0;
      this.effects.targeted(this.l2);
      if (this.l2RunUs === 0) return this.isolateL2(members);
      this.phase = 'l2-runs';
      this.world.at(this.world.nowUs() + this.l2RunUs, () => {
        if (this.stopped) return;
        this.isolateL2(this.world.members());
        this.poll();
      });
      return;
    }
    if (this.phase === 'isolate-l2') {
      const l3 = [this.l1, this.f].find((n) => {
        const s = this.world.raftStatus(n);
        return s !== undefined && s.isLeader && s.term > this.l2Term;
      });
      if (l3 === undefined) return;
      this.phase = 'crash-l3';
      this.world.at(this.world.nowUs() + this.crashDelayUs, () => this.crashL3());
    }
  }

  /** Step (2): L2 alone, L1 and F with the rest. */
  private isolateL2(members: readonly string[]): void {
    this.effects.setCuts(groupsToCuts([[this.l2], members.filter((m) => m !== this.l2)]));
    this.phase = 'isolate-l2';
  }

  private crashL3(): void {
    if (this.stopped) return;
    this.phase = 'done';
    // Both L1 and F go: either would out-vote L2 with a last term of t+2 once it has L3's entry.
    this.effects.crash(this.l1);
    this.effects.crash(this.f);
    this.effects.setCuts([]);
  }
}
