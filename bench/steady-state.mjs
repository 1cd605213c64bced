// A steady-state figure, measured the way JMH measures Java code: warm-up rounds until a round
// costs what the one before it cost, then measured rounds, medians. The harness bench's first
// figure (one warm-up run in a fresh process, then seeds 1–5 once) is dominated by TurboFan
// compiling the stack while it runs; this one is what a run costs once the code is compiled,
// which is what a long sweep's worker pays for each of its runs.
//
// A round is one run of every seed for every build; with two or more builds in one process the
// order alternates by round and seed, so a drift of the machine's load hits all builds alike.
// The caller measures each run (CPU seconds, client ops, events, trace hash): this module only
// decides when the warm-up is over and summarises, so it is the same for every build and tool.

/** Defaults: seeds 1–5 (the bench's), 3 to 10 warm-up rounds, stable within 5 %, 5 measured rounds. */
export const STEADY_DEFAULTS = { seeds: [1, 2, 3, 4, 5], warmupRoundsMin: 3, warmupRoundsMax: 10, tolerance: 0.05, measuredRounds: 5 };

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function sum(xs) {
  return xs.reduce((a, b) => a + b, 0);
}

/** One round: every seed once on every build; returns each build's runs, in seed order. */
function round(builds, seeds, index) {
  const runs = builds.map(() => []);
  for (const [k, seed] of seeds.entries()) {
    const order = builds.map((_, i) => i);
    if ((index + k) % 2 === 1) order.reverse();
    for (const i of order) runs[i].push({ seed, ...builds[i].run(seed) });
  }
  for (const [i, rs] of runs.entries()) for (const r of rs) {
    if (!(r.cpuS > 0)) throw new Error(`steady state: build ${builds[i].label} seed ${r.seed}: CPU seconds must be positive, got ${r.cpuS}`);
  }
  return runs;
}

/**
 * Whether the last warm-up round of every build cost within `tolerance` of its round before
 * (total CPU of the round), and at least `min` rounds were run.
 */
export function warmedUp(roundCpuS, min, tolerance) {
  if (roundCpuS.length < Math.max(min, 2)) return false;
  const [before, last] = roundCpuS.slice(-2);
  return Math.abs(last - before) <= tolerance * before;
}

/** A build's measured runs summarised: medians per seed first, then across seeds (as the bench's first figure). */
function summarise(label, runs, seeds) {
  const perSeed = seeds.map((seed) => {
    const mine = runs.filter((r) => r.seed === seed);
    const hashes = new Set(mine.map((r) => r.traceHash));
    if (hashes.size !== 1) throw new Error(`steady state: build ${label} seed ${seed} gave ${hashes.size} different trace hashes: the runs are not deterministic`);
    const cpuS = median(mine.map((r) => r.cpuS));
    return { seed, cpuS, ops: mine[0].ops, events: mine[0].events, traceHash: mine[0].traceHash };
  });
  return {
    label,
    cpuSPerRun: median(perSeed.map((s) => s.cpuS)),
    opsPerCpuS: median(perSeed.map((s) => s.ops / s.cpuS)),
    eventsPerCpuS: median(perSeed.map((s) => s.events / s.cpuS)),
    totalCpuS: sum(runs.map((r) => r.cpuS)),
    perSeed,
  };
}

/**
 * Runs `builds` ([{label, run(seed) → {cpuS, ops, events, traceHash}}]) to a steady state and
 * measures them. Returns the warm-up (rounds, whether it became stable, each round's CPU per build),
 * each build's summary, and for two or more builds each build's CPU against the first's: the total
 * and the median of the paired runs (same round, same seed).
 */
export function steadyState(builds, options = {}) {
  const o = { ...STEADY_DEFAULTS, ...options };
  if (builds.length === 0) throw new Error('steady state: no build to measure');
  if (!(o.measuredRounds >= 1 && o.warmupRoundsMax >= o.warmupRoundsMin)) throw new Error('steady state: need measuredRounds >= 1 and warmupRoundsMax >= warmupRoundsMin');
  const warmupCpuS = builds.map(() => []);
  let stable = false;
  let index = 0;
  while (!stable && index < o.warmupRoundsMax) {
    const runs = round(builds, o.seeds, index++);
    for (const [i, rs] of runs.entries()) warmupCpuS[i].push(sum(rs.map((r) => r.cpuS)));
    stable = warmupCpuS.every((cpu) => warmedUp(cpu, o.warmupRoundsMin, o.tolerance));
  }
  const measured = builds.map(() => []);
  for (let k = 0; k < o.measuredRounds; k++) {
    const runs = round(builds, o.seeds, index++);
    for (const [i, rs] of runs.entries()) measured[i].push(...rs);
  }
  const summaries = builds.map((b, i) => summarise(b.label, measured[i], o.seeds));
  const against = summaries.map((s, i) => ({
    label: s.label,
    totalCpuRatio: s.totalCpuS / summaries[0].totalCpuS,
    medianPairedCpuRatio: median(measured[i].map((r, j) => r.cpuS / measured[0][j].cpuS)),
  }));
  return { warmup: { rounds: index - o.measuredRounds, stable, cpuS: warmupCpuS }, measuredRounds: o.measuredRounds, summaries, against };
}

/** One line for a build's steady state, in the words of the bench's first figure. */
export function describeSteady(result, i = 0) {
  const s = result.summaries[i];
  const w = result.warmup;
  return `${Math.round(s.opsPerCpuS)} client ops per CPU second, ${Math.round(s.eventsPerCpuS)} events per CPU second, ${s.cpuSPerRun.toFixed(3)} s CPU per run ` +
    `(${w.rounds} warm-up rounds, ${w.stable ? 'stable' : 'NOT stable'}; then ${result.measuredRounds} measured rounds of seeds ${s.perSeed.map((p) => p.seed).join(',')}; medians)`;
}
