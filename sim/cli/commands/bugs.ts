// detcd bugs [--verify [--seeds N] [--bug NAME] [--shrink-runs N]]: the bugs `--bug NAME` can
// plant in the simulated stack, one line each with where it happened; with --verify, the track
// record: each bug hunted down by its scenario (then the swarm), with the correct build run on
// the same seeds. Exit 1 when a bug was not found or the correct build failed.
import { performance } from 'node:perf_hooks';
import chalk from 'chalk';
import { PLANTED_BUGS } from '../../bugs/planted-bugs.ts';
import { medianWallSeconds, trackRecordMarkdown, trackRecordRow } from '../../bugs/track-record.ts';
import type { TrackRecordRow } from '../../bugs/track-record.ts';
import { EXIT_VIOLATION } from '../errors.ts';
import { bugOption, intOption, parseCommandArgs, refuseIgnored } from '../harness/args.ts';
import { loadScenario } from '../harness/scenario-files.ts';
import { useWorkerJit } from '../harness/worker-jit.ts';
import { listEntry, stdoutColumns } from '../harness/wrap.ts';
import { count } from '../../text/count.ts';
import { maxOf } from '../../array/stack-safe.ts';

// eslint-disable-next-line @typescript-eslint/require-await
export async function bugs(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('bugs', argv, {
    verify: { type: 'boolean' },
    seeds: { type: 'string' },
    bug: { type: 'string' },
    'shrink-runs': { type: 'string' },
  });
  refuseIgnored('bugs', values.verify === true ? {} : values, ['seeds', 'bug', 'shrink-runs'], 'goes with --verify (bugs alone only lists them)');
  if (values.verify !== true) {
    const columns = stdoutColumns();
    // In a pipe, the descriptions line up after the longest reference (a fixed 28 let the long ones push theirs out).
    const referenceWidth = maxOf(PLANTED_BUGS.map((b) => b.reference.length));
    for (const b of PLANTED_BUGS) console.log(listEntry(b.name, 30, columns === undefined ? `${b.reference.padEnd(referenceWidth)}  ${b.description}` : `${b.description} (${b.reference})`, columns));
    return 0;
  }
  // --verify runs every hunt, shrink and clean run in this one fresh isolate, as a sweep worker runs
  // its runs: the workers' JIT settings (worker-jit.ts) cost less compile CPU, same runs.
  useWorkerJit();
  const seedsMax = intOption('bugs', 'seeds', values.seeds, 60, 1, 100_000);
  const shrinkRunsMax = intOption('bugs', 'shrink-runs', values['shrink-runs'], 12, 0, 10_000);
  const only = bugOption('bugs', values.bug);
  const rows: TrackRecordRow[] = [];
  for (const entry of PLANTED_BUGS) {
    if (only !== undefined && entry.name !== only) continue;
    const row = trackRecordRow(entry, { seedsMax, shrinkRunsMax, scenario: (name) => loadScenario(name).scenario, wallNowMs: () => performance.now() });
    rows.push(row);
    const verdict = row.found ? chalk.green(`found after ${count(row.seedsTried, 'seed')}`) : chalk.red(`NOT found in ${count(row.seedsTried, 'seed')}`);
    console.error(`${row.bug}: ${verdict} in ${row.wallSeconds.toFixed(1)} s (${row.caughtBy}); correct build ${row.cleanRuns - row.cleanNotValid}/${row.cleanRuns} clean${row.replay === undefined ? '' : `; replay: ${row.replay}`}`);
  }
  console.log(trackRecordMarkdown(rows));
  const found = rows.filter((r) => r.found);
  const slowest = found.reduce((m, r) => Math.max(m, r.wallSeconds), 0);
  console.log(`\n${found.length}/${rows.length} found · median ${medianWallSeconds(rows).toFixed(1)} s · slowest ${slowest.toFixed(1)} s · correct build failed ${rows.reduce((n, r) => n + r.cleanNotValid, 0)} of ${rows.reduce((n, r) => n + r.cleanRuns, 0)} runs`);
  const ok = found.length === rows.length && rows.every((r) => r.cleanNotValid === 0);
  return ok ? 0 : EXIT_VIOLATION;
}
