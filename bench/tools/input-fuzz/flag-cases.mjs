// Every option of every command (read from the commands' --help text, so a new option is fuzzed
// without touching this file), each given hostile values on top of a base command line that is
// otherwise valid and quick.
import { join, resolve } from 'node:path';

/** The options each command's help names, and whether each takes a value. */
export function optionsOf(helpLines) {
  const options = new Map();
  for (const line of helpLines) {
    for (const m of line.matchAll(/(--[a-z][a-z-]*)( [^\s[\]-][^\s\]]*)?/g)) {
      const takesValue = m[2] !== undefined && !/^ (no|the|a|an|with|only|run|stop|re-run|merge|etcd:)$/.test(m[2]);
      options.set(m[1], (options.get(m[1]) ?? false) || takesValue);
    }
  }
  options.delete('--help');
  return options;
}

/** Values no option expects: empty, signs, floats, huge, words, control characters, paths of odd kinds. */
export function hostileValues(fx) {
  return [
    '', '-1', '0', '1.5', '1e3', '0x10', '99999999999999999999', '2147483648', 'NaN', 'abc', ' 7', 'a\nb', '✓é', '-', '--', '/',
    fx.kinds['a directory'], fx.kinds['a missing file'], fx.kinds['a link to /dev/null'], fx.kinds['a named pipe'], fx.kinds['a path under a file'],
    fx.userFile, fx.userDir, fx.userSubdirsOnly, '<script>alert(1)</script>', 'x'.repeat(5000),
  ];
}

/**
 * Values that are no number, no name and no path a user could mean: every option but --out must
 * refuse them (exit 3) with a line naming the option. A value accepted here was either ignored
 * (an option that does nothing in this mode) or read loosely (Number(' 7'), Number('0x10')).
 */
export function isGarbage(value, fx) {
  return !/^-?\d+$/.test(value) && !Object.values(fx.kinds).includes(value) && ![fx.userFile, fx.userDir, fx.userSubdirsOnly].includes(value);
}

/** Options that take any text (a path to write): every other option refuses garbage. */
const FREE_TEXT = new Set(['--out']);

/**
 * The modes of a command other than its base (each with its own base command line): an option
 * that means nothing in a mode must be refused there, not ignored.
 */
function modes(command, fx, out) {
  switch (command) {
    case 'sweep': return { 'sweep --merge': { argv: ['--merge', fx.okSweep, '--out', out], timeoutMs: 30_000 } };
    case 'bugs': return { 'bugs --verify': { argv: ['--verify', '--seeds', '1', '--bug', 'figure8', '--shrink-runs', '0'], timeoutMs: 120_000 } };
    case 'serve': return { 'serve without a scenario': { argv: ['--port', '0', '--duration', '1', '--seed', '1', '--nodes', '3'], timeoutMs: 30_000 } };
    default: return {};
  }
}

/** A base command line per command: valid and quick; `out` is this case's own output path. */
function baseArgs(command, fx, out) {
  switch (command) {
    case 'run': return { argv: ['--scenario', fx.tiny, '--seed', '1', '--out', out, '--quiet'], timeoutMs: 60_000 };
    case 'sweep': return { argv: ['--scenario', fx.tiny, '--seeds', '1..2', '--jobs', '1', '--rerun-percent', '0', '--out', out], timeoutMs: 90_000 };
    case 'campaign': return { argv: ['--seeds', '1', '--jobs', '1', '--out', out], timeoutMs: 20_000, slowOk: true };
    case 'shrink': return { argv: [fx.failingRunCopy(out), '--runs', '2', '--out', join(out, 'shrunk.json')], timeoutMs: 60_000, prepareOut: true };
    // detcd's register workload records etcd API ops: its history is an etcd model's.
    case 'check': return { argv: ['--model', 'etcd', fx.registerHistory], timeoutMs: 30_000 };
    // --out needs --scenario (only a scenario's run has a report): without it every serve case was refused for that.
    case 'serve': return { argv: ['--port', '0', '--duration', '1', '--seed', '1', '--scenario', fx.tiny, '--out', out], timeoutMs: 30_000 };
    case 'bugs': return { argv: [], timeoutMs: 30_000 };
    case 'replay': return { argv: [fx.okRun], timeoutMs: 60_000 };
    // report draws a run's pages again inside its directory: a copy of the run, under this case's --out.
    case 'report': return { argv: [fx.okRunCopy(out)], timeoutMs: 60_000 };
    default: return { argv: [], timeoutMs: 30_000 };
  }
}

/** `argv` without `option` (and its value). */
function without(argv, option, takesValue) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === option) {
      if (takesValue) i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** Cases for each option of each command; `pick` samples the hostile values (all, or a few per option). */
export function flagCases(commands, fx, pick, outFor) {
  const cases = [];
  for (const [command, helpLines] of Object.entries(commands)) {
    for (const mode of [command, ...Object.keys(modes(command, fx, ''))]) cases.push(...modeCases(command, mode, optionsOf(helpLines), fx, pick, outFor));
  }
  return cases;
}

/** The cases of one command in one mode (its base command line, or one of modes()). */
function modeCases(command, mode, options, fx, pick, outFor) {
  const cases = [];
  {
    const add = (name, build, own = [], judged = {}) => {
      const out = outFor();
      const base = mode === command ? baseArgs(command, fx, out) : modes(command, fx, out)[mode];
      // A path given to --out is the user's request: writing there is allowed (refusing a user's files is judged by the out cases).
      const cwdOuts = own.filter((p) => p.startsWith(`${fx.cwd}/`) && p !== fx.cwdReports);
      cases.push({ kind: 'flags', name: `${mode} ${name}`, argv: [command, ...build(base.argv)], timeoutMs: base.timeoutMs, slowOk: base.slowOk ?? true, outs: [out, fx.cwdReports, ...own], out, cwdOuts, ...judged });
    };
    // The base itself must be taken: a refused base makes every case of the mode pass for the wrong reason.
    add('(the base command line, unchanged)', (argv) => argv, [], { bad: false });
    add('--no-such-option', (argv) => [...argv, '--no-such-option']);
    add('an extra argument', (argv) => [...argv, 'extra-argument']);
    for (const [option, takesValue] of options) {
      if (!takesValue) {
        add(`${option}=yes (a value to a switch)`, (argv) => [...without(argv, option, false), `${option}=yes`]);
        add(`${option} twice`, (argv) => [...without(argv, option, false), option, option]);
        continue;
      }
      add(`${option} with no value`, (argv) => [...without(argv, option, true), option]);
      // An empty directory is a valid --out: the user asked for the report there.
      const asOut = (v) => (option === '--out' && v !== '/' && (v === fx.kinds['a directory'] || (!Object.values(fx.kinds).includes(v) && ![fx.userFile, fx.userDir, fx.userSubdirsOnly].includes(v))) ? [resolve(fx.cwd, v)] : []);
      add(`${option} twice`, (argv) => [...argv, option, 'abc', option, '1'], [...asOut('abc'), ...asOut('1')]);
      for (const hostile of pick(hostileValues(fx))) {
        // A missing path given to --out is where the user asked for the report: the case's own
        // output, in the working directory (removed after it), not the shared kinds/ path other
        // cases read as missing (`serve --out KINDS/no-such-file.json` made that directory and
        // wrote its report there, and was judged as a write outside the case's output).
        const value = option === '--out' && hostile === fx.kinds['a missing file'] ? resolve(fx.cwd, 'no-such-out.json') : hostile;
        const judged = !FREE_TEXT.has(option) && isGarbage(value, fx) ? { bad: true, mustName: option } : {};
        add(`${option} ${JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}...(${value.length})` : value)}`, (argv) => [...without(argv, option, true), option, value], value === '' ? [] : asOut(value), judged);
      }
    }
  }
  return cases;
}
