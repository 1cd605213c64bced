// The API probe's seed calls: one right call of each public function that takes data (a
// history, a scenario, a run's results, options), from data a tiny run makes. The probe mutates
// every argument and every field inside it; `depth` bounds how far down (a run per case costs).
import { join } from 'node:path';

/** A seed: name, args (fresh each call), call(modules, args), and how deep its fields are walked. */
function seed(name, args, call, depth = 3) {
  return { name, args, call, depth };
}

export async function apiSeeds(m, root, sandbox) {
  const { harness, property, check, world, report } = m;
  const tinyEtcd = harness.defineScenario({ name: 'tiny-etcd', workload: { kind: 'etcd', rateOpsPerSecond: 60, durationMs: 400 }, clients: { count: 3 }, nemesis: { packages: [] } });
  const tinyRegister = harness.defineScenario({ name: 'tiny', workload: { kind: 'register', rateOpsPerSecond: 50, durationMs: 300 }, clients: { count: 2 }, nemesis: { packages: [] } });
  const etcdRun = harness.runScenario(tinyEtcd, 1);
  const registerRun = harness.runScenario(tinyRegister, 1);
  const copy = (v) => structuredClone(v);
  const etcdOps = etcdRun.history.slice(0, 12);
  const registerOps = registerRun.history.slice(0, 12);
  const watches = etcdRun.watches.slice(0, 6);
  const results = etcdRun.results;
  const summary = report.summarizeRun(results, 'r/index.html');
  let outN = 0;
  const view = () => ({ id: 'n1', incarnation: 1, term: 1, commit: 1, durableTerm: 1, durableCommit: 1, lastIndex: 1, firstIndex: 1, isLeader: true, applied: 1, entry: (i) => (i === 1 ? { term: 1, data: 'x' } : undefined), appliedEntry: () => undefined, snapshotMeta: { index: 0, term: 0 } });
  const swarm = harness.defineScenario({ name: 'swarm-tiny', workload: { kind: 'register', rateOpsPerSecond: 50, durationMs: 300 }, nemesis: { packages: ['kill-leader', 'partition-leader'] } });
  return [
    seed('check.checkHistory kv', () => [copy(etcdOps), 'etcd', { maxSteps: 100000 }], (_, a) => check.checkHistory(...a)),
    seed('check.checkHistory etcd', () => [copy(etcdOps), 'etcd', { maxSteps: 100000 }, { initialRevision: 1 }], (_, a) => check.checkHistory(...a)),
    seed('check.parseHistory', () => [registerOps.map((o) => JSON.stringify(o)).join('\n'), 'jsonl'], (_, a) => check.parseHistory(...a)),
    seed('check.checkWatch', () => [copy(watches), copy(etcdOps), { maxViolations: 5, stepsMax: 100000 }], (_, a) => check.checkWatch(...a)),
    seed('check.checkLease', () => [copy(etcdOps), { graceUs: 1000, leaderChangesUs: [5] }], (_, a) => check.checkLease(...a)),
    seed('check.checkMutex', () => [copy(registerOps), []], (_, a) => check.checkMutex(...a)),
    seed('check.checkConvergence', () => [[{ name: 'n1', status: { up: true, isLeader: true, term: 2, revision: 5, compactRevision: 0, kvHash: '7' } }]], (_, a) => check.checkConvergence(...a)),
    seed('check.compose', () => [{ a: { valid: true, summary: 's' }, b: { valid: 'unknown' } }], (_, a) => check.compose(...a)),
    seed('check.etcdOperations', () => [etcdOps.filter((o) => o.type === 'invoke').slice(0, 3).map((invoke) => ({ invoke: copy(invoke), completion: copy(etcdOps.find((o) => o.process === invoke.process && o.index > invoke.index)) }))], (_, a) => check.etcdOperations(...a)),
    seed('check.syntheticEtcdHistory', () => [new world.Prng(1), { ops: 10, keys: 2, clients: 2, timeoutPercent: 10, leases: true }], (_, a) => check.syntheticEtcdHistory(...a)),
    seed('check.RaftInvariants.check', () => [[view(), { ...view(), id: 'n2', isLeader: false }]], (_, a) => new check.RaftInvariants().check(...a)),
    seed('check.RaftInvariants.recordAck', () => ['n1', 1, { term: 1, data: 'x' }], (_, a) => new check.RaftInvariants().recordAck(...a)),
    seed('check.formatViolation', () => [{ invariant: 'log-matching', member: 'n1', term: 2, index: 3, detail: 'd', members: ['n1'], entries: [] }], (_, a) => check.formatViolation(...a)),
    seed('harness.defineScenario', () => [{ name: 'x', workload: { kind: 'etcd', rateOpsPerSecond: 60, durationMs: 400, keys: 3 }, clients: { count: 3 }, nemesis: { packages: ['kill-leader'], intervalMs: { min: 100, max: 200 } } }], (_, a) => harness.defineScenario(...a)),
    seed('harness.runScenario', () => [copy(tinyRegister), 1, { bug: undefined, replay: 'detcd run' }], (_, a) => harness.runScenario(...a), 1),
    seed('harness.bakeScenario', () => [copy(swarm), [{ atMs: 10, fault: { kind: 'kill', target: 'n1' } }]], (_, a) => harness.bakeScenario(...a)),
    seed('harness.expandSchedule', () => [copy(swarm), new world.Prng(2)], (_, a) => harness.expandSchedule(...a), 2),
    seed('harness.drawSwarm', () => [copy(swarm), new world.Prng(2)], (_, a) => harness.drawSwarm(...a), 2),
    seed('harness.describeFault', () => [{ kind: 'partition', groups: [['n1'], ['n2', 'n3']] }], (_, a) => harness.describeFault(...a)),
    seed('property.withSchedule', () => [copy(swarm), [{ atMs: 10, fault: { kind: 'kill', target: 'n1' } }]], (_, a) => property.withSchedule(...a)),
    seed('property.explain', () => [copy(results)], (_, a) => property.explain(...a)),
    seed('property.replayCommand', () => [copy(tinyRegister), 3, 'read-without-readindex'], (_, a) => property.replayCommand(...a), 1),
    seed('report.summarizeRun', () => [copy(results), 'r/index.html'], (_, a) => report.summarizeRun(...a)),
    seed('report.renderRunHtml', () => [{ results: copy(results), history: copy(etcdOps), watches: copy(watches) }], (_, a) => report.renderRunHtml(...a)),
    seed('report.renderJunit', () => [report.suitesFromRuns([copy(summary)]), 'detcd'], (_, a) => report.renderJunit(...a)),
    seed('report.suitesFromRuns', () => [[copy(summary)]], (_, a) => report.suitesFromRuns(...a)),
    seed('report.opToEdn', () => [copy(etcdOps[1])], (_, a) => report.opToEdn(...a)),
    seed('report.shardConflict', () => [[{ dir: 'a', runs: [copy(summary)] }, { dir: 'b', runs: [copy(summary)] }]], (_, a) => report.shardConflict(...a)),
    seed('report.writeRunReportTo', () => [join(sandbox, `run-${++outN}`), { results: copy(results), history: copy(etcdOps), watches: copy(watches) }], (_, a) => report.writeRunReportTo(...a), 2),
    seed('report.writeSweepReport', () => [join(sandbox, `sweep-${++outN}`), [copy(summary)]], (_, a) => report.writeSweepReport(...a), 2),
  ];
}
