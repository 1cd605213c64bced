// A run's results as the reports read them, field by field: what `detcd report DIR` reads back from
// a results.json, and what a program hands renderRunHtml/summarizeRun/writeRunReport*. A field of
// another type made the pages loop or throw far from the input: `coverage.sites` as a 10 MB string
// rendered ten million table rows (Object.entries of a string: `detcd report` never answered),
// `stats.simulatedMs` = Infinity drew an endless axis, a sparse `leaders` was walked hole by hole.
// One walk of every field a page reads, with sizes bounded, so each reader refuses in one line
// naming the field (results-file.ts for a file, public-report.ts for an argument).
import { jsonShapeProblem } from '../errors/json-shape.ts';
import { shownArgument } from '../errors/bad-argument.ts';

export interface ResultsShapeProblem {
  /** Where, from the results object: `coverage.sites`, `leaders[3].term`. */
  field: string;
  /** Why, with what was there: "must be an object (...), got \"x\"". */
  reason: string;
}

/**
 * Entries of one map (checkers, coverage sites, ops by f, options...): far above any run's, and as many as a list may
 * hold (test/cli/huge-inputs.test.ts draws a report of 150,000 checkers: a user's large report is drawn, not refused).
 */
export const RESULTS_MAP_ENTRIES_MAX = 1_000_000;
/** Elements of one list (faults, leaders...): far above any run's, a bound on a page's rows. */
export const RESULTS_LIST_ELEMENTS_MAX = 1_000_000;
/** Characters of one text field (a name, a command, an error): a page shows it whole. */
export const RESULTS_TEXT_CHARS_MAX = 1 << 20;

class Refused extends Error {
  constructor(readonly problem: ResultsShapeProblem) {
    super(problem.reason);
  }
}

/** Refuses `field`: `missing (reason)` when `got` is undefined, else `reason, got V` (`gotText` shown as it is). */
function refuse(field: string, reason: string, got: unknown, gotText?: string): never {
  const shown = gotText ?? (got === undefined ? undefined : shownArgument(got));
  throw new Refused({ field, reason: shown === undefined ? `missing (${reason})` : `${reason}, got ${shown}` });
}

/** Refuses `field` with `reason` as it is (a hole, a value JSON cannot hold). */
function refuseAs(field: string, reason: string): never {
  throw new Refused({ field, reason });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(field: string, v: unknown, optional = false): void {
  if (optional && v === undefined) return;
  if (typeof v !== 'string') refuse(field, 'must be a string', v);
  if (v.length > RESULTS_TEXT_CHARS_MAX) refuse(field, `must be at most ${RESULTS_TEXT_CHARS_MAX} characters (${v.length})`, undefined, `a string of ${v.length} characters`);
}

function count(field: string, v: unknown, optional = false): void {
  if (optional && v === undefined) return;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) refuse(field, 'must be a whole number from 0 up', v);
}

function finite(field: string, v: unknown, optional = false): void {
  if (optional && v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) refuse(field, 'must be a finite number', v);
}

function flag(field: string, v: unknown, optional = false): void {
  if (optional && v === undefined) return;
  if (typeof v !== 'boolean') refuse(field, 'must be true or false', v);
}

/** An object of at most RESULTS_MAP_ENTRIES_MAX entries, each checked by `each`. */
function map(field: string, v: unknown, what: string, each: (field: string, v: unknown) => void): void {
  if (!isObject(v)) refuse(field, `must be an object (${what})`, v);
  const keys = Object.keys(v);
  if (keys.length > RESULTS_MAP_ENTRIES_MAX) refuse(field, `must hold at most ${RESULTS_MAP_ENTRIES_MAX} entries (${keys.length})`, undefined, `an object of ${keys.length} entries`);
  for (const k of keys) {
    if (k.length > RESULTS_TEXT_CHARS_MAX) refuse(field, `must have names of at most ${RESULTS_TEXT_CHARS_MAX} characters`, undefined, `a name of ${k.length} characters`);
    each(`${field}.${k}`, v[k]);
  }
}

/** A list without holes of at most RESULTS_LIST_ELEMENTS_MAX elements, each checked by `each`. */
function list(field: string, v: unknown, what: string, each: (field: string, v: unknown) => void): void {
  if (!Array.isArray(v)) refuse(field, `must be a list ${what}`, v);
  if (v.length > RESULTS_LIST_ELEMENTS_MAX) refuse(field, `must hold at most ${RESULTS_LIST_ELEMENTS_MAX} elements (${v.length})`, undefined, `a list of ${v.length} elements`);
  for (let i = 0; i < v.length; i++) {
    // Stop at the first hole: walking a sparse list of length 2^32-1 hole by hole never ends.
    if (!(i in v)) refuseAs(`${field}[${i}]`, `is missing (a sparse list of length ${v.length})`);
    each(`${field}[${i}]`, v[i]);
  }
}

function texts(field: string, v: unknown, optional = false): void {
  if (optional && v === undefined) return;
  list(field, v, 'of strings', (f, e) => text(f, e));
}

function object(field: string, v: unknown, what: string, optional = false): Record<string, unknown> | undefined {
  if (optional && v === undefined) return undefined;
  if (!isObject(v)) refuse(field, `must be an object (${what})`, v);
  return v;
}

/** A JSON value within the bounds a file's text has (options' values, a checker's details). */
function json(field: string, v: unknown): void {
  const problem = jsonShapeProblem(v);
  if (problem !== undefined) refuseAs(`${field}${problem.path}`, problem.reason);
}

function opCounts(field: string, v: unknown): void {
  const o = object(field, v, '{ok, fail, info}') as Record<string, unknown>;
  for (const type of ['ok', 'fail', 'info']) count(`${field}.${type}`, o[type]);
}

function stats(v: unknown): void {
  const s = object('stats', v, "the run's statistics") as Record<string, unknown>;
  opCounts('stats.ops', s['ops']);
  if (s['opsByF'] !== undefined) map('stats.opsByF', s['opsByF'], 'op counts by f', opCounts);
  for (const name of ['simulatedMs', 'wallMs', 'events', 'messages', 'leaderChanges', 'faults']) count(`stats.${name}`, s[name]);
  count('stats.fsyncs', s['fsyncs'], true);
  json('stats', s);
}

function checkers(v: unknown): void {
  map('checkers', v, 'checker results by name', (field, c) => {
    const o = object(field, c, "a checker result with its valid") as Record<string, unknown>;
    if (o['valid'] !== true && o['valid'] !== false && o['valid'] !== 'unknown') refuse(`${field}.valid`, 'must be true, false or "unknown"', o['valid']);
    text(`${field}.summary`, o['summary'], true);
    json(field, o);
  });
}

function faults(v: unknown): void {
  list('faults', v, 'of fault intervals', (field, f) => {
    const o = object(field, f, '{kind, startUs, description, ...}') as Record<string, unknown>;
    finite(`${field}.startUs`, o['startUs']);
    if (o['endUs'] !== null) finite(`${field}.endUs`, o['endUs'], true);
    for (const at of ['askedUs', 'healAskedUs']) finite(`${field}.${at}`, o[at], true);
    text(`${field}.kind`, o['kind']);
    text(`${field}.description`, o['description'], true);
    texts(`${field}.targets`, o['targets'], true);
  });
}

function leaders(v: unknown): void {
  list('leaders', v, 'of leader spans', (field, l) => {
    const o = object(field, l, '{node, term, startUs}') as Record<string, unknown>;
    finite(`${field}.startUs`, o['startUs']);
    if (o['endUs'] !== null) finite(`${field}.endUs`, o['endUs'], true);
    if (o['node'] !== null) text(`${field}.node`, o['node']);
    count(`${field}.term`, o['term']);
  });
}

function coverage(v: unknown): void {
  const c = object('coverage', v, '{buggify, sites, events, unreached}') as Record<string, unknown>;
  flag('coverage.buggify', c['buggify']);
  map('coverage.sites', c['sites'], 'site coverage by name', (field, s) => {
    const o = object(field, s, '{enabled, reached, fired}') as Record<string, unknown>;
    flag(`${field}.enabled`, o['enabled']);
    count(`${field}.reached`, o['reached']);
    count(`${field}.fired`, o['fired']);
  });
  map('coverage.events', c['events'], 'event counts by name', (field, n) => count(field, n));
  const u = object('coverage.unreached', c['unreached'], '{sites, events}') as Record<string, unknown>;
  texts('coverage.unreached.sites', u['sites']);
  texts('coverage.unreached.events', u['events']);
}

function target(v: unknown, forPage: boolean): void {
  const t = object('target', v, '{"kind": "simulation"} or a real target', true);
  if (t === undefined) return;
  text('target.kind', t['kind']);
  // A real target's page lists what it could not do: those lists and its network are always written
  // (replay and shrink refuse a real run by its kind, and need none of them).
  const real = forPage && t['kind'] === 'etcd';
  for (const name of ['network', 'replayable']) text(`target.${name}`, t[name], !real);
  texts('target.notChecked', t['notChecked'], !real);
  for (const name of ['binary', 'version', 'networkFaults']) text(`target.${name}`, t[name], true);
  for (const name of ['mitigations', 'exposed', 'unmitigable', 'notApplied']) texts(`target.${name}`, t[name], true);
  count('target.trafficPastDurationMs', t['trafficPastDurationMs'], true);
  count('target.faultsNotRun', t['faultsNotRun'], true);
  json('target', t);
}

function stop(v: unknown): void {
  const s = object('stop', v, "the exception the run stopped on", true);
  if (s === undefined) return;
  for (const name of ['kind', 'layer', 'message', 'detail']) text(`stop.${name}`, s[name]);
  for (const name of ['invariant', 'member', 'stage', 'phase']) text(`stop.${name}`, s[name], true);
  finite('stop.timeUs', s['timeUs']);
  texts('stop.members', s['members'], true);
  json('stop', s);
}

function walk(r: Record<string, unknown>, forPage: boolean): void {
  text('scenario', r['scenario']);
  finite('seed', r['seed']);
  if (r['valid'] !== true && r['valid'] !== false && r['valid'] !== 'unknown') refuse('valid', 'must be true, false or "unknown"', r['valid']);
  for (const name of ['traceHash', 'replay']) text(name, r[name]);
  for (const name of ['version', 'bug', 'shrink', 'error']) text(name, r[name], true);
  checkers(r['checkers']);
  stats(r['stats']);
  if (r['options'] !== undefined) map('options', r['options'], 'the run\'s options by name', json);
  if (r['faults'] !== undefined) faults(r['faults']);
  if (r['leaders'] !== undefined) leaders(r['leaders']);
  if (r['coverage'] !== undefined) coverage(r['coverage']);
  target(r['target'], forPage);
  stop(r['stop']);
  if (r['excused'] !== undefined) map('excused', r['excused'], 'reasons by checker', (f, e) => text(f, e));
  if (r['mayBeKnownBug'] !== undefined) map('mayBeKnownBug', r['mayBeKnownBug'], 'known-bug names by checker', (f, e) => texts(f, e));
}

/**
 * The first field of `results` a report cannot read (type or size), or undefined when every one is
 * readable. `forPage`: a run page is drawn from it, which needs a real target's lists too.
 */
export function resultsShapeProblem(results: Record<string, unknown>, forPage = true): ResultsShapeProblem | undefined {
  try {
    walk(results, forPage);
    return undefined;
  } catch (e) {
    if (e instanceof Refused) return e.problem;
    throw e;
  }
}
