// Invariants of a simulated etcd cluster that need more than one member's raft log: durable
// state across crashes, what the network lets a member hear, and the state machine behind raft.
// Checked after every world event (and on every vote a member sends); the first violation
// throws with the invariant's name, like the Raft observer (sim/check/raft-invariants.ts):
//
// - vote-once: a member never grants its vote to two candidates in one term, across crashes
//   (a vote answered before term and vote were durable is forgotten by a crash: hashicorp/raft#661).
// - applied-durable-majority: an entry a member applies (committed, so possibly acknowledged to
//   a client) is on the durable logs of enough voters that no quorum of the member's
//   configuration can be formed without one of them (a lost fsync breaks it; see durable-quorum.ts).
// - applied-monotonic: a member's state machine (its consistent index, its revision) never
//   goes backwards, across crashes too (an older snapshot over newer state: etcd#2808 class).
// - check-quorum-step-down: with CheckQuorum, a leader that cannot hear from a quorum steps
//   down within a bounded number of election timeouts of its own clock (etcd#8243 class).
// - pre-vote-term: with PreVote, a member that cannot hear from a quorum never raises its term
//   above every other member's: when it rejoins it cannot depose a stable leader (etcd#9586 class).
// - pre-vote-lease: with PreVote and CheckQuorum, a member that heard from its leader within the
//   election timeout grants no pre-vote for a later term than its own (Raft thesis §4.2.3): otherwise a member rejoining after a
//   partition wins a pre-vote, campaigns, and its higher term deposes a stable leader (etcd#8243).
// - vote-up-to-date: a member grants a vote or pre-vote only to a candidate whose log is at least
//   as up to date as its own when the request arrived: a later last term, or the same last term
//   and a last index at least its own (Raft §5.4.1, the election restriction; etcd-raft's
//   isUpToDate). Any weakening of the check shows at the first grant it changes, whether or not
//   the election it decides then loses a committed entry.
// - conf-change-pending: a leader appends a conf change only when every earlier conf change in
//   its log is committed: one change at a time, and none behind an older term's uncommitted
//   change (etcd-raft's pendingConfIndex; Ongaro, raft-dev 2015: two changes in flight have
//   majorities that need not overlap, and the cluster splits).
// - conf-change-applied-first: a leader appends a conf change only when it has applied every earlier
//   conf change in its log (etcd-raft refuses one while pendingConfIndex > applied): a configuration
//   takes effect as it applies, so a change validated before the previous one applied acts on a
//   configuration that no longer holds, and two changes apart have majorities that need not overlap.
// - leader-is-voter: a member leads only as a voter of its own configuration: a learner never
//   leads (leader-voter.ts).
// - leader-has-votes: a member that leads term T holds the votes of a quorum of its voters in T
//   (itself included): each granted vote is seen when it is sent (vote-once's record), so a
//   leader that counted anything else (a pre-vote, a refusal, a vote of another term) shows
//   at once, whether or not a second leader of T ever appears.
// - answer-covers-commit: an ok answer to a linearizable KV request comes from a state machine
//   that applied every entry committed anywhere before the request reached the member: no stale
//   read, however the read index or lease went wrong (answer-covers-commit.ts; not with
//   readOnly lease-based, whose stale reads are documented anomalies).
// - stale-leader-answered: with PreVote or CheckQuorum, a member that receives an append or a
//   heartbeat of a term below its own answers the sender with its term (Raft §5.1: the reply
//   carries the current term "for the leader to update itself"). Both features make members
//   ignore what would otherwise depose a stale leader (a vote request of a member it cannot
//   beat, or one inside the lease), so this answer is how it learns: without it a member whose
//   term moved ahead never rejoins and the leader never steps down (etcd#8243, etcd#9586).
// - higher-term-adopted: a member that steps a message of a term above its own moves to that term
//   before it acts on the message, and a leader steps down (Raft §5.1: "if one server's current
//   term is smaller than the other's, then it updates its current term to the larger value; if a
//   candidate or leader discovers that its term is out of date, it immediately reverts to follower
//   state"). Not judged: vote and pre-vote requests (a leader lease may ignore them, and a pre-vote
//   never moves a term) and granted pre-vote answers (etcd-raft's Step makes the same exceptions).
//   A leader that kept its term on a heartbeat answer from a newer term could count that answer as
//   a ReadIndex acknowledgement from a member that already follows another leader.
// - recovered-durable: a member restarted from its disk comes back with everything its last
//   incarnation had made durable (fsynced): its term and commit no lower, and the last entry of
//   its stable log there with the same term (or inside its recovered snapshot). A crash loses
//   only unsynced writes; recovery that loses more (a torn record left in the WAL so that the
//   next restart stops reading there, the first hard-state record read instead of the last, an
//   acknowledged snapshot never fsynced) lets a member forget a vote or an entry it acknowledged.
// - campaign-conf-applied: a member campaigns (becomes pre-candidate or candidate) only when every
//   conf change its log holds as committed is applied (etcd-raft's hup refuses otherwise): it
//   would count votes under the configuration it still holds, not the one already committed.
//   Read at the end of the event the campaign happened in (its election clock then reads 0).
// - config-at-applied: members whose raft applied the same entries hold the same configuration,
//   and each member records the configuration its raft holds (config-at-applied.ts).
// - reply-once: a member incarnation answers each client request once (reply-once.ts).
// - header-term-not-stale: an answer's header carries a raft term no lower than the member's when
//   the request arrived (header-term.ts).
// - token-index-waited: a member answers "invalid auth token" only once it applied the raft index
//   the simple token was issued at, or its request timeout passed (token-index-waited.ts).
// - ack-matches-leader, acked-entries-kept: an accepted append acknowledgement names only entries
//   the member holds as the leader of its term does, and while its term lasts the member keeps
//   them (replication-acks.ts).
// - campaign-while-led, check-quorum-unforced: no election that nothing forced: a member campaigns
//   only after an election timeout without its leader's messages, and a leader steps down by
//   CheckQuorum only after an election timeout without a quorum's answers (unforced-elections.ts).
// - transfer-target-up-to-date: a member's forced campaign carries a log at least as up to date as
//   the one its old leader had when it handed it leadership: MsgTimeoutNow goes only to a member
//   that acknowledged the leader's whole log (transfer-target.ts).
// - transfer-campaign-forced: a member campaigns on MsgTimeoutNow with vote requests marked as a
//   transfer, which break the leader lease; not a pre-vote (transfer-target.ts); and marks no
//   other campaign's requests so (campaign-requests.ts).
// - campaign-asks-every-voter: a campaign asks every other voter of the candidate's configuration,
//   of both halves of a joint one, for its (pre-)vote (campaign-requests.ts).
// - read-index-served: a leader releases a ReadIndex read (ReadOnlySafe) once a quorum of its
//   voters, itself included, answered a heartbeat carrying it (read-index-served.ts).
// - stale-pre-vote-answered: a member refuses a pre-vote request of a term below its own in its own
//   term, whatever its PreVote setting, so that a pre-candidate left in an older term learns the
//   newer one (etcd#8501; stale-pre-vote.ts).
// - election-lost-unwinnable: a candidate or pre-candidate counts its campaign lost only when the
//   voters that refused leave no majority possible (election-lost-unwinnable.ts).
import { InvariantViolation } from '../../src/invariant-violation.ts';
import type { Message } from '../../src/raft/types.ts';
import type { ClientReplyMessage, ClientRequestMessage, WatchResponseMessage, WatchSendMessage } from '../../src/server/client-protocol.ts';
import type { NotJudged } from '../check/not-judged.ts';
import { viewEntryAt } from '../check/raft-invariants.ts';
import type { World } from '../world/world.ts';
import { AnswerCoversCommit } from './answer-covers-commit.ts';
import { ReplyOnce } from './reply-once.ts';
import { HeaderTerm } from './header-term.ts';
import { TokenIndexWaited } from './token-index-waited.ts';
import { ReplicationAcks } from './replication-acks.ts';
import { quorumWithoutHolder } from './durable-quorum.ts';
import { leaderOutsideVoters } from './leader-voter.ts';
import { ConfigAtApplied } from './config-at-applied.ts';
import { UnforcedElections } from './unforced-elections.ts';
import { TransferTargets, timeoutNowBeforeCaughtUp, transferCampaignUnforced } from './transfer-target.ts';
import { ReadIndexServed } from './read-index-served.ts';
import { stalePreVoteUnanswered } from './stale-pre-vote.ts';
import type { CampaignBefore } from './election-lost-unwinnable.ts';
import { lostWinnable } from './election-lost-unwinnable.ts';
import { CampaignRequests } from './campaign-requests.ts';
import type { MemberHost, VoteRequestSeen } from './member-host.ts';

export type ClusterInvariantName = 'stale-leader-answered' | 'vote-once' | 'leader-has-votes' | 'vote-up-to-date' | 'applied-durable-majority' | 'applied-monotonic' | 'check-quorum-step-down' | 'pre-vote-term' | 'pre-vote-lease' | 'conf-change-pending' | 'leader-is-voter' | 'answer-covers-commit' | 'ack-matches-leader' | 'acked-entries-kept' | 'recovered-durable' | 'higher-term-adopted' | 'campaign-conf-applied' | 'config-at-applied' | 'reply-once' | 'header-term-not-stale' | 'token-index-waited' | 'campaign-while-led' | 'check-quorum-unforced' | 'transfer-target-up-to-date' | 'conf-change-applied-first' | 'check-quorum-unheard' | 'read-index-served' | 'transfer-campaign-forced' | 'stale-pre-vote-answered' | 'campaign-asks-every-voter' | 'election-lost-unwinnable';

export interface ClusterViolation {
  readonly invariant: ClusterInvariantName;
  readonly member: string;
  readonly atUs: number;
  readonly detail: string;
}

export interface ClusterInvariantOptions {
  readonly checkQuorum: boolean;
  readonly preVote: boolean;
  /** readOnly lease-based: answer-covers-commit is not judged (stale lease reads are documented anomalies). */
  readonly leaseReads?: boolean;
  /** One election timeout of a member's own clock, µs. */
  readonly electionTimeoutUs: number;
  readonly tickUs: number;
}

/** What the observer reads from the cluster: endpoints, their hosts (the last incarnation, up or down) and raft ids. */
export interface ObservedCluster {
  readonly world: World;
  readonly names: readonly string[];
  readonly hosts: ReadonlyMap<string, MemberHost>;
  nameOf(raftId: number): string;
  viewId(name: string, raftId: number): string;
}

/** A leader that cannot hear from a quorum for this many election timeouts (its clock) broke check-quorum-step-down. */
const CHECK_QUORUM_TIMEOUTS_MAX = 3;
/** Applied entries checked per member per event (a snapshot install jumps further; those are in the snapshot). */
const APPLIED_CHECKED_PER_EVENT_MAX = 10_000;
/** Bound on votes remembered (member × term). */
const VOTES_KEPT_MAX = 1_000_000;
const PPM = 1_000_000;
/** Uncommitted entries of a leader's log read per member per event for conf-change-pending. */
const CONF_SCAN_PER_EVENT_MAX = 10_000;

/** What conf-change-pending knows of one leader: its uncommitted conf changes, in log order. */
interface LeaderConfChanges {
  incarnation: number;
  term: number;
  /** The log read up to here. */
  scannedTo: number;
  /** Indexes of conf changes above the commit index when last looked at. */
  uncommitted: number[];
  /** Indexes of conf changes above the leader's applied index when last looked at. */
  unapplied: number[];
}

interface Seen {
  consistentIndex: number;
  applied: number;
  incarnation: number;
  term: number;
  /** World µs since the member (a leader) could not hear from a quorum. */
  cutOffSinceUs: number | undefined;
  /** The host's version (MemberHost.version) when a check last found nothing. */
  version: number | undefined;
  /** The last term leader-has-votes looked at for this member (0: none): spares the member@term key after every event it leads. */
  leaderVotesTerm: number;
}

/**
 * The last hearsFromQuorum answer for a member: it stays right while the network's cuts and
 * clogs (linksVersion) and the member's configuration (the same voter arrays) stay the same.
 */
interface Heard {
  linksVersion: number;
  voters: readonly number[];
  votersOutgoing: readonly number[];
  votersLength: number;
  votersOutgoingLength: number;
  heard: boolean;
}

/** A member up, its host, and (once looked up) what the checks saw of that host. */
interface LiveHost {
  readonly name: string;
  readonly host: MemberHost;
  seen: Seen | undefined;
}

export class ClusterInvariants {
  private readonly votes = new Map<string, number>();
  /** Leaders (member@term) leader-has-votes has looked at. */
  private readonly leadersChecked = new Set<string>();
  private readonly seen = new Map<string, Seen>();
  /** The highest term each member ever had (across incarnations). */
  private readonly termMax = new Map<string, number>();
  private readonly leaderConfChanges = new Map<string, LeaderConfChanges>();
  private readonly heardOf = new Map<string, Heard>();
  private readonly configs = new ConfigAtApplied();
  private readonly unforced = new UnforcedElections();
  private readonly transfers = new TransferTargets();
  private readonly campaigns = new CampaignRequests();
  private readonly reads = new ReadIndexServed();
  private found: ClusterViolation | undefined;
  /** liveHosts() as of the world's lifecycleVersion liveLifecycle (-1: never built). */
  private live: readonly LiveHost[] = [];
  private liveLifecycle = -1;
  /** As of the last check that looked: the members' summed versions, the lifecycle, the links, and whether a leader's step-down clock ran. */
  private checkedTurns = -1;
  private checkedLifecycle = -1;
  private checkedLinks = -1;
  private cutOffLeader = false;
  checks = 0;
  votesSeen = 0;
  private readonly answers: AnswerCoversCommit;
  private readonly replies: ReplyOnce;
  private readonly headerTerms: HeaderTerm;
  private readonly tokens: TokenIndexWaited;
  private readonly acks: ReplicationAcks;
  /** The entry quorumWithoutHolder asks about, for holdsEntry. */
  private holdsIndex = 0;
  private holdsTerm = 0;
  private readonly holdsEntry = (raftId: number): boolean => this.durablyHolds(raftId, this.holdsIndex, this.holdsTerm);
  private readonly nameOfRaftId = (raftId: number): string => this.cluster.nameOf(raftId);

  constructor(
    private readonly cluster: ObservedCluster,
    private readonly options: ClusterInvariantOptions,
  ) {
    this.answers = new AnswerCoversCommit({ hosts: cluster.hosts, fail: (member, detail) => this.fail('answer-covers-commit', member, detail) });
    this.replies = new ReplyOnce({ fail: (member, detail) => this.fail('reply-once', member, detail) });
    this.headerTerms = new HeaderTerm({ fail: (member, detail) => this.fail('header-term-not-stale', member, detail) });
    this.tokens = new TokenIndexWaited({ fail: (member, detail) => this.fail('token-index-waited', member, detail) });
    this.acks = new ReplicationAcks({
      hostOf: (raftId) => {
        const host = cluster.hosts.get(cluster.nameOf(raftId));
        return host !== undefined && host.config.id === raftId ? host : undefined;
      },
      fail: (invariant, member, detail) => this.fail(invariant, member, detail),
    });
  }

  /** A client request reached a member (answer-covers-commit notes the cluster's commit index, token-index-waited a token's index). */
  onClientRequest(host: MemberHost, from: string, m: ClientRequestMessage): void {
    if (this.found !== undefined) return;
    if (this.options.leaseReads !== true) this.answers.onRequest(host, from, m);
    this.tokens.onRequest(host, from, m);
    this.headerTerms.onRequest(host, from, m);
  }

  /** A member answered a client: an ok linearizable answer must cover what was committed before the request arrived; one answer per request; no early "invalid auth token". */
  onClientReply(host: MemberHost, to: string, m: ClientReplyMessage): void {
    if (this.found !== undefined) return;
    if (this.options.leaseReads !== true) this.answers.onReply(host, to, m);
    this.replies.onReply(host, to, m);
    this.tokens.onReply(host, to, m);
    this.headerTerms.onReply(host, to, m);
  }

  /** A client opened a watch stream on a member (token-index-waited keeps the index of its simple token). */
  onClientWatchOpen(host: MemberHost, from: string, m: WatchSendMessage): void {
    this.tokens.onWatchOpen(host, from, m);
  }

  /** A member sent a watch response: no early "invalid auth token" to a create. */
  onClientWatchResponse(host: MemberHost, to: string, m: WatchResponseMessage): void {
    if (this.found !== undefined) return;
    this.tokens.onWatchResponse(host, to, m);
  }

  /** What the cluster invariants saw and did not judge, by class. */
  notJudged(): NotJudged[] {
    return this.tokens.notJudged();
  }

  /** Linearizable answers answer-covers-commit judged. */
  get answersJudged(): number {
    return this.answers.judged;
  }

  get violation(): ClusterViolation | undefined {
    return this.found;
  }

  /**
   * A member sent a raft message: a granted vote binds it for that term, and so does asking for
   * votes (a candidate votes for itself). Both are visible to others, so both must be durable.
   */
  onRaftSend(host: MemberHost, m: Message): void {
    if (this.found !== undefined) return;
    if (m.type === 'MsgVoteResp' && !m.reject) this.recordVote(host, m.term, m.to);
    else if (m.type === 'MsgVote') this.recordVote(host, m.term, host.config.id);
    else if (m.type === 'MsgAppResp') this.acks.onSend(host, m);
    else if (m.type === 'MsgTimeoutNow') this.transfers.onSend(host, m);
    const forced = this.campaigns.onSend(host, m);
    if (forced !== undefined) this.fail('transfer-campaign-forced', host.id, forced);
  }

  /**
   * A member granted or refused a vote or pre-vote request, knowing `seen`. pre-vote-lease: no
   * pre-vote granted while it heard from its leader (PreVote with CheckQuorum); vote-up-to-date:
   * no vote or pre-vote granted to a log behind its own (Raft §5.4.1).
   */
  onVoteRequest(host: MemberHost, m: Message, seen: VoteRequestSeen, granted: boolean): void {
    if (this.found !== undefined) return;
    const transfer = this.transfers.judge(host, m);
    if (transfer !== undefined) return this.fail('transfer-target-up-to-date', host.id, transfer);
    if (!granted) return;
    if (m.type === 'MsgPreVote' && seen.inLease && host.config.preVote && checkQuorumOf(host)) {
      this.fail('pre-vote-lease', host.id, `granted ${this.cluster.nameOf(m.from)} a pre-vote for term ${m.term} while it had heard from its leader within the election timeout`);
      return;
    }
    const ours = seen;
    if (m.logTerm > ours.term || (m.logTerm === ours.term && m.index >= ours.index)) return;
    const what = m.type === 'MsgPreVote' ? 'pre-vote' : 'vote';
    this.fail('vote-up-to-date', host.id, `granted ${this.cluster.nameOf(m.from)} a ${what} for term ${m.term} though its log (last index ${m.index}, term ${m.logTerm}) is behind ours (last index ${ours.index}, term ${ours.term})`);
  }

  /** stale-leader-answered: a stale leader's append or heartbeat is answered with the member's newer term. */
  onStaleLeaderMessage(host: MemberHost, m: Message, answered: boolean): void {
    if (this.found !== undefined || answered || !(host.config.preVote || checkQuorumOf(host))) return;
    this.fail('stale-leader-answered', host.id, `ignored ${m.type} of term ${m.term} from ${this.cluster.nameOf(m.from)} in term ${host.term} without telling it the newer term (PreVote ${host.config.preVote ? 'on' : 'off'}, CheckQuorum ${checkQuorumOf(host) ? 'on' : 'off'})`);
  }

  /** election-lost-unwinnable: a (pre-)candidate gives up its campaign only when it can no longer win it. */
  onVoteResponse(host: MemberHost, m: Message, before: CampaignBefore, stateAfter: string, termAfter: number): void {
    if (this.found !== undefined) return;
    const early = lostWinnable(m, before, stateAfter, termAfter);
    if (early !== undefined) this.fail('election-lost-unwinnable', host.id, early);
  }

  /** higher-term-adopted: a message of a higher term moves the member to that term, and a leader steps down. */
  onHigherTermMessage(host: MemberHost, m: Message, termBefore: number, termAfter: number, leaderAfter: boolean): void {
    if (this.found !== undefined) return;
    if (termAfter >= m.term && !leaderAfter) return;
    const what = termAfter >= m.term ? `moved to term ${termAfter} and leads` : `stayed in term ${termAfter}${leaderAfter ? ' and still leads' : ''}`;
    this.fail('higher-term-adopted', host.id, `stepped ${m.type} of term ${m.term} from ${this.cluster.nameOf(m.from)} in term ${termBefore} and ${what} (Raft §5.1: a newer term is adopted, and a leader steps down, before the message is acted on)`);
  }

  /**
   * A member's raft stepped a message addressed to it (campaign-while-led and check-quorum-unforced
   * read what it heard); read-index-served judges a leader's heartbeat answers, transfer-campaign-forced
   * the campaign a MsgTimeoutNow starts, stale-pre-vote-answered the answer to an older term's
   * pre-vote (the messages the step queued, from `sentFrom` on).
   */
  onRaftStepped(host: MemberHost, m: Message, sentFrom: number): void {
    if (this.found !== undefined) return;
    this.unforced.onStepped(host, m, this.cluster.world.loop.now());
    if (m.type === 'MsgHeartbeatResp') {
      const unserved = this.reads.onStepped(host, m);
      if (unserved !== undefined) this.fail('read-index-served', host.id, unserved);
    } else if (m.type === 'MsgAppResp') {
      const early = timeoutNowBeforeCaughtUp(host, sentFrom);
      if (early !== undefined) this.fail('transfer-target-up-to-date', host.id, early);
    } else if (m.type === 'MsgTimeoutNow') {
      this.campaigns.onTimeoutNowStepped(host);
      const unforced = transferCampaignUnforced(host, sentFrom);
      if (unforced !== undefined) this.fail('transfer-campaign-forced', host.id, unforced);
    } else if (m.type === 'MsgPreVote') {
      const unanswered = stalePreVoteUnanswered(host, m, sentFrom);
      if (unanswered !== undefined) this.fail('stale-pre-vote-answered', host.id, unanswered);
    }
  }

  /** recovered-durable: a restarted member recovers at least what its previous incarnation made durable. */
  onRestart(before: MemberHost, after: MemberHost): void {
    if (this.found !== undefined) return;
    const hs = after.recovered.storage.hardState;
    if (hs.term < before.durableTerm || hs.commit < before.durableCommit) {
      this.fail('recovered-durable', after.id, `restarted with term ${hs.term}, commit ${hs.commit} though its disk had made term ${before.durableTerm}, commit ${before.durableCommit} durable`);
      return;
    }
    // The old incarnation's stable storage holds only what its fsyncs completed (the host hands a Ready back after them).
    const old = before.recovered.storage;
    const last = old.lastIndex();
    const term = old.term(last);
    const fresh = after.recovered.storage;
    if (typeof term !== 'number' || last <= fresh.snapshot().metadata.index) return;
    const now = fresh.term(last);
    if (now !== term) this.fail('recovered-durable', after.id, `restarted without entry ${last} (term ${term}) that its disk had made durable (recovered: ${typeof now === 'number' ? `term ${now}` : 'missing'}, last index ${fresh.lastIndex()}, snapshot ${fresh.snapshot().metadata.index})`);
  }

  private recordVote(host: MemberHost, term: number, candidate: number): void {
    this.votesSeen++;
    const key = `${host.id}@${term}`;
    const before = this.votes.get(key);
    if (before === undefined) {
      if (this.votes.size < VOTES_KEPT_MAX) this.votes.set(key, candidate);
      return;
    }
    if (before !== candidate) {
      this.fail('vote-once', host.id, `voted for ${this.cluster.nameOf(before)} and then for ${this.cluster.nameOf(candidate)} in term ${term}${host.incarnation > 1 ? ` (incarnation ${host.incarnation})` : ''}`);
    }
  }

  /** leader-has-votes: a leader of term T was granted T's votes by a quorum of its voters (itself included). */
  private checkLeaderVotes(host: MemberHost, seen: Seen): void {
    // Looked at already (the key below is in leadersChecked): the common case, a leader that keeps leading.
    // The count is a method of its own: its closure's variables would make V8 allocate a context
    // at every call of the method holding them, this early return included (every event a leader runs).
    if (seen.leaderVotesTerm !== host.term) this.countLeaderVotes(host, seen);
  }

  private countLeaderVotes(host: MemberHost, seen: Seen): void {
    const term = host.term;
    const key = `${host.id}@${term}`;
    // Votes past the bound are not remembered: nothing to count them by then.
    if (this.leadersChecked.has(key) || this.votes.size >= VOTES_KEPT_MAX) return;
    this.leadersChecked.add(key);
    seen.leaderVotesTerm = term;
    const me = host.config.id;
    const granted = (v: number): boolean => v === me || this.votes.get(`${this.cluster.viewId(this.cluster.nameOf(v), v)}@${term}`) === me;
    const cs = host.member.membership;
    for (const voters of [cs.voters, cs.votersOutgoing]) {
      if (voters.length === 0) continue;
      const yes = voters.filter(granted);
      if (yes.length * 2 > voters.length) continue;
      return this.fail('leader-has-votes', host.id, `leads term ${term} with the votes of ${yes.length} of its ${voters.length} voters (${yes.map((v) => this.cluster.nameOf(v)).join(', ')})`);
    }
  }

  /** Checks every live member; throws at the first violation. */
  checkOrThrow(): void {
    if (this.found === undefined) this.check();
    const v = this.found;
    if (v !== undefined) throw new InvariantViolation({ layer: 'raft', invariant: v.invariant, member: v.member, detail: v.detail, facts: { atMs: Math.round(v.atUs / 1000) } });
  }

  private check(): void {
    this.checks++;
    const unasked = this.campaigns.endOfEvent();
    if (unasked !== undefined) return this.fail('campaign-asks-every-voter', unasked.member, unasked.detail);
    const live = this.liveHosts();
    // Nothing to look at when no member ran, the same members are up, the links are as they
    // were and no leader's step-down clock is running (the one check that runs on time).
    const world = this.cluster.world;
    let turns = 0;
    for (let k = 0; k < live.length; k++) turns += (live[k] as LiveHost).host.version;
    const linksVersion = world.network.linksVersion;
    if (turns === this.checkedTurns && this.liveLifecycle === this.checkedLifecycle && linksVersion === this.checkedLinks && !this.cutOffLeader) return;
    this.checkedTurns = -1;
    this.cutOffLeader = false;
    for (let k = 0; k < live.length; k++) {
      const slot = live[k] as LiveHost;
      const name = slot.name;
      const host = slot.host;
      if (host.member.removed) continue;
      const seen = (slot.seen ??= this.seenOf(host));
      // A member whose host did not run since it was last checked has the same applied index,
      // term, role, log and configuration: nothing below can find anything new, except a
      // leader's step-down bound, which runs on the world's time and links.
      if (seen.version === host.version && seen.incarnation === host.incarnation) {
        if (host.isLeader) {
          this.checkStepDown(name, host, seen);
          if (this.found !== undefined) return;
        }
        continue;
      }
      this.checkApplied(host, seen);
      this.acks.checkKept(host);
      this.checkTerm(name, host, seen);
      this.checkStepDown(name, host, seen);
      this.checkConfChanges(host);
      this.checkCampaignConfApplied(host);
      const unforced = this.unforced.check(host, world.loop.now());
      if (unforced !== undefined) this.fail(unforced.invariant, host.id, unforced.detail);
      const config = this.configs.check(host.id, host.recovered.raft.node.raft);
      if (config !== undefined) this.fail('config-at-applied', host.id, config);
      const recorded = this.configs.checkMember(host.recovered.raft.node.raft, host.member.membership);
      if (recorded !== undefined) this.fail('config-at-applied', host.id, recorded);
      // leader-is-voter (leader-voter.ts): no learner, nor a member outside the config, leads.
      const outside = host.isLeader ? leaderOutsideVoters(host.recovered.raft.node.raft) : undefined;
      if (outside !== undefined) this.fail('leader-is-voter', host.id, outside);
      if (host.isLeader) this.checkLeaderVotes(host, seen);
      if (this.found !== undefined) return;
      seen.version = host.version;
    }
    for (let k = 0; k < live.length; k++) if ((live[k] as LiveHost).seen?.cutOffSinceUs !== undefined) this.cutOffLeader = true;
    this.checkedTurns = turns;
    this.checkedLifecycle = this.liveLifecycle;
    this.checkedLinks = linksVersion;
  }

  /** The members up, with their hosts, in the cluster's order: rebuilt only when the world's lifecycle changed. */
  private liveHosts(): readonly LiveHost[] {
    const world = this.cluster.world;
    const lifecycle = world.lifecycleVersion;
    if (lifecycle === this.liveLifecycle) return this.live;
    const live: LiveHost[] = [];
    for (const name of this.cluster.names) {
      const host = this.cluster.hosts.get(name);
      if (host !== undefined && world.isUp(name)) live.push({ name, host, seen: undefined });
    }
    this.live = live;
    this.liveLifecycle = lifecycle;
    return live;
  }

  private seenOf(host: MemberHost): Seen {
    let s = this.seen.get(host.id);
    if (s === undefined) {
      s = { consistentIndex: 0, applied: 0, incarnation: host.incarnation, term: 0, cutOffSinceUs: undefined, version: undefined, leaderVotesTerm: 0 };
      this.seen.set(host.id, s);
    }
    return s;
  }

  /** applied-monotonic and applied-durable-majority. */
  private checkApplied(host: MemberHost, seen: Seen): void {
    const ci = host.member.stateMachine.consistentIndex();
    if (ci < seen.consistentIndex) {
      return this.fail('applied-monotonic', host.id, `state machine went back from index ${seen.consistentIndex} to ${ci}${seen.incarnation !== host.incarnation ? ' across a restart' : ''}`);
    }
    seen.consistentIndex = ci;
    if (seen.incarnation !== host.incarnation) {
      seen.incarnation = host.incarnation;
      seen.applied = 0;
    }
    const applied = host.member.applied;
    const from = Math.max(seen.applied + 1, applied - APPLIED_CHECKED_PER_EVENT_MAX + 1);
    for (let i = from; i <= applied; i++) {
      const e = host.appliedEntry(i);
      if (e === undefined) continue;
      const missing = this.quorumWithoutHolder(host, i, e.term);
      if (missing !== undefined) return this.fail('applied-durable-majority', host.id, `applied entry ${i} of term ${e.term}, durable on ${missing}`);
    }
    seen.applied = Math.max(seen.applied, applied);
  }

  /** Undefined when every quorum of the member's configuration contains a durable holder of (i, term); else who holds it. */
  private quorumWithoutHolder(host: MemberHost, i: number, term: number): string | undefined {
    const cs = host.member.membership;
    // Two functions made once, reading the entry from fields: this runs for every applied entry.
    this.holdsIndex = i;
    this.holdsTerm = term;
    return quorumWithoutHolder(cs.voters, cs.votersOutgoing, this.holdsEntry, this.nameOfRaftId);
  }

  /** True when voter `raftId`'s durable log (its storage mirrors its disk, up or down) has entry (i, term) or a snapshot past i. */
  private durablyHolds(raftId: number, i: number, term: number): boolean {
    const host = this.cluster.hosts.get(this.cluster.nameOf(raftId));
    if (host === undefined || host.config.id !== raftId) return false;
    const storage = host.recovered.storage;
    if (i <= storage.snapshot().metadata.index) return true;
    if (i > storage.lastIndex()) return false;
    return storage.term(i) === term;
  }

  /** pre-vote-term: a member that cannot hear from a quorum never takes a term above everyone's. */
  private checkTerm(name: string, host: MemberHost, seen: Seen): void {
    const term = host.term;
    const raised = term > seen.term && seen.term > 0;
    seen.term = term;
    const before = this.termMax.get(host.id) ?? 0;
    if (term > before) this.termMax.set(host.id, term);
    if (!raised || !host.config.preVote || term <= before) return;
    let others = 0;
    for (const [id, t] of this.termMax) if (id !== host.id && t > others) others = t;
    if (term <= others || this.hearsFromQuorum(name, host)) return;
    this.fail('pre-vote-term', host.id, `raised its term to ${term}, above every other member's (${others}), while it could not hear from a quorum`);
  }

  /** check-quorum-step-down: a leader cut off from a quorum steps down within a few election timeouts. */
  private checkStepDown(name: string, host: MemberHost, seen: Seen): void {
    const world = this.cluster.world;
    if (!checkQuorumOf(host) || !host.isLeader || world.isPaused(name) || this.hearsFromQuorum(name, host)) {
      // A paused leader does not tick: its count starts again when it runs.
      seen.cutOffSinceUs = undefined;
      return;
    }
    const now = world.loop.now();
    seen.cutOffSinceUs ??= now;
    const drift = Math.min(0, world.clock(name).driftPpm);
    const boundUs = Math.ceil((CHECK_QUORUM_TIMEOUTS_MAX * this.options.electionTimeoutUs + this.options.tickUs) * PPM / (PPM + drift));
    if (now - seen.cutOffSinceUs > boundUs) {
      this.fail('check-quorum-step-down', host.id, `still leads term ${host.term} ${Math.round((now - seen.cutOffSinceUs) / 1000)} ms after it lost contact with a quorum (bound ${Math.round(boundUs / 1000)} ms: ${CHECK_QUORUM_TIMEOUTS_MAX} election timeouts)`);
    }
  }

  /** conf-change-pending: a conf change of the leader's term appended while an earlier one in its log is uncommitted. */
  private checkConfChanges(host: MemberHost): void {
    if (!host.isLeader) {
      this.leaderConfChanges.delete(host.id);
      return;
    }
    const log = host.recovered.raft.node.raft.raftLog;
    const commit = log.committed;
    let s = this.leaderConfChanges.get(host.id);
    if (s === undefined || s.incarnation !== host.incarnation || s.term !== host.term) {
      s = { incarnation: host.incarnation, term: host.term, scannedTo: log.applied, uncommitted: [], unapplied: [] };
      this.leaderConfChanges.set(host.id, s);
    }
    while (s.uncommitted.length > 0 && (s.uncommitted[0] as number) <= commit) s.uncommitted.shift();
    while (s.unapplied.length > 0 && (s.unapplied[0] as number) <= log.applied) s.unapplied.shift();
    const last = log.lastIndex();
    const from = Math.max(s.scannedTo + 1, log.applied + 1, log.firstIndex(), last - CONF_SCAN_PER_EVENT_MAX + 1);
    for (let i = from; i <= last; i++) {
      const e = viewEntryAt(log, i);
      if (e === undefined || e.type !== 'conf-change') continue;
      if (i > commit) {
        const before = s.uncommitted[0];
        if (e.term === host.term && before !== undefined) {
          return this.fail('conf-change-pending', host.id, `leader of term ${host.term} appended a conf change at index ${i} while the conf change at index ${before} (term ${viewEntryAt(log, before)?.term ?? '?'}) was not committed (commit index ${commit})`);
        }
        const unapplied = s.unapplied[0];
        if (e.term === host.term && unapplied !== undefined) {
          return this.fail('conf-change-applied-first', host.id, `leader of term ${host.term} appended a conf change at index ${i} while the conf change at index ${unapplied} was committed (commit index ${commit}) but not applied by it (applied ${log.applied})`);
        }
        s.uncommitted.push(i);
      }
      s.unapplied.push(i);
    }
    s.scannedTo = Math.max(s.scannedTo, last);
  }

  /**
   * True when the member can hear from a quorum of its configuration (itself included): the links
   * from them to it are neither cut nor clogged. What left before a cut never arrives after it.
   */
  private hearsFromQuorum(name: string, host: MemberHost): boolean {
    const network = this.cluster.world.network;
    const cs = host.member.membership;
    const linksVersion = network.linksVersion;
    // This runs after every event; cuts, clogs and configurations change rarely.
    const last = this.heardOf.get(name);
    if (last !== undefined && last.linksVersion === linksVersion && last.voters === cs.voters && last.votersOutgoing === cs.votersOutgoing
      && last.votersLength === cs.voters.length && last.votersOutgoingLength === cs.votersOutgoing.length) return last.heard;
    // Both configurations, without building a list of them.
    const heard = this.quorumHeard(network, name, cs.voters) && this.quorumHeard(network, name, cs.votersOutgoing);
    this.heardOf.set(name, { linksVersion, voters: cs.voters, votersOutgoing: cs.votersOutgoing, votersLength: cs.voters.length, votersOutgoingLength: cs.votersOutgoing.length, heard });
    return heard;
  }

  /** True when `voters` is empty or more than half of them reach `name`. */
  private quorumHeard(network: World['network'], name: string, voters: readonly number[]): boolean {
    if (voters.length === 0) return true;
    let heard = 0;
    for (let i = 0; i < voters.length; i++) {
      const from = this.cluster.nameOf(voters[i]!);
      if (from === name || (!network.isCut(from, name) && !network.isClogged(from, name))) heard++;
    }
    return heard * 2 > voters.length;
  }

  /** campaign-conf-applied (see the file comment). */
  private checkCampaignConfApplied(host: MemberHost): void {
    const raft = host.recovered.raft.node.raft;
    if ((raft.state !== 'candidate' && raft.state !== 'pre-candidate') || raft.electionElapsed !== 0) return;
    const log = raft.raftLog;
    if (log.applied >= log.committed) return;
    const ents = log.slice(log.applied + 1, log.committed + 1, Number.MAX_SAFE_INTEGER);
    if (typeof ents === 'string') return;
    for (let i = 0; i < ents.length; i++) {
      const e = ents[i]!;
      if (e.type !== 'conf-change') continue;
      this.fail('campaign-conf-applied', host.id, `campaigned (${raft.state} in term ${raft.term}) with the conf change at index ${e.index} committed but not applied (applied ${log.applied}, committed ${log.committed})`);
      return;
    }
  }

  private fail(invariant: ClusterInvariantName, member: string, detail: string): void {
    this.found ??= { invariant, member, atUs: this.cluster.world.loop.now(), detail };
  }
}

export function formatClusterViolation(v: ClusterViolation): string {
  return `invariant ${v.invariant} violated on member ${v.member} at ${Math.round(v.atUs / 1000)} ms: ${v.detail}`;
}

/**
 * The member's own CheckQuorum (lease-based reads turn it on): members may differ, as in a cluster
 * halfway through a rolling change of its raft settings, so each rule reads the member it judges.
 */
function checkQuorumOf(host: MemberHost): boolean {
  return host.config.checkQuorum || host.config.leaseReads;
}
