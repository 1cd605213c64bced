// A sweep's worker threads are cold V8 isolates: each compiles the whole stack with TurboFan on
// V8's background threads before its runs are fast, and that compilation cost (≈2.5–3 CPU s per
// worker over its first 30 runs of the bench's sweep scenario) grows with the inlining budget.
// Lowering the budget's cumulative size (920 → 240 bytes of bytecode per optimized function)
// cut a cold worker's first 12 runs by 16–19 % of CPU with no loss in its later runs
// (bench/tools/sweep-scaling.mjs; figures in bench/README.md). V8 flags are per process, so
// this is set once, before the first worker starts; it changes how fast code runs, never what
// it computes (same trace hashes). A budget given on node's command line wins (NODE_OPTIONS
// cannot carry this V8 flag).
import { setFlagsFromString } from 'node:v8';

export const WORKER_INLINING_FLAG = '--max-inlined-bytecode-size-cumulative';
export const WORKER_INLINING_BUDGET = 240;

/**
 * V8 flags for a sweep worker process, for its cold start: every function gets Sparkplug's
 * baseline code on its first call instead of waiting in the interpreter until it is warm. A cold
 * isolate runs much of its first ≈50 runs' worth of CPU before TurboFan's code is ready; baseline
 * code from the start cut a cold worker's first 60 runs of the bench's sweep scenario by 5–6 % of
 * CPU (its warm-up cost by ≈0.5 of ≈3.5 CPU s) with the same cost per warm run, in 3 of 3 rounds
 * (bench/tools/warmup-cost.mjs, bench/README.md). Flags are per process: only child workers get it.
 */
export const WORKER_TIER_FLAGS: readonly string[] = ['--always-sparkplug'];

/**
 * V8 flags for a sweep worker process, for its cold start: no allocation-site pretenuring. With it,
 * V8 marks every allocation site that might deserve old-space allocation for deoptimization the
 * first time the young generation reaches its maximum size (Heap::DeoptMaybeTenuredAllocationSites):
 * in the bench's sweep scenario that came in the 6th run of a fresh worker, when most of the
 * simulation's and the checkers' code was already optimized, and threw away about 30 functions' code
 * at once (the checkers' gapConstraints, rangeAbsences, draft, watchFacts, fixedShapeOps …, the
 * Raft log's and the history's), each compiled by TurboFan again, and more at its later tenuring
 * decisions ("code dependencies" in `bench/tools/jit-recompiles.mjs`: 57 lazy deoptimizations in 10
 * cold runs became 19). Measured in concurrent pairs of fresh processes, 60 cold runs each, the
 * same cost per warm run (bench/README.md). Flags are per process: only child workers get it.
 */
export const WORKER_HEAP_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];

let heapApplied = false;

/**
 * Sets WORKER_HEAP_FLAGS in this process, for the worker threads it starts (threads share their
 * process's flags; V8 reads this one at each garbage collection, so setting it before the first
 * worker's runs is enough), unless node's command line says otherwise about pretenuring. Idempotent.
 */
export function avoidPretenuring(): boolean {
  if (heapApplied) return false;
  heapApplied = true;
  if (process.execArgv.some((a) => a.includes('allocation-site-pretenuring'))) return false;
  for (const flag of WORKER_HEAP_FLAGS) setFlagsFromString(flag);
  return true;
}

let applied = false;

/** Lowers V8's cumulative inlining budget for this process, unless the user chose one. Idempotent. */
export function lowerInliningBudget(): boolean {
  if (applied) return false;
  applied = true;
  const given = process.execArgv.some((a) => a.startsWith(WORKER_INLINING_FLAG));
  if (given) return false;
  setFlagsFromString(`${WORKER_INLINING_FLAG}=${WORKER_INLINING_BUDGET}`);
  return true;
}

/** Both of a sweep worker's JIT settings, for any process that runs many runs in one cold isolate
 * (worker threads, the inline sweep, shrink, bugs --verify). Idempotent. */
export function useWorkerJit(): void {
  lowerInliningBudget();
  avoidPretenuring();
}
