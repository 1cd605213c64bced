// drawLatencyUs as detcd/world exports it: a program's prng that is no Prng, or a latency that is
// no {kind, ...} a link takes, is refused with a UsageError naming it. A JavaScript caller met a
// TypeError ('reading kind') or NaN. The network calls the unchecked draw on every message.
import { badArgument } from '../errors/bad-argument.ts';
import { drawLatencyUs as draw } from './link.ts';
import { checkLatencyOption } from './option-checks.ts';
import type { Latency } from './link.ts';
import { Prng } from './prng.ts';

/** One latency in µs drawn from `latency` with `prng`. */
export function drawLatencyUs(prng: Prng, latency: Latency): number {
  if (!(prng instanceof Prng)) throw badArgument('drawLatencyUs', 'prng', 'must be a Prng (new Prng(seed))', prng);
  return draw(prng, checkLatencyOption('drawLatencyUs', 'latency', latency));
}
