// The flow-control window of one follower: the last index of each MsgApp sent but not yet
// acknowledged, at most `capacity` of them, oldest first (a ring buffer).
import { raftViolation } from '../errors.ts';

export class Inflights {
  readonly capacity: number;
  private start = 0;
  private countNow = 0;
  private readonly buffer: number[];

  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw raftViolation('inflights-capacity', `capacity ${capacity}`);
    this.capacity = capacity;
    this.buffer = new Array<number>(capacity).fill(0);
  }

  get count(): number {
    return this.countNow;
  }

  clone(): Inflights {
    const c = new Inflights(this.capacity);
    for (let i = 0; i < this.countNow; i++) c.add(this.at(i));
    return c;
  }

  private at(i: number): number {
    return this.buffer[(this.start + i) % this.capacity] as number;
  }

  /** Records a MsgApp whose last entry is `inflight`. Indexes must increase. */
  add(inflight: number): void {
    if (this.full()) throw raftViolation('inflights-not-full', `cannot add into a full inflights window`);
    if (!(this.countNow === 0 || this.at(this.countNow - 1) < inflight)) throw raftViolation('inflights-increasing',
      `added ${inflight} after ${this.at(this.countNow - 1)}`);
    this.buffer[(this.start + this.countNow) % this.capacity] = inflight;
    this.countNow++;
  }

  /** Frees every inflight message whose last index is <= `to` (they were acknowledged). */
  freeLE(to: number): void {
    if (this.countNow === 0 || to < this.at(0)) return;
    let i = 0;
    while (i < this.countNow && this.at(i) <= to) i++;
    this.countNow -= i;
    this.start = this.countNow === 0 ? 0 : (this.start + i) % this.capacity;
  }

  /** Frees the oldest one (a heartbeat response shows the follower is alive but slow). */
  freeFirstOne(): void {
    if (this.countNow > 0) this.freeLE(this.at(0));
  }

  full(): boolean {
    return this.countNow === this.capacity;
  }

  reset(): void {
    this.countNow = 0;
    this.start = 0;
  }
}
