// stale-pre-vote-answered: a member that steps a pre-vote request of a term below its own answers
// it with a refusal in its own term (etcd-raft's Step, since etcd#8501). A pre-candidate moves
// its term only on such an answer: a member that kept an older term with the longest log (its
// elections were refused while members without PreVote, or a partition, moved the others'
// terms) otherwise pre-campaigns in its old term for ever, and the members with the newer term
// cannot win against its log: no leader (a cluster halfway through turning PreVote on).
// Judged on the messages the step queued (from `sentFrom` in the raft outbox); a pre-vote never
// moves the receiver's term, so its term after the step is the one the request met.
import type { Message } from '../../src/raft/types.ts';
import type { MemberHost } from './member-host.ts';

/** Why `host`'s step of the pre-vote request `m` broke the rule, or undefined. */
export function stalePreVoteUnanswered(host: MemberHost, m: Message, sentFrom: number): string | undefined {
  if (m.type !== 'MsgPreVote') return undefined;
  const r = host.recovered.raft.node.raft;
  if (m.term >= r.term) return undefined;
  const msgs = r.msgs;
  for (let i = sentFrom; i < msgs.length; i++) {
    const out = msgs[i] as Message;
    if (out.type === 'MsgPreVoteResp' && out.to === m.from && out.reject && out.term === r.term) return undefined;
  }
  return `stepped a pre-vote request of term ${m.term} from member ${m.from} in term ${r.term} without refusing it in term ${r.term}: the pre-candidate never learns the newer term, and if its log is the longest no member can win an election (etcd#8501)`;
}
