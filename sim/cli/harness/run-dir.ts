// Reading back a run's report directory: results.json, the scenario as given, checkpoints.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { directoryProblem, readInputText } from '../../report/input-file.ts';
import { PathError } from '../../report/path-error.ts';
import type { PlantedBug } from '../../bugs/planted-bugs.ts';
import type { Results } from '../../run/results.ts';
import { parseScenario } from '../../scenario/parse.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { checkResultsFile } from './results-file.ts';
import { readScenarioFile, shippedScenarioFile } from './scenario-files.ts';
import { parseJsonBounded } from '../../text/json-nesting.ts';
import { REPORT_PAGE } from './report-line.ts';

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
    return parseJsonBounded(text);
  } catch (err) {
    throw new UsageError(`${file}: (file): cannot read as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** How `detcd run --scenario` names the run's scenario: its scenario.json, a shipped name, or FILE when neither is there. */
function rerunScenario(scenarioFile: string | undefined): (name: string) => string {
  return (name) => scenarioFile ?? (shippedScenarioFile(name) === undefined ? 'FILE' : name);
}

export function readRunDir(command: string, target: string | undefined): RunDir {
  if (target === undefined) throw new UsageError(`detcd ${command}: name a run directory or its results.json`);
  if (!existsSync(target)) throw new UsageError(`detcd ${command}: no such file or directory: ${target}`);
  const dir = statSync(target).isDirectory() ? target : dirname(target);
  // The page `detcd run` prints (report: DIR/index.html) names its run as its directory does.
  const resultsFile = statSync(target).isDirectory() || basename(target) === REPORT_PAGE ? join(dir, 'results.json') : target;
  const unreadable = existsSync(resultsFile) ? undefined : directoryProblem(dir);
  if (unreadable !== undefined) throw new UsageError(`detcd ${command}: ${dir}: ${unreadable}`);
  if (basename(resultsFile) !== 'results.json' || !existsSync(resultsFile)) throw new UsageError(`detcd ${command}: ${target}: no results.json there`);
  const scenarioFile = join(dir, 'scenario.json');
  const hasScenarioFile = existsSync(scenarioFile);
  const results = checkResultsFile(resultsFile, readJson(resultsFile), rerunScenario(hasScenarioFile ? scenarioFile : undefined));
  let scenario: Scenario;
  let scenarioRef: string;
  if (hasScenarioFile) {
    scenario = parseScenario(readJson(scenarioFile), scenarioFile);
    scenarioRef = scenarioFile;
  } else {
    // Only a shipped scenario is looked up by the name results.json records: a name like "-" or a
    // path would read standard input or a file the user never named.
    const shipped = shippedScenarioFile(results.scenario);
    if (shipped === undefined) throw new UsageError(`${scenarioFile}: (file): missing, and ${resultsFile}'s scenario '${results.scenario}' is not a shipped one (detcd scenarios lists them): the run's scenario file is needed`);
    scenario = readScenarioFile(shipped);
    scenarioRef = results.scenario;
  }
  const cpFile = join(dir, 'checkpoints.json');
  const checkpoints = existsSync(cpFile) ? checkpointList(cpFile, readJson(cpFile)) : undefined;
  return { dir, results, scenario, scenarioRef, bug: results.bug as PlantedBug | undefined, checkpoints };
}

function checkpointList(file: string, json: unknown): [number, string][] {
  const ok = Array.isArray(json) && json.every((c) => Array.isArray(c) && c.length === 2 && typeof c[0] === 'number' && typeof c[1] === 'string');
  if (!ok) throw new UsageError(`${file}: (file): not a list of [time, hash] checkpoints`);
  return json as [number, string][];
}
