// The one liveness verdict (sim/run/liveness.ts), shared by simulated runs and runs against real
// etcd: the times each milestone was reached, or what was not reached within the budget.
import { describe, expect, it } from 'vitest';
import { livenessVerdict } from '../../../sim/run/liveness.ts';

const why = { noLeader: 'no leader elected (n1 not answering)', notConverged: 'n2 at revision 7, n1 at 9' };

describe('livenessVerdict', () => {
  it('every milestone reached: valid, with the time after the heal of each', () => {
    const v = livenessVerdict({ startUs: 1_000_000, leaderAtUs: 1_250_000, servedAtUs: 1_400_000, convergedAtUs: 1_900_400 }, 5000, [true, true], why, {});
    expect(v).toEqual({ valid: true, summary: 'leader after 250 ms, every client served after 400 ms, converged after 900 ms', leaderAfterMs: 250, servedAfterMs: 400, convergedAfterMs: 900, members: {} });
  });

  it('names what was not reached within the budget: the leader, the clients never served', () => {
    const v = livenessVerdict({ startUs: 0 }, 5000, [true, false, false], why, {});
    expect(v.valid).toBe(false);
    expect(v.missing).toEqual(['no leader elected (n1 not answering)', 'clients never served: c1, c2']);
    expect(v.summary).toBe('within 5000 ms: no leader elected (n1 not answering); clients never served: c1, c2');
  });

  it('served but not converged: says why, and convergence is judged only once every client was served', () => {
    expect(livenessVerdict({ startUs: 0, leaderAtUs: 10_000, servedAtUs: 20_000 }, 100, [true], why, {}).missing).toEqual(['not converged: n2 at revision 7, n1 at 9']);
    expect(livenessVerdict({ startUs: 0, leaderAtUs: 10_000 }, 100, [false], why, {}).missing).toEqual(['clients never served: c0']);
  });
});
