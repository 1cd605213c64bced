// detcd serve [--port P] [--nodes N] [--seed S] [--scenario NAME|FILE] [--duration SECONDS]
//             [--bug NAME] [--out DIR]
// A simulated cluster advanced in real time, one loopback port per member, each serving etcd's
// v3 gRPC API and its JSON gateway, so etcdctl, clientv3, jetcd, the etcd3 npm package and curl
// work against it. With --scenario the scenario's faults run in real time (printed as they start
// and heal), every client request is recorded, and Ctrl-C (or --duration) heals, checks what
// the clients saw and writes the same report as `detcd run`; the exit code is its verdict.
import chalk from 'chalk';
import { exitCodeFor, UsageError } from '../errors.ts';
import { bugOption, intOption, parseCommandArgs } from '../harness/args.ts';
import { checkReportDirOut } from '../harness/out-path.ts';
import { count } from '../../text/count.ts';
import { loadScenario } from '../harness/scenario-files.ts';
import { runTable } from '../harness/table.ts';
import { reportLine } from '../harness/report-line.ts';
import { oneLine } from '../../errors/one-line.ts';
import { forTerminal } from '../harness/wrap.ts';
import { createServer } from 'node:net';

/** Longest --duration accepted. */
const DURATION_SECONDS_MAX = 24 * 3600;

function portInUse(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'EADDRINUSE';
}

/** Fails at once when one of the ports is taken, before gRPC and the cluster load (a second or two). */
async function probePorts(port: number, nodes: number): Promise<void> {
  if (port === 0) return;
  for (let p = port; p < port + nodes; p++) {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => resolve());
    }).catch((err: unknown) => {
      if (portInUse(err)) throw new UsageError(`serve: --port ${port}: port ${p} (for member n${p - port + 1}) is already in use (another --port, or --port 0 for free ones)`);
      throw err;
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function serve(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('serve', argv, {
    port: { type: 'string' },
    nodes: { type: 'string' },
    seed: { type: 'string' },
    scenario: { type: 'string' },
    duration: { type: 'string' },
    bug: { type: 'string' },
    out: { type: 'string' },
  });
  const file = values.scenario === undefined ? undefined : loadScenario(values.scenario);
  const port = intOption('serve', 'port', values.port, 2379, 0, 65_535);
  const nodes = intOption('serve', 'nodes', values.nodes, file?.scenario.cluster.members ?? 1, 1, 9);
  if (port !== 0 && port + nodes - 1 > 65_535) throw new UsageError(`serve: --port ${port}: no room for ${nodes} member ports (use at most ${65_536 - nodes}, or 0)`);
  const seed = intOption('serve', 'seed', values.seed, 1, 0, 2 ** 31 - 1);
  const durationSeconds = values.duration === undefined ? undefined : intOption('serve', 'duration', values.duration, 0, 1, DURATION_SECONDS_MAX);
  const bug = bugOption('serve', values.bug);
  if (bug !== undefined && file === undefined) throw new UsageError('serve: --bug needs --scenario (a planted bug is judged by the report)');
  if (values.out !== undefined && file === undefined) throw new UsageError('serve: --out needs --scenario (only a scenario\'s run has a report)');
  const out = values.out ?? `reports/serve-${file?.scenario.name ?? 'quiet'}-${seed}`;
  if (file !== undefined) checkReportDirOut('serve', values.out === undefined ? 'report directory' : '--out', out);
  await probePorts(port, nodes);
  // gRPC and the protocol buffers load only for serve, not for every detcd command.
  const { startServe } = await import('../serve/serve-cluster.ts');
  const { finishServe } = await import('../serve/serve-finish.ts');
  let handle;
  try {
    handle = await startServe({ port, nodes, seed, scenario: file?.scenario, scenarioRef: file?.ref, durationSeconds, bug, log: (line) => console.log(line) });
  } catch (err) {
    if (portInUse(err)) throw new UsageError(`serve: --port ${port}: a port in ${port}..${port + nodes - 1} is already in use (another --port, or --port 0 for free ones)`);
    throw err;
  }
  // The URLs are on the member lines only (README): the first line said them all again and ran
  // to 120 columns for three members.
  console.log(`detcd serve: ${count(nodes, 'simulated member')} (seed ${seed}${bug === undefined ? '' : `, bug ${bug}`}${file === undefined ? '' : `, scenario ${file.scenario.name}`})`);
  for (const e of handle.endpoints) console.log(`  ${e.member}  ${e.url}  gRPC and JSON gateway`);
  const all = handle.endpoints.map((e) => e.url.replace('http://', '')).join(',');
  // etcdctl 3.4 speaks the v3 API without ETCDCTL_API=3.
  console.log(`try: etcdctl --endpoints=${all} put foo bar`);
  // Without a scenario a user saw the try: line and then nothing, even at the end of --duration.
  if (file === undefined) console.log(forTerminal(`serving ${durationSeconds === undefined ? 'until Ctrl-C' : `for ${durationSeconds} s or until Ctrl-C`} (no --scenario: no faults, nothing recorded or checked)`));
  if (file !== undefined) console.log(`faults run in real time; ${durationSeconds === undefined ? 'Ctrl-C' : `after ${durationSeconds} s (or Ctrl-C)`} heals, checks what clients saw and writes ${oneLine(out)}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void handle.stopped.then(stop);
    if (durationSeconds !== undefined) setTimeout(stop, durationSeconds * 1000).unref();
  });
  if (file === undefined) {
    await handle.close();
    console.log('detcd serve: stopped');
    return 0;
  }
  console.log('detcd serve: stopping: healing every fault, checking the history…');
  const { results, dir } = await finishServe(handle, out, file.ref);
  console.log(runTable(results));
  console.log(reportLine(dir));
  if (results.valid !== true) console.log(chalk.bold(`check again: ${oneLine(results.replay)}`));
  return exitCodeFor(results.valid);
}
