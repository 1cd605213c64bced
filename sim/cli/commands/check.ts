// detcd check --model register|kv|etcd [--format jepsen-log|jepsen-edn|jsonl] [--json]
//             [--timeout-ms N] [--initial-revision N|--initial-state FILE] [--auto-compaction]
//             [--watches FILE|--no-watches] [--out DIR] FILE...
// Checks each history for linearizability and prints a verdict per file (with the
// explanation when a file is not linearizable). A file that cannot be checked (unreadable,
// binary, a format that does not match its content, no op in it) is reported in one line and
// the other files are still checked; an empty history is "unknown: no operations". Exit 1
// when any history is not linearizable, else 3 when any file could not be checked, else 2
// when any verdict is unknown, else 0; 3 on usage errors.
//
// etcd histories: the watch responses recorded with a history (a detcd report's
// watches.jsonl beside its history.jsonl, or --watches FILE) settle timed-out writes; the
// verdict line says when they were used. Records that name their watch client (`process`, as
// detcd writes them) are judged by the watch checker too, and the verdict is both checkers'.
// An etcd history with lease grants has its lease answers judged too (lease-of-history.ts:
// without a leader timeline, a lease outliving its TTL is not judged).
//
// etcd robustness-test histories (etcd-robustness.ts): one run's history is every
// client-N/operations.json of its report, so a report directory, or any one client file of
// it, is checked as the whole run (a client alone sees other clients' writes and would look
// wrong); the verdict line says how many client files it read. Its client-N/watch.json files
// (robustness-watches.ts) are judged by the watch checker against its operations, and the
// run's verdict is both checkers'; their events are also answers for the linearizability check
// (unless --no-watches): an event shows its write took effect before the response arrived.
//
// --out DIR: the one history's report (check-report.ts): the run page's timeline,
// counterexample and charts, drawn from the checked history, and check.json.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LEASE_CLOCK_DRIFT_PPM_MAX, type CheckHistoryOptions, type PairsCheck } from '../../check/history-check/options.ts';
import { runHistoryCheck } from '../../check/history-check/run.ts';
import type { CheckBudget, LinearizabilityResult } from '../../check/linearizability/check.ts';
import { MODEL_NAMES, type ModelName } from '../../check/model-names.ts';
import { composeJudged, mergeValidity, type Validity } from '../../check/verdict.ts';
import { detectFormat } from '../../history/detect-format.ts';
import { notJudgedText, type NotJudged } from '../../check/not-judged.ts';
import { HistoryParseError } from '../../history/parse-error.ts';
import { checkEtcdFieldTypes, dumpFieldProblem } from '../../history/etcd-field-types.ts';
import { HISTORY_FORMATS, type HistoryFormat, type ParsedHistory } from '../../history/parsed-history.ts';
import { decodeInputText, directoryProblem, InputTooLarge, otherEncoding, readInputBytes } from '../../report/input-file.ts';
import { PathError } from '../../report/path-error.ts';
import { EXIT_USAGE, exitCodeFor, UsageError } from '../errors.ts';
import { lowerInliningBudget } from '../harness/worker-jit.ts';
import { heapBudget, textBudget, textBytesMax } from '../heap-budget.ts';
import { HistoryTooLarge, type MemoryProbe } from '../../history/read-budget.ts';
import { oneLine } from '../../errors/one-line.ts';
import { clientFiles, runWatches, WatchFileError } from './robustness-watches.ts';
import { watchRecordOf } from '../../history/watch-record-line.ts';
import { checkedMayBeKnownBugs, etcdRelease, reportEtcdVersion } from './check-known-bugs.ts';
import type { CheckResult } from '../../check/verdict.ts';
import type { WatchRecord } from '../../history/op.ts';
import { LEADER_TIMELINE_FILE, parseLeaderTimeline, type LeaderTimelineFile } from '../../history/leader-timeline-file.ts';
import { withFields } from '../../../src/object/with-fields.ts';
import { count } from '../../text/count.ts';
import { reportCaughtUpRevision } from './check-report-watches.ts';
import { isAuthOp } from '../../check/auth-ops.ts';
import { checkReportDirOut } from '../harness/out-path.ts';
import { stdoutColumns, wrapHanging } from '../harness/wrap.ts';
import { removeUnusedCreatedDirs } from '../../report/report-dir.ts';
import type { CheckReportInput } from '../../report/check-page.ts';
import { detcdBuild } from '../harness/detcd-build.ts';
import { shellWord } from '../../text/shell-word.ts';
import { jsonNestingRefusal } from '../../text/json-nesting.ts';
import { pushAll } from '../../array/stack-safe.ts';

interface CheckArgs {
  model: ModelName;
  format: HistoryFormat | undefined;
  json: boolean;
  timeoutMs: number | undefined;
  /** The etcd store's revision before the history's first op, when inference cannot tell. */
  initialRevision: number | undefined;
  /** etcd: a dump of the store before the history (etcdctl get "" --from-key -w json). */
  initialState: string | undefined;
  /** etcd: the server compacted on its own (--auto-compaction-retention). */
  autoCompaction: boolean;
  /** A watches file given with --watches; false with --no-watches; undefined: a report's watches.jsonl beside history.jsonl. */
  watches: string | false | undefined;
  /** etcd: the release that answered (--etcd-version), whose known bugs a violation may be. */
  etcdVersion: string | undefined;
  /** The report directory (--out): one history's page and check.json. */
  out: string | undefined;
  files: string[];
}

/** The way out of a usage mistake: the whole usage (260 characters) wrapped a terminal's line mid-word. */
const USAGE = 'see detcd check --help';

/** A whole number ≥ 1 written in decimal digits (not Number()'s ' 7', '0x10' or '1e3'). */
function wholeNumber(option: string, v: string): number {
  const n = Number(v);
  // Digits past 2^53 - 1 are refused for what they are: "must be ≥ 1" said nothing to 9223372036854775807.
  const tooBig = /^\d+$/.test(v) && !Number.isSafeInteger(n) ? ` and at most ${Number.MAX_SAFE_INTEGER} (2^53 - 1, the largest read exactly)` : '';
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`detcd check: ${option} must be a whole number ≥ 1${tooBig}, got '${v}'`);
  return n;
}

export function parseCheckArgs(argv: string[]): CheckArgs {
  let model: string | undefined;
  let format: string | undefined;
  let json = false;
  let timeoutMs: number | undefined;
  let initialRevision: number | undefined;
  let watches: string | false | undefined;
  let autoCompaction = false;
  let initialState: string | undefined;
  let etcdVersion: string | undefined;
  let out: string | undefined;
  const files: string[] = [];
  // An option's value given twice: the last would silently win (as parseCommandArgs refuses it).
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`detcd check: ${a} needs a value (${USAGE})`);
      if (v === '') throw new UsageError(`detcd check: ${a}: the value is empty (see detcd check --help)`);
      const first = given.get(a);
      if (first !== undefined) throw new UsageError(`detcd check: ${a} given twice (${JSON.stringify(first).slice(0, 40)}, then ${JSON.stringify(v).slice(0, 40)}): give it once (see detcd check --help)`);
      given.set(a, v);
      return v;
    };
    if (a === '--model') model = value();
    else if (a === '--format') format = value();
    else if (a === '--json') json = true;
    else if (a === '--timeout-ms') timeoutMs = wholeNumber(a, value());
    else if (a === '--initial-revision') initialRevision = wholeNumber(a, value());
    else if (a === '--auto-compaction') autoCompaction = true;
    else if (a === '--initial-state') initialState = value();
    else if (a === '--etcd-version') etcdVersion = value();
    else if (a === '--out') out = value();
    else if (a === '--watches' || a === '--no-watches') {
      const next = a === '--watches' ? value() : false;
      if (watches !== undefined && (watches === false) !== (next === false)) throw new UsageError('detcd check: --watches FILE and --no-watches say opposite things: give one');
      watches = next;
    }
    else if (a.startsWith('--')) throw new UsageError(`detcd check: unknown option '${a}' (${USAGE})`);
    else if (a === '') throw new UsageError('detcd check: an empty argument (see detcd check --help)');
    else files.push(a);
  }
  if (model === undefined) throw new UsageError('detcd check: --model is required: register, kv or etcd');
  if (!(MODEL_NAMES as readonly string[]).includes(model)) throw new UsageError(`detcd check: --model: unknown model '${model}' (register, kv or etcd)`);
  if (format !== undefined && !(HISTORY_FORMATS as readonly string[]).includes(format)) throw new UsageError(`detcd check: --format: unknown format '${format}' (see detcd check --help)`);
  if (format === 'etcd-robustness' && model !== 'etcd') throw new UsageError('detcd check: --format etcd-robustness goes with --model etcd');
  if (files.length === 0) throw new UsageError(`detcd check: no history file given (${USAGE})`);
  if (initialRevision !== undefined && model !== 'etcd') throw new UsageError('detcd check: --initial-revision applies to --model etcd only');
  if (initialState !== undefined && model !== 'etcd') throw new UsageError('detcd check: --initial-state applies to --model etcd only');
  if (initialState !== undefined && initialRevision !== undefined) throw new UsageError('detcd check: --initial-state gives the revision too; leave out --initial-revision');
  if (autoCompaction && model !== 'etcd') throw new UsageError('detcd check: --auto-compaction applies to --model etcd only');
  if (typeof watches === 'string' && model !== 'etcd') throw new UsageError('detcd check: --watches applies to --model etcd only');
  if (typeof watches === 'string' && files.length !== 1) throw new UsageError(`detcd check: --watches goes with exactly one history file, got ${files.length}`);
  if (etcdVersion !== undefined && model !== 'etcd') throw new UsageError('detcd check: --etcd-version applies to --model etcd only');
  const release = etcdVersion === undefined ? undefined : etcdRelease(etcdVersion);
  // A line (3.4) is not a release: which known bugs it has depends on the patch a fix came in.
  if (etcdVersion !== undefined && release === undefined) throw new UsageError(`detcd check: --etcd-version '${etcdVersion}' is not an etcd release (3.4.23 or v3.4.23)`);
  etcdVersion = release;
  return { model: model as ModelName, format: format as HistoryFormat | undefined, json, timeoutMs, initialRevision, initialState, autoCompaction, watches, etcdVersion, out, files };
}

// Modules loaded only when a check needs them (a process checks with one model, and most
// files come in one format): a register check does not load the etcd model or the EDN reader.

/** The one model this process checks with (a register check need not load the etcd model). */
async function loadPairsCheck(model: ModelName): Promise<PairsCheck> {
  switch (model) {
    case 'register':
      return (await import('../../check/history-check/register.ts')).checkRegisterPairs;
    case 'kv':
      return (await import('../../check/history-check/kv.ts')).checkKvPairs;
    case 'etcd':
      return (await import('../../check/history-check/etcd.ts')).checkEtcdPairs;
  }
}

/** Reads and parses one history file; a BadHistory names the reason (the caller adds the file). */
async function parse(text: string, format: HistoryFormat | undefined, probe: MemoryProbe): Promise<ParsedHistory> {
  const detected = detectFormat(text);
  const f = format ?? detected;
  if (f === undefined) throw new BadHistory('cannot tell the history format (give --format jepsen-log, jepsen-edn or jsonl)');
  if (format !== undefined && detected !== undefined && detected !== format) throw new BadHistory(`the content is ${detected}, not ${format} (--format ${format})`);
  if (f === 'jepsen-log') {
    const h = (await import('../../history/jepsen-log.ts')).parseJepsenLog(text, probe);
    if (h.ops.length === 0) throw new BadHistory('no Jepsen op line ("INFO jepsen.util - PROCESS :TYPE :F VALUE") in the file');
    return h;
  }
  if (f === 'jepsen-edn') return (await import('../../history/jepsen-edn.ts')).parseJepsenEdn(text, probe);
  if (f === 'etcd-robustness') {
    const { parseRobustnessOps, robustnessHistory } = await import('../../history/etcd-robustness.ts');
    return robustnessHistory([parseRobustnessOps(text, probe)]);
  }
  return (await import('../../history/jsonl.ts')).parseJsonl(text, probe);
}

/** What one verdict is about: a history file, or the client files of one etcd robustness-test run. */
interface CheckUnit {
  /** The file or directory named in verdicts. */
  label: string;
  /** The run's client files, for a robustness run; undefined for one history file. */
  clients?: string[];
  /** The run's client-N/watch.json files, for a robustness run. */
  watches?: string[];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The units the arguments name: a directory holding client-N/operations.json is one robustness
 * run; a client-N/operations.json whose report holds other clients is that whole run (named
 * once however many of its files are given); anything else is one history file.
 */
function checkUnits(files: readonly string[]): CheckUnit[] {
  const units: CheckUnit[] = [];
  const runs = new Set<string>();
  for (const file of files) {
    const dir = isDirectory(file) ? file : basename(file) === 'operations.json' && /^client-\d+$/.test(basename(dirname(file))) ? dirname(dirname(file)) : undefined;
    const clients = dir === undefined ? [] : clientFiles(dir, 'operations.json');
    const watches = dir === undefined ? [] : clientFiles(dir, 'watch.json');
    if (dir === undefined || (clients.length <= 1 && watches.length === 0 && !isDirectory(file))) units.push({ label: file });
    else if (!runs.has(dir)) {
      runs.add(dir);
      units.push({ label: isDirectory(file) ? file : dir, clients, watches });
    }
  }
  return units;
}

/** The client files of one robustness run as one history; a file that is not one names itself. */
async function parseRun(clients: readonly string[], label: string, probe: MemoryProbe): Promise<ParsedHistory> {
  if (clients.length === 0) {
    const unreadable = directoryProblem(label);
    if (unreadable !== undefined) throw new BadHistory(unreadable);
    const own = existsSync(join(label, 'history.jsonl')) ? `; a detcd report's history is ${join(label, 'history.jsonl')}` : '';
    throw new BadHistory(`a directory with no client-N/operations.json in it (an etcd robustness-test report holds one per client), not a history${own}`);
  }
  const { parseRobustnessOps, robustnessHistory } = await import('../../history/etcd-robustness.ts');
  const files = [];
  for (const file of clients) {
    const text = readText(file, file);
    const detected = detectFormat(text);
    if (text.trim() !== '' && detected !== 'etcd-robustness') throw new BadHistory(`${file}: ${detected === undefined ? 'not a history' : `a ${detected} history`}, not an etcd robustness-test operations file (run ${label})`, true);
    try {
      files.push(parseRobustnessOps(text, probe));
    } catch (err) {
      if (err instanceof HistoryParseError) throw new BadHistory(err.inFile(file).message, true);
      throw err;
    }
  }
  return robustnessHistory(files);
}

/** A history that cannot be checked; `named`: the message already names the file it is about. */
class BadHistory extends Error {
  constructor(
    message: string,
    readonly named = false,
  ) {
    super(message);
  }
}

/** The watches file to use with a history: --watches, or a detcd report's watches.jsonl beside its history.jsonl. */
function watchesFileFor(file: string, args: CheckArgs): string | undefined {
  if (args.model !== 'etcd' || args.watches === false) return undefined;
  if (typeof args.watches === 'string') return args.watches;
  const sibling = join(dirname(file), 'watches.jsonl');
  return basename(file) === 'history.jsonl' && existsSync(sibling) ? sibling : undefined;
}

/** A store dump (etcdctl get "" --from-key -w json), checked field by field. */
async function readDump(file: string): Promise<unknown> {
  let dump: unknown;
  let dumpText: string | undefined;
  try {
    dumpText = decodeInputText(file, readBounded(file, `--initial-state ${file}: `));
    dump = JSON.parse(dumpText);
  } catch (err) {
    if (err instanceof HistoryTooLarge) throw err;
    throw new BadHistory(`--initial-state ${file}: ${err instanceof SyntaxError ? 'not JSON' : err instanceof PathError ? err.reason : `cannot read (${err instanceof Error ? err.message : String(err)})`}`);
  }
  const deep = dumpText === undefined ? undefined : jsonNestingRefusal(dumpText);
  if (deep !== undefined) throw new BadHistory(`--initial-state ${file}: ${deep.replace(/^field /, 'field dump.')}`);
  // The dump's int64 and bytes fields are typed as a history's are, before the model reads them.
  const problem = dumpFieldProblem(dump, 'dump');
  if (problem !== undefined) throw new BadHistory(`--initial-state ${file}: ${problem}`);
  const { dumpedState, DumpError } = await import('../../check/models/etcd/initial-state.ts');
  try {
    dumpedState(dump, []);
  } catch (err) {
    if (err instanceof DumpError) throw new BadHistory(`--initial-state ${file}: ${err.message}`);
    throw err;
  }
  return dump;
}

/**
 * Watch records, one JSON object per line with a numeric `time` (µs) and a `response` object, as
 * detcd writes them; with `process` (the watch client) and `request` (the create request a stream
 * was opened with) they are also streams the watch checker can judge. `given`: named by
 * --watches (else found beside the history), as the refusals say.
 */
function readWatches(file: string, given: boolean): WatchRecord[] {
  const what = given ? '--watches' : 'watches';
  // Its records are parsed whole, like a history's: text past the bound is a bound hit
  // (unknown), not a V8 abort.
  let text: string;
  try {
    text = decodeInputText(file, readBounded(file, `${what} ${file}: `));
  } catch (err) {
    if (err instanceof HistoryTooLarge) throw err;
    throw new BadHistory(`${what} ${file}: ${err instanceof PathError ? err.reason : `cannot read (${err instanceof Error ? err.message : String(err)})`}`);
  }
  const out: WatchRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      throw new BadHistory(`${what} ${file}:${i + 1}: not JSON`);
    }
    const deep = jsonNestingRefusal(line);
    if (deep !== undefined) throw new BadHistory(`${what} ${file}:${i + 1}: ${deep}`);
    const rec = watchRecordOf(o);
    if (typeof rec === 'string') throw new BadHistory(`${what} ${file}:${i + 1}: ${rec}`);
    out.push(rec);
  });
  return out;
}

/** The size of `file` when it is a regular file; 0 otherwise (the read names what is wrong with the path). */
function regularFileBytes(file: string): number {
  try {
    const st = statSync(file);
    return st.isFile() ? st.size : 0;
  } catch {
    return 0;
  }
}

/** The FILE that names standard input. */
const STDIN_FILE = '-';

/**
 * The bytes of a history, a watches file or an initial state, or HistoryTooLarge (the verdict is
 * unknown) when they are past what detcd reads of one file (heap-budget.ts textBytesMax): a
 * regular file is judged by its size before any read, a stream once it has given that much.
 * `prefix` names the file in the reason where the verdict line does not.
 */
function readBounded(file: string, prefix: string): Buffer {
  // `-` is standard input, as for run's --scenario (`cat history.jsonl | detcd check --model etcd -`):
  // it was looked up as a file named "-" (ENOENT).
  const path = file === STDIN_FILE ? '/dev/stdin' : file;
  const tooBig = textBudget(regularFileBytes(path));
  if (tooBig !== undefined) throw new HistoryTooLarge(0, `${prefix}${tooBig}`);
  try {
    return readInputBytes(path, textBytesMax());
  } catch (err) {
    if (err instanceof InputTooLarge) throw new HistoryTooLarge(0, `${prefix}${textBudget(err.bytes) ?? err.reason}`);
    throw err;
  }
}

/** A history file's text; `name`: the file to name in a refusal when the verdict is about another (a run's client file). */
function readText(file: string, name?: string): string {
  const prefix = name === undefined ? '' : `${name}: `;
  let bytes: Buffer;
  try {
    bytes = readBounded(file, prefix);
  } catch (err) {
    if (err instanceof HistoryTooLarge) throw err;
    throw new BadHistory(`${prefix}${err instanceof PathError ? err.reason : `cannot read (${err instanceof Error ? err.message : String(err)})`}`, name !== undefined);
  }
  const other = otherEncoding(bytes);
  if (other !== undefined) throw new BadHistory(`${prefix}${other}`, name !== undefined);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadHistory(`${prefix}a binary file (not UTF-8 text), not a history`, name !== undefined);
  }
  if (text.includes('\u0000')) throw new BadHistory(`${prefix}a binary file (NUL bytes), not a history`, name !== undefined);
  return text;
}

/** The verdict on a history that did not fit the memory budget: unknown, with the bound as the reason. */
function tooLargeResult(model: ModelName, err: HistoryTooLarge): LinearizabilityResult {
  return { valid: 'unknown', model, ops: 0, steps: 0, partitions: [], unknownReason: err.message };
}

/**
 * A real run's leader timeline beside its report's history.jsonl (leader-timeline.jsonl): its
 * lease verdict is then judged as the run judged it (lease-of-run.ts).
 */
function readRunTimeline(file: string): { file: string; content: LeaderTimelineFile } | undefined {
  if (basename(file) !== 'history.jsonl') return undefined;
  const timeline = join(dirname(file), LEADER_TIMELINE_FILE);
  if (!existsSync(timeline)) return undefined;
  try {
    return { file: timeline, content: parseLeaderTimeline(readText(timeline, timeline)) };
  } catch (err) {
    if (err instanceof HistoryParseError) throw new BadHistory(`${timeline}:${err.line}: ${err.reason}`, true);
    throw err;
  }
}

/**
 * A verdict on the history of a run whose history hit its bound (its leader timeline says so):
 * "valid" covers the recorded part only, so it is unknown, as the run said (truncatedVerdicts).
 */
function truncatedRun<R extends CheckResult>(timeline: { content: LeaderTimelineFile } | undefined, r: R): R {
  if (timeline?.content.historyTruncated !== true || r.valid !== true) return r;
  const reason = 'the run\'s history was truncated at its bound (its leader timeline says so)';
  // Every result type here has `valid: Validity`: unknown is one of its values.
  return withFields(r, { valid: 'unknown' as const, unknownReason: reason, summary: `unknown: ${reason}; ${r.summary ?? 'valid'} for the recorded part only` }) as unknown as R;
}

/** The history without its auth requests, each op keeping its line. */
function withoutAuthOps(h: ParsedHistory): ParsedHistory {
  const ops: ParsedHistory['ops'] = [];
  const lines: number[] = [];
  h.ops.forEach((op, i) => {
    if (isAuthOp(op)) return;
    ops.push(op);
    lines.push(h.lines[i] ?? i + 1);
  });
  return { ops, lines };
}

/** One file's verdicts: linearizability, and the watch and lease checkers' where they ran. */
interface CheckedFile {
  result: LinearizabilityResult;
  ms: number;
  watchesFile: string | undefined;
  watch?: CheckResult;
  lease?: CheckResult;
  auth?: CheckResult;
  /** The history was not (wholly) read: its op count is unknown, not 0. */
  notRead?: true;
  /** Classes of answers no checker judged, and why (not-judged.ts). */
  notJudged?: NotJudged[];
  /** The etcd release the verdict's known bugs are of, and by failed checker the ones its violations may be. */
  knownBugs?: { version: string; mayBe: Record<string, string[]> };
  /** What a report (--out) draws: the history as read (auth requests too), its format and watch records. */
  drawn?: { ops: ParsedHistory['ops']; untimed: boolean; format: string; watches?: readonly WatchRecord[] };
}

/** One file's verdict, or the one line that says why it could not be checked. */
async function checkFile(unit: CheckUnit, args: CheckArgs, pairsCheck: PairsCheck): Promise<CheckedFile | { bad: string }> {
  const started = performance.now();
  const file = unit.label;
  try {
    let history: ParsedHistory;
    let format: string = 'etcd-robustness';
    const probe = heapBudget();
    if (unit.clients !== undefined || isDirectory(file)) history = await parseRun(unit.clients ?? [], file, probe);
    else {
      const text = readText(file);
      history = text.trim() === '' ? { ops: [], lines: [] } : await parse(text, args.format, probe);
      format = args.format ?? detectFormat(text) ?? 'empty';
    }
    const read = history;
    if (history.partialAnswers === true) {
      if (args.model !== 'etcd') throw new BadHistory('an etcd robustness-test history (porcupine operations): check it with --model etcd');
      if (args.initialRevision !== undefined || args.initialState !== undefined) throw new BadHistory("an etcd robustness-test history, whose runs start from an empty etcd: leave out --initial-revision and --initial-state");
    }
    if (args.model === 'etcd') checkEtcdFieldTypes(history);
    // Auth requests (detcd's auth workload) change who may do what, not the key space: the auth
    // checker judges them with the requests they govern, the etcd model the rest, as a run does.
    const auth = args.model === 'etcd' && history.partialAnswers !== true && history.ops.some(isAuthOp) ? (await import('../../check/auth.ts')).checkAuth(history.ops) : undefined;
    if (auth !== undefined) history = withoutAuthOps(history);
    // A run report's leader timeline: its history is judged as the run judged it (bounds, clocks, leaders).
    const timeline = args.model === 'etcd' && history.partialAnswers !== true ? readRunTimeline(file) : undefined;
    const deadlineMs = args.timeoutMs === undefined ? undefined : started + args.timeoutMs;
    const budget: CheckBudget = { memory: heapBudget() };
    if (timeline?.content.linearizableStepsMax !== undefined) budget.maxSteps = timeline.content.linearizableStepsMax;
    if (deadlineMs !== undefined) budget.deadline = () => performance.now() > deadlineMs;
    const watchesFile = watchesFileFor(file, args);
    const options: CheckHistoryOptions = {};
    if (args.initialRevision !== undefined) options.initialRevision = args.initialRevision;
    // etcd's robustness tests start every run from an empty etcd (the answers keep no create_revision to infer one from).
    if (history.partialAnswers === true) options.initialRevision = 1;
    if (args.autoCompaction) options.autoCompaction = true;
    // A lease lives its TTL on a real leader's clock (the lease checker's bound on a history: lease-of-history.ts).
    // A run's report says how wrong its clocks could be (its lease checker's bounds, which its etcd model was given too).
    options.leaseClock = timeline === undefined ? { driftPpmMax: LEASE_CLOCK_DRIFT_PPM_MAX, jumpUsMax: 0 } : { driftPpmMax: timeline.content.lease.clockDriftPpmMax ?? LEASE_CLOCK_DRIFT_PPM_MAX, jumpUsMax: timeline.content.lease.clockJumpUsMax ?? 0 };
    if (args.initialState !== undefined) options.initialDump = await readDump(args.initialState);
    // Records that name their watch client are streams: the watch checker judges them too.
    const streams = watchesFile === undefined ? undefined : readWatches(watchesFile, typeof args.watches === 'string');
    if (streams !== undefined) options.watches = streams;
    const judgedStreams = streams !== undefined && streams.length > 0 && streams.every((r) => r.process !== '') ? streams : undefined;
    // A robustness run's watch files, read before the search so a refusal costs no search.
    const records = unit.watches !== undefined && unit.watches.length > 0 ? await runWatches(unit.watches, (f) => readText(f, f)) : undefined;
    // Their events are the server's answers too: each shows a write took effect at its revision
    // before the response arrived, which settles timed-out writes and convicts reads that miss
    // it (--no-watches leaves them to the watch checker alone).
    if (records !== undefined && args.watches !== false) {
      const answers = (await import('../../history/etcd-robustness-watch.ts')).watchAnswers(records);
      if (answers.length > 0) options.watches = [...(options.watches ?? []), ...answers];
    }
    const result = truncatedRun(timeline, runHistoryCheck(pairsCheck, args.model, history, budget, options));
    const watchRecords = records ?? judgedStreams;
    // A report's own watches: judged complete up to where its run's liveness phase found them caught up, as the run judged them.
    const caughtUp = judgedStreams === undefined ? undefined : await reportCaughtUpRevision(file, watchesFile);
    // A run report's leader timeline says how its run judged watches (expectRevisionUnique).
    // The check's time budget bounds the watch checker too: past it, the watch verdict is unknown.
    // A history that starts at revision 1 (etcd's robustness tests, --initial-revision 1) began on an empty etcd.
    const watchOptions = withFields({ autoCompaction: args.autoCompaction, deadline: budget.deadline, startedEmpty: options.initialRevision === 1 }, timeline?.content.watch ?? {});
    const watch = watchRecords === undefined ? undefined : truncatedRun(timeline, (await import('../../check/watch.ts')).checkWatch(watchRecords, history.ops, caughtUp === undefined ? watchOptions : withFields(watchOptions, { caughtUpRevision: caughtUp })));
    // An etcd history with leases: their answers judged as far as a history without its leader timeline allows (lease-of-history.ts).
    const leases = args.model === 'etcd' && history.partialAnswers !== true ? await import('../../check/history-check/lease-of-history.ts') : undefined;
    const lease = leases === undefined || !leases.hasLeases(history.ops) ? undefined
      : timeline === undefined ? leases.checkHistoryLeases(history.ops, budget.deadline)
      : truncatedRun(timeline, (await import('../../check/history-check/lease-of-run.ts')).checkRunLeases(history.ops, timeline.content, timeline.file, budget.deadline));
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const out: CheckedFile = { result, ms, watchesFile };
    // What no checker judged, by class and why: the linearizability check's, the watch checker's, and lease reads no lease checker ran for.
    const unjudgedLeaseReads = leases === undefined ? undefined : leases.leaseReadsWithoutGrant(history.ops);
    const notJudged = [...((result['notJudged'] as NotJudged[] | undefined) ?? []), ...((watch?.['notJudged'] as NotJudged[] | undefined) ?? []), ...(unjudgedLeaseReads === undefined ? [] : [unjudgedLeaseReads]), ...((auth?.['notJudged'] as NotJudged[] | undefined) ?? [])];
    if (notJudged.length > 0) out.notJudged = notJudged;
    if (watch !== undefined) out.watch = watch;
    if (lease !== undefined) out.lease = lease;
    if (auth !== undefined) out.auth = truncatedRun(timeline, auth);
    const version = args.model === 'etcd' ? (args.etcdVersion ?? reportEtcdVersion(file)) : undefined;
    if (args.out !== undefined) out.drawn = { ops: read.ops, untimed: read.untimed === true, format, ...(watchRecords === undefined ? {} : { watches: watchRecords }) };
    if (version !== undefined) {
      const checkers: Record<string, CheckResult> = { linearizable: result };
      if (watch !== undefined) checkers['watch'] = watch;
      if (lease !== undefined) checkers['lease'] = lease;
      if (auth !== undefined) checkers['auth'] = auth;
      out.knownBugs = { version, mayBe: checkedMayBeKnownBugs(version, checkers, watchRecords ?? [], history.ops) };
    }
    return out;
  } catch (err) {
    if (err instanceof HistoryTooLarge) return { result: tooLargeResult(args.model, err), ms: Math.round((performance.now() - started) * 10) / 10, watchesFile: undefined, notRead: true };
    if (err instanceof WatchFileError) return { bad: err.message };
    if (err instanceof BadHistory) return { bad: err.named ? err.message : `${file}: ${err.message}` };
    if (err instanceof HistoryParseError) return { bad: err.inFile(file).message };
    if (err instanceof UsageError) return { bad: `${file}: ${err.message}` };
    throw err;
  }
}

/** A checker's verdict in a `--json` line: `nothing` when it had nothing to check. */
const jsonVerdict = (c: CheckResult): { valid: Validity; summary: string | undefined; nothing?: true } => (c.nothing === true ? { valid: c.valid, summary: c.summary, nothing: true } : { valid: c.valid, summary: c.summary });

/** The command that checks the history again: this one without --out DIR, each argument as a shell reads it. */
function checkAgainCommand(argv: readonly string[]): string {
  const kept = argv.filter((a, i) => a !== '--out' && argv[i - 1] !== '--out');
  return ['detcd', 'check', ...kept].map(shellWord).join(' ');
}

/** What the report of one checked history draws: its checkers' verdicts (a violation summed up in the terminal's first line of it) and its history. */
async function checkReportInput(argv: readonly string[], file: string, args: CheckArgs, r: CheckedFile, valid: Validity, notes: string[]): Promise<CheckReportInput> {
  const drawn = r.drawn ?? { ops: [], untimed: true, format: args.format ?? 'not read' };
  const firstLine = r.result.valid === false ? (await import('../../report/explanation-text.ts')).explanationLines(r.result.explanation, '')[0] : undefined;
  // The checker's own summary of a violation holds the culprit's whole answer: the page's counterexample shows it.
  const checkers: Record<string, CheckResult> = { linearizable: firstLine === undefined ? r.result : withFields(r.result, { summary: firstLine }) };
  if (r.watch !== undefined) checkers['watch'] = r.watch;
  if (r.lease !== undefined) checkers['lease'] = r.lease;
  if (r.auth !== undefined) checkers['auth'] = r.auth;
  const input: CheckReportInput = { file, format: drawn.format, model: args.model, valid, checkers, ops: r.result.ops, history: drawn.ops, untimed: drawn.untimed, ms: r.ms, command: checkAgainCommand(argv), notes };
  if (drawn.watches !== undefined) input.watches = drawn.watches;
  return input;
}

/**
 * Every file is checked even when another one is bad. Exit code: 1 if any history is not
 * linearizable (a finding outranks the rest), else 3 if any file could not be checked, else 2
 * if any verdict is unknown, else 0.
 */
export async function check(argv: string[]): Promise<number> {
  const args = parseCheckArgs(argv);
  // A check is one short process whose search runs while V8 still compiles it: the smaller
  // inlining budget the sweep's workers use (worker-jit.ts) makes TurboFan's work on the
  // search's big loop cheaper. 102 Jepsen logs: 8 % less CPU (median of 9 pairs, load 12).
  lowerInliningBudget();
  const pairsCheck = await loadPairsCheck(args.model);
  let overall: Validity = true;
  let bad = 0;
  const units = checkUnits(args.files);
  // The report directory is checked (and made) before any work, as every command's output path.
  if (args.out !== undefined) {
    if (units.length !== 1) throw new UsageError(`detcd check: --out goes with one history (or one etcd robustness-test run), got ${units.length}`);
    checkReportDirOut('check', '--out', args.out, 'check');
  }
  for (const unit of units) {
    const file = unit.label;
    const r = await checkFile(unit, args, pairsCheck);
    if ('bad' in r) {
      bad++;
      console.error(oneLine(r.bad));
      if (args.json) console.log(JSON.stringify({ file, valid: null, error: r.bad }));
      // No verdict, no report: a directory made for it is not left behind empty.
      removeUnusedCreatedDirs();
      continue;
    }
    const { result, ms, watchesFile, watch, lease, auth, notRead, knownBugs, notJudged } = r;
    const mayBe = knownBugs !== undefined && Object.keys(knownBugs.mayBe).length > 0 ? knownBugs.mayBe : undefined;
    // With watch streams or leases judged, the verdict is every checker's (false beats unknown beats
    // true); one with nothing to check counts only when none had anything (unknown then).
    const valid = composeJudged([result, watch, lease, auth].filter((c) => c !== undefined));
    overall = mergeValidity(overall, valid);
    const run = unit.clients === undefined ? '' : `, the ${unit.clients.length} client files of one etcd robustness-test run`;
    const watched = watch === undefined || unit.clients === undefined ? '' : `, and its ${unit.watches?.length ?? 0} watch files${args.watches === false ? '' : ' (their events also as answers)'}`;
    const knownBugLines = Object.entries(mayBe ?? {}).map(([checker, ids]) => `${checker}: may be ${ids.join(' or ')}, a known bug of etcd ${knownBugs?.version ?? ''} (every violation has its shape, or no client can step around it)`);
    let report: string | undefined;
    if (args.out !== undefined) {
      const notes = [...(run === '' ? [] : [`Checked as ${run.slice(2)}${watched}.`]), ...(watchesFile === undefined ? [] : [`With the watch events of ${watchesFile}.`]), ...(notJudged ?? []).map((n) => `${notJudgedText(n)}.`), ...knownBugLines];
      // Loaded only for a report: its charts load Vega, which a check alone never needs.
      await (await import('../../report/check-report.ts')).writeCheckReport(args.out, await checkReportInput(argv, file, args, r, valid, notes), detcdBuild());
      report = join(args.out, 'index.html');
    }
    if (args.json) {
      const extra = watch === undefined && lease === undefined && auth === undefined ? {} : { linearizable: result.valid, ...(watch === undefined ? {} : { watch: jsonVerdict(watch) }), ...(lease === undefined ? {} : { lease: jsonVerdict(lease) }), ...(auth === undefined ? {} : { auth: jsonVerdict(auth) }) };
      const bugs = mayBe === undefined ? {} : { etcdVersion: knownBugs?.version, mayBeKnownBug: mayBe };
      const written = report === undefined ? {} : { report };
      const unjudged = notJudged === undefined ? {} : { notJudged: notJudged.map(notJudgedText) };
      console.log(JSON.stringify(watchesFile === undefined ? { file, valid, ms, ...extra, ...bugs, ...unjudged, ...written } : { file, valid, ms, watches: watchesFile, ...extra, ...bugs, ...unjudged, ...written }));
    } else {
      const verdict = valid === true ? 'valid' : valid === false ? 'INVALID' : 'UNKNOWN';
      const lines = notRead === true ? [`${file}: ${verdict} (not checked, ${ms} ms) — ${result.unknownReason ?? ''}`] : [`${file}: ${verdict} (${count(result.ops, 'op')}${run}${watched}, ${count(result.partitions.length, 'partition')}, ${count(result.steps, 'model step')}, ${ms} ms${watchesFile === undefined ? '' : `, with the watch events of ${watchesFile}`})${result.valid === 'unknown' ? ` — ${result.unknownReason ?? ''}` : ''}`];
      if (result.valid === false) pushAll(lines, (await import('../../report/explanation-text.ts')).explanationLines(result.explanation));
      if (watch !== undefined || lease !== undefined || auth !== undefined) lines.push(`  linearizable: ${result.valid === true ? 'valid' : result.valid === false ? 'INVALID' : result.nothing === true ? 'nothing to check' : 'UNKNOWN'}${watch === undefined ? '' : `; watch: ${watch.summary ?? String(watch.valid)}`}${lease === undefined ? '' : `; lease: ${lease.summary ?? String(lease.valid)}`}${auth === undefined ? '' : `; auth: ${auth.summary ?? String(auth.valid)}`}`);
      for (const n of notJudged ?? []) lines.push(`  ${notJudgedText(n)}`);
      for (const line of knownBugLines) lines.push(`  ${line}`);
      if (valid === false && mayBe === undefined && knownBugs === undefined && args.model === 'etcd' && unit.clients !== undefined) lines.push('  (the report does not name the etcd release that answered: --etcd-version V names the known bugs of V its violations may be)');
      // A history's values, keys and file names come from anywhere: a newline or a terminal escape
      // in one (ESC ] 0 ; sets the window title, ESC [ 2 J clears the screen) is shown escaped.
      if (report !== undefined) lines.push(`report: ${report}`);
      // On a terminal each line is cut between words under its own indent (its checkers' line ran to 270 columns); one line each in a pipe.
      const width = stdoutColumns();
      for (const line of lines.map(oneLine)) {
        const lead = /^ */.exec(line)![0];
        console.log(width === undefined ? line : wrapHanging(lead, line.slice(lead.length), lead.length + 2, width));
      }
    }
  }
  if (overall === false) return exitCodeFor(false);
  if (bad > 0) return EXIT_USAGE;
  return exitCodeFor(overall);
}
