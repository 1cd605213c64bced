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
    // The run's own stream (sim/run/run.ts: root.fork('swarm')), so the seeds are the runs' seeds.
    const drawn = drawSwarm(swarm, new Prng(seed).fork('swarm')).scenario.nemesis.packages.filter((p) => LATER.includes(p));
    if (drawn.length > 0) out[seed] = drawn;
  }
  return out;
}

/**
 * drawnAfterDeclared(40) of the shipped table (measured with it; a change to the swarm's draws re-pins it). Checked against runs: swarm 1 draws joint-membership, 2 and 3 neither.
 * Seeds 9, 17, 27, 35 and 40 drew one too until the swarm's focused shapes (swarm-focus.ts) replaced their packages, and
 * 32 and 38 until its moment shapes (twenty-first session: snapshot-write-crash, snapshot-pipeline) did, and
 * 6, 31 and 39 until its prevote-rollout focus (twenty-third session) did.
 */
export const DRAWN_AFTER_DECLARED_PIN: Readonly<Record<number, string[]>> = {
  1: ['joint-membership'], 4: ['joint-membership'], 5: ['joint-membership'], 7: ['joint-membership'],
  11: ['late-answers'], 12: ['joint-membership'], 14: ['late-answers'],
  15: ['late-answers', 'joint-membership'], 16: ['joint-membership'],
  18: ['joint-membership'], 19: ['late-answers'], 20: ['late-answers', 'joint-membership'], 22: ['late-answers'],
  28: ['joint-membership'], 29: ['joint-membership'], 30: ['joint-membership'],
  33: ['late-answers'], 36: ['late-answers'], 37: ['late-answers'],
};
