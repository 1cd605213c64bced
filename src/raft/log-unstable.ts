// Entries (and possibly a snapshot) that Raft has accepted but the host has not yet written to
// stable storage. Invariant: entries[i] has index offset + i; if a snapshot is present, offset
// is snapshot index + 1.
import type { Entry, Snapshot } from './types.ts';
import { raftViolation } from './errors.ts';

export class Unstable {
  snapshot: Snapshot | undefined = undefined;
  /** Planted bug (UnsafeOptions.forgetNewerSnapshot). */
  forgetNewerSnapshot = false;
  entries: Entry[] = [];
  offset: number;

  constructor(offset: number) {
    this.offset = offset;
  }

  /** The index of the first possible entry, if a snapshot is pending. */
  maybeFirstIndex(): number | undefined {
    return this.snapshot === undefined ? undefined : this.snapshot.metadata.index + 1;
  }

  maybeLastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot === undefined ? undefined : this.snapshot.metadata.index;
  }

  maybeTerm(i: number): number | undefined {
    if (i < this.offset) {
      if (this.snapshot !== undefined && this.snapshot.metadata.index === i) return this.snapshot.metadata.term;
      return undefined;
    }
    const last = this.maybeLastIndex();
    if (last === undefined || i > last) return undefined;
    return (this.entries[i - this.offset] as Entry).term;
  }

  /** The host has made entries up to (index i, term t) durable; drop them from here. */
  stableTo(i: number, t: number): void {
    const gt = this.maybeTerm(i);
    // A term mismatch means the entry was replaced since the Ready was built: keep it unstable.
    if (gt === undefined || gt !== t || i < this.offset) return;
    this.entries = this.entries.slice(i + 1 - this.offset);
    this.offset = i + 1;
    this.assertIndexed('stableTo');
  }

  stableSnapTo(i: number): void {
    // The planted bug forgets whatever snapshot is pending, also a newer one restored meanwhile.
    if (this.snapshot !== undefined && (this.snapshot.metadata.index === i || this.forgetNewerSnapshot)) this.snapshot = undefined;
  }

  restore(s: Snapshot): void {
    this.offset = s.metadata.index + 1;
    this.entries = [];
    this.snapshot = s;
    if (this.maybeFirstIndex() !== this.offset) throw raftViolation('unstable-snapshot-offset', `offset ${this.offset} after snapshot ${s.metadata.index}`);
  }

  truncateAndAppend(ents: readonly Entry[]): void {
    const after = (ents[0] as Entry).index;
    for (let k = 1; k < ents.length; k++) {
      if ((ents[k] as Entry).index !== after + k) throw raftViolation('append-contiguous', `entry ${k} of an append from ${after} has index ${(ents[k] as Entry).index}`);
    }
    if (after === this.offset + this.entries.length) {
      for (let i = 0; i < ents.length; i++) this.entries.push(ents[i] as Entry);
    } else if (after <= this.offset) {
      // The log is being replaced from before our offset: the new entries become everything.
      this.offset = after;
      this.entries = ents.slice();
    } else {
      this.entries = [...this.slice(this.offset, after), ...ents];
    }
    this.assertIndexed('truncateAndAppend');
  }

  /** entries[i] has index offset + i (checked at both ends), and a snapshot sits right before them. */
  private assertIndexed(after: string): void {
    const n = this.entries.length;
    if (!(n === 0 || ((this.entries[0] as Entry).index === this.offset && (this.entries[n - 1] as Entry).index === this.offset + n - 1))) throw raftViolation('unstable-indexed',
      `after ${after}: ${n} entries from ${this.entries[0]?.index} to ${this.entries[n - 1]?.index} at offset ${this.offset}`);
    if (!(this.snapshot === undefined || this.snapshot.metadata.index < this.offset)) throw raftViolation('unstable-snapshot-offset',
      `after ${after}: snapshot ${this.snapshot?.metadata.index} at or after offset ${this.offset}`);
  }

  slice(lo: number, hi: number): Entry[] {
    if (!(lo <= hi && lo >= this.offset && hi <= this.offset + this.entries.length)) throw raftViolation('unstable-slice-bounds',
      `slice [${lo},${hi}) outside [${this.offset},${this.offset + this.entries.length})`);
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
