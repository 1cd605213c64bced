// How wrong a member's clock may be in a scenario, for checkers that judge what clocks time
// (a leader ends a lease by its own clock): the fastest drift and the sum of forward steps its
// faults can make. A package that may step clocks any number of times has no bound (Infinity).
import type { Scenario } from '../scenario/schema.ts';
import { CLOCK_DRIFT_PPM_MAX } from './packages.ts';

export interface ClockError {
  /** How much faster than real time a clock may run, ppm. */
  readonly driftPpmMax: number;
  /** The sum of the forward steps (jumps, skews set and healed) one clock may take, µs. */
  readonly jumpUsMax: number;
}

export function clockErrorOf(scenario: Scenario): ClockError {
  if (scenario.schedule !== undefined) {
    let driftPpmMax = 0;
    let jumpUsMax = 0;
    for (const { fault } of scenario.schedule) {
      if (fault.kind === 'clock-drift') driftPpmMax = Math.max(driftPpmMax, fault.driftPpm);
      // A skew is set and later healed: the clock steps by its offset twice, one way each time.
      else if (fault.kind === 'clock-skew') jumpUsMax += Math.abs(fault.offsetMs) * 1000;
      else if (fault.kind === 'clock-jump') jumpUsMax += Math.max(0, fault.jumpMs) * 1000;
    }
    return { driftPpmMax, jumpUsMax };
  }
  const packages = new Set(scenario.nemesis.packages);
  const steps = packages.has('clock') || packages.has('clock-jumps');
  return { driftPpmMax: packages.has('clock') ? CLOCK_DRIFT_PPM_MAX : 0, jumpUsMax: steps ? Infinity : 0 };
}
