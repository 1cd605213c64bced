// detcd campaign (npm start): every shipped scenario over a few seeds on every core, a table
// in the terminal and a sweep report in reports/campaign/.
import { join } from 'node:path';
import { bugOption, intOption, parseCommandArgs, seedsOption } from '../harness/args.ts';
import { REPORTS_DIR_DEFAULT } from '../harness/execute.ts';
import { shippedScenarios } from '../harness/scenario-files.ts';
import { defaultJobs } from '../harness/sweep-engine.ts';
import { executeSweep } from './sweep.ts';

/** Seeds per scenario in the default campaign: enough to mean something in under two minutes. */
export const CAMPAIGN_SEEDS = 4;

export async function campaign(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('campaign', argv, {
    seeds: { type: 'string' },
    jobs: { type: 'string' },
    bug: { type: 'string' },
    out: { type: 'string' },
    'stop-on-fail': { type: 'boolean' },
  });
  return executeSweep({
    files: shippedScenarios(),
    seeds: seedsOption('campaign', values.seeds, [1, CAMPAIGN_SEEDS]),
    bug: bugOption('campaign', values.bug),
    shard: { index: 1, count: 1 },
    jobs: intOption('campaign', 'jobs', values.jobs, defaultJobs(), 1, 1024),
    stopOnFail: values['stop-on-fail'] === true,
    outDir: values.out ?? join(REPORTS_DIR_DEFAULT, 'campaign'),
    reportAll: false,
    title: 'detcd campaign',
  });
}
