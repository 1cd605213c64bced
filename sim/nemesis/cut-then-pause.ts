// The cut-then-pause sequence (etcd#20418's setting, the stale-leader-reads scenario): the leader
// is cut off from every other member and paused a few ms later, as a GC pause that starts when
// its network fails. The others elect a new leader and write; the old one is resumed, still cut
// off, some ms after that. Whatever reached it meanwhile (client reads) it handles before any
// tick lets CheckQuorum notice that it lost its quorum: only the heartbeat round of a ReadIndex
// keeps such a read from being answered from its stale state.
//
// With late answers, the others' links to the leader are slowed instead of cut from the start,
// and its own links are cut only when it pauses: the answers to the heartbeat rounds it sent
// until the pause (for reads its peers forwarded, and its own) reach it after it runs again,
// after the reads that came in meanwhile queued, followed by the new term. A leader that lets
// an old round's quorum release later reads answers them stale (etcd#20418's late heartbeat
// responses).
import type { NemesisContext } from './fault-effects.ts';
import type { Cut } from '../world/partitions.ts';

/** Late answers: the leader's own cuts (made when it pauses) and how much later the others' messages reach it. */
export interface LateAnswers {
  readonly outboundCuts: readonly Cut[];
  readonly answersUs: number;
}

/** How often the sequence looks for the new leader while the old one is paused. */
const POLL_US = 5_000;

export class CutThenPause {
  private stopped = false;
  private paused = false;
  private readonly termAtCut: number;

  constructor(
    private readonly ctx: NemesisContext,
    private readonly leader: string,
    private readonly pauseAfterUs: number,
    private readonly resumeAfterLeaderUs: number,
    private readonly late?: LateAnswers,
  ) {
    this.termAtCut = ctx.world.raftStatus(leader)?.term ?? 0;
  }

  /** The members whose links to the leader are slowed (late answers only). */
  private slowed: readonly string[] = [];

  /** Schedules the pause; false when the member to cut is already down (nothing to do). */
  start(): boolean {
    if (this.ctx.down().has(this.leader)) return false;
    const world = this.ctx.world;
    if (this.late !== undefined) {
      this.slowed = world.members().filter((m) => m !== this.leader);
      for (const m of this.slowed) world.slowLink(m, this.leader, this.late.answersUs);
    }
    world.at(world.nowUs() + this.pauseAfterUs, () => {
      if (this.stopped || this.ctx.down().has(this.leader)) return;
      if (this.late !== undefined) this.ctx.setOwnCuts(this.late.outboundCuts);
      this.ctx.pause(this.leader);
      this.paused = true;
      this.poll();
    });
    return true;
  }

  /** The fault healed: no pause starts any more (the heal resumes one that is on). */
  stop(): void {
    this.stopped = true;
    const slowed = this.slowed;
    this.slowed = [];
    for (const m of slowed) this.ctx.world.slowLink(m, this.leader, undefined);
  }

  private poll(): void {
    if (this.stopped) return;
    const world = this.ctx.world;
    const next = world.members().some((m) => m !== this.leader && (world.raftStatus(m)?.isLeader ?? false) && (world.raftStatus(m)?.term ?? 0) > this.termAtCut);
    if (!next) {
      world.at(world.nowUs() + POLL_US, () => this.poll());
      return;
    }
    world.at(world.nowUs() + this.resumeAfterLeaderUs, () => {
      if (this.stopped || !this.paused) return;
      this.paused = false;
      this.ctx.resume(this.leader);
    });
  }
}
