// Scenario fields renamed units-last (`inflightMsgsMax`): the old spelling still loads, says so
// in one line per field, and a file giving both spellings is refused; no field of the scenario
// format is spelled `maxX`/`minX` any more.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readScenarioFile, shippedScenarios } from '../../../sim/cli/harness/scenario-files.ts';
import { UsageError } from '../../../sim/errors/usage-error.ts';
import { defineScenario, parseScenario } from '../../../sim/scenario/parse.ts';
import { RENAMED_FIELDS } from '../../../sim/scenario/renamed-fields.ts';

/** `{a: {b: {[key]: value}}}` for section ['a', 'b']. */
function nested(section: readonly string[], key: string, value: unknown): Record<string, unknown> {
  let inner: Record<string, unknown> = { [key]: value };
  for (const part of [...section].reverse()) inner = { [part]: inner };
  return inner;
}

function at(obj: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

/** Every object key of a parsed scenario, with its path. */
function keysOf(obj: unknown, path = ''): string[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return [];
  return Object.entries(obj).flatMap(([k, v]) => [`${path}${k}`, ...keysOf(v, `${path}${k}.`)]);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('renamed scenario fields', () => {
  it.each(RENAMED_FIELDS.map((r) => [[...r.section, r.old].join('.'), r] as const))('%s: the old spelling is read as the new one, with one deprecation line', (_name, r) => {
    const lines: string[] = [];
    const old = parseScenario({ name: 'x', ...nested(r.section, r.old, 3) }, 'x.json', { onDeprecated: (l) => lines.push(l) });
    const now = parseScenario({ name: 'x', ...nested(r.section, r.now, 3) }, 'x.json', { onDeprecated: (l) => lines.push(`unexpected: ${l}`) });
    expect(old).toEqual(now);
    expect(at(now, [...r.section, r.now])).toBe(3);
    expect(at(now, [...r.section, r.old])).toBeUndefined();
    expect(lines).toEqual([`x.json: ${[...r.section, r.old].join('.')}: deprecated spelling, read as ${[...r.section, r.now].join('.')}`]);
  });

  it.each(RENAMED_FIELDS.map((r) => [[...r.section, r.old].join('.'), r] as const))('%s: both spellings at once are refused in one line', (_name, r) => {
    const raw = { name: 'x', ...nested(r.section, r.old, 3) };
    (at(raw, r.section) as Record<string, unknown>)[r.now] = 4;
    expect(() => parseScenario(raw, 'x.json')).toThrow(UsageError);
    expect(() => parseScenario(raw, 'x.json')).toThrow(`x.json: ${[...r.section, r.old].join('.')}: renamed to ${r.now}, and ${r.now} is given too; keep only ${r.now}`);
  });

  it('the caller\'s object is not changed', () => {
    const raw = { name: 'x', nemesis: { maxFaults: 2 } };
    parseScenario(raw, 'x.json');
    expect(raw).toEqual({ name: 'x', nemesis: { maxFaults: 2 } });
  });

  it('no field of the scenario format starts with max or min (units and bounds last)', () => {
    const keys = keysOf(defineScenario({ name: 'x', schedule: [] }));
    expect(keys.length).toBeGreaterThan(40);
    expect(keys.filter((k) => /(^|\.)(max|min)[A-Z]/.test(k))).toEqual([]);
  });

  it('no shipped scenario uses an old spelling (a line names the file and the field to rename)', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(shippedScenarios().length).toBeGreaterThan(0);
    expect(write.mock.calls.map((c) => String(c[0]).trim())).toEqual([]);
  });

  it('a scenario file in the old spelling loads, and the command line says which fields are deprecated on stderr', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const s = readScenarioFile(join(import.meta.dirname, '../../fixtures/scenarios/old-field-spelling.json'));
    expect(s.cluster.raft.inflightMsgsMax).toBe(2);
    expect(s.cluster.raft.sizePerMsgBytesMax).toBe(4096);
    expect(s.cluster.etcd.pendingApplyMax).toBe(100);
    expect(s.workload.okOpsMin).toBe(1);
    expect(s.nemesis.faultsMax).toBe(1);
    const lines = write.mock.calls.map((c) => String(c[0]));
    expect(lines).toHaveLength(RENAMED_FIELDS.length);
    for (const line of lines) expect(line).toMatch(/^detcd: .*old-field-spelling\.json: [a-z.]+[A-Za-z]+: deprecated spelling, read as /);
  });
});
