// The walk of the fault table (sim/scenario/fault-kinds.ts): every kind reaches every place that
// handles faults without another edit — scenario files, the nemesis packages (built-in or the
// one the kind declares) and swarm, the nemesis itself (a run records the fault), shrink, the
// property arbitraries and the Raft-only test harness (test/support/raft, unless it says why it
// cannot act on the kind). test/sim/scenario/fault-kinds.test.ts walks the shipped table;
// fault-kind-added.test.ts walks it with one more kind, added in one place.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allPackages } from '../../sim/nemesis/packages.ts';
import { drawSwarm } from '../../sim/nemesis/swarm.ts';
import { FAULT_EFFECTS } from '../../sim/nemesis/fault-effects.ts';
import { faultArbitrary } from '../../sim/property/arbitraries.ts';
import { runScenario } from '../../sim/run/run.ts';
import { describeFault, FAULT_KIND_NAMES, FaultSchema, KIND_PACKAGES } from '../../sim/scenario/fault.ts';
import type { Fault, FaultKind, TimedFault } from '../../sim/scenario/fault.ts';
import { FAULT_KINDS } from '../../sim/scenario/fault-kinds.ts';
import { defineScenario, parseScenario } from '../../sim/scenario/parse.ts';
import { BuiltinNemesisPackages, NemesisPackages } from '../../sim/scenario/schema.ts';
import { shrinkScenario } from '../../sim/sweep/shrink.ts';
import { Prng } from '../../sim/world/prng.ts';
import { applySchedule, RAFT_UNSUPPORTED_KINDS } from './raft/fault-schedule.ts';
import { RaftCluster } from './raft/raft-cluster.ts';

const MEMBERS = 5;
/** Packages only named scenarios run (sim/nemesis/swarm.ts says why the swarm leaves each out): none since the swarm's prevote-rollout focus. */
const NAMED_SCENARIOS_ONLY_PACKAGES = [] as const;

/** A few faults of one kind, as the property arbitraries draw them. */
function samples(kind: FaultKind): Fault[] {
  return fc.sample(faultArbitrary(MEMBERS, [kind]), { seed: 7, numRuns: 5 });
}

/** The kinds each nemesis package draws, over many draws from fixed streams. */
function kindsByPackage(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const p of allPackages()) {
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) for (const d of p.draw(new Prng(seed), { members: MEMBERS, durationMs: 500 })) kinds.add(d.fault.kind);
    out.set(p.name, kinds);
  }
  return out;
}

/** Declares the walk's tests over the table as the importing test file sees it. */
export function walkFaultTable(): void {
describe('the fault table reaches every fault handler', () => {
  const byPackage = kindsByPackage();

  it.each(FAULT_KIND_NAMES)('%s: has an effect, a schema, a description and arbitrary faults the schema accepts', (kind) => {
    expect(FAULT_EFFECTS[kind]).toBeDefined();
    for (const f of samples(kind)) {
      expect(f.kind).toBe(kind);
      expect(FaultSchema.parse(f)).toEqual(f);
      expect(describeFault(f).length).toBeGreaterThan(0);
    }
  });

  it.each(FAULT_KIND_NAMES)('%s: a scenario file may schedule it', (kind) => {
    const schedule = samples(kind).map((fault, i): TimedFault => ({ atMs: i * 100, durationMs: 50, fault }));
    const s = parseScenario({ name: 'k', cluster: { members: MEMBERS }, schedule }, 'k.json');
    expect(s.schedule?.map((t) => t.fault.kind)).toEqual(schedule.map(() => kind));
  });

  // Issue 10: the swarm draws every package, figure8 (on five members) and membership included.
  const swarmDrawn = new Set(Array.from({ length: 200 }, (_, seed) => drawSwarm(defineScenario({ name: 's', swarm: { enabled: true } }), new Prng(seed)).scenario.nemesis.packages).flat());

  it.each(FAULT_KIND_NAMES)('%s: a nemesis package draws it, and swarm draws such a package', (kind) => {
    const packages = [...byPackage].filter(([, kinds]) => kinds.has(kind)).map(([name]) => name);
    expect(packages.length, `no package draws ${kind}`).toBeGreaterThan(0);
    expect(packages.filter((p) => swarmDrawn.has(p as never)).length, `swarm never draws ${kind}`).toBeGreaterThan(0);
  });

  it('every package a kind declares is in the schema after the built-in ones, and a scenario naming it runs its kind', () => {
    expect(NemesisPackages.slice(0, BuiltinNemesisPackages.length)).toEqual([...BuiltinNemesisPackages]);
    expect(NemesisPackages.slice(BuiltinNemesisPackages.length)).toEqual(KIND_PACKAGES.map((p) => p.name));
    for (const p of KIND_PACKAGES) {
      const scenario = parseScenario({ name: `package-${String(p.name)}`, cluster: { members: Math.max(MEMBERS, p.membersMin ?? 1) }, nemesis: { packages: [p.name] }, workload: { durationMs: 2000, okOpsMin: 0 } }, 'p.json');
      const r = runScenario(scenario, 1).results;
      expect(r.faults?.length, r.replay).toBeGreaterThan(0);
      expect(new Set(r.faults?.map((f) => f.kind)), r.replay).toEqual(new Set([p.kind]));
    }
  });

  it('swarm draws every nemesis package within 200 seeds, but those left to named scenarios (and those it indeed leaves out)', () => {
    expect([...swarmDrawn].sort()).toEqual([...byPackage.keys()].filter((p) => !NAMED_SCENARIOS_ONLY_PACKAGES.includes(p as never)).sort());
    for (const p of NAMED_SCENARIOS_ONLY_PACKAGES) expect(swarmDrawn.has(p), p).toBe(false);
  });

  it('the property arbitraries draw every kind of the default mix, and only those', () => {
    const drawn = new Set(fc.sample(faultArbitrary(MEMBERS), { seed: 3, numRuns: 2000 }).map((f) => f.kind));
    expect([...drawn].sort()).toEqual(FAULT_KIND_NAMES.filter((k) => FAULT_KINDS[k].inPropertyMix).sort());
  });

  it.each(FAULT_KIND_NAMES)('%s: shrink keeps it when the failure needs it and drops everything else', (kind) => {
    const [fault] = samples(kind);
    const other: Fault = kind === 'pause' ? { kind: 'clog', target: 'n1' } : { kind: 'pause', target: 'n1' };
    const start = defineScenario({ name: 'k', cluster: { members: MEMBERS }, schedule: [{ atMs: 0, durationMs: 400, fault: other }, { atMs: 500, durationMs: 400, fault: fault! }] });
    const r = shrinkScenario(start, { fails: (c) => (c.schedule ?? []).some((t) => t.fault.kind === kind), runsMax: 100 });
    expect(r.scenario.schedule?.map((t) => t.fault.kind)).toEqual([kind]);
    expect(r.scenario.schedule?.[0]?.durationMs).toBe(1);
  });

  it.each(FAULT_KIND_NAMES)('%s: the nemesis applies it in a run and records it', (kind) => {
    const fault = samples(kind)[0]!;
    const scenario = defineScenario({
      name: `fault-${kind}`,
      cluster: { members: MEMBERS },
      clients: { count: 2, watchers: false },
      workload: { kind: 'etcd', durationMs: 1500, rateOpsPerSecond: 40, okOpsMin: 0 },
      schedule: [{ atMs: 200, durationMs: kind === 'figure8' ? 1200 : 400, fault }],
    });
    const r = runScenario(scenario, 1).results;
    expect(r.faults?.map((f) => f.kind), r.replay).toContain(kind);
  });

  it.each(FAULT_KIND_NAMES)('%s: the Raft test harness applies it through the same nemesis, or says why it cannot', (kind) => {
    const why = RAFT_UNSUPPORTED_KINDS.get(kind);
    if (why !== undefined) return expect(why.length).toBeGreaterThan(10);
    const fault = samples(kind)[0]!;
    const c = new RaftCluster({ seed: 1, members: MEMBERS, replay: `fault kind ${kind}` });
    c.runUntilLeader(10_000_000);
    const applied = applySchedule(c, { faults: [{ atMs: 10, durationMs: 300, fault }], dropPct: 0, duplicatePct: 0, reorderPct: 0 });
    c.runForUs(500_000);
    applied.healAll();
    expect(applied.nemesis.intervals.map((i) => i.kind)).toEqual([kind]);
    expect(c.runUntilLeader(10_000_000)).toBeDefined();
  });
});
}
