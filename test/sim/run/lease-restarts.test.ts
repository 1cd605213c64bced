// Which moments of the leader timeline restart the leases for the lease checker. A span where the
// timeline saw no leader restarts nothing unless a term between the leaders seen around it
// promoted (holdout 15: checkpoint-ignored-at-promotion, a new leader that restarted checkpointed
// leases in full; a graceful move leaves a few ms without a leader, and that span counted as a
// restart at the full TTL, so lease-checkpoint-leader-change passed it 4 of 4).
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../sim/run/checks.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import type { Op } from '../../../sim/history/op.ts';
import type { LeaderSpan } from '../../../sim/etcd/leader-timeline.ts';

const S = 1_000_000;
const ID = '7';
const header = (term: number) => ({ revision: '2', raft_term: String(term), member_id: '1' });
const scenario = defineScenario({ name: 'lease-restarts', cluster: { etcd: { leaseCheckpointing: true } }, workload: { kind: 'lease' }, checkers: ['lease'], nemesis: { packages: [] } });

// TTL 6 s granted at 0; the leader moves at 3 s (no leader seen for 5 ms); term 2's leader promoted
// with 2 s left on the lease (its last checkpoint). A TimeToLive at 4.2 s answers 5 s left: alive
// until 9.2 s, past 3 s + election timeout + 2 s + grace.
const history: Op[] = [
  { index: 0, time: 0, process: 0, type: 'invoke', f: 'lease/grant', value: { TTL: '6' } },
  { index: 1, time: 1_000, process: 0, type: 'ok', f: 'lease/grant', value: { header: header(1), ID, TTL: '6' } },
  { index: 2, time: 4.2 * S, process: 1, type: 'invoke', f: 'lease/timetolive', value: { ID } },
  { index: 3, time: 4.2 * S + 1_000, process: 1, type: 'ok', f: 'lease/timetolive', value: { header: header(2), ID, TTL: '5', grantedTTL: '6' } },
];

function leaseVerdict(leaders: LeaderSpan[], promoted: Record<number, Map<string, number>>): unknown {
  const checks = runChecks({
    scenario, history, watches: [], lockHistory: [], liveness: undefined, raft: { valid: true }, leaders, stop: undefined,
    leaseTtlsAtPromotion: (term) => promoted[term],
    leasePromotedTerms: () => Object.keys(promoted).map(Number).sort((a, b) => a - b),
  });
  return checks['lease']?.valid;
}

describe('lease restarts from the leader timeline', () => {
  it('must fail: a leaderless moment of a graceful move is no restart at the full TTL', () => {
    const leaders: LeaderSpan[] = [{ node: 'n1', term: 1, startUs: 0 }, { node: null, term: 0, startUs: 3 * S }, { node: 'n2', term: 2, startUs: 3 * S + 5_000 }];
    expect(leaseVerdict(leaders, { 1: new Map(), 2: new Map([[ID, 2]]) })).toBe(false);
  });

  it('must pass: a leaderless moment behind which an unseen leader promoted restarts from what that leader had', () => {
    const leaders: LeaderSpan[] = [{ node: 'n1', term: 1, startUs: 0 }, { node: null, term: 0, startUs: 3 * S }, { node: 'n2', term: 3, startUs: 3 * S + 5_000 }];
    // Term 2 led unseen and promoted with no checkpoint of the lease: a restart at the full TTL.
    expect(leaseVerdict(leaders, { 1: new Map(), 2: new Map(), 3: new Map([[ID, 2]]) })).toBe(true);
    // Term 2 promoted with 5 s left: a restart from 5 s is enough too.
    expect(leaseVerdict(leaders, { 1: new Map(), 2: new Map([[ID, 5]]), 3: new Map([[ID, 2]]) })).toBe(true);
    // Term 2 promoted with 2 s left: the TimeToLive says more than any restart allows.
    expect(leaseVerdict(leaders, { 1: new Map(), 2: new Map([[ID, 2]]), 3: new Map([[ID, 2]]) })).toBe(false);
  });

  it('must fail: a leader seen that never promoted is no restart at the full TTL', () => {
    // n2 led term 2 for a moment at 3 s and was deposed before it applied its first entry (term 2
    // never promoted); term 3 promoted with 2 s left on the lease.
    const leaders: LeaderSpan[] = [{ node: 'n1', term: 1, startUs: 0 }, { node: 'n2', term: 2, startUs: 3 * S }, { node: 'n3', term: 3, startUs: 3 * S + 5_000 }];
    expect(leaseVerdict(leaders, { 1: new Map(), 3: new Map([[ID, 2]]) })).toBe(false);
    // Had term 2 promoted with no checkpoint of the lease, it restarted the lease in full.
    expect(leaseVerdict(leaders, { 1: new Map(), 2: new Map(), 3: new Map([[ID, 2]]) })).toBe(true);
  });
});
