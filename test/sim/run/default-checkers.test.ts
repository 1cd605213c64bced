// Which checkers judge a run when its scenario names none: the lock recipe's sessions are leases,
// so a lock run's lease answers are judged like any lease's (planted lease-keepalive-ttl-not-granted
// in a lock run was missed before: bench/tools/anomalies.mjs on `detcd run --scenario lock --seed 3`).
import { describe, expect, it } from 'vitest';
import { defaultCheckers, runChecks } from '../../../sim/run/checks.ts';
import { defineScenario } from '../../../sim/scenario/parse.ts';
import type { Op } from '../../../sim/history/op.ts';

const header = { revision: '2', raft_term: '2', member_id: '1' };

function leaseOps(keepAliveTtl: string): Op[] {
  const ops: Op[] = [
    { index: 0, time: 0, process: 0, type: 'invoke', f: 'lease/grant', value: { TTL: '5' } },
    { index: 1, time: 1000, process: 0, type: 'ok', f: 'lease/grant', value: { header, ID: '7', TTL: '5' } },
    { index: 2, time: 2000, process: 0, type: 'invoke', f: 'lease/keepalive', value: { ID: '7' } },
    { index: 3, time: 3000, process: 0, type: 'ok', f: 'lease/keepalive', value: { header, ID: '7', TTL: keepAliveTtl } },
  ];
  return ops;
}

describe('default checkers', () => {
  const lock = defineScenario({ name: 'lock-sessions', workload: { kind: 'lock' }, nemesis: { packages: [] } });

  it('judge a lock run\'s lease answers with the lease checker', () => {
    expect(defaultCheckers(lock)).toEqual(expect.arrayContaining(['lease', 'lock', 'linearizable']));
    const checks = (ttl: string) => runChecks({ scenario: lock, history: leaseOps(ttl), watches: [], lockHistory: [], liveness: undefined, raft: { valid: true }, leaders: [], stop: undefined });
    expect(checks('6')['lease']).toMatchObject({ valid: false });
    expect(checks('5')['lease']).toMatchObject({ valid: true });
  });
});
