// Entry point of the detcd command line: picks the subcommand, maps errors to exit codes.
import chalk from 'chalk';
import { PathError } from '../report/path-error.ts';
import { forgetCreatedDirs, removeUnusedCreatedDirs } from '../report/report-dir.ts';
import { EXIT_INTERNAL, EXIT_USAGE, UsageError } from './errors.ts';
import { commandHelp } from './help.ts';
import { oneLine } from '../errors/one-line.ts';
import { detcdBuild } from './harness/detcd-build.ts';

type Command = (argv: string[]) => Promise<number>;

/** Each subcommand lives in its own file and loads only when used, so startup stays fast. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: { summary: 'one seeded run, report in DIR', load: async () => (await import('./commands/run.ts')).run },
  replay: { summary: 'the same run again, byte for byte', load: async () => (await import('./commands/replay.ts')).replay },
  sweep: { summary: 'many seeds over all cores, with a summary', load: async () => (await import('./commands/sweep.ts')).sweep },
  shrink: { summary: 'the smallest failing fault schedule, as a scenario file', load: async () => (await import('./commands/shrink.ts')).shrink },
  report: { summary: "a run's or sweep's report pages drawn again by this build", load: async () => (await import('./commands/report.ts')).report },
  check: { summary: 'check histories from anywhere for linearizability', load: async () => (await import('./commands/check.ts')).check },
  serve: { summary: "a simulated cluster behind etcd's v3 APIs, a port per member", load: async () => (await import('./commands/serve.ts')).serve },
  scenarios: { summary: 'list the scenarios', load: async () => (await import('./commands/scenarios.ts')).scenarios },
  bugs: { summary: 'list the bugs that --bug can plant', load: async () => (await import('./commands/bugs.ts')).bugs },
  campaign: { summary: 'the default campaign (npm start): every scenario over a few seeds', load: async () => (await import('./commands/campaign.ts')).campaign },
};

function usage(): string {
  const lines = ['usage: detcd <command> [options]', '       detcd <command> --help', '       detcd --version', '', 'commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  return lines.join('\n');
}

/** Colours only on a terminal, and never with NO_COLOR set (https://no-color.org). */
function chooseColours(): void {
  const noColor = process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '';
  if (noColor || process.stdout.isTTY !== true) chalk.level = 0;
}

/** Every message in one voice: `detcd COMMAND: ...`. */
function inVoice(command: string, message: string): string {
  if (/^detcd[ :]/.test(message)) return message;
  if (message.startsWith(`${command}: `)) return `detcd ${message}`;
  return `detcd ${command}: ${message}`;
}

/** A reader that closed the pipe early (`detcd check ... | head`) has all it wants: stop quietly. */
function onStdoutError(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw err;
}

/**
 * Once per process: main() also runs in-process, many times over (tests, programmatic use), and
 * a listener per call leaked and tripped Node's MaxListenersExceededWarning at the 11th.
 */
function exitQuietlyOnClosedPipe(): void {
  if (process.stdout.listeners('error').includes(onStdoutError)) return;
  process.stdout.on('error', onStdoutError);
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  chooseColours();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest[0] !== undefined ? commandHelp(rest[0]) : undefined;
    if (name === undefined) console.error(usage());
    else console.log(topic ?? usage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    console.log(detcdBuild());
    return 0;
  }
  const command = commands[name];
  // `--` ends the options: a --help after it is an argument, not a request for help.
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (command !== undefined && (options.includes('--help') || options.includes('-h'))) {
    console.log(commandHelp(name) ?? usage());
    return 0;
  }
  forgetCreatedDirs();
  try {
    if (command === undefined) throw new UsageError(`detcd: unknown command '${name}' (try: detcd --help)`);
    return await (await command.load())(rest);
  } catch (err) {
    // A refusal or failure after the output path was made leaves no empty directory there.
    removeUnusedCreatedDirs();
    if (err instanceof UsageError || err instanceof PathError) {
      console.error(oneLine(inVoice(name, err.message)));
      return EXIT_USAGE;
    }
    const message = err instanceof Error ? err.message : String(err);
    console.error(oneLine(`detcd ${name}: internal error: ${message}`));
    if (process.env['DETCD_DEBUG'] !== undefined && err instanceof Error) console.error(err.stack);
    return EXIT_INTERNAL;
  }
}
