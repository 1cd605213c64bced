// The etcdctl sweep (etcdctl-sweep.ts) against a real etcd 3.4 started by the test and against
// `detcd serve`: a seeded sample of every command family crossed with its flags and output forms,
// then the leaderless end, output for output and exit code for exit code, through the etcdctl
// step loop and normaliser of the other etcdctl differential tests (ids, names, terms, sizes,
// lease ids, hashes, TTLs and timings as placeholders; never revisions). The whole sweep, or
// another sample: bench/tools/etcdctl-sweep.mjs (DETCD_SWEEP=all|N, DETCD_SWEEP_SEED=S).
import { expect, test } from 'vitest';
import { startEtcd } from './etcd-process.ts';
import { suiteServers } from './etcd-and-serve.ts';
import { describeWithRealEtcd } from './real-etcd-suite.ts';
import { describeStep, differences, grantedLease, hostPort, identities, runStep, type CtlStep, type StepTarget } from './etcdctl-runner.ts';
import { normalizeCtl } from '../sim/cli/serve/etcdctl-diff/etcdctl-script.ts';
import { sweepSteps } from './etcdctl-sweep.ts';

/** Groups drawn from each family in CI: ~130 steps a server (198 with 12 took 84 s at load 30 on 2 cores). */
const CI_SAMPLE = 7;
const SAMPLE = process.env['DETCD_SWEEP'] === 'all' ? undefined : Number(process.env['DETCD_SWEEP'] ?? CI_SAMPLE);
const SEED = Number(process.env['DETCD_SWEEP_SEED'] ?? 1);
const STEPS = sweepSteps({ sample: SAMPLE, seed: SEED });

/**
 * A request that waits out its deadline on etcd ends in a race: etcd's handler returns its
 * context's error (grpc-go sends Unknown "context deadline exceeded") about when the client's own
 * deadline fires (DeadlineExceeded); etcdctl prints whichever came first. Both count as one.
 */
function raceFree(step: CtlStep, text: string): string {
  return step.commandTimeout === undefined ? text : text.replace(/rpc error: code = Unknown desc = context deadline exceeded/g, 'context deadline exceeded');
}

async function runSweep(endpoint: string, script: readonly CtlStep[]): Promise<string[]> {
  const ids = await identities([endpoint]);
  const lease = { id: '0' };
  const target: StepTarget = { address: () => hostPort(endpoint), fill: (arg) => arg.replace('{LEASE}', lease.id) };
  const outputs: string[] = [];
  for (const step of script) {
    if (process.env['DETCD_TRACE'] !== undefined) console.error(`${endpoint} $ ${describeStep(step)}`);
    const out = await runStep(step, target);
    if (step.args?.[0] === 'lease' && step.args[1] === 'grant') lease.id = grantedLease(out.text) ?? lease.id;
    outputs.push(`$ ${describeStep(step)}\n${normalizeCtl(raceFree(step, out.text), ids)}${out.exit}`);
  }
  return outputs;
}

describeWithRealEtcd('the etcdctl sweep prints the same against detcd serve as against etcd 3.4', ['etcd', 'etcdctl'], (tools) => {
  const servers = suiteServers(() => startEtcd(tools.etcd), { port: 0, nodes: 1, seed: 3 });

  test(`${STEPS.length} etcdctl steps (sample ${SAMPLE ?? 'all'} a family, seed ${SEED}), output for output`, async () => {
    const oracle = await runSweep(servers.etcd.endpoint, STEPS);
    const subject = await runSweep(servers.serve.endpoint, STEPS);
    if (process.env['DETCD_SHOW'] !== undefined) console.log(oracle.join('\n'));
    const replay = `DETCD_SWEEP=${SAMPLE ?? 'all'} DETCD_SWEEP_SEED=${SEED} npx vitest run test/differential/etcdctl-sweep.test.ts`;
    expect(differences(oracle, subject), `replay: ${replay}`).toBe('');
    // The sweep means something only if etcd itself did what the steps say.
    const all = oracle.join('\n');
    for (const shown of ['required revision has been compacted', 'etcdserver: no leader', 're-configuration failed due to not enough started members', 'unhealthy cluster', 'context deadline exceeded']) expect(all).toContain(shown);
  }, 60_000 + STEPS.length * 2 * 2_000);
});
