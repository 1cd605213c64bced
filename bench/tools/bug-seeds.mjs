// How often a planted bug is caught, for two builds (a behaviour change can make a bug rarer):
// node bench/tools/bug-seeds.mjs ROOT_A ROOT_B BUG [SEEDS]: runs the bug's scenario (its caughtBy) with the bug planted for
// seeds 1..SEEDS (default 12) on each build (each ROOT has dist/), and prints the seeds whose run its checker failed.
// `detcd bugs --verify` stops at the first catching seed; this counts them all, so "4 of 12 seeds" and "1 of 12" differ.
const [rootA, rootB, bug, seedsText] = process.argv.slice(2);
if (rootB === undefined || bug === undefined) { console.error('usage: node bench/tools/bug-seeds.mjs ROOT_A ROOT_B BUG [SEEDS]'); process.exit(3); }
const seeds = Number(seedsText ?? 12);
for (const root of [rootA, rootB]) {
  const { plantedBug } = await import(`${root}/dist/sim/bugs/planted-bugs.js`);
  const { loadScenario } = await import(`${root}/dist/sim/cli/harness/scenario-files.js`);
  const { runScenario } = await import(`${root}/dist/sim/run/run.js`);
  const { scenario, checker } = plantedBug(bug).caughtBy;
  const s = loadScenario(scenario).scenario;
  const checkerName = checker.split(' ')[0];
  const caught = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const r = runScenario(s, seed, { bug }).results;
    if (r.valid === false && r.checkers[checkerName]?.valid === false) caught.push(seed);
  }
  console.log(`${root}: ${bug} on ${scenario}: caught by ${checkerName} on ${caught.length} of ${seeds} seeds [${caught.join(' ')}]`);
}
