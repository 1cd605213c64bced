// `detcd COMMAND --help`: every command's usage, options and defaults, in one place so that they
// read alike. test/cli/help.test.ts checks that every option a command parses is listed here.

const SEED_RANGE = '0..2147483647';

const ENVIRONMENT = [
  'environment:',
  '  NO_COLOR=1         no colours (also off when the output is not a terminal)',
  '  DETCD_PROGRESS=1   a progress bar even when stderr is not a terminal (sweep, campaign)',
  '  DETCD_DEBUG=1      the stack trace of an internal error (exit 4)',
];

const EXIT_CODES = 'exit codes: 0 valid, 1 violation found, 2 unknown (a checker gave up), 3 bad input or usage, 4 internal error';

export const COMMAND_HELP: Record<string, string[]> = {
  run: [
    'usage: detcd run [--scenario NAME|FILE] [--seed N] [--out DIR] [--bug NAME] [--quiet]',
    '                 [--target simulation|etcd [--etcd PATH] [--no-mitigations]]',
    '',
    'One seeded run of a scenario: a summary table, a report directory and, when the run does',
    'not pass, the command that replays it and the command that shrinks it.',
    '',
    'options:',
    '  --scenario NAME|FILE  a shipped scenario (detcd scenarios) or a scenario file (default: swarm)',
    `  --seed N              the seed, ${SEED_RANGE} (default: picked at random and printed)`,
    '  --out DIR             the report directory (default: reports/<scenario>/<seed>); it must be',
    '                        new, empty or a detcd report: detcd never replaces files it did not write',
    '  --bug NAME            plant a bug in the simulated stack (detcd bugs lists them)',
    '  --quiet               no summary table, only the verdict lines',
    '  --target etcd         run the scenario against real etcd processes instead of the simulation',
    '  --etcd PATH           the etcd binary for --target etcd (default: etcd on the PATH)',
    '  --no-mitigations      with --target etcd: run without the mitigations for known etcd issues',
  ],
  replay: [
    'usage: detcd replay DIR|DIR/results.json',
    '',
    'Runs a report\'s scenario and seed again and compares the whole result: trace hash, verdict,',
    'each checker\'s verdict and the statistics. The same: "replayed exactly" and the run\'s exit',
    'code. Different: where the traces part (from checkpoints.json) and exit 4.',
  ],
  sweep: [
    'usage: detcd sweep [--scenario NAME|FILE|all] [--seeds A..B|N] [--jobs N] [--shard I/N]',
    '                   [--bug NAME] [--stop-on-fail] [--report-all] [--out DIR]',
    '       detcd sweep --merge DIR... [--out DIR]',
    '',
    'Many seeds over worker threads, a table per scenario, the replay command of every failure',
    '(in seed order) and a sweep report (index.html, junit.xml, summary.md, sweep.json).',
    '',
    'options:',
    '  --scenario NAME|FILE|all  one scenario, a file, or every shipped scenario (default: swarm)',
    `  --seeds A..B|N            seeds A to B, or 1 to N; seeds are ${SEED_RANGE} (default: 1..20)`,
    '  --jobs N                  worker threads (default: the number of cores)',
    '  --shard I/N               run only the I-th of N interleaved shares (for a CI matrix)',
    '  --bug NAME                plant a bug in every run (detcd bugs lists them)',
    '  --stop-on-fail            stop at the first failing run',
    '  --report-all              write a run report for every run, not only the failing ones',
    '  --out DIR                 the sweep report (default: reports/sweep-<scenario>); new, empty or a detcd report',
    '  --merge DIR...            merge the sweep.json of shard directories into one report',
    '                            (default --out: reports/sweep-merged)',
  ],
  shrink: [
    'usage: detcd shrink DIR [--runs N] [--out FILE]',
    '',
    'The smallest fault schedule, client count and run length that still fail with the run\'s seed',
    '(and bug), written as a scenario file that `detcd run --scenario FILE --seed N` replays.',
    'Only a failing run (exit 1) can be shrunk: a valid or unknown run has no failure to keep.',
    '',
    'options:',
    '  --runs N     the most runs to try (default: 150)',
    '  --out FILE   where to write the scenario (default: DIR/shrunk.json); its directory must exist',
  ],
  check: [
    'usage: detcd check --model register|kv|etcd [--format jepsen-log|jepsen-edn|jsonl] [--json]',
    '                   [--timeout-ms N] FILE...',
    '',
    'Checks each history for linearizability and prints a verdict per file (with an explanation',
    'when a file is not linearizable).',
    '',
    'options:',
    '  --model M        register, kv or etcd',
    '  --format F       jepsen-log, jepsen-edn or jsonl (default: detected from the content)',
    '  --json           one JSON line per file',
    '  --timeout-ms N   give up (verdict unknown, exit 2) after N ms per file',
  ],
  serve: [
    'usage: detcd serve [--port P] [--nodes N] [--seed N] [--scenario NAME|FILE] [--duration SECONDS]',
    '                   [--bug NAME] [--out DIR]',
    '',
    'A simulated cluster advanced in real time, one loopback port per member, each serving etcd\'s',
    'v3 gRPC API and its JSON gateway. With --scenario the faults run in real time and Ctrl-C (or',
    '--duration) heals, checks what the clients saw and writes a report; the exit code is its verdict.',
    '',
    'options:',
    '  --port P              the first member\'s port; the others follow (default: 2379; 0: any free)',
    '  --nodes N             members, 1..9 (default: the scenario\'s, or 1)',
    `  --seed N              the seed, ${SEED_RANGE} (default: 1)`,
    '  --scenario NAME|FILE  faults to run in real time, and a history to check',
    '  --duration SECONDS    stop after this long (default: until Ctrl-C)',
    '  --bug NAME            plant a bug (needs --scenario)',
    '  --out DIR             the report directory (default: reports/serve-<scenario>-<seed>)',
  ],
  scenarios: ['usage: detcd scenarios', '', 'Lists the shipped scenarios, one line each.'],
  bugs: ['usage: detcd bugs', '', 'Lists the bugs that --bug can plant, one line each.'],
  campaign: [
    'usage: detcd campaign [--seeds A..B|N] [--jobs N] [--bug NAME] [--stop-on-fail] [--out DIR]',
    '',
    'The default campaign (npm start): every shipped scenario over a few seeds on every core, a',
    'table in the terminal and a sweep report.',
    '',
    'options:',
    `  --seeds A..B|N   seeds per scenario, ${SEED_RANGE} (default: 1..4)`,
    '  --jobs N         worker threads (default: the number of cores)',
    '  --bug NAME       plant a bug in every run',
    '  --stop-on-fail   stop at the first failing run',
    '  --out DIR        the sweep report (default: reports/campaign)',
  ],
};

export function commandHelp(name: string): string | undefined {
  const lines = COMMAND_HELP[name];
  return lines === undefined ? undefined : [...lines, '', ...ENVIRONMENT, EXIT_CODES].join('\n');
}
