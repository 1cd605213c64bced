#!/usr/bin/env node
// Re-judges the watch verdicts of real-target reports with this build's known-bug shapes
// (sim/cli/target-etcd/known-bugs.ts watchShape) and prints, per report, what a run with this
// build would put in results.json mayBeKnownBug: for hunts run with an older build, and to
// check a new shape against every report kept.
//
//   npm run build && node bench/tools/real-attribution.mjs REPORT_DIR...
//
// A line per report: its directory, the watch checker's verdict now, its guarantees broken, and
// the known bugs named ("-" when none; "UNEXPLAINED" when the watch checker fails and no bug's
// shape explains every violation).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkWatch } from '../../dist/sim/check/watch.js';
import { mayBeKnownBugs } from '../../dist/sim/cli/target-etcd/known-bug-attribution.js';
import { knownBugsOf } from '../../dist/sim/cli/target-etcd/known-bugs.js';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node bench/tools/real-attribution.mjs REPORT_DIR...');
  process.exit(3);
}
const lines = (file) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l)) : []);
for (const dir of dirs) {
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  const version = results.target?.version ?? '3.4.23';
  const history = lines(join(dir, 'history.jsonl'));
  const watches = lines(join(dir, 'watches.jsonl'));
  const scenario = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8'));
  // As sim/run/history-checkers.ts calls it.
  const watch = checkWatch(watches, history, { expectRevisionUnique: scenario.workload?.kind === 'kubernetes' });
  const mayBe = mayBeKnownBugs({ checkers: { watch }, excused: new Set(), unmitigable: [], shaped: knownBugsOf(version).filter((b) => b.watchShape !== undefined), watches, history });
  const broken = [...new Set(watch.violations.map((v) => v.guarantee))].join(',') || '-';
  const named = mayBe.watch?.join(',') ?? (watch.valid === false ? 'UNEXPLAINED' : '-');
  console.log(`${dir}\twatch ${watch.valid}\t${broken}\t${named}`);
}
