// `detcd replay` of a run against real etcd: the seed gives back the workload and the fault
// schedule, so they run again against the same binary; the interleaving was the real machine's
// and is not recorded, so the replay is not exact. It says so, and compares verdicts instead
// of trace hashes (a different verdict is worth knowing, not a harness bug).
import type { Results } from '../../run/results.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { exitCodeFor } from '../errors.ts';
import { runTable } from '../harness/table.ts';
import { runRealEtcd } from './real-run.ts';
import { oneLine } from '../../errors/one-line.ts';

export async function replayReal(results: Results, scenario: Scenario, dir: string): Promise<number> {
  const target = results.target;
  if (target?.kind !== 'etcd') throw new Error('replayReal: not a real-target run');
  const mitigations = (target.exposed ?? []).length === 0;
  // Said once the run starts: a replay refused (another draw here, a binary that does not run) is its one line.
  let said = false;
  const log = (line: string): void => {
    if (!said) {
      console.error(oneLine(`re-running ${results.scenario} seed ${results.seed} against ${target.binary} (etcd ${target.version}) from ${dir}`));
      console.error(`not an exact replay: the seed gives the same workload, fault schedule and swarm draw (checked against the run's); the interleaving is the real machine's`);
      said = true;
    }
    console.error(line);
  };
  const out = await runRealEtcd(scenario, results.seed, { binary: target.binary, replay: results.replay, mitigations, log, recordedOptions: results.options });
  console.log(runTable(out.results));
  const same = out.results.valid === results.valid;
  console.log(`verdict ${String(out.results.valid)} (the original run: ${String(results.valid)}${same ? ', the same' : ', different'})`);
  return exitCodeFor(out.results.valid);
}
