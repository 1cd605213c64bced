// Fault schedules for Raft cluster runs: partitions (also one-way), crashes with restarts,
// pauses, clock jumps and drift, on top of a lossy, duplicating, reordering network; then a heal
// that removes every fault so that liveness can be checked.
import type { RaftCluster } from './raft-cluster.ts';
import { NEVER } from '../../../sim/world/ratio.ts';
import type { Prng } from '../../../sim/world/prng.ts';

export type Fault =
  | { readonly kind: 'isolate'; readonly node: number; readonly atMs: number; readonly durationMs: number }
  | { readonly kind: 'one-way'; readonly from: number; readonly to: number; readonly atMs: number; readonly durationMs: number }
  | { readonly kind: 'halves'; readonly atMs: number; readonly durationMs: number }
  | { readonly kind: 'crash'; readonly node: number; readonly atMs: number; readonly durationMs: number }
  | { readonly kind: 'pause'; readonly node: number; readonly atMs: number; readonly durationMs: number }
  | { readonly kind: 'clock-jump'; readonly node: number; readonly atMs: number; readonly deltaMs: number }
  | { readonly kind: 'clock-drift'; readonly node: number; readonly atMs: number; readonly driftPpm: number };

export interface FaultSchedule {
  readonly faults: readonly Fault[];
  /** Network misbehaviour during the fault phase, in percent. */
  readonly dropPct: number;
  readonly duplicatePct: number;
  readonly reorderPct: number;
}

export function describeSchedule(s: FaultSchedule): string {
  return JSON.stringify(s);
}

/** Schedules every fault on the cluster's event loop, relative to now. */
export function applySchedule(c: RaftCluster, s: FaultSchedule): void {
  const w = c.world;
  const nowUs = w.loop.now();
  const id = (n: number): string => c.ids[n % c.ids.length] as string;
  for (const f of s.faults) {
    const at = nowUs + f.atMs * 1000;
    switch (f.kind) {
      case 'isolate':
        w.loop.at(at, () => w.network.isolate(id(f.node)));
        w.loop.at(at + f.durationMs * 1000, () => w.network.heal());
        break;
      case 'one-way':
        if (id(f.from) === id(f.to)) break;
        w.loop.at(at, () => w.network.cut(id(f.from), id(f.to)));
        w.loop.at(at + f.durationMs * 1000, () => w.network.uncut(id(f.from), id(f.to)));
        break;
      case 'halves':
        w.loop.at(at, () => w.network.halves());
        w.loop.at(at + f.durationMs * 1000, () => w.network.heal());
        break;
      case 'crash':
        w.loop.at(at, () => {
          if (w.isUp(id(f.node))) w.crash(id(f.node));
        });
        w.loop.at(at + f.durationMs * 1000, () => restartIfDown(c, id(f.node)));
        break;
      case 'pause':
        w.loop.at(at, () => {
          if (w.isUp(id(f.node)) && !w.isPaused(id(f.node))) w.pause(id(f.node));
        });
        w.loop.at(at + f.durationMs * 1000, () => resumeIfPaused(c, id(f.node)));
        break;
      case 'clock-jump':
        w.loop.at(at, () => w.clockJump(id(f.node), f.deltaMs * 1000));
        break;
      case 'clock-drift':
        w.loop.at(at, () => w.clockSetDrift(id(f.node), f.driftPpm));
        break;
    }
  }
  const links = { drop: { num: s.dropPct, den: 100 }, duplicate: { num: s.duplicatePct, den: 100 }, reorder: { num: s.reorderPct, den: 100 } };
  setAllLinks(c, links);
}

function restartIfDown(c: RaftCluster, id: string): void {
  if (!c.world.isUp(id)) c.world.restart(id);
}

function resumeIfPaused(c: RaftCluster, id: string): void {
  if (c.world.isUp(id) && c.world.isPaused(id)) c.world.resume(id);
}

function setAllLinks(c: RaftCluster, options: Parameters<RaftCluster['world']['network']['setLink']>[2]): void {
  const all = [...c.ids, 'client'];
  for (const a of all) for (const b of all) if (a !== b) c.world.network.setLink(a, b, options);
}

/** Removes every fault now: heals the network, restarts and resumes nodes, stops clock drift. */
export function healAll(c: RaftCluster): void {
  const w = c.world;
  w.network.heal();
  setAllLinks(c, { drop: NEVER, duplicate: NEVER, reorder: NEVER });
  for (const id of c.ids) {
    restartIfDown(c, id);
    resumeIfPaused(c, id);
    w.clockSetDrift(id, 0);
  }
}

/** A schedule drawn from a seeded stream (for sweeps outside fast-check): `count` faults in [0, faultEndMs). */
export function randomSchedule(prng: Prng, members: number, count: number, faultEndMs: number): FaultSchedule {
  const faults: Fault[] = [];
  for (let i = 0; i < count; i++) {
    const node = prng.int(members);
    const atMs = prng.int(faultEndMs);
    const durationMs = 100 + prng.int(2_000);
    switch (prng.int(6)) {
      case 0:
        faults.push({ kind: 'isolate', node, atMs, durationMs });
        break;
      case 1:
        faults.push({ kind: 'one-way', from: node, to: prng.int(members), atMs, durationMs });
        break;
      case 2:
        faults.push({ kind: 'halves', atMs, durationMs });
        break;
      case 3:
        faults.push({ kind: 'pause', node, atMs, durationMs });
        break;
      default:
        faults.push({ kind: 'crash', node, atMs, durationMs });
        break;
    }
  }
  return { faults, dropPct: prng.int(6), duplicatePct: prng.int(6), reorderPct: prng.int(11) };
}
