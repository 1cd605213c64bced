#!/usr/bin/env node
// Mutation testing of the harness: plant one realistic mistake at a time (bench/tools/mutants/
// list.mjs) in a scratch copy of the package, sweep it as a skeptical user would, and record
// whether a run failed, which scenario, seed and checker caught it first, and the wall time.
//
//   node bench/tools/mutants.mjs [--seeds 1..6] [--scenario all] [--jobs 2] [--aimed-seeds 7..46]
//                                [--full] [--only NAME,...] [--class CLASS,...] [--holdout2] [--holdout19] [--holdout20] [--holdout21] [--out DIR] [--list]
//
// The sweep of a mutant stops at its first failing run (a caught mutant costs little; the
// first catch is then the first failing run the workers finished); --full sweeps every run and
// counts the failing ones (how narrowly a mutant is caught).
// --aimed-seeds: a mutant the main sweep missed is then swept over the scenarios aimed at its
// class (its `aimed` list) for those seeds, stopping at the first failure. The checkout is
// only read (its dist/ must be fresh: `npm run build`); each mutant runs in /tmp and the
// scratch package is removed at the end. Results: DIR/mutants.json (written after every
// mutant) and DIR/mutants.md; the table and the catch rate per class on stdout.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MUTANTS } from './mutants/list.mjs';
import { firstCatch, makeScratch, MutantError, parseSeeds, plant, removeScratch } from './mutants/apply.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A sweep that runs longer than this is stopped and counted as not caught (the table says so). */
const SWEEP_TIMEOUT_MS = 30 * 60 * 1000;

function sweep(dir, out, scenario, seeds, jobs, stopOnFail) {
  rmSync(out, { recursive: true, force: true });
  const args = [join(dir, 'bin/detcd.js'), 'sweep', '--scenario', scenario, '--seeds', `${seeds[0]}..${seeds[1]}`, '--jobs', String(jobs), '--rerun-percent', '0', '--out', out];
  if (stopOnFail) args.push('--stop-on-fail');
  const p = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: SWEEP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  const file = join(out, 'sweep.json');
  if (!existsSync(file)) {
    const why = p.error !== undefined ? p.error.message : `exit ${p.status}: ${(p.stderr ?? '').trim().split('\n').slice(-1)[0] ?? ''}`;
    return { caught: false, runs: 0, failed: 0, unknown: 0, errors: 0, note: `no sweep.json (${why})` };
  }
  const data = JSON.parse(readFileSync(file, 'utf8'));
  data.runs?.sort((a, b) => (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : a.seed - b.seed));
  return { ...firstCatch(data), exit: p.status };
}

function runMutant(m, dir, o) {
  const start = performance.now();
  const restore = plant(ROOT, dir, m);
  try {
    const main = sweep(dir, join(o.out, m.name, 'main'), o.scenario, o.seeds, o.jobs, !o.full);
    let row = { name: m.name, class: m.class, equivalent: m.equivalent !== undefined, ...main, stage: 'main' };
    if (!main.caught && o.aimedSeeds !== undefined) {
      for (const s of m.aimed ?? []) {
        if (!existsSync(join(dir, 'scenarios', `${s}.json`))) continue;
        const aimed = sweep(dir, join(o.out, m.name, `aimed-${s}`), s, o.aimedSeeds, o.jobs, true);
        row.aimedRuns = (row.aimedRuns ?? 0) + aimed.runs;
        if (aimed.caught) {
          row = { ...row, caught: true, scenario: aimed.scenario, seed: aimed.seed, by: aimed.by, replay: aimed.replay, stage: 'aimed' };
          break;
        }
      }
    }
    return { ...row, wallSeconds: (performance.now() - start) / 1000 };
  } finally {
    restore();
  }
}

function rateLine(rows, label) {
  const scored = rows.filter((r) => !r.equivalent);
  const caught = scored.filter((r) => r.caught).length;
  return `${label}: ${caught}/${scored.length}${scored.length > 0 ? ` (${Math.round((100 * caught) / scored.length)}%)` : ''}`;
}

export function markdown(rows, o) {
  const lines = [
    `\`node bench/tools/mutants.mjs --seeds ${o.seeds.join('..')} --scenario ${o.scenario} --jobs ${o.jobs}${o.aimedSeeds ? ` --aimed-seeds ${o.aimedSeeds.join('..')}` : ''}${o.full ? ' --full' : ''}\``,
    '',
    `| mutant | class | caught | first caught by (scenario seed: checker) | ${o.full ? 'failing runs' : 'runs until caught'} | wall s |`,
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const caught = r.caught ? (r.stage === 'aimed' ? 'yes (aimed)' : 'yes') : r.equivalent ? 'no (equivalent)' : 'NO';
    const first = r.caught ? `${r.scenario} ${r.seed}: ${r.by}` : (r.note ?? (r.unknown > 0 ? `${r.unknown} unknown` : '–'));
    const runs = o.full ? `${r.failed}/${r.runs}` : String(r.runs);
    lines.push(`| \`${r.name}\` | ${r.class} | ${caught} | ${first} | ${runs}${r.aimedRuns ? ` (+${r.aimedRuns} aimed)` : ''} | ${r.wallSeconds.toFixed(0)} |`);
  }
  lines.push('');
  const classes = [...new Set(rows.map((r) => r.class))];
  lines.push(rateLine(rows, 'caught (equivalent mutants left out)'));
  lines.push(`per class: ${classes.map((c) => rateLine(rows.filter((r) => r.class === c), c)).join(' · ')}`);
  return lines.join('\n');
}

const USAGE = 'usage: node bench/tools/mutants.mjs [--seeds 1..6] [--scenario all] [--jobs 2] [--aimed-seeds 7..46] [--full] [--only NAME,...] [--class CLASS,...] [--holdout2] [--holdout19] [--holdout20] [--holdout21] [--out DIR] [--list]';

function parseOptions() {
  try {
    return parseArgs({
      options: {
        seeds: { type: 'string', default: '1..6' }, scenario: { type: 'string', default: 'all' }, jobs: { type: 'string', default: '2' },
        'aimed-seeds': { type: 'string' }, full: { type: 'boolean' }, only: { type: 'string' }, class: { type: 'string' }, out: { type: 'string', default: 'reports/mutants' },
        list: { type: 'boolean' }, holdout2: { type: 'boolean' }, holdout19: { type: 'boolean' }, holdout20: { type: 'boolean' }, holdout21: { type: 'boolean' }, help: { type: 'boolean' },
      },
    });
  } catch (e) {
    // An unknown option or a missing value: one line and the usage, never a stack trace.
    throw new MutantError(`mutants: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n${USAGE}`);
  }
}

function main() {
  const { values } = parseOptions();
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
  let selected = MUTANTS;
  if (values.only !== undefined) {
    const names = values.only.split(',');
    for (const n of names) if (!MUTANTS.some((m) => m.name === n)) throw new MutantError(`--only: no mutant named ${n}`);
    selected = selected.filter((m) => names.includes(m.name));
  }
  if (values.holdout2 === true) selected = selected.filter((m) => m.holdout2 === true);
  if (values.holdout19 === true) selected = selected.filter((m) => m.holdout19 === true);
  if (values.holdout20 === true) selected = selected.filter((m) => m.holdout20 === true);
  if (values.holdout21 === true) selected = selected.filter((m) => m.holdout21 === true);
  if (values.class !== undefined) selected = selected.filter((m) => values.class.split(',').includes(m.class));
  if (values.list === true) {
    for (const m of selected) console.log(`${m.name.padEnd(34)} ${m.class.padEnd(20)} ${m.file}${m.equivalent ? '  (equivalent)' : ''}`);
    return 0;
  }
  const o = {
    seeds: parseSeeds(values.seeds), scenario: values.scenario, jobs: Number(values.jobs),
    aimedSeeds: values['aimed-seeds'] === undefined ? undefined : parseSeeds(values['aimed-seeds']), out: resolve(values.out), full: values.full === true,
  };
  spawnSync(process.execPath, [join(ROOT, 'scripts/ensure-build.mjs')], { stdio: 'inherit' });
  mkdirSync(o.out, { recursive: true });
  const dir = makeScratch(ROOT);
  const rows = [];
  try {
    for (const m of selected) {
      const row = runMutant(m, dir, o);
      rows.push(row);
      const what = row.caught ? `caught by ${row.scenario} seed ${row.seed} (${row.by}), ${row.failed}/${row.runs} runs failed` : `NOT caught (${row.runs} runs${row.aimedRuns ? ` + ${row.aimedRuns} aimed` : ''}${row.unknown ? `, ${row.unknown} unknown` : ''})`;
      console.error(`${m.name}: ${what}, ${row.wallSeconds.toFixed(0)} s`);
      writeFileSync(join(o.out, 'mutants.json'), JSON.stringify({ options: o, rows }, null, 2));
    }
  } finally {
    removeScratch(dir);
  }
  const md = markdown(rows, o);
  writeFileSync(join(o.out, 'mutants.md'), `${md}\n`);
  console.log(md);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main();
  } catch (e) {
    if (!(e instanceof MutantError)) throw e;
    console.error(e.message);
    process.exitCode = 3;
  }
}
