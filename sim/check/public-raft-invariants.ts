// RaftInvariants as the package exports it (detcd/check): the views and acknowledged entries a
// program hands it are typed and bounded first (raft-view-argument.ts), then the observer the
// simulator runs after every event (raft-invariants.ts, fed its own members unchecked) judges them.
import { badArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import { RaftInvariants as Observer } from './raft-invariants.ts';
import type { RaftView, ViewEntry, Violation } from './raft-invariants.ts';
import { raftViewsArgument, viewEntryArgument } from './raft-view-argument.ts';

export class RaftInvariants extends Observer {
  override check(views: Iterable<RaftView>): Violation | undefined {
    if (this.violation !== undefined) return this.violation;
    return super.check(raftViewsArgument('RaftInvariants.check', views, (id, incarnation) => this.appliedWalkFrom(id, incarnation)));
  }

  override recordAck(member: string, index: number, entry: ViewEntry): Violation | undefined {
    const fn = 'RaftInvariants.recordAck';
    if (typeof member !== 'string' || member.length === 0) throw badArgument(fn, 'member', 'must be a member name', member);
    return super.recordAck(member, checkWholeArgument(fn, 'index', index, 0), viewEntryArgument(fn, 'entry', entry, false)!);
  }
}
