// A generator given a wrong argument used to be made without a word and fail at the run's first
// step, far from the call (timeLimit(NaN, g) never ended, concat(undefined) met "Cannot read
// properties of undefined (reading 'step')"): detcd/harness refuses it when it is made, naming
// the function and the argument. The export walk (test/package/api-arguments.test.ts) cannot see
// these: the call itself returned.
import { describe, it } from 'vitest';
import { expectUsageError } from '../../support/usage-error.ts';
import { concat, defer, eachWorker, mix, once, onWorkers, phases, repeat, repeatFn, sleep, timeLimit } from '../../../sim/index.ts';

const gen = repeat({ f: 'read' });
const anyArg = (v: unknown): never => v as never;

const CASES: [string, () => unknown, RegExp][] = [
  ['timeLimit of NaN', () => timeLimit(NaN, gen), /^timeLimit: durationUs: must be a finite number of microseconds from 0 up, got NaN$/],
  ['timeLimit of no generator', () => timeLimit(5, anyArg(undefined)), /^timeLimit: gen: must be a generator/],
  ['sleep of -1', () => sleep(-1), /^sleep: durationUs: .* got -1$/],
  ['concat with a hole', () => concat(gen, anyArg(undefined)), /^concat: gens\[1\]: must be a generator/],
  ['phases with a number', () => phases(anyArg(3)), /^phases: gens\[0\]: must be a generator .* got 3$/],
  ['repeat of nothing', () => repeat(anyArg(undefined)), /^repeat: invocation: must be an object/],
  ['once without f', () => once(anyArg({ value: 1 })), /^once: invocation\.f: must be a string/],
  ['repeatFn of a number', () => repeatFn(anyArg(1)), /^repeatFn: fn: must be a function/],
  ['onWorkers without keep', () => onWorkers(anyArg(null), gen), /^onWorkers: keep: must be a function/],
  ['eachWorker of a generator', () => eachWorker(anyArg(gen)), /^eachWorker: make: must be a function/],
  ['defer of a Symbol', () => defer(anyArg(Symbol('x'))), /^defer: make: must be a function/],
  ['mix with too few weights', () => mix([gen, gen], [1]), /^mix: weights: must be an array of 2 weights/],
  ['mix with a fractional weight', () => mix([gen], [0.5]), /^mix: weights\[0\]: must be a whole number/],
];

describe('the exported generators', () => {
  for (const [what, call, message] of CASES) it(`refuse ${what} when made`, () => expectUsageError(call, message));
});
