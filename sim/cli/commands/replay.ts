// detcd replay DIR|results.json: runs the same scenario and seed again and compares trace
// hashes. Equal: the run replayed exactly (its verdict is the exit code). Different: where the
// traces part, from the trace-hash checkpoints (every 100 ms of simulated time) and from the
// logged tail of the trace; that is a determinism bug of the harness (exit 4).
import { existsSync } from 'node:fs';
import { readInputText } from '../../report/input-file.ts';
import { PathError } from '../../report/path-error.ts';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import chalk from 'chalk';
import { runScenario } from '../../run/run.ts';
import type { TraceEntry } from '../../world/trace.ts';
import { EXIT_INTERNAL, exitCodeFor, UsageError } from '../errors.ts';
import { parseCommandArgs } from '../harness/args.ts';
import { resultDifferences } from '../harness/result-diff.ts';
import { readRunDir } from '../harness/run-dir.ts';
import { runTable } from '../harness/table.ts';
import { firstCheckpointDifference } from '../harness/trace-divergence.ts';
import { replayReal } from '../target-etcd/replay-real.ts';
import { forTerminal } from '../harness/wrap.ts';
import { lowerInliningBudget } from '../harness/worker-jit.ts';
import { oneLine } from '../../errors/one-line.ts';

function firstEntryDifference(file: string, now: readonly TraceEntry[]): string | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readInputText(file);
  } catch (err) {
    if (err instanceof PathError) return `${oneLine(file)}: ${err.reason}; the logged trace cannot be compared`;
    throw err;
  }
  const before = text.split('\n').filter((l) => l !== '');
  const byIndex = new Map(now.map((e) => [e.index, JSON.stringify(e)]));
  for (const line of before) {
    let entry: TraceEntry;
    try {
      entry = JSON.parse(line) as TraceEntry;
    } catch {
      return `${oneLine(file)}: a line is not JSON; the logged trace cannot be compared`;
    }
    const mine = byIndex.get(entry.index);
    if (mine !== undefined && mine !== line) return `first differing logged event #${oneLine(String(entry.index))}:\n  was ${oneLine(line)}\n  now ${mine}`;
  }
  return undefined;
}

export async function replay(argv: string[]): Promise<number> {
  const { positionals } = parseCommandArgs('replay', argv, {}, true);
  if (positionals.length > 1) throw new UsageError(`detcd replay: one run at a time, got ${positionals.length} arguments`);
  const run = readRunDir('replay', positionals[0]);
  lowerInliningBudget(); // as `detcd run` does: same hashes, less compile CPU in a fresh process
  if (run.results.target?.kind === 'etcd') return replayReal(run.results, run.scenario, run.dir);
  console.error(`replaying ${oneLine(run.results.scenario)} seed ${run.results.seed}${run.bug === undefined ? '' : ` bug ${run.bug}`} from ${oneLine(run.dir)}`);
  if (run.checkpoints === undefined) console.error(`note: ${oneLine(join(run.dir, 'checkpoints.json'))} is missing: a difference can be detected, not located`);
  const out = runScenario(run.scenario, run.results.seed, { bug: run.bug, traceLog: true, wallNowMs: () => performance.now(), replay: run.results.replay });
  console.log(runTable(out.results));
  const fields = resultDifferences(run.results, out.results);
  if (out.results.traceHash === run.results.traceHash && fields.length === 0) {
    console.log(chalk.green(forTerminal(`replayed exactly: trace hash ${out.results.traceHash} (${out.results.stats.events} events), the same verdicts and statistics`)));
    return exitCodeFor(out.results.valid);
  }
  if (out.results.traceHash === run.results.traceHash) {
    console.log(chalk.red.bold(`the replay differs from ${oneLine(join(run.dir, 'results.json'))}: the same trace (hash ${out.results.traceHash}), but:`));
    for (const f of fields) console.log(`  ${oneLine(f)}`);
    console.log('either results.json was edited, or a checker is not deterministic (a harness bug)');
    return EXIT_INTERNAL;
  }
  console.log(chalk.red.bold(`the replay differs: trace hash ${out.results.traceHash}, the original was ${run.results.traceHash}`));
  for (const f of fields) console.log(`  ${oneLine(f)}`);
  const where = run.checkpoints === undefined ? undefined : firstCheckpointDifference(run.checkpoints, out.checkpoints);
  console.log(where ?? `no checkpoints.json in ${oneLine(run.dir)}: the difference cannot be located`);
  const entry = firstEntryDifference(join(run.dir, 'trace.jsonl'), out.trace);
  if (entry !== undefined) console.log(entry);
  return EXIT_INTERNAL;
}
