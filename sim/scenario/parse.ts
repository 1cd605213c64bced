// Turns the text or object of a scenario file into a validated Scenario, or one line that
// names the file, the field and the reason (UsageError, exit 3). Pure: the caller reads files.
import type { z } from 'zod';
import { FIGURE8_MEMBERS_MIN, nemesisPackage } from '../nemesis/packages.ts';
import { UsageError } from '../errors/usage-error.ts';
import { badArgument, checkObjectArgument } from '../errors/bad-argument.ts';
import { withFields } from '../../src/object/with-fields.ts';
import { duplicateField } from './duplicate-field.ts';
import { renameOldFields } from './renamed-fields.ts';
import { ScenarioSchema } from './schema.ts';
import type { Scenario, ScenarioInput } from './schema.ts';
import { jsonNestingRefusal } from '../text/json-nesting.ts';

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** What a JSON value is, as zod's messages name it ("received string"). */
function receivedOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * A field of two shapes (a range: a number or {min, max}) that neither took: zod says only
 * "Invalid input" at the field. The shape that read furthest into the value names the field
 * inside it that is wrong (holdMs.min: expected number, received null); when none read into it,
 * the shapes it could have been are named (expected number or object, received string).
 */
function unionIssue(issue: z.core.$ZodIssue, input: unknown): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const firsts = issue.errors.map((branch) => branch[0]).filter((x) => x !== undefined);
  const deepest = firsts.reduce<z.core.$ZodIssue | undefined>((best, x) => (best === undefined || x.path.length > best.path.length ? x : best), undefined);
  if (deepest !== undefined && deepest.path.length > 0) return unionIssue(withFields(deepest, { path: [...issue.path, ...deepest.path] }), input);
  const expected = [...new Set(firsts.flatMap((x) => (x.code === 'invalid_type' ? [x.expected] : [])))];
  if (expected.length === 0) return issue;
  let value: unknown = input;
  for (const k of issue.path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[k] : undefined;
  return withFields(issue, { message: `Invalid input: expected ${expected.join(' or ')}, received ${receivedOf(value)}` });
}

function issueLine(file: string, issue: z.core.$ZodIssue, input: unknown): string {
  issue = unionIssue(issue, input);
  if (issue.code === 'unrecognized_keys') {
    const parent = issue.path.length === 0 ? '' : `${fieldPath(issue.path)}.`;
    const keys = issue.keys.map((k) => `${parent}${k}`).join(', ');
    return `${file}: ${keys}: unknown field`;
  }
  return `${file}: ${fieldPath(issue.path)}: ${issue.message}`;
}

/** Cross-field rules the schema cannot say alone. Returns [field, reason] or undefined. */
function crossCheck(s: Scenario): [string, string] | undefined {
  const members = s.cluster.members;
  const checkTarget = (field: string, target: string | undefined): [string, string] | undefined => {
    if (target === undefined || !/^n\d+$/.test(target)) return undefined;
    const n = Number(target.slice(1));
    return n > members ? [field, `member ${target} does not exist in a ${members}-member cluster`] : undefined;
  };
  for (const [i, timed] of (s.schedule ?? []).entries()) {
    if (timed.atMs >= s.workload.durationMs) {
      return [`schedule[${i}].atMs`, `must be before the end of the safety phase (workload.durationMs ${s.workload.durationMs})`];
    }
    const target = 'target' in timed.fault ? timed.fault.target : undefined;
    const bad = checkTarget(`schedule[${i}].fault.target`, target);
    if (bad !== undefined) return bad;
  }
  // The packages act only when neither an explicit schedule nor the swarm replaces them.
  const packagesAct = s.schedule === undefined && !s.swarm.enabled;
  for (const name of packagesAct ? s.nemesis.packages : []) {
    const need = nemesisPackage(name).membersMin;
    if (members < need) return ['nemesis.packages', `${name} needs at least ${need} members to act, the cluster has ${members}`];
  }
  for (const [i, timed] of (s.schedule ?? []).entries()) {
    if (timed.fault.kind === 'figure8' && members < FIGURE8_MEMBERS_MIN) return [`schedule[${i}].fault`, `figure8 needs at least ${FIGURE8_MEMBERS_MIN} members to act, the cluster has ${members}`];
  }
  if (s.checkers?.includes('lock') === true && s.workload.kind !== 'lock') {
    return ['checkers', 'the lock checker needs workload.kind "lock"'];
  }
  if (s.cluster.raft.heartbeatTicks >= s.cluster.raft.electionTicks) {
    return ['cluster.raft.heartbeatTicks', 'must be less than electionTicks'];
  }
  return undefined;
}

export interface ParseOptions {
  /** Told one line per field written with its old spelling (./renamed-fields.ts); default: silent. */
  readonly onDeprecated?: (line: string) => void;
}

/**
 * detcd/harness exports both parsers: a program's `file` that is no string (a Symbol threw a
 * TypeError in the message template) or options that are no object are refused naming them.
 */
function checkParseArguments(fn: string, file: unknown, options: unknown): void {
  if (typeof file !== 'string') throw badArgument(fn, 'file', 'must name the scenario in messages (a string: its file name)', file);
  checkObjectArgument(fn, 'options', options, 'parse options ({onDeprecated})');
}

/** Validates a parsed scenario object; `file` names it in error messages. */
export function parseScenario(input: unknown, file: string, options: ParseOptions = {}): Scenario {
  checkParseArguments('parseScenario', file, options);
  const { raw, deprecated } = renameOldFields(input, file);
  for (const line of deprecated) options.onDeprecated?.(line);
  const result = ScenarioSchema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new UsageError(first === undefined ? `${file}: invalid scenario` : issueLine(file, first, raw));
  }
  const bad = crossCheck(result.data);
  if (bad !== undefined) throw new UsageError(`${file}: ${bad[0]}: ${bad[1]}`);
  return result.data;
}

/** Parses the JSON text of a scenario file. */
export function parseScenarioText(text: string, file: string, options: ParseOptions = {}): Scenario {
  checkParseArguments('parseScenarioText', file, options);
  if (typeof text !== 'string') throw badArgument('parseScenarioText', 'text', "must be a scenario file's JSON text (a string)", text);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UsageError(`${file}: (file): not valid JSON: ${reason}`);
  }
  const deep = jsonNestingRefusal(text);
  if (deep !== undefined) throw new UsageError(`${file}: ${deep.startsWith('field ') ? deep.slice('field '.length) : `(file): ${deep}`}`);
  const twice = duplicateField(text);
  if (twice !== undefined) throw new UsageError(`${file}: ${twice}: given twice (JSON keeps the last value without a word): give it once`);
  return parseScenario(raw, file, options);
}

/** Builds a scenario in code (property tests, benches): defaults filled, same validation. */
export function defineScenario(input: ScenarioInput): Scenario {
  // Messages name the scenario, or the function when there is no name to give (`<scenario undefined>` said nothing).
  const name: unknown = typeof input === 'object' && input !== null ? (input as { name?: unknown }).name : undefined;
  return parseScenario(input, typeof name === 'string' ? `<scenario ${name}>` : 'defineScenario');
}
