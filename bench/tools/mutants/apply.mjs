// Planting one mutant without touching the checkout: a scratch package (a copy of dist/, the
// bin, package.json and scenarios/; node_modules/ linked) whose one compiled file is replaced by
// the mutated source transpiled alone (TypeScript's transpileModule: no type check, the same
// output tsc gives for an unmutated file). The checkout's src/, sim/ and dist/ are only read, once:
// the scratch package keeps its own copy of the sources (sources/) and of the scenarios, so that
// editing or merging in the checkout while mutants run changes nothing (a scenario merged in
// mid-run with a field the copied schema does not know once made every later sweep exit 3).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** Thrown when a mutant cannot be planted: its `find` text is missing or ambiguous. */
export class MutantError extends Error {}

/** The mutated text of `source`: `find` must occur exactly once. */
export function mutateText(source, m) {
  const first = source.indexOf(m.find);
  if (first < 0) throw new MutantError(`mutant ${m.name}: ${m.file} does not contain its find text (the source changed: update bench/tools/mutants/list.mjs)`);
  if (source.indexOf(m.find, first + 1) >= 0) throw new MutantError(`mutant ${m.name}: ${m.file} contains its find text more than once (make it unique)`);
  const mutated = source.slice(0, first) + m.replace + source.slice(first + m.find.length);
  if (mutated === source) throw new MutantError(`mutant ${m.name}: replace equals find`);
  return mutated;
}

/** One TypeScript file compiled as tsc -p tsconfig.build.json compiles it (ES2022 modules, .ts imports rewritten). */
export function transpile(root, file, text) {
  const ts = require(join(root, 'node_modules/typescript'));
  const out = ts.transpileModule(text, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, rewriteRelativeImportExtensions: true, verbatimModuleSyntax: true },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) throw new MutantError(`${file}: does not parse: ${ts.flattenDiagnosticMessageText(errors[0].messageText, ' ')}`);
  return out.outputText;
}

function compiledPath(file) {
  return join('dist', file.replace(/\.ts$/, '.js'));
}

/** A scratch package beside the checkout `root` (whose dist/ must be fresh); returns its directory. */
export function makeScratch(root) {
  for (const need of ['dist/sim/cli/main.js', 'node_modules', 'scenarios', 'package.json']) {
    if (!existsSync(join(root, need))) throw new MutantError(`${join(root, need)} is missing (npm ci, then npm run build)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'detcd-mutant-'));
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  cpSync(join(root, 'src'), join(dir, 'sources/src'), { recursive: true });
  cpSync(join(root, 'sim'), join(dir, 'sources/sim'), { recursive: true });
  // No src/ in the scratch package: the bin then runs dist/ as it is, without rebuilding.
  cpSync(join(root, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** Plants `m` in the scratch package `dir`; returns a function that restores the correct build. */
export function plant(root, dir, m) {
  const source = readFileSync(join(dir, 'sources', m.file), 'utf8');
  const mutated = mutateText(source, m);
  const target = join(dir, compiledPath(m.file));
  if (!existsSync(target)) throw new MutantError(`mutant ${m.name}: ${compiledPath(m.file)} is not in the build`);
  const original = readFileSync(target, 'utf8');
  const correct = transpile(root, m.file, source);
  // The transpiled correct source must be the file tsc built, or the build is stale.
  if (correct !== original) throw new MutantError(`${m.file}: dist/ was not built from these sources (run npm run build)`);
  writeFileSync(target, transpile(root, m.file, mutated));
  return () => writeFileSync(target, original);
}

export function removeScratch(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The first failing run of a sweep (plan order: scenario, then seed) and the checkers that failed
 * it; `unknown` counts runs that gave up. A run that stopped with a product exception names it.
 */
export function firstCatch(sweep) {
  const runs = sweep.runs ?? [];
  const failed = runs.filter((r) => r.valid === false);
  const unknown = runs.filter((r) => r.valid === 'unknown').length;
  const errors = runs.filter((r) => r.error !== undefined && r.valid !== false).length;
  if (failed.length === 0) return { caught: false, runs: runs.length, failed: 0, unknown, errors };
  const r = failed[0];
  const checkers = Object.entries(r.checkers ?? {}).filter(([, c]) => c.valid === false).map(([n]) => n);
  const by = checkers.length > 0 ? checkers.join('+') : `error: ${String(r.error ?? '?').slice(0, 60)}`;
  return { caught: true, runs: runs.length, failed: failed.length, unknown, errors, scenario: r.scenario, seed: r.seed, by, replay: r.replay };
}

/** "A..B" or "N" (1..N). */
export function parseSeeds(text) {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text);
  if (m === null) throw new MutantError(`--seeds ${text}: expected A..B or N`);
  return m[2] === undefined ? [1, Number(m[1])] : [Number(m[1]), Number(m[2])];
}
