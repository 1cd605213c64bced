// Which seeds of the shipped swarm scenario draw the built-in packages the swarm draws after the
// fault table's (late-answers, joint-membership): pinned, so that a test which adds a fault kind
// to the table (test/sim/scenario/fault-kind-added.test.ts) can check that the addition moved none
// of them, and the plain swarm test that the pin is what the shipped table draws.
import { readFileSync } from 'node:fs';
import { drawSwarm } from '../../sim/nemesis/swarm.ts';
import { parseScenario } from '../../sim/scenario/parse.ts';
import { Prng } from '../../sim/world/prng.ts';

const LATER = ['late-answers', 'joint-membership'];

/** For seeds 1..n, the later packages each drew (seeds that drew none left out). */
export function drawnAfterDeclared(n: number): Record<number, string[]> {
  const file = new URL('../../scenarios/swarm.json', import.meta.url);
  const swarm = parseScenario(JSON.parse(readFileSync(file, 'utf8')), 'scenarios/swarm.json');
  const out: Record<number, string[]> = {};
  for (let seed = 1; seed <= n; seed++) {
    const drawn = drawSwarm(swarm, new Prng(seed)).scenario.nemesis.packages.filter((p) => LATER.includes(p));
    if (drawn.length > 0) out[seed] = drawn;
  }
  return out;
}

/** drawnAfterDeclared(40) of the shipped table (measured with it; a change to the swarm's draws re-pins it). */
export const DRAWN_AFTER_DECLARED_PIN: Readonly<Record<number, string[]>> = {
  2: ['late-answers', 'joint-membership'], 3: ['late-answers', 'joint-membership'], 5: ['late-answers'], 10: ['joint-membership'],
  11: ['late-answers', 'joint-membership'], 12: ['late-answers', 'joint-membership'], 13: ['late-answers', 'joint-membership'], 14: ['late-answers'],
  16: ['late-answers'], 17: ['late-answers'], 18: ['late-answers'], 20: ['late-answers'], 21: ['late-answers'], 22: ['joint-membership'],
  24: ['joint-membership'], 25: ['late-answers', 'joint-membership'], 34: ['late-answers'], 35: ['late-answers'],
  36: ['late-answers', 'joint-membership'], 40: ['late-answers', 'joint-membership'],
};
