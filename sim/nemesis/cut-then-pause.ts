// The cut-then-pause sequence (etcd#20418's setting, the stale-leader-reads scenario): the leader
// is cut off from every other member and paused a few ms later, as a GC pause that starts when
// its network fails. The others elect a new leader and write; the old one is resumed, still cut
// off, some ms after that. Whatever reached it meanwhile (client reads) it handles before any
// tick lets CheckQuorum notice that it lost its quorum: only the heartbeat round of a ReadIndex
// keeps such a read from being answered from its stale state.
import type { NemesisContext } from './fault-effects.ts';

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
  ) {
    this.termAtCut = ctx.world.raftStatus(leader)?.term ?? 0;
  }

  /** Schedules the pause; false when the member to cut is already down (nothing to do). */
  start(): boolean {
    if (this.ctx.down().has(this.leader)) return false;
    const world = this.ctx.world;
    world.at(world.nowUs() + this.pauseAfterUs, () => {
      if (this.stopped || this.ctx.down().has(this.leader)) return;
      this.ctx.pause(this.leader);
      this.paused = true;
      this.poll();
    });
    return true;
  }

  /** The fault healed: no pause starts any more (the heal resumes one that is on). */
  stop(): void {
    this.stopped = true;
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
