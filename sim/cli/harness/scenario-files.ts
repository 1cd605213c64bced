// Scenario files on disk: the shipped ones in scenarios/ (by name) and any file a user points
// at. Reading is here (sim/cli may touch the file system); validation is in sim/scenario.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { PACKAGE_ROOT } from './package-root.ts';
import { readInputText, readStdinText } from '../../report/input-file.ts';
import { PathError } from '../../report/path-error.ts';
import { parseScenarioText } from '../../scenario/parse.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { oneLine } from '../../errors/one-line.ts';

/** The shipped scenarios directory (the repository's scenarios/). */
export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');

export interface ScenarioFile {
  /** What `--scenario` takes to find it again: a shipped name, or the file path. */
  ref: string;
  file: string;
  scenario: Scenario;
}

/** A scenario file is a few KB: a bigger one (or an endless stdin) is not read whole. */
export const SCENARIO_BYTES_MAX = 16 * 1024 * 1024;

/** A field written with its old spelling still loads; the user is told once per field, on stderr. */
const warnDeprecated = { onDeprecated: (line: string): void => void process.stderr.write(`${oneLine(`detcd: ${line}`)}\n`) };

/** `option`: the option that named the file (`--scenario`), named with it when the file cannot be read. */
export function readScenarioFile(file: string, option?: string): Scenario {
  let text: string;
  try {
    text = readInputText(file, SCENARIO_BYTES_MAX);
  } catch (err) {
    if (err instanceof PathError) throw new UsageError(`${option === undefined ? '' : `${option} `}${file}: (file): ${err.reason}`);
    throw err;
  }
  const scenario = parseScenarioText(text, file, warnDeprecated);
  const stem = basename(file).replace(/\.json$/, '');
  if (dirname(resolve(file)) === SCENARIOS_DIR && scenario.name !== stem) {
    throw new UsageError(`${file}: name: must equal the file name "${stem}" for a shipped scenario`);
  }
  return scenario;
}

/** Every shipped scenario, by name. */
export function shippedScenarios(): ScenarioFile[] {
  const files = readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.json')).sort();
  return files.map((f) => {
    const file = join(SCENARIOS_DIR, f);
    return { ref: f.replace(/\.json$/, ''), file, scenario: readScenarioFile(file) };
  });
}

/** The file of the shipped scenario `name`, or undefined when no shipped scenario has that name (a path, "-", anything else). */
export function shippedScenarioFile(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) || name.endsWith('.json')) return undefined;
  const file = join(SCENARIOS_DIR, `${name}.json`);
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

/** `--scenario -`: the scenario's JSON on standard input (how a scenario built in code is replayed). */
export const STDIN_SCENARIO = '-';

function readStdinScenario(): ScenarioFile {
  let text: string;
  try {
    text = readStdinText(SCENARIO_BYTES_MAX);
  } catch (err) {
    throw new UsageError(`--scenario -: cannot read standard input: ${err instanceof PathError ? err.reason : (err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (text.trim() === '') throw new UsageError('--scenario -: standard input is empty (pipe a scenario\'s JSON into it)');
  return { ref: STDIN_SCENARIO, file: '(stdin)', scenario: parseScenarioText(text, '(stdin)', warnDeprecated) };
}

/** `--scenario` takes a shipped name, a path to a scenario file, or - for standard input. */
export function loadScenario(ref: string): ScenarioFile {
  if (ref === STDIN_SCENARIO) return readStdinScenario();
  const looksLikePath = ref.includes('/') || ref.endsWith('.json');
  if (looksLikePath || (existsSync(ref) && statSync(ref).isFile())) {
    if (!existsSync(ref)) throw new UsageError(`--scenario: no such file: ${ref}`);
    return { ref, file: ref, scenario: readScenarioFile(ref, '--scenario') };
  }
  const file = join(SCENARIOS_DIR, `${ref}.json`);
  if (!existsSync(file)) throw new UsageError(`--scenario: unknown scenario '${ref}' (detcd scenarios lists them)`);
  return { ref, file, scenario: readScenarioFile(file) };
}
