// Command-line options for the harness commands, on node:util's parseArgs, with every mistake
// turned into a one-line UsageError (exit 3).
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { isPlantedBug, PLANTED_BUGS } from '../../bugs/planted-bugs.ts';
import type { PlantedBug } from '../../bugs/planted-bugs.ts';

import { SEED_MAX } from '../../run/run-arguments.ts';

export { SEED_MAX };

/** `--seed -1`: a negative number is the option's value (then refused by its range), not an option. */
function joinNegativeValues(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** What parseArgs gives for these options (named, so that the compiled declarations can say it). */
export type ParsedCommandArgs<T extends NonNullable<ParseArgsConfig['options']>> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>>;

/**
 * parseArgs's refusal in detcd's voice, with the way out: Node's words ("Option '--seed <value>'
 * argument missing", an unknown option's hint with an unbalanced quote) become one line within
 * 80 columns that names the option and points at the command's --help.
 */
function argsMistake(command: string, err: Error): string {
  const help = `see detcd ${command} --help`;
  const code = (err as NodeJS.ErrnoException).code;
  const quoted = /'([^']*)'/.exec(err.message)?.[1] ?? '';
  const option = quoted.replace(/ <value>$/, '');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option}' (${help})`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/argument missing/.test(err.message)) return `${option} needs a value (${help})`;
    return `${option} takes no value (${help})`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument '${option}' (${help})`;
  return `${err.message} (${help})`;
}

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: T, allowPositionals = false): ParsedCommandArgs<T> {
  let parsed: ParsedCommandArgs<T>;
  const args = joinNegativeValues(argv, options);
  try {
    parsed = parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(`detcd ${command}: ${argsMistake(command, err as Error)}`);
  }
  refuseTwice(command, args, options);
  refuseEmpty(command, parsed.values, parsed.positionals);
  return parsed;
}

/**
 * An option that takes a value, given twice: parseArgs keeps the last and drops the first
 * silently (`sweep --seeds 1..2 --seeds 3..4` ran 3..4), so a command line edited by appending
 * ran something else than either reading of it. A flag given twice means what it means once.
 */
function refuseTwice(command: string, args: string[], options: NonNullable<ParseArgsConfig['options']>): void {
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  const seen = new Map<string, string | undefined>();
  for (const t of tokens) {
    if (t.kind !== 'option' || options[t.name]?.type !== 'string' || options[t.name]?.multiple === true) continue;
    if (seen.has(t.name)) {
      const shown = (v: string | undefined): string => JSON.stringify(v ?? '').slice(0, 40);
      throw new UsageError(`detcd ${command}: --${t.name} given twice (${shown(seen.get(t.name))}, then ${shown(t.value)}): give it once (see detcd ${command} --help)`);
    }
    seen.set(t.name, t.value);
  }
}

/**
 * No option or argument of any command means anything when empty, and an empty path is not "here":
 * `--out ""` reached the report writer and failed inside it (exit 4, "scandir ''").
 */
function refuseEmpty(command: string, values: Readonly<Record<string, unknown>>, positionals: readonly string[]): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === '' || (Array.isArray(value) && value.includes(''))) throw new UsageError(`detcd ${command}: --${name}: the value is empty (see detcd ${command} --help)`);
  }
  if (positionals.includes('')) throw new UsageError(`detcd ${command}: an empty argument (see detcd ${command} --help)`);
}

/**
 * Refuses options given where they do nothing: a user who writes `bugs --bug X` without
 * --verify, or `sweep --merge --seeds 5`, expects them to act, and an option silently ignored
 * hides the mistake. `names` are option names without dashes; `why` ends the line.
 */
export function refuseIgnored(command: string, values: Readonly<Record<string, unknown>>, names: readonly string[], why: string): void {
  const given = names.find((n) => values[n] !== undefined);
  if (given !== undefined) throw new UsageError(`detcd ${command}: --${given} ${why}`);
}

export function intOption(command: string, name: string, value: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`detcd ${command}: --${name}: not an integer: ${value}`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`detcd ${command}: --${name}: must be a whole number from ${min} to ${max}, got ${value}`);
  return n;
}

export function bugOption(command: string, value: string | undefined): PlantedBug | undefined {
  if (value === undefined) return undefined;
  if (!isPlantedBug(value)) {
    // The 33 names made a line of 840 characters: the closest name, if there is one, and where the list is.
    const near = closestName(value, PLANTED_BUGS.map((b) => b.name));
    throw new UsageError(`detcd ${command}: --bug: unknown bug '${value}' (${near === undefined ? '' : `did you mean ${near}? `}see detcd bugs)`);
  }
  return value;
}

/** Levenshtein distance, cut off past `max` (names are short; a typo is a few edits). */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** The one name within three edits of `typed` (the nearest), or undefined. */
export function closestName(typed: string, names: readonly string[]): string | undefined {
  if (typed.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = 4;
  for (const n of names) {
    const d = editDistance(typed, n, 3);
    if (d < bestDistance) [best, bestDistance] = [n, d];
  }
  return best;
}

/** "A..B" (inclusive) or "N" (seeds 1..N). */
export function seedsOption(command: string, value: string | undefined, fallback: [number, number]): [number, number] {
  if (value === undefined) return fallback;
  const range = /^(\d+)\.\.(\d+)$/.exec(value);
  const outOfRange = (): never => {
    throw new UsageError(`detcd ${command}: --seeds: ${value}: seeds are whole numbers from 0 to ${SEED_MAX}`);
  };
  if (range !== null) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (a > SEED_MAX || b > SEED_MAX) outOfRange();
    if (b < a) throw new UsageError(`detcd ${command}: --seeds: ${value}: the end is before the start`);
    return [a, b];
  }
  if (/^\d+$/.test(value) && Number(value) > 0) {
    if (Number(value) > SEED_MAX) outOfRange();
    return [1, Number(value)];
  }
  throw new UsageError(`detcd ${command}: --seeds: expected A..B or a count N (seeds 1..N), got ${value}`);
}

/**
 * "I/N" with 1 <= I <= N <= SEED_MAX: more shards than seeds can exist only leaves shards empty, and
 * past 2^53 the digits would not even be read exactly (a shard printed as 1e+20).
 */
export function shardOption(command: string, value: string | undefined): { index: number; count: number } {
  if (value === undefined) return { index: 1, count: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index < 1 || index > count) throw new UsageError(`detcd ${command}: --shard: expected I/N with 1 <= I <= N, got ${value}`);
  if (count > SEED_MAX) throw new UsageError(`detcd ${command}: --shard: ${value}: at most ${SEED_MAX} shards (one per seed)`);
  return { index, count };
}
