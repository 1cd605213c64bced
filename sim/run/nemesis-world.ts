// The nemesis's view of a running cluster: world faults (network, processes, clocks) and
// cluster faults (membership, disks) behind the NemesisWorld interface.
import type { NemesisWorld } from '../nemesis/nemesis.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { LinkOptions } from '../world/network.ts';
import type { Cut } from '../world/partitions.ts';
import type { EtcdCluster } from '../etcd/cluster.ts';

/** The scenario's base link settings, as the world's link options. */
export function baseLink(s: Scenario): LinkOptions {
  const n = s.network;
  return {
    latency: { kind: 'uniform', minUs: n.latencyUsMin, maxUs: n.latencyUsMax },
    drop: { num: n.dropPercent, den: 100 },
    duplicate: { num: n.duplicatePercent, den: 100 },
    reorder: { num: n.reorderPercent, den: 100 },
    reorderDelayUsMax: n.reorderDelayUsMax,
  };
}

export function nemesisWorld(cluster: EtcdCluster, scenario: Scenario, buggify: (on: boolean) => void): NemesisWorld {
  const world = cluster.world;
  const network = world.network;
  let applied: Cut[] = [];
  const key = ([a, b]: Cut): string => `${a}>${b}`;
  return {
    nowUs: () => world.loop.now(),
    at: (timeUs, fn) => void world.loop.at(timeUs, fn),
    members: () => cluster.members(),
    leader: () => cluster.leader(),
    raftStatus(node) {
      const s = cluster.status(node);
      return s === undefined ? undefined : { isLeader: s.isLeader, term: s.term };
    },
    setCuts(cuts) {
      const next = new Set(cuts.map(key));
      const before = new Set(applied.map(key));
      for (const c of applied) if (!next.has(key(c))) network.uncut(c[0], c[1]);
      const added = cuts.filter((c) => !before.has(key(c)));
      if (added.length > 0) network.applyCuts(added, 'nemesis');
      applied = [...cuts];
    },
    crash: (node, tornWrites) => {
      if (world.isUp(node)) world.crash(node, tornWrites);
    },
    crashAfter: (node, moment, tornWrites, crashed) => cluster.crashAfter(node, moment, tornWrites, crashed),
    restart: (node) => {
      if (!world.isUp(node) && !cluster.held(node)) world.restart(node);
    },
    pause: (node) => {
      if (world.isUp(node) && !world.isPaused(node)) world.pause(node);
    },
    resume: (node) => {
      if (world.isPaused(node)) world.resume(node);
    },
    clockOffset: (node, deltaUs) => world.clockJump(node, deltaUs),
    clockJump: (node, deltaUs) => world.clockJump(node, deltaUs),
    clockDrift: (node, driftPpm) => world.clockSetDrift(node, driftPpm),
    clockReset(node) {
      const now = world.loop.now();
      const offset = world.clock(node).offsetUs(now);
      if (offset !== 0) world.clockJump(node, -offset);
      world.clockSetDrift(node, 0);
    },
    setLossy(lossy) {
      const base = baseLink(scenario);
      const options: LinkOptions =
        lossy === undefined
          ? base
          : {
              drop: { num: lossy.dropPercent, den: 100 },
              duplicate: { num: lossy.duplicatePercent, den: 100 },
              reorder: { num: lossy.reorderPercent, den: 100 },
              ...(lossy.delayMsMax > 0 && base.latency?.kind === 'uniform' ? { latency: { kind: 'uniform', minUs: base.latency.minUs, maxUs: base.latency.maxUs + lossy.delayMsMax * 1000 } } : {}),
            };
      const members = cluster.members();
      for (const a of members) for (const b of members) if (a !== b) network.setLink(a, b, { ...base, ...options });
      if (lossy !== undefined) world.recordFault('lossy');
    },
    clog: (node) => network.clogNode(node),
    unclog: (node) => network.unclogNode(node),
    setFsyncLatency: (node, fsyncUs) => cluster.setFsyncLatency(node, fsyncUs),
    membership: (action, node) => cluster.changeMembership(action, node),
    buggify,
  };
}
