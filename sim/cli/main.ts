// Entry point of the detcd command line: picks the subcommand, maps errors to exit codes.
import { ReportPathError } from '../report/report-dir.ts';
import { EXIT_INTERNAL, EXIT_USAGE, UsageError } from './errors.ts';

type Command = (argv: string[]) => Promise<number>;

/** Each subcommand lives in its own file and loads only when used, so startup stays fast. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: { summary: 'one seeded run, report in DIR', load: async () => (await import('./commands/run.ts')).run },
  replay: { summary: 'the same run again, byte for byte', load: async () => (await import('./commands/replay.ts')).replay },
  sweep: { summary: 'many seeds over all cores, with a summary', load: async () => (await import('./commands/sweep.ts')).sweep },
  shrink: { summary: 'the smallest failing fault schedule, as a scenario file', load: async () => (await import('./commands/shrink.ts')).shrink },
  check: { summary: 'check histories from anywhere for linearizability', load: async () => (await import('./commands/check.ts')).check },
  serve: { summary: "a simulated cluster behind etcd's v3 JSON API", load: async () => (await import('./commands/serve.ts')).serve },
  scenarios: { summary: 'list the scenarios', load: async () => (await import('./commands/scenarios.ts')).scenarios },
  bugs: { summary: 'list the bugs that --bug can plant', load: async () => (await import('./commands/bugs.ts')).bugs },
  campaign: { summary: 'the default campaign (npm start): every scenario over a few seeds', load: async () => (await import('./commands/campaign.ts')).campaign },
};

function usage(): string {
  const lines = ['usage: detcd <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  return lines.join('\n');
}

/** A reader that closed the pipe early (`detcd check ... | head`) has all it wants: stop quietly. */
function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  });
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = commands[name];
  try {
    if (command === undefined) throw new UsageError(`detcd: unknown command '${name}' (try: detcd --help)`);
    return await (await command.load())(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return EXIT_USAGE;
    }
    if (err instanceof ReportPathError) {
      console.error(`detcd ${name}: ${err.message}`);
      return EXIT_USAGE;
    }
    const message = err instanceof Error ? err.message : String(err);
    console.error(`detcd: internal error: ${message}`);
    if (process.env['DETCD_DEBUG'] !== undefined && err instanceof Error) console.error(err.stack);
    return EXIT_INTERNAL;
  }
}
