// The generators detcd/harness exports, with their arguments checked at the package's boundary:
// a JavaScript caller's mix(undefined) met "Cannot read properties of undefined (reading 'map')",
// every(Symbol()) "Cannot convert a Symbol value to a number", limit(-1) a plain Error, and a
// `gen` that is not a generator failed only later, at the run's first step. Each is a UsageError
// naming the function and the argument now. The workloads call the unchecked ones: mix and limit
// rebuild themselves at every step, where a check would cost on every operation of a run.
import { checkArrayArgument, firstHole } from '../errors/array-argument.ts';
import { badArgument } from '../errors/bad-argument.ts';
import * as unchecked from './generator.ts';
import type { Gen, GenContext, Invocation } from './generator.ts';

function checkGen(fn: string, field: string, v: unknown): Gen {
  if (typeof v !== 'object' || v === null || typeof (v as { step?: unknown }).step !== 'function') {
    throw badArgument(fn, field, 'must be a generator (an object with step(ctx))', v);
  }
  return v as Gen;
}

function checkGens(fn: string, gens: readonly unknown[]): Gen[] {
  return gens.map((g, i) => checkGen(fn, `gens[${i}]`, g));
}

function checkFunction<F>(fn: string, field: string, v: unknown, what: string): F {
  if (typeof v !== 'function') throw badArgument(fn, field, `must be a function ${what}`, v);
  return v as F;
}

/** Microseconds: a finite number, at least 0 (or above 0 when `positive`). */
function checkMicroseconds(fn: string, field: string, v: unknown, positive: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (positive && v === 0)) {
    throw badArgument(fn, field, `must be a finite number of microseconds ${positive ? 'above 0' : 'from 0 up'}`, v);
  }
  return v;
}

function checkInvocation(fn: string, v: unknown): Invocation {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badArgument(fn, 'invocation', 'must be an object {f, value?}', v);
  const f = (v as { f?: unknown }).f;
  if (typeof f !== 'string') throw badArgument(fn, 'invocation.f', 'must be a string naming the operation', f);
  return v as Invocation;
}

export function repeatFn(fn: (ctx: GenContext) => Invocation | undefined): Gen {
  return unchecked.repeatFn(checkFunction('repeatFn', 'fn', fn, '(ctx) => invocation or undefined'));
}

export function repeat(invocation: Invocation): Gen {
  return unchecked.repeat(checkInvocation('repeat', invocation));
}

export function once(invocation: Invocation): Gen {
  return unchecked.once(checkInvocation('once', invocation));
}

export function limit(n: number, gen: Gen): Gen {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw badArgument('limit', 'n', 'must be a whole number from 0 up', n);
  return unchecked.limit(n, checkGen('limit', 'gen', gen));
}

export function timeLimit(durationUs: number, gen: Gen): Gen {
  return unchecked.timeLimit(checkMicroseconds('timeLimit', 'durationUs', durationUs, false), checkGen('timeLimit', 'gen', gen));
}

export function stagger(meanGapUs: number, gen: Gen): Gen {
  return unchecked.stagger(checkMicroseconds('stagger', 'meanGapUs', meanGapUs, true), checkGen('stagger', 'gen', gen));
}

export function sleep(durationUs: number): Gen {
  return unchecked.sleep(checkMicroseconds('sleep', 'durationUs', durationUs, false));
}

export function mix(gens: readonly Gen[], weights?: readonly number[]): Gen {
  checkArrayArgument('mix', 'gens', gens, 'generators');
  checkGens('mix', gens);
  if (weights !== undefined) {
    if (!Array.isArray(weights) || weights.length !== gens.length || firstHole(weights) >= 0) throw badArgument('mix', 'weights', `must be an array of ${gens.length} weights, one per generator, when given`, weights);
    weights.forEach((w: unknown, i) => {
      if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < 0) throw badArgument('mix', `weights[${i}]`, 'must be a whole number from 0 up', w);
    });
  }
  return unchecked.mix(gens, weights);
}

export function concat(...gens: readonly Gen[]): Gen {
  return unchecked.concat(...checkGens('concat', gens));
}

export function phases(...gens: readonly Gen[]): Gen {
  return unchecked.phases(...checkGens('phases', gens));
}

export function onWorkers(keep: (worker: number) => boolean, gen: Gen): Gen {
  return unchecked.onWorkers(checkFunction('onWorkers', 'keep', keep, '(worker) => boolean'), checkGen('onWorkers', 'gen', gen));
}

export function eachWorker(make: (worker: number) => Gen): Gen {
  return unchecked.eachWorker(checkFunction('eachWorker', 'make', make, '(worker) => generator'));
}

export function defer(make: (ctx: GenContext) => Gen): Gen {
  return unchecked.defer(checkFunction('defer', 'make', make, '(ctx) => generator'));
}

export function every(intervalUs: number, gen: Gen): Gen {
  return unchecked.every(checkMicroseconds('every', 'intervalUs', intervalUs, true), checkGen('every', 'gen', gen));
}
