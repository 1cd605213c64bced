// One directed link's behaviour: its latency distribution and its drop, duplicate and reorder
// probabilities, checked once when set (option-checks.ts) and drawn from the network's stream per message.
import type { Prng } from './prng.ts';
import type { Ratio } from './ratio.ts';
import { NEVER } from './ratio.ts';

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
