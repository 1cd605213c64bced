// The whole fault schedule of a run, drawn before it starts from the nemesis stream: faults one
// after another (each healed before the next begins, with a gap), from the scenario's
// packages, inside the safety phase. An explicit `schedule` in the scenario is used as is.
import type { Fault, TimedFault } from '../scenario/fault.ts';
import type { Range, Scenario } from '../scenario/schema.ts';
import type { Prng } from '../world/prng.ts';
import { nemesisPackage } from './packages.ts';
import { withFields } from '../../src/object/with-fields.ts';

export function drawRange(prng: Prng, range: Range): number {
  return typeof range === 'number' ? range : prng.intRange(range.min, range.max);
}

/** The timed faults of one run. Pure: the same scenario and stream give the same list. */
export function expandSchedule(scenario: Scenario, prng: Prng): TimedFault[] {
  if (scenario.schedule !== undefined) return scenario.schedule.map((f) => withFields(f, { fault: { ...f.fault } }));
  const { nemesis, workload } = scenario;
  const out: TimedFault[] = [];
  if (nemesis.packages.length === 0 || nemesis.faultsMax === 0) return out;
  // Modes of the whole run rather than episodes (buggify, member API operators): on from the start.
  for (const name of nemesis.packages) {
    const pkg = nemesisPackage(name);
    if (pkg.wholeRun !== true) continue;
    for (const d of pkg.draw(prng, { members: scenario.cluster.members, durationMs: workload.durationMs })) out.push({ atMs: 0, durationMs: workload.durationMs, fault: torn(d.fault, nemesis.tornKills) });
  }
  const episodic = nemesis.packages.filter((p) => nemesisPackage(p).wholeRun !== true);
  if (episodic.length === 0) return out;
  let atMs = drawRange(prng, nemesis.startMs);
  const lastStartMs = workload.durationMs - 1;
  while (atMs <= lastStartMs && out.length < nemesis.faultsMax) {
    const pkg = nemesisPackage(prng.pick(episodic));
    const durationMs = Math.max(1, drawRange(prng, nemesis.faultDurationMs));
    const drawn = pkg.draw(prng, { members: scenario.cluster.members, durationMs });
    for (const d of drawn) {
      if (atMs > lastStartMs || out.length >= nemesis.faultsMax) break;
      out.push({ atMs, durationMs: d.durationMs, fault: torn(d.fault, nemesis.tornKills) });
      atMs += d.durationMs;
    }
    atMs += Math.max(1, drawRange(prng, nemesis.intervalMs));
  }
  return out;
}

/** A kill that may tear the last unsynced write, when the scenario asks for torn kills; any other fault as drawn. */
function torn(fault: Fault, tornKills: boolean): Fault {
  return tornKills && fault.kind === 'kill' && fault.tornWrites !== true ? withFields(fault, { tornWrites: true }) : fault;
}
