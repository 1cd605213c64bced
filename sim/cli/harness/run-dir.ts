// Reading back a run's report directory: results.json, the scenario as given, checkpoints.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { readInputText } from '../../report/input-file.ts';
import { PathError } from '../../report/path-error.ts';
import { isPlantedBug } from '../../bugs/planted-bugs.ts';
import type { PlantedBug } from '../../bugs/planted-bugs.ts';
import type { Results } from '../../run/results.ts';
import { parseScenario } from '../../scenario/parse.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { SEED_MAX } from './args.ts';
import { loadScenario } from './scenario-files.ts';

export interface RunDir {
  dir: string;
  results: Results;
  scenario: Scenario;
  /** How to name the scenario in a replay command. */
  scenarioRef: string;
  bug: PlantedBug | undefined;
  checkpoints: [number, string][] | undefined;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readInputText(file);
  } catch (err) {
    if (err instanceof PathError) throw new UsageError(`${file}: (file): ${err.reason}`);
    throw err;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: (file): cannot read as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function readRunDir(command: string, target: string | undefined): RunDir {
  if (target === undefined) throw new UsageError(`detcd ${command}: name a run directory or its results.json`);
  if (!existsSync(target)) throw new UsageError(`detcd ${command}: no such file or directory: ${target}`);
  const dir = statSync(target).isDirectory() ? target : dirname(target);
  const resultsFile = statSync(target).isDirectory() ? join(target, 'results.json') : target;
  if (basename(resultsFile) !== 'results.json' || !existsSync(resultsFile)) throw new UsageError(`detcd ${command}: ${target}: no results.json there`);
  const results = readJson(resultsFile) as Results;
  if (typeof results !== 'object' || results === null || typeof results.seed !== 'number' || typeof results.scenario !== 'string') throw new UsageError(`${resultsFile}: seed, scenario: missing or of the wrong type`);
  if (!Number.isInteger(results.seed) || results.seed < 0 || results.seed > SEED_MAX) throw new UsageError(`${resultsFile}: seed: ${results.seed} is not a whole number from 0 to ${SEED_MAX}`);
  const scenarioFile = join(dir, 'scenario.json');
  let scenario: Scenario;
  let scenarioRef: string;
  if (existsSync(scenarioFile)) {
    scenario = parseScenario(readJson(scenarioFile), scenarioFile);
    scenarioRef = scenarioFile;
  } else {
    const shipped = loadScenario(results.scenario);
    scenario = shipped.scenario;
    scenarioRef = shipped.ref;
  }
  if (results.bug !== undefined && !isPlantedBug(results.bug)) throw new UsageError(`${resultsFile}: bug: unknown bug '${results.bug}'`);
  const cpFile = join(dir, 'checkpoints.json');
  const checkpoints = existsSync(cpFile) ? checkpointList(cpFile, readJson(cpFile)) : undefined;
  return { dir, results, scenario, scenarioRef, bug: results.bug, checkpoints };
}

function checkpointList(file: string, json: unknown): [number, string][] {
  const ok = Array.isArray(json) && json.every((c) => Array.isArray(c) && c.length === 2 && typeof c[0] === 'number' && typeof c[1] === 'string');
  if (!ok) throw new UsageError(`${file}: (file): not a list of [time, hash] checkpoints`);
  return json as [number, string][];
}
