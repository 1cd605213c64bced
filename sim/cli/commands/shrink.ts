// detcd shrink DIR [--runs N] [--out FILE]: the smallest fault schedule, client count and run
// length that still fail with the run's seed (and bug), written as a scenario file that
// `detcd run --scenario FILE --seed N` replays.
import { basename, dirname, join } from 'node:path';
import chalk from 'chalk';
import { RUN_REPORT_FILES, writeFileReplacing } from '../../report/index.ts';
import type { Results } from '../../run/results.ts';
import { defaultReplay, runScenario } from '../../run/run.ts';
import { parseScenario } from '../../scenario/parse.ts';
import { bakeScenario, shrinkScenario } from '../../sweep/shrink.ts';
import { EXIT_VIOLATION, UsageError } from '../errors.ts';
import { intOption, parseCommandArgs } from '../harness/args.ts';
import { checkFileOut, samePath } from '../harness/out-path.ts';
import { readRunDir } from '../harness/run-dir.ts';
import { useWorkerJit } from '../harness/worker-jit.ts';
import { count } from '../../text/count.ts';
import { decisiveCheckers } from '../../report/decisive-checkers.ts';
import { oneLine } from '../../errors/one-line.ts';

/** A scenario file, as detcd writes one: what `--out` may replace. */
function isScenarioJson(text: string): boolean {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    return typeof json === 'object' && json !== null && typeof json['name'] === 'string' && typeof json['workload'] === 'object';
  } catch {
    return false;
  }
}

/** Why a run that did not fail cannot be shrunk, in the words of its own result. */
function whyNotShrinkable(results: Results): string {
  if (results.valid === true) return 'the run passed (exit 0): there is no failure to keep while shrinking';
  const gaveUp = decisiveCheckers('unknown', results.checkers).filter(([, c]) => c.valid === 'unknown').map(([n, c]) => `${n}${c.summary === undefined ? '' : ` (${String(c.summary)})`}`);
  const why = results.error ?? (gaveUp.length > 0 ? `${gaveUp.join('; ')} could not decide` : 'a checker could not decide');
  return `the run's verdict is unknown (exit 2): ${why}. Shrinking keeps a failure, and an unknown run has none to keep; give the checker more room or try other seeds`;
}

// eslint-disable-next-line @typescript-eslint/require-await
export async function shrink(argv: string[]): Promise<number> {
  // Up to --runs runs in this one fresh isolate, as a sweep worker runs them: the workers' JIT settings
  // (worker-jit.ts) cost less compile CPU, same runs. figure8 seed 1, concurrent pairs: −11–14 % CPU in 4 of 4.
  useWorkerJit();
  const { values, positionals } = parseCommandArgs('shrink', argv, { runs: { type: 'string' }, out: { type: 'string' } }, true);
  const runsMax = intOption('shrink', 'runs', values.runs, 150, 1, 100_000);
  const run = readRunDir('shrink', positionals[0]);
  // A real run is refused, failing or not: shrinking reruns the schedule in the simulation, which
  // is not the system that failed, and the real target does not replay its interleaving, so "still
  // fails" could not be decided on it either (150 real runs, each failing or not by chance).
  const target = run.results.target;
  if (target !== undefined && target.kind === 'etcd') {
    throw new UsageError(`detcd shrink: ${run.dir}: target.kind: a run against real etcd ${target.version} (--target etcd); shrink reruns a schedule in the simulation, which is not the system that failed, and a real run does not replay its interleaving: rerun it with detcd replay ${run.dir}, or shrink a simulated run of the same scenario and seed`);
  }
  if (run.results.valid !== false) throw new UsageError(`detcd shrink: ${run.dir}: ${whyNotShrinkable(run.results)}`);
  const file = values.out ?? join(run.dir, 'shrunk.json');
  // The run's own files are what shrink reads and replay runs: --out DIR/scenario.json replaced the run's scenario.
  if (samePath(dirname(file), run.dir) && RUN_REPORT_FILES.includes(basename(file)) && basename(file) !== 'shrunk.json') {
    throw new UsageError(`detcd shrink: --out ${file}: the run's own ${basename(file)}, which shrink reads and replay runs; give another file (default: ${join(run.dir, 'shrunk.json')})`);
  }
  checkFileOut('shrink', values.out === undefined ? 'output' : '--out', file, isScenarioJson);
  const seed = run.results.seed;
  const bug = run.bug;
  const original = runScenario(run.scenario, seed, { bug });
  const baked = bakeScenario(original.scenario, original.schedule);
  const fails = (s: typeof baked): boolean => runScenario(s, seed, { bug }).results.valid === false;
  if (!fails(baked)) throw new UsageError(`detcd shrink: ${run.dir}: the run no longer fails with its schedule made explicit`);
  console.error(`shrinking ${oneLine(run.results.scenario)} seed ${seed}: ${count(baked.schedule?.length ?? 0, 'fault')}, ${count(baked.clients.count, 'client')}, ${baked.workload.durationMs} ms`);
  const result = shrinkScenario(baked, {
    fails,
    runsMax,
    onStep: (what) => console.error(`  still fails: ${what}`),
  });
  const shrunk = { ...result.scenario, name: `${run.results.scenario}-shrunk`, description: `shrunk from ${run.results.scenario} seed ${seed}${bug === undefined ? '' : ` with bug ${bug}`} in ${result.runs} runs` };
  parseScenario(shrunk, file);
  writeFileReplacing(file, `${JSON.stringify(shrunk, null, 2)}\n`);
  const s = result.scenario;
  console.log(`shrunk in ${count(result.runs, 'run')}: ${count(s.schedule?.length ?? 0, 'fault')}, ${count(s.clients.count, 'client')}, ${s.workload.durationMs} ms safety phase, ${s.workload.rateOpsPerSecond} ops/s`);
  for (const f of s.schedule ?? []) console.log(`  at ${f.atMs} ms for ${f.durationMs} ms: ${JSON.stringify(f.fault)}`);
  console.log(chalk.bold(`replay: ${defaultReplay(file, seed, bug)}`));
  return EXIT_VIOLATION;
}
