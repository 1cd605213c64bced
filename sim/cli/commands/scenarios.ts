// detcd scenarios: every shipped scenario, one line each.
import { shippedScenarios } from '../harness/scenario-files.ts';
import { parseCommandArgs } from '../harness/args.ts';

// eslint-disable-next-line @typescript-eslint/require-await
export async function scenarios(argv: string[]): Promise<number> {
  parseCommandArgs('scenarios', argv, {});
  const all = shippedScenarios();
  const width = Math.max(...all.map((s) => s.ref.length));
  for (const s of all) console.log(`${s.ref.padEnd(width)}  ${s.scenario.description}`);
  return 0;
}
