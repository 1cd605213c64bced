// One directed link's behaviour: its latency distribution and its drop, duplicate and reorder
// probabilities, checked once when set and drawn from the network's stream per message.
import type { Prng } from './prng.ts';
import type { Ratio } from './ratio.ts';
import { NEVER, checkRatio } from './ratio.ts';

export type Latency =
  | { readonly kind: 'constant'; readonly us: number }
  | { readonly kind: 'uniform'; readonly minUs: number; readonly maxUs: number }
  /** floorUs plus an exponential tail with mean meanUs, capped at capUs (default floor + 20 means). */
  | { readonly kind: 'exponential'; readonly floorUs: number; readonly meanUs: number; readonly capUs?: number };

export interface LinkOptions {
  latency?: Latency;
  drop?: Ratio;
  duplicate?: Ratio;
  reorder?: Ratio;
  /** A reordered message waits up to this much extra, outside the FIFO order. */
  reorderDelayUsMax?: number;
  /**
   * A duplicated message's copy waits up to this much extra, outside the FIFO order (0: it travels
   * like the original): a retransmission that arrives after the traffic sent behind it.
   */
  duplicateDelayUsMax?: number;
}

export const LINK_DEFAULTS: Required<LinkOptions> = {
  latency: { kind: 'uniform', minUs: 500, maxUs: 2_000 },
  drop: NEVER,
  duplicate: NEVER,
  reorder: NEVER,
  reorderDelayUsMax: 5_000,
  duplicateDelayUsMax: 0,
};

export function drawLatencyUs(prng: Prng, latency: Latency): number {
  switch (latency.kind) {
    case 'constant':
      return latency.us;
    case 'uniform':
      return prng.intRange(latency.minUs, latency.maxUs);
    case 'exponential': {
      const capUs = latency.capUs ?? latency.floorUs + 20 * latency.meanUs;
      return Math.min(capUs, latency.floorUs + prng.exponential(latency.meanUs));
    }
  }
}

export function checkDuration(us: number): number {
  if (!Number.isSafeInteger(us) || us < 0) throw new Error(`link: duration must be a non-negative integer, got ${us}`);
  return us;
}

export function checkLink(o: Required<LinkOptions>): Required<LinkOptions> {
  checkRatio('drop', o.drop);
  checkRatio('duplicate', o.duplicate);
  checkRatio('reorder', o.reorder);
  checkDuration(o.reorderDelayUsMax);
  checkDuration(o.duplicateDelayUsMax);
  const l = o.latency;
  if (!isLatency(l)) throw new Error(`link: bad latency ${JSON.stringify(l)}`);
  return o;
}

/** Whether `l` is a latency a link can draw from: a known kind with whole, ordered, non-negative bounds. */
export function isLatency(l: Latency): boolean {
  return l.kind === 'constant' ? Number.isSafeInteger(l.us) && l.us >= 0
    : l.kind === 'uniform' ? Number.isSafeInteger(l.minUs) && l.minUs >= 0 && Number.isSafeInteger(l.maxUs) && l.maxUs >= l.minUs
    : Number.isSafeInteger(l.floorUs) && l.floorUs >= 0 && l.meanUs >= 0 && (l.capUs === undefined || l.capUs >= l.floorUs);
}
