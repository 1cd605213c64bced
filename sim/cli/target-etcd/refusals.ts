// What a real etcd cluster on this machine cannot be made to suffer, decided before anything
// starts: the run refuses with one line naming the fault and the target, instead of running a
// schedule it would silently skip. Clocks belong to the kernel (no per-process skew without
// kernel modules or libfaketime), torn writes and slow fsyncs need a fault-injecting file
// system, buggify and figure8 need hooks inside the product, and the network faults need
// namespaces (root). Membership changes are not driven on real processes yet.
import type { TimedFault } from '../../scenario/fault.ts';
import { describeFault } from '../../scenario/fault.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { WATCH_BATCH_MAX_REVS_ETCD } from '../../scenario/schema.ts';
import { nemesisPackage } from '../../nemesis/packages.ts';
import { Prng } from '../../world/prng.ts';
import type { NetworkMode } from './network.ts';
import { UNINJECTABLE } from './uninjectable.ts';

/** Draws per package when asking what faults it can produce (its random choices, sampled). */
const PACKAGE_SAMPLES = 64;

/** Fault kinds that always need what the target lacks (uninjectable.ts says why). */
const NEVER: Readonly<Record<string, string>> = {
  'clock-skew': UNINJECTABLE.clock,
  'clock-jump': UNINJECTABLE.clock,
  'clock-drift': UNINJECTABLE.clock,
  'slow-disk': UNINJECTABLE['slow-disk'],
  buggify: UNINJECTABLE.buggify,
  figure8: UNINJECTABLE.figure8,
  membership: UNINJECTABLE.membership,
  'member-api': UNINJECTABLE['member-api'],
};

const NEEDS_NETWORK = new Set(['partition', 'one-way', 'clog', 'lossy']);

/**
 * The first reason this scenario cannot run against real etcd, or undefined. A package is
 * refused for any fault it can draw, not only those this seed drew, so whether a scenario runs
 * on the target does not depend on the seed.
 */
export function refusal(scenario: Scenario, schedule: readonly TimedFault[], mode: NetworkMode): string | undefined {
  const raft = scenario.cluster.raft;
  // The real run's liveness probes and watchers send no token: once the workload turned
  // authentication on they would be refused and the cluster blamed for it.
  if (scenario.workload.kind === 'auth') return "workload.kind 'auth' cannot run on target etcd: its liveness probes and watchers do not log in (only the simulation's do)";
  if (raft.readOnly !== 'safe') return `cluster.raft.readOnly '${raft.readOnly}' cannot run on target etcd: etcd 3.4 serves linearizable reads with ReadIndex only`;
  if (!raft.checkQuorum) return 'cluster.raft.checkQuorum false cannot run on target etcd: etcd always enables CheckQuorum';
  for (const name of scenario.nemesis.packages) {
    const pkg = nemesisPackage(name);
    const prng = new Prng(1);
    for (let i = 0; i < PACKAGE_SAMPLES; i++) {
      const drawn = pkg.draw(prng, { members: scenario.cluster.members, durationMs: 1000 }).map((d) => ({ atMs: 0, durationMs: d.durationMs, fault: d.fault }));
      const why = faultRefusal(drawn, mode);
      if (why !== undefined) return `nemesis package '${name}': ${why}`;
    }
  }
  return faultRefusal(schedule, mode) ?? settingsRefusal(scenario, mode);
}

function faultRefusal(schedule: readonly TimedFault[], mode: NetworkMode): string | undefined {
  const target = 'target etcd';
  for (const { fault } of schedule) {
    const never = NEVER[fault.kind];
    if (never !== undefined) return `fault '${describeFault(fault)}' cannot run on ${target}: ${never}`;
    if (fault.kind === 'kill' && fault.tornWrites === true) return `fault '${describeFault(fault)}' cannot run on ${target}: ${UNINJECTABLE['torn-writes']}`;
    if (fault.kind === 'cut-then-pause' && fault.lateAnswersMs !== undefined) return `fault '${describeFault(fault)}' cannot run on ${target}: ${UNINJECTABLE['late-answers']}`;
    if (fault.kind === 'one-way' && fault.after !== undefined) return `fault '${describeFault(fault)}' cannot run on ${target}: ${UNINJECTABLE['crash-after']}`;
    if (fault.kind === 'kill' && fault.after !== undefined) return `fault '${describeFault(fault)}' cannot run on ${target}: ${UNINJECTABLE['crash-after']}`;
    if (fault.kind === 'kill' && fault.restartWith !== undefined) return `fault '${describeFault(fault)}' cannot run on ${target}: ${UNINJECTABLE['raft-settings']}`;
    if (fault.kind === 'lossy' && ((fault.duplicatePercent ?? 0) > 0 || (fault.reorderPercent ?? 0) > 0 || (fault.delayMsMax ?? 0) > 0)) {
      return `fault '${describeFault(fault)}' cannot run on ${target}: ${UNINJECTABLE['lossy-shape']}`;
    }
    const cutsLinks = NEEDS_NETWORK.has(fault.kind) || (fault.kind === 'move-leader' && fault.unreachable === true);
    if (cutsLinks && mode === 'loopback') return `fault '${describeFault(fault)}' cannot run on ${target}: network faults need network namespaces (run as root with ip and nft installed)`;
  }
  return undefined;
}

function settingsRefusal(scenario: Scenario, mode: NetworkMode): string | undefined {
  const target = 'target etcd';
  const n = scenario.network;
  if (n.duplicatePercent > 0 || n.reorderPercent > 0) return `network.duplicatePercent/reorderPercent cannot be applied on ${target}: only random drops are injected`;
  if (n.dropPercent > 0 && mode === 'loopback') return `network.dropPercent cannot be applied on ${target} without network namespaces (run as root)`;
  const batch = scenario.cluster.etcd.watchBatchMaxRevs;
  if (batch !== WATCH_BATCH_MAX_REVS_ETCD) return `cluster.etcd.watchBatchMaxRevs ${batch} cannot be applied on ${target}: etcd's watch batch limit is a constant of its build (${WATCH_BATCH_MAX_REVS_ETCD})`;
  if (scenario.cluster.members > 9) return `cluster.members ${scenario.cluster.members} is more than ${target} starts`;
  return undefined;
}
