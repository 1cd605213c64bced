// detcd check --model register|kv|etcd [--format jepsen-log|jepsen-edn|jsonl] [--json]
//             [--timeout-ms N] FILE...
// Checks each history for linearizability and prints a verdict per file (with the
// explanation when a file is not linearizable). Exit 0 when all are valid, 1 when any is
// not, 2 when any is unknown (and none invalid), 3 on bad input or usage.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { checkHistory, MODEL_NAMES, type ModelName } from '../../check/check-history.ts';
import type { LinearizabilityResult } from '../../check/linearizability/check.ts';
import { mergeValidity, type Validity } from '../../check/verdict.ts';
import { detectFormat } from '../../history/detect-format.ts';
import { parseJepsenEdn } from '../../history/jepsen-edn.ts';
import { parseJepsenLog } from '../../history/jepsen-log.ts';
import { parseJsonl } from '../../history/jsonl.ts';
import { HistoryParseError } from '../../history/parse-error.ts';
import { HISTORY_FORMATS, type HistoryFormat, type ParsedHistory } from '../../history/parsed-history.ts';
import { explanationLines } from '../../report/explanation-text.ts';
import { exitCodeFor, UsageError } from '../errors.ts';

interface CheckArgs {
  model: ModelName;
  format: HistoryFormat | undefined;
  json: boolean;
  timeoutMs: number | undefined;
  files: string[];
}

const USAGE = 'usage: detcd check --model register|kv|etcd [--format jepsen-log|jepsen-edn|jsonl] [--json] [--timeout-ms N] FILE...';

export function parseCheckArgs(argv: string[]): CheckArgs {
  let model: string | undefined;
  let format: string | undefined;
  let json = false;
  let timeoutMs: number | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`detcd check: ${a} needs a value (${USAGE})`);
      return v;
    };
    if (a === '--model') model = value();
    else if (a === '--format') format = value();
    else if (a === '--json') json = true;
    else if (a === '--timeout-ms') {
      const v = value();
      timeoutMs = Number(v);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`detcd check: --timeout-ms must be a positive integer, got '${v}'`);
    } else if (a.startsWith('--')) throw new UsageError(`detcd check: unknown option '${a}' (${USAGE})`);
    else files.push(a);
  }
  if (model === undefined) throw new UsageError(`detcd check: --model is required (${USAGE})`);
  if (!(MODEL_NAMES as readonly string[]).includes(model)) throw new UsageError(`detcd check: unknown model '${model}' (register, kv, etcd)`);
  if (format !== undefined && !(HISTORY_FORMATS as readonly string[]).includes(format)) throw new UsageError(`detcd check: unknown format '${format}' (jepsen-log, jepsen-edn, jsonl)`);
  if (files.length === 0) throw new UsageError(`detcd check: no history files given (${USAGE})`);
  return { model: model as ModelName, format: format as HistoryFormat | undefined, json, timeoutMs, files };
}

function parse(file: string, text: string, format: HistoryFormat | undefined): ParsedHistory {
  const f = format ?? detectFormat(text);
  if (f === undefined) {
    if (text.trim() === '') return { ops: [], lines: [] };
    throw new UsageError(`${file}: cannot tell the history format (give --format jepsen-log, jepsen-edn or jsonl)`);
  }
  if (f === 'jepsen-log') return parseJepsenLog(text);
  if (f === 'jepsen-edn') return parseJepsenEdn(text);
  return parseJsonl(text);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: cannot read (${err instanceof Error ? err.message : String(err)})`);
  }
}

function printExplanation(r: LinearizabilityResult): void {
  for (const line of explanationLines(r.explanation)) console.log(line);
}

// eslint-disable-next-line @typescript-eslint/require-await
export async function check(argv: string[]): Promise<number> {
  const args = parseCheckArgs(argv);
  let overall: Validity = true;
  for (const file of args.files) {
    const text = readText(file);
    const started = performance.now();
    let result: LinearizabilityResult;
    try {
      const history = parse(file, text, args.format);
      const deadlineMs = args.timeoutMs === undefined ? undefined : started + args.timeoutMs;
      result = checkHistory(history, args.model, deadlineMs === undefined ? {} : { deadline: () => performance.now() > deadlineMs });
    } catch (err) {
      if (err instanceof HistoryParseError) throw new UsageError(`${file}:${err.line}: ${err.reason}`);
      throw err;
    }
    const ms = Math.round((performance.now() - started) * 10) / 10;
    overall = mergeValidity(overall, result.valid);
    if (args.json) console.log(JSON.stringify({ file, valid: result.valid, ms }));
    else {
      const verdict = result.valid === true ? 'valid' : result.valid === false ? 'INVALID' : 'UNKNOWN';
      console.log(`${file}: ${verdict} (${result.ops} ops, ${result.partitions.length} partition(s), ${result.steps} model steps, ${ms} ms)${result.valid === 'unknown' ? ` — ${result.unknownReason ?? ''}` : ''}`);
      if (result.valid === false) printExplanation(result);
    }
  }
  return exitCodeFor(overall);
}
