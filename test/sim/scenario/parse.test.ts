import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../sim/cli/errors.ts';
import { defineScenario, parseScenario, parseScenarioText } from '../../../sim/scenario/parse.ts';

function errorOf(raw: unknown): string {
  try {
    parseScenario(raw, 'scenarios/x.json');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario parsing', () => {
  it('fills every default from a name alone', () => {
    const s = defineScenario({ name: 'minimal' });
    expect(s.cluster.members).toBe(3);
    expect(s.cluster.raft.electionTicks).toBe(10);
    expect(s.workload.kind).toBe('etcd');
    expect(s.liveness.budgetMs).toBe(10_000);
  });

  it('rejects an unknown field at any depth, naming file and field', () => {
    expect(errorOf({ name: 'x', clients: { cuont: 3 } })).toBe('scenarios/x.json: clients.cuont: unknown field');
    expect(errorOf({ name: 'x', extra: 1 })).toBe('scenarios/x.json: extra: unknown field');
  });

  it('rejects a wrong type and an impossible value with the reason', () => {
    expect(errorOf({ name: 'x', cluster: { members: 'three' } })).toMatch(/^scenarios\/x\.json: cluster\.members: .*number/);
    expect(errorOf({ name: 'x', cluster: { members: 0 } })).toMatch(/cluster\.members: .*>=1/);
    expect(errorOf({ name: 'x', nemesis: { faultDurationMs: { min: 9, max: 1 } } })).toMatch(/nemesis\.faultDurationMs: min must be <= max/);
    expect(errorOf({ name: 'x', nemesis: { packages: ['partition-everything'] } })).toMatch(/nemesis\.packages\[0\]/);
  });

  it('refuses a workload whose plan cannot fit a run: too many requests for the history, too many value bytes', () => {
    // Before the bound, 1,000,000 ops/s for an hour ran until the history was cut at 2,000,000
    // records and then on for days; 3000 values of 1 MiB held 4 GB after 5 minutes.
    expect(errorOf({ name: 'x', workload: { rateOpsPerSecond: 1_000_000, durationMs: 3_600_000 } })).toBe(
      'scenarios/x.json: workload.rateOpsPerSecond: 1000000 ops/s for 3600000 ms plans 3600000000 requests, more than the 1000000 a run\'s history holds: lower rateOpsPerSecond or durationMs');
    expect(errorOf({ name: 'x', workload: { rateOpsPerSecond: 1000, durationMs: 3000, valueBytes: 1_048_576 } })).toMatch(/^scenarios\/x\.json: workload\.valueBytes: 3000 requests with values of 1048576 bytes plan 3145728000 bytes/);
    // At the bounds: accepted.
    expect(defineScenario({ name: 'x', workload: { rateOpsPerSecond: 1000, durationMs: 1_000_000 } }).workload.durationMs).toBe(1_000_000);
    expect(defineScenario({ name: 'x', workload: { rateOpsPerSecond: 256, durationMs: 1000, valueBytes: 1_048_576 } }).workload.valueBytes).toBe(1_048_576);
  });

  it('excuses only named checkers, and only in a scenario that expects a violation', () => {
    expect(errorOf({ name: 'x', expect: 'violation-allowed' })).toMatch(/^scenarios\/x\.json: allowedViolations: /);
    expect(errorOf({ name: 'x', allowedViolations: ['lock'] })).toMatch(/allowedViolations: /);
    expect(errorOf({ name: 'x', expect: 'violation-allowed', allowedViolations: ['nope'] })).toMatch(/allowedViolations\[0\]/);
    expect(defineScenario({ name: 'x', expect: 'violation-allowed', allowedViolations: ['lock'] }).allowedViolations).toEqual(['lock']);
    // A bare checker name with no documented anomaly would excuse nothing: refused, naming the entry.
    for (const checker of ['watch', 'lease', 'convergence', 'raft']) {
      expect(errorOf({ name: 'x', expect: 'violation-allowed', allowedViolations: ['lock:pause-outlived-lease', checker] })).toMatch(new RegExp(`^scenarios/x\\.json: allowedViolations\\[1\\]: checker ${checker} has no documented anomaly to excuse`));
    }
  });

  it('rejects a fault on a member the cluster does not have', () => {
    const raw = { name: 'x', schedule: [{ atMs: 10, durationMs: 100, fault: { kind: 'kill', target: 'n5' } }] };
    expect(errorOf(raw)).toBe('scenarios/x.json: schedule[0].fault.target: member n5 does not exist in a 3-member cluster');
  });

  it('rejects a fault scheduled after the safety phase', () => {
    const raw = { name: 'x', workload: { durationMs: 100 }, schedule: [{ atMs: 100, durationMs: 10, fault: { kind: 'buggify' } }] };
    expect(errorOf(raw)).toMatch(/schedule\[0\]\.atMs: must be before the end/);
  });

  it('rejects malformed JSON with the file name', () => {
    expect(() => parseScenarioText('{"name": ', 'a.json')).toThrow(/^a\.json: \(file\): not valid JSON/);
  });

  it('accepts a full explicit schedule of every fault kind', () => {
    const faults = [
      { kind: 'partition', shape: 'ring' }, { kind: 'one-way', target: 'leader', direction: 'in' },
      { kind: 'kill', target: 'follower', tornWrites: true }, { kind: 'pause', target: 'n2' },
      { kind: 'clock-skew', target: 'leader', offsetMs: 500 }, { kind: 'clock-jump', target: 'random', jumpMs: -2000 },
      { kind: 'clock-drift', target: 'n1', driftPpm: 1000 }, { kind: 'lossy', dropPercent: 10, duplicatePercent: 5 },
      { kind: 'clog', target: 'n3' }, { kind: 'slow-disk', target: 'leader', fsyncMs: 200 },
      { kind: 'membership', action: 'replace', target: 'follower' }, { kind: 'buggify' },
    ];
    const s = parseScenario({ name: 'all', schedule: faults.map((fault, i) => ({ atMs: i * 100, durationMs: 50, fault })) }, 'all.json');
    expect(s.schedule).toHaveLength(faults.length);
  });
});
