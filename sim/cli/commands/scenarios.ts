// detcd scenarios: every shipped scenario, one line each (wrapped between words on a terminal).
import { shippedScenarios } from '../harness/scenario-files.ts';
import { parseCommandArgs } from '../harness/args.ts';
import { listEntry, stdoutColumns } from '../harness/wrap.ts';
import { maxOf } from '../../array/stack-safe.ts';

// eslint-disable-next-line @typescript-eslint/require-await
export async function scenarios(argv: string[]): Promise<number> {
  parseCommandArgs('scenarios', argv, {});
  const all = shippedScenarios();
  const width = maxOf(all.map((s) => s.ref.length));
  const columns = stdoutColumns();
  for (const s of all) console.log(listEntry(s.ref, width, s.scenario.description, columns));
  return 0;
}
