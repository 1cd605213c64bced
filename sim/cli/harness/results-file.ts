// A run's results.json as replay and shrink read it back: written by this detcd build, and of the
// shape it writes. A file another build wrote (another release, or the same release with other
// sources that decide a run: detcd-build.ts), or one from before results.json recorded its
// version, would replay to another trace, verdicts or statistics, which is no harness bug: it is
// refused naming both builds, never replayed and blamed on determinism (exit 4); a damaged
// file would fail deep inside the replay. Either is refused here in one line naming the file,
// the field and the reason (exit 3), with the command that makes a new run directory.
import { UsageError } from '../errors.ts';
import { shownArgument } from '../../errors/bad-argument.ts';
import { isPlantedBug } from '../../bugs/planted-bugs.ts';
import type { Results } from '../../run/results.ts';
import { DETCD_VERSION } from '../../run/detcd-version.ts';
import { detcdBuild } from './detcd-build.ts';
import { SEED_MAX } from './args.ts';
import { resultsShapeProblem } from '../../run/results-shape.ts';

type Json = Record<string, unknown>;

const VERDICTS: readonly unknown[] = [true, false, 'unknown'];

/** The statistics every run records (design.md, results.json): replay compares them. */
const STATS_REQUIRED = ['simulatedMs', 'wallMs', 'events', 'messages', 'leaderChanges', 'faults'] as const;

/** A simulated run's trace hash: 16 hex digits (sim/world/trace-hash.ts). */
const TRACE_HASH = /^[0-9a-f]{16}$/;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** `results.json: field: reason, got V` (`field: missing (reason)` when it is absent), then `then` if given. */
function bad(file: string, field: string, reason: string, got: unknown, then?: string): UsageError {
  const what = got === undefined ? `missing (${reason})` : `${reason}, got ${shownArgument(got)}`;
  return new UsageError(`${file}: ${field}: ${what}${then === undefined ? '' : `: ${then}`}`);
}

/** A version as detcd writes them: "detcd", a release, and a build's hash; shown as it is. */
const VERSION_SHAPE = /^detcd [0-9A-Za-z.-]{1,40}(\+[0-9a-f]{1,40})?$/;

/** What wrote `version` when it is not this build: another release, or this one built from other sources. */
function otherBuild(version: string): string {
  // Anything else a file says is quoted and cut short (a newline or a terminal escape stays on the line).
  if (!VERSION_SHAPE.test(version)) return shownArgument(version);
  if (version === DETCD_VERSION) return `${version}, a build from before results.json named its sources`;
  if (version.split('+')[0] === DETCD_VERSION) return `${version}, another build of ${DETCD_VERSION} (the sources that decide a run differ)`;
  return version;
}

/** Refused unless this detcd build wrote the file: `rerun` is the command that makes a new run directory. */
function checkVersion(file: string, version: unknown, rerun: string): void {
  const build = detcdBuild();
  if (version === build) return;
  const own = `this is ${build}, which replays and shrinks only the runs it wrote; run it again: ${rerun}`;
  if (version === undefined) throw bad(file, 'version', 'written by a detcd from before results.json recorded its version, or edited', version, own);
  if (typeof version !== 'string' || !version.startsWith('detcd ')) throw bad(file, 'version', `not a detcd version such as "${build}"`, version, own);
  throw new UsageError(`${file}: version: written by ${otherBuild(version)}: ${own}`);
}

function checkCheckers(file: string, checkers: unknown): void {
  if (!isObject(checkers)) throw bad(file, 'checkers', 'must be an object of verdicts by checker name', checkers);
  for (const [name, c] of Object.entries(checkers)) {
    if (!isObject(c)) throw bad(file, `checkers.${name}`, 'must be an object with the checker\'s valid', c);
    if (!VERDICTS.includes(c['valid'])) throw bad(file, `checkers.${name}.valid`, 'must be true, false or "unknown"', c['valid']);
  }
}

function checkStats(file: string, stats: unknown): void {
  if (!isObject(stats)) throw bad(file, 'stats', 'must be an object of the run\'s statistics', stats);
  const ops = stats['ops'];
  if (!isObject(ops)) throw bad(file, 'stats.ops', 'must be the counts {ok, fail, info}', ops);
  for (const type of ['ok', 'fail', 'info']) if (!isCount(ops[type])) throw bad(file, `stats.ops.${type}`, 'must be a whole number from 0 up', ops[type]);
  for (const name of STATS_REQUIRED) if (!isCount(stats[name])) throw bad(file, `stats.${name}`, 'must be a whole number from 0 up', stats[name]);
}

function checkTarget(file: string, target: unknown, traceHash: unknown): void {
  // Results from before `target` existed were simulated: absent is the simulation, {} is damage.
  if (target !== undefined && !isObject(target)) throw bad(file, 'target', 'must be {"kind": "simulation"} or a real target', target);
  const kind = target === undefined ? 'simulation' : target['kind'];
  if (kind === 'simulation') {
    if (typeof traceHash !== 'string' || !TRACE_HASH.test(traceHash)) throw bad(file, 'traceHash', 'must be the 16 hex digits of a simulated run\'s trace hash', traceHash);
    return;
  }
  if (kind !== 'etcd') throw bad(file, 'target.kind', 'must be "simulation" or "etcd"', kind);
  if (typeof traceHash !== 'string') throw bad(file, 'traceHash', 'must be a string', traceHash);
  const t = target as Json;
  if (typeof t['binary'] !== 'string' || t['binary'] === '') throw bad(file, 'target.binary', 'must be the path of the etcd the run started', t['binary']);
  if (typeof t['version'] !== 'string') throw bad(file, 'target.version', 'must be the etcd release the run started', t['version']);
  const exposed = t['exposed'];
  if (exposed !== undefined && !(Array.isArray(exposed) && exposed.every((e) => typeof e === 'string'))) throw bad(file, 'target.exposed', 'must be a list of known-bug names', exposed);
}

/**
 * The results of `file` (parsed JSON), checked field by field. `rerunScenario` names the run's
 * scenario for the command that runs it again (its scenario.json, or the shipped name).
 * `anyVersion`: a report re-rendered (detcd report) may come from another detcd, whose planted
 * bugs may have other names; only what replay and shrink need to run it again is refused then.
 */
export function checkResultsFile(file: string, json: unknown, rerunScenario: (name: string) => string, anyVersion = false): Results {
  if (!isObject(json)) throw bad(file, '(file)', 'not a run\'s results: a JSON object was expected', json);
  const { seed, scenario, bug } = json;
  if (typeof scenario !== 'string' || scenario === '') throw bad(file, 'scenario', 'must be the name of the run\'s scenario', scenario);
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > SEED_MAX) throw bad(file, 'seed', `must be a whole number from 0 to ${SEED_MAX}`, seed);
  if (bug !== undefined && (typeof bug !== 'string' || (!anyVersion && !isPlantedBug(bug)))) throw bad(file, 'bug', anyVersion ? 'must be the name of the planted bug' : 'unknown bug (detcd bugs lists them)', bug);
  if (!anyVersion) checkVersion(file, json['version'], `detcd run --scenario ${rerunScenario(scenario)} --seed ${seed}${bug === undefined ? '' : ` --bug ${bug}`}`);
  if (!VERDICTS.includes(json['valid'])) throw bad(file, 'valid', 'must be true, false or "unknown"', json['valid']);
  checkCheckers(file, json['checkers']);
  checkStats(file, json['stats']);
  checkTarget(file, json['target'], json['traceHash']);
  if (typeof json['replay'] !== 'string') throw bad(file, 'replay', 'must be the command that replays the run', json['replay']);
  if (json['error'] !== undefined && typeof json['error'] !== 'string') throw bad(file, 'error', 'must be the error the run stopped on', json['error']);
  // Every other field a report reads (coverage, stats.opsByF, options, leaders...), typed and bounded.
  // anyVersion is the report's reading (detcd report draws the page); replay and shrink draw one too, later.
  const problem = resultsShapeProblem(json, anyVersion);
  if (problem !== undefined) throw new UsageError(`${file}: ${problem.field}: ${problem.reason}`);
  return json as unknown as Results;
}
