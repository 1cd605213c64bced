// A run's report directory read back for `detcd report`: results.json, history.jsonl and, when
// there, watches.jsonl and scenario.json, each checked before anything is rendered or written,
// each refusal one line naming the file (and line or field) and the reason (exit 3). What the
// run page reads beyond what replay checks (results-file.ts) is checked here too: the fault and
// leader timelines, the real target's lists. A report from another detcd is accepted: its data
// is re-rendered by this build's pages.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Op, WatchRecord } from '../../history/op.ts';
import { parseOpObject } from '../../history/jsonl.ts';
import { HistoryParseError } from '../../history/parse-error.ts';
import { watchRecordOf } from '../../history/watch-record-line.ts';
import { readInputText } from '../../report/input-file.ts';
import { PathError } from '../../report/path-error.ts';
import type { RunReportInput } from '../../report/run-page.ts';
import type { Results } from '../../run/results.ts';
import { UsageError } from '../errors.ts';
import { checkResultsFile } from './results-file.ts';
import { jsonNestingRefusal, parseJsonBounded } from '../../text/json-nesting.ts';

function readText(file: string): string {
  try {
    return readInputText(file);
  } catch (err) {
    if (err instanceof PathError) throw new UsageError(`${file}: (file): ${err.reason}`);
    throw err;
  }
}

/** The file's JSON, or a refusal naming it. */
export function readJsonFile(file: string): unknown {
  const text = readText(file);
  try {
    return parseJsonBounded(text);
  } catch (err) {
    throw new UsageError(`${file}: (file): cannot read as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Each non-blank line of a JSONL file parsed, refused at the first that is not JSON. */
function jsonLines(file: string): { line: number; value: unknown }[] {
  const out: { line: number; value: unknown }[] = [];
  readText(file).split('\n').forEach((text, i) => {
    if (text.trim() === '') return;
    try {
      out.push({ line: i + 1, value: JSON.parse(text) });
    } catch {
      throw new UsageError(`${file}:${i + 1}: not JSON`);
    }
    const deep = jsonNestingRefusal(text);
    if (deep !== undefined) throw new UsageError(`${file}:${i + 1}: ${deep}`);
  });
  return out;
}

function readHistory(file: string): Op[] {
  if (!existsSync(file)) throw new UsageError(`${file}: (file): missing: a run report's history is needed to draw its page`);
  return jsonLines(file).map(({ line, value }) => {
    try {
      return parseOpObject(value, line);
    } catch (err) {
      if (err instanceof HistoryParseError) throw new UsageError(err.inFile(file).message);
      throw err;
    }
  });
}

function readWatches(file: string): WatchRecord[] | undefined {
  if (!existsSync(file)) return undefined;
  return jsonLines(file).map(({ line, value }) => {
    const rec = watchRecordOf(value);
    if (typeof rec === 'string') throw new UsageError(`${file}:${line}: ${rec}`);
    return rec;
  });
}

/** Where a run page's "scenario" section comes from when the report is re-rendered. */
export const REREAD_SCENARIO_LABEL = 'scenario as given (scenario.json): a re-rendered report does not hold the scenario as run; the options drawn from the seed are above';

/** A run report directory, read and checked: what renderRunHtml takes. */
export function readRunReportInput(dir: string): RunReportInput {
  const resultsFile = join(dir, 'results.json');
  const json = readJsonFile(resultsFile);
  const results: Results = checkResultsFile(resultsFile, json, () => 'FILE', true);
  const history = readHistory(join(dir, 'history.jsonl'));
  const watches = readWatches(join(dir, 'watches.jsonl'));
  const scenarioFile = join(dir, 'scenario.json');
  const scenario = existsSync(scenarioFile) && statSync(scenarioFile).isFile() ? readJsonFile(scenarioFile) : undefined;
  const input: RunReportInput = { results, history, scenario, scenarioLabel: REREAD_SCENARIO_LABEL };
  if (watches !== undefined) input.watches = watches;
  return input;
}
