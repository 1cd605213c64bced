// A raft node the test scripts, for testing the member on its own: the test decides what is
// ready (committed entries, read states, soft state) and what the status says; the node
// records what the member proposed and which ReadIndex contexts it asked for.
import type { RaftPort, RaftReady, RaftStatus } from '../../src/server/raft-port.ts';

export class ScriptedRaft implements RaftPort {
  st: RaftStatus;
  /** Proposals the member made, in order (refused ones are not recorded). */
  readonly proposals: string[] = [];
  /** ReadIndex request contexts, in order. */
  readonly readContexts: string[] = [];
  /** Refuse every proposal, as raft does with no leader or a transfer under way. */
  dropProposals = false;
  /** The next Ready the member will see; cleared by advance(). */
  pending: RaftReady | undefined;

  constructor(st: RaftStatus = { lead: 1, term: 2, commit: 0, raftState: 'leader' }) {
    this.st = st;
  }

  tick(): void {}
  step(): void {}
  propose(data: string): boolean {
    if (this.dropProposals) return false;
    this.proposals.push(data);
    return true;
  }
  proposeConfChange(): boolean {
    return false;
  }
  readIndex(ctx: string): void {
    this.readContexts.push(ctx);
  }
  transferLeadership(): void {}
  reportSnapshot(): void {}
  applyConfChange(): never {
    throw new Error('no conf changes here');
  }
  hasReady(): boolean {
    return this.pending !== undefined;
  }
  ready(): RaftReady {
    if (this.pending === undefined) throw new Error('ready() with nothing pending');
    return this.pending;
  }
  advance(): void {
    this.pending = undefined;
  }
  status(): RaftStatus {
    return this.st;
  }
}
