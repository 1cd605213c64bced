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
import { shownArgument } from '../../errors/bad-argument.ts';
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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isTextList = (v: unknown): boolean => Array.isArray(v) && v.every((e) => typeof e === 'string');

function refuse(file: string, field: string, reason: string, got: unknown): UsageError {
  return new UsageError(`${file}: ${field}: ${got === undefined ? `missing (${reason})` : `${reason}, got ${shownArgument(got)}`}`);
}

/** The fields the run page reads that replay does not: the timelines, the options, the real target's lists. */
function checkPageFields(file: string, r: Record<string, unknown>): void {
  if (r['options'] !== undefined && !isObject(r['options'])) throw refuse(file, 'options', 'must be an object of the drawn options', r['options']);
  for (const name of ['faults', 'leaders'] as const) {
    const list = r[name];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw refuse(file, name, 'must be a list', list);
    list.forEach((e: unknown, i) => {
      if (!isObject(e)) throw refuse(file, `${name}[${i}]`, 'must be an object', e);
      if (!isNumber(e['startUs'])) throw refuse(file, `${name}[${i}].startUs`, 'must be a number (µs)', e['startUs']);
      if (e['endUs'] !== undefined && e['endUs'] !== null && !isNumber(e['endUs'])) throw refuse(file, `${name}[${i}].endUs`, 'must be a number (µs)', e['endUs']);
      if (name === 'faults' && typeof e['kind'] !== 'string') throw refuse(file, `faults[${i}].kind`, 'must be the fault\'s kind', e['kind']);
      if (name === 'faults' && e['targets'] !== undefined && !isTextList(e['targets'])) throw refuse(file, `faults[${i}].targets`, 'must be a list of member names', e['targets']);
    });
  }
  const checkers = r['checkers'] as Record<string, Record<string, unknown>>;
  for (const [name, c] of Object.entries(checkers)) if (c['summary'] !== undefined && typeof c['summary'] !== 'string') throw refuse(file, `checkers.${name}.summary`, 'must be a string', c['summary']);
  const t = r['target'];
  if (!isObject(t) || t['kind'] !== 'etcd') return;
  for (const key of ['network', 'replayable']) if (typeof t[key] !== 'string') throw refuse(file, `target.${key}`, 'must be a string', t[key]);
  if (!isTextList(t['notChecked'])) throw refuse(file, 'target.notChecked', 'must be a list of strings', t['notChecked']);
  for (const key of ['mitigations', 'exposed', 'unmitigable', 'notApplied']) if (t[key] !== undefined && !isTextList(t[key])) throw refuse(file, `target.${key}`, 'must be a list of strings', t[key]);
  for (const key of ['faultsNotRun', 'trafficPastDurationMs']) if (t[key] !== undefined && !(Number.isSafeInteger(t[key]) && (t[key] as number) >= 0)) throw refuse(file, `target.${key}`, 'must be a whole number from 0 up', t[key]);
}

/** Where a run page's "scenario" section comes from when the report is re-rendered. */
export const REREAD_SCENARIO_LABEL = 'scenario as given (scenario.json): a re-rendered report does not hold the scenario as run; the options drawn from the seed are above';

/** A run report directory, read and checked: what renderRunHtml takes. */
export function readRunReportInput(dir: string): RunReportInput {
  const resultsFile = join(dir, 'results.json');
  const json = readJsonFile(resultsFile);
  const results: Results = checkResultsFile(resultsFile, json, () => 'FILE', true);
  checkPageFields(resultsFile, json as Record<string, unknown>);
  const history = readHistory(join(dir, 'history.jsonl'));
  const watches = readWatches(join(dir, 'watches.jsonl'));
  const scenarioFile = join(dir, 'scenario.json');
  const scenario = existsSync(scenarioFile) && statSync(scenarioFile).isFile() ? readJsonFile(scenarioFile) : undefined;
  const input: RunReportInput = { results, history, scenario, scenarioLabel: REREAD_SCENARIO_LABEL };
  if (watches !== undefined) input.watches = watches;
  return input;
}
