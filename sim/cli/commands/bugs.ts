// detcd bugs: the bugs `--bug NAME` can plant in the simulated stack, one line each.
import { PLANTED_BUGS } from '../../bugs/planted-bugs.ts';
import { parseCommandArgs } from '../harness/args.ts';

// eslint-disable-next-line @typescript-eslint/require-await
export async function bugs(argv: string[]): Promise<number> {
  parseCommandArgs('bugs', argv, {});
  for (const b of PLANTED_BUGS) console.log(`${b.name.padEnd(24)} ${b.description}`);
  return 0;
}
