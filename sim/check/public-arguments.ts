// The arguments a program hands the checkers through the package (detcd/check), checked before
// any checking: a wrong one is one UsageError naming the function, the argument (down to the
// element and field) and the reason, not a TypeError from deep inside a check. The simulator's
// own records are right by construction and reach the checkers without these walks.
import { badArgument, checkObjectArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import { UsageError } from '../errors/usage-error.ts';
import { checkArrayArgument } from '../errors/array-argument.ts';
import { jsonShapeProblem } from '../errors/json-shape.ts';
import { checkOptionFields, type OptionKind } from '../errors/option-fields.ts';
import { watchRecordProblem } from '../history/etcd-field-types.ts';
import type { WatchRecord } from '../history/op.ts';
import type { MemberStatus } from './convergence.ts';
import type { Model, Operation } from './linearizability/model.ts';

// A history of ops is read as checkHistory reads one (one place: sim/history/history-argument.ts).
export { opsArgument } from '../history/history-argument.ts';

const arrayArgument = checkArrayArgument;

function isProcess(v: unknown): boolean {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string';
}

/** Watch responses as clients saw them ({process, time, response}). */
export function watchRecordsArgument(fn: string, field: string, v: unknown): readonly WatchRecord[] {
  const records = arrayArgument(fn, field, v, 'watch records ({process, time, response})');
  records.forEach((rec, i) => {
    const at = `${field}[${i}]`;
    const r = checkObjectArgument(fn, at, rec, 'a watch record ({process, time, response})');
    if (!isProcess(r['process'])) throw badArgument(fn, `${at}.process`, 'must be a number or a string', r['process']);
    if (typeof r['time'] !== 'number' || !Number.isFinite(r['time'])) throw badArgument(fn, `${at}.time`, 'must be a finite number (µs)', r['time']);
    if (r['closed'] !== undefined && typeof r['closed'] !== 'string') throw badArgument(fn, `${at}.closed`, 'must be a string when present', r['closed']);
    if (r['closed'] === undefined && (typeof r['response'] !== 'object' || r['response'] === null)) throw badArgument(fn, `${at}.response`, "must be etcd's WatchResponse (an object)", r['response']);
    // JSON's shape, as a watch file's lines have: a cycle or a hole hung or overflowed the watch checker.
    const shape = jsonShapeProblem(rec);
    if (shape !== undefined) throw new UsageError(`${fn}: ${at}${shape.path}: ${shape.reason}`);
    // Typed by etcd's WatchRequest and WatchResponse, as detcd check types a watch file's records.
    const problem = watchRecordProblem(r['request'], r['response']);
    const typed = problem === undefined ? null : /^field '([^']+)' (.*)$/.exec(problem);
    if (problem !== undefined) throw new UsageError(typed === null ? `${fn}: ${at}: ${problem}` : `${fn}: ${at}.${typed[1]!}: ${typed[2]!}`);
  });
  return records as readonly WatchRecord[];
}

/** Options: absent, or a plain object whose fields `kinds` names are typed (option-fields.ts). */
export function optionsArgument<T extends object>(fn: string, field: string, v: unknown, kinds: Readonly<Record<string, OptionKind>>): T {
  return checkOptionFields(fn, field, v, kinds) as T;
}

/** checkWatch's options (WatchCheckOptions), typed. */
export const WATCH_OPTION_KINDS: Readonly<Record<string, OptionKind>> = {
  expectRevisionUnique: 'boolean', maxViolations: { whole: 1 }, stepsMax: { whole: 1 }, autoCompaction: 'boolean',
  caughtUpRevision: { whole: 0 }, startedEmpty: 'boolean', deadline: 'function',
};

// jumpUsMax Infinity: clocks that may jump without bound (the lease checker then judges no expiry by time).
const CLOCK_BOUND: OptionKind = { fields: { driftPpmMax: { atLeast: 0 }, jumpUsMax: { upToInfinityFrom: 0 } } };

/** checkLease's options (LeaseCheckOptions), typed. */
export const LEASE_OPTION_KINDS: Readonly<Record<string, OptionKind>> = {
  graceUs: { atLeast: 0 }, leaderChangesUs: 'finite-list', leaderChangeTtls: 'list', transfersUs: 'finite-list', revokeRetryUs: { atLeast: 0 },
  leaderChangesUnknown: 'boolean', electionTimeoutUs: { atLeast: 0 }, leaders: 'object-list', renewalProof: 'object',
  clockDriftPpmMax: { atLeast: 0 }, clockJumpUsMax: { atLeast: 0 }, maxViolations: { whole: 1 }, slowClock: CLOCK_BOUND,
  answersCarryLeaderTerm: 'boolean', stepsMax: { whole: 1 }, deadline: 'function',
};

/** checkHistory's options (CheckHistoryOptions), typed; initialDump is read as a dump is. */
export const HISTORY_OPTION_KINDS: Readonly<Record<string, OptionKind>> = {
  initialRevision: { whole: 0 }, autoCompaction: 'boolean', watches: 'object-list', leaseClock: CLOCK_BOUND,
};

/** Operations for the linearizability search ({id, index, process, input, output, call, return}). */
export function operationsArgument<I, O>(fn: string, field: string, v: unknown): readonly Operation<I, O>[] {
  const ops = arrayArgument(fn, field, v, 'operations ({id, index, process, input, output, call, return})');
  ops.forEach((op, i) => {
    const at = `${field}[${i}]`;
    const o = checkObjectArgument(fn, at, op, 'an operation ({id, index, process, input, output, call, return})');
    for (const k of ['id', 'index']) if (typeof o[k] !== 'number' || !Number.isInteger(o[k])) throw badArgument(fn, `${at}.${k}`, 'must be a whole number', o[k]);
    if (!isProcess(o['process'])) throw badArgument(fn, `${at}.process`, 'must be a number or a string', o['process']);
    const call = o['call'];
    const ret = o['return'];
    if (typeof call !== 'number' || !Number.isFinite(call)) throw badArgument(fn, `${at}.call`, 'must be a finite number', call);
    if (typeof ret !== 'number' || Number.isNaN(ret) || ret < call) throw badArgument(fn, `${at}.return`, 'must be a number not before call (Infinity for an unknown outcome)', ret);
  });
  return ops as readonly Operation<I, O>[];
}

/** A model: init, step and equal functions. */
export function modelArgument<S, I, O>(fn: string, field: string, v: unknown): Model<S, I, O> {
  const m = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  const missing = ['init', 'step', 'equal'].find((k) => typeof m?.[k] !== 'function');
  if (missing !== undefined) throw badArgument(fn, field, `must be a model with init, step and equal functions (${missing} is not a function)`, v);
  return v as Model<S, I, O>;
}

/** A budget: absent, or maxSteps and maxCacheEntries whole numbers from 1, deadline and memory functions, where given. */
export function budgetArgument(fn: string, field: string, v: unknown): object {
  return checkOptionFields(fn, field, v, { maxSteps: { whole: 1 }, maxCacheEntries: { whole: 1 }, deadline: 'function', memory: 'function' }, false, 'a budget ({maxSteps, maxCacheEntries})');
}

/** Members' statuses ({node, revision, compactRevision, hash, up?}). */
export function memberStatusesArgument(fn: string, field: string, v: unknown): readonly MemberStatus[] {
  const members = arrayArgument(fn, field, v, 'member statuses ({node, revision, compactRevision, hash})');
  members.forEach((m, i) => {
    const at = `${field}[${i}]`;
    const o = checkObjectArgument(fn, at, m, 'a member status ({node, revision, compactRevision, hash})');
    if (typeof o['node'] !== 'string') throw badArgument(fn, `${at}.node`, 'must be a string', o['node']);
    // A revision is etcd's int64 from 0 (a compact revision -1: never compacted): -1 or 0.5 read as "members disagree", a verdict on a typo.
    checkWholeArgument(fn, `${at}.revision`, o['revision'], 0);
    checkWholeArgument(fn, `${at}.compactRevision`, o['compactRevision'], -1);
    // NaN !== NaN: two members with a NaN hash were told apart.
    if (!((typeof o['hash'] === 'number' && Number.isFinite(o['hash'])) || typeof o['hash'] === 'string')) throw badArgument(fn, `${at}.hash`, 'must be a finite number or a string', o['hash']);
    if (o['up'] !== undefined && typeof o['up'] !== 'boolean') throw badArgument(fn, `${at}.up`, 'must be a boolean when present', o['up']);
  });
  return members as readonly MemberStatus[];
}
