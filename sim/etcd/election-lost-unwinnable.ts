// election-lost-unwinnable: a candidate (or pre-candidate) counts its election lost only when it can
// no longer win it: when the voters that refused leave too few of them, granted or yet to answer,
// for a majority of a half of its configuration (Raft §5.2: a candidate goes on until it wins,
// another server establishes itself as leader, or the election times out; etcd-raft's VoteResult
// answers VotePending while granted + missing >= quorum). One that gives up earlier (a quorum test
// off by one, a refusal counted twice, the wrong half) waits an election timeout or more for the
// next campaign while a slow voter's grant would have elected it: elections take longer under loss,
// which no history checker calls wrong. Judged at the member's step of an answer of its own
// campaign's kind in its own term (a higher term's answer moves it on, which is not giving up), from
// the votes it held and the configuration it counted them in just before, read here, not with
// raft's own quorum code.
import type { Message, NodeId } from '../../src/raft/types.ts';

/** What a (pre-)candidate held just before it stepped an answer to its vote requests. */
export interface CampaignBefore {
  readonly state: string;
  readonly term: number;
  readonly votes: ReadonlyMap<NodeId, boolean>;
  readonly incoming: readonly NodeId[];
  readonly outgoing: readonly NodeId[];
}

/** Why the answer `m` ended a campaign that could still be won, or undefined. */
export function lostWinnable(m: Message, before: CampaignBefore, stateAfter: string, termAfter: number): string | undefined {
  if (before.state !== 'candidate' && before.state !== 'pre-candidate') return undefined;
  const own = before.state === 'candidate' ? 'MsgVoteResp' : 'MsgPreVoteResp';
  if (m.type !== own || stateAfter !== 'follower' || termAfter !== before.term) return undefined;
  // The answer counts only if it is the member's first in this campaign (etcd-raft records the first).
  const votes = new Map(before.votes);
  if (!votes.has(m.from)) votes.set(m.from, !m.reject);
  if (!(winnable(before.incoming, votes) && winnable(before.outgoing, votes))) return undefined;
  const tally = [...votes].map(([id, v]) => `${id}:${v ? 'yes' : 'no'}`).join(' ');
  const config = before.outgoing.length > 0 ? `(${before.incoming.join(' ')})&&(${before.outgoing.join(' ')})` : `(${before.incoming.join(' ')})`;
  return `gave up its ${before.state === 'candidate' ? 'election' : 'pre-election'} of term ${before.term} on ${m.type} from ${m.from} with votes ${tally} in voters ${config}, where the voters yet to answer could still make a majority`;
}

/** Whether the granted votes and the voters yet to answer make a majority of `voters` (an empty half agrees). */
function winnable(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): boolean {
  if (voters.length === 0) return true;
  let possible = 0;
  for (const id of voters) if (votes.get(id) !== false) possible++;
  return 2 * possible > voters.length;
}
