// The Interpreter is exported (detcd/harness) for workloads built in code: a JavaScript caller's
// `new Interpreter(undefined, …)` met a TypeError at the run's first step, far from the call, and
// a bad workerCount a plain Error. Its arguments are checked when it is made, each refusal a
// UsageError naming the argument. An Interpreter is made once per client group of a run: no cost.
import { badArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import { Prng } from '../world/prng.ts';

/** Workers of one interpreter: each is an array slot and a history process; a run has a few dozen. */
export const INTERPRETER_WORKERS_MAX = 100_000;

function hasMethods(v: unknown, names: readonly string[]): boolean {
  return typeof v === 'object' && v !== null && names.every((n) => typeof (v as Record<string, unknown>)[n] === 'function');
}

export function checkInterpreterArguments(gen: unknown, workerCount: unknown, scheduler: unknown, prng: unknown, execute: unknown, processBase: unknown): void {
  const fn = 'Interpreter';
  if (!hasMethods(gen, ['step'])) throw badArgument(fn, 'gen', 'must be a generator (an object with step(ctx))', gen);
  checkWholeArgument(fn, 'workerCount', workerCount, 1, INTERPRETER_WORKERS_MAX);
  if (!hasMethods(scheduler, ['nowUs', 'at'])) throw badArgument(fn, 'scheduler', 'must be a scheduler (an object with nowUs() and at(timeUs, fn))', scheduler);
  if (!(prng instanceof Prng)) throw badArgument(fn, 'prng', 'must be a Prng (new Prng(seed))', prng);
  if (typeof execute !== 'function') throw badArgument(fn, 'execute', 'must be a function (op, done) => void', execute);
  checkWholeArgument(fn, 'processBase', processBase, 0);
}
