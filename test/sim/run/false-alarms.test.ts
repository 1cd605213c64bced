// Seeds on which the correct build once failed, each replayed and each a false alarm fixed at its
// root (a failing correct build is a false alarm users stop trusting):
// - swarm 296, 320, 1154, 1646: an early (BUGGIFY) snapshot held the re-added learner but kept the
//   log from index 1, so the membership driver started the newcomer, the leader sent it the log
//   (not a snapshot) and the newcomer, which only joins from a snapshot, waited forever. The driver
//   now asks for a join snapshot until the log is compacted, and requestSnapshot compacts behind
//   a snapshot already at the applied index.
// - swarm 1226: a clog of a member while the re-added endpoint was held by the membership change
//   was healed only towards the members of that moment; the link to the newcomer stayed clogged.
//   Unclogging a node now releases every link the network knows into and out of it.
// - swarm 4605, 5756, 7400, 8146, 8438, 9456, 9676, 9686 (raft applied-durable-majority, "durable on
//   1 of 2 voters"): the leader committed entries under {n1, n2, n3} with n1 before it applied n1's
//   removal (etcd-raft switches configuration at apply), so after it only 1 of {n2, n3} held them.
//   Every quorum of {n2, n3} contains that one: the invariant asked for a strict majority where
//   Raft needs only that no quorum can be formed without a holder (sim/etcd/durable-quorum.ts).
// - swarm 8473 (raft commit-within-log, "toCommit 22 is out of range [lastIndex 0]"): a heartbeat
//   the slow network held for 724 ms reached n2's endpoint after a remove-add replaced n2 with a
//   fresh member (a new raft id, an empty log), which took it as its own. etcd's transport hands a
//   member only messages naming its ID and none from removed members (src/server/member.ts).
// - swarm 600 and 9268 (raft pre-vote-lease, "granted n3 a pre-vote for term 2 while it had heard from its
//   leader"): a reordered pre-vote of n3 for term 2 reached n1 after n3's MsgVote and first
//   heartbeat of term 2; n1, already in term 2 and voting for n3, granted it as etcd-raft does.
//   The lease guards against requests for a later term only (sim/etcd/member-host.ts).
// - swarm 3230 (watch bookmarkable, "PUT key6@9 after a progress notification at 9"): a clog of the
//   leader held a watch event; a progress notification sent 5 ms before the clog ended arrived in
//   the very instant it ended and was delivered before the released event. A clog now releases in
//   order, and what arrives meanwhile waits behind (sim/world/network.ts).
// - swarm 10314 (linearizable, "key1 with mod_revision 143 at revision 144 with a value no write of
//   unknown outcome puts there"): a timed-out txn put key2 and key1 at 143, a timed-out put of key2
//   with ignore_value made 144, keeping key2's value. The checker took the value's sighting at 144
//   as the revision the txn took effect; an ignore_value write's key no longer pins the writer of
//   the value it shows (sim/check/models/etcd/history.ts).
// - swarm 12299 and 13147 (linearizable, after that fix): a timed-out put's value that only watch
//   events showed, on a key a timed-out ignore_value put may keep, was hidden as a value nobody saw
//   (unseen-values.ts), so the write that showed it could not be placed. Watch events count as seen.
// - lease-long-partition 6: a deposed leader that never saw a lease's grant answered its
//   TimeToLive "not found"; the lease checker took that as proof the lease was gone.
// - auth-round-robin 10 (liveness, "clients never served: c0, ..., c6"): the workload's last act
//   was an AuthDisable, and the probes still sent the harness's root token of a login before it;
//   etcd 3.4.23 refuses any token once authentication is off ("invalid auth token"), as the
//   simulation did. The probes now send it only to members whose authentication is on.
// - swarm 343 (lease): the network late-duplicated a keep-alive a follower forwarded to the leader,
//   which renewed the lease again after its client had the answer. etcd forwards LeaseRenew and
//   LeaseTimeToLive as one HTTP request each (leasehttp): the network no longer copies them
//   (sim/etcd/at-most-once.ts). Valid since the lease checker's later rules; pinned to stay so.
// - swarm 716 (lease revoked-early, "renewed at 11247253 µs with TTL 3 s"): a lease granted with
//   3 s ended and its id was granted again with 1 s; the rule kept the first grant's TTL. A grant
//   of an id seen before is a new lease, a keep-alive answers its TTL, and a key is judged against
//   the grant its put attached it to (sim/check/lease-revoked-early.ts).
// - swarm 2431 (lease revoked-early: a key of a lease kept alive at 8.5 s with TTL 4 s gone at 11.3 s): a
//   checkpoint taken at 8.47 s (1 s left) applied after the keep-alive of 8.5 s, all members were
//   killed, and the new leader restarted the lease from that 1 s, as etcd 3.4's Promote does. The
//   rule now ends a lease no sooner than a leader change's checkpointed restart, as rule 3 does.
// - swarm 913 (raft read-index-served, "still holds read ... after members 2, 1, 4"): a late copy of
//   a follower's MsgReadIndex queued a served read again under its context (as etcd-raft does);
//   the invariant counted the answers to its first round for the second. It now counts the
//   answers since the read was queued (ReadOnly.pendingRead, sim/etcd/read-index-served.ts).
//
// The swarm seeds are pinned as the swarm drew them then (test/fixtures/false-alarms/swarm-SEED.json:
// the drawn knobs and fault schedule, the same trace hash with the same seed), so that a later
// change of the swarm's draws does not turn these runs into other runs.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import { runScenario } from '../../../sim/run/run.ts';

const PINNED = fileURLToPath(new URL('../../fixtures/false-alarms/', import.meta.url));

function failing(scenario: string, seed: number): string[] {
  const r = runScenario(loadScenario(scenario).scenario, seed).results;
  // A checker with nothing to check (no lease granted) judged nothing: not a failure.
  return Object.entries(r.checkers).filter(([, c]) => c.valid !== true && c.nothing !== true).map(([name, c]) => `${scenario} ${seed} ${name}: ${c.summary}`);
}

/** Swarm seed `seed` as drawn when it was a false alarm. */
const swarmDrawn = (seed: number): string => `${PINNED}swarm-${seed}.json`;

describe('the correct build passes the seeds that were false alarms', () => {
  for (const seed of [296, 320, 1154, 1226, 1646]) {
    it(`swarm seed ${seed} (a re-added member catches up)`, () => {
      expect(failing(swarmDrawn(seed), seed)).toEqual([]);
    });
  }

  for (const seed of [4605, 5756, 7400, 8146, 8438, 9456, 9676, 9686]) {
    it(`swarm seed ${seed} (entries committed under the configuration before a removal applied)`, () => {
      expect(failing(swarmDrawn(seed), seed)).toEqual([]);
    });
  }

  it('swarm seed 8473 (a message to the member a remove-add replaced reaches its successor)', () => {
    expect(failing(swarmDrawn(8473), 8473)).toEqual([]);
  });

  for (const seed of [600, 9268]) {
    it(`swarm seed ${seed} (a late pre-vote for the term the member is already in)`, () => {
      expect(failing(swarmDrawn(seed), seed)).toEqual([]);
    });
  }

  it('swarm seed 3230 (a message arriving as a clog ends overtook the ones the clog held)', () => {
    expect(failing(swarmDrawn(3230), 3230)).toEqual([]);
  });

  it('swarm seed 10314 (a value kept by an ignore_value put, shown at that put\'s revision)', () => {
    expect(failing(swarmDrawn(10314), 10314)).toEqual([]);
  });

  for (const seed of [12299, 13147]) {
    it(`swarm seed ${seed} (a value only watch events show is not a value nobody saw)`, () => {
      expect(failing(swarmDrawn(seed), seed)).toEqual([]);
    });
  }

  it('swarm seed 343 (a forwarded keep-alive is never delivered twice)', () => {
    expect(failing(swarmDrawn(343), 343)).toEqual([]);
  });

  it('swarm seed 716 (a lease granted again under its id with another TTL)', () => {
    expect(failing(swarmDrawn(716), 716)).toEqual([]);
  });

  it('swarm seed 2431 (a new leader restarts a lease from a checkpoint applied after its last keep-alive)', () => {
    expect(failing(swarmDrawn(2431), 2431)).toEqual([]);
  });

  it('swarm seed 913 (a read queued again by a late copy of its MsgReadIndex waits for answers of its own)', () => {
    expect(failing(swarmDrawn(913), 913)).toEqual([]);
  });

  it('auth-round-robin seed 10 (the probes\' token after the workload turned authentication off)', () => {
    expect(failing('auth-round-robin', 10)).toEqual([]);
  });

  it('lease-long-partition seed 6 (a deposed leader answers "not found" for a lease granted after it was cut off)', () => {
    expect(failing('lease-long-partition', 6)).toEqual([]);
  });
});
