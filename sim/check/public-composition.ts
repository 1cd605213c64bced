// The checker building blocks detcd/check exports beside the checkers (compose, composeCheckers,
// composeValidity, etcdOperations, syntheticEtcdHistory), with their arguments checked at the
// package's boundary: a JavaScript caller's compose(undefined) met "Cannot convert undefined or
// null to object", composeValidity(5) "all is not iterable", etcdOperations(undefined) "Cannot
// read properties of undefined (reading 'length')". Each is a UsageError naming the function and
// the argument now. The run harness and detcd check call the unchecked ones.
import { checkArrayArgument } from '../errors/array-argument.ts';
import { badArgument, checkObjectArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import type { Op } from '../history/op.ts';
import { parsedOpArgument } from '../history/history-argument.ts';
import type { OpPair } from '../history/pair.ts';
import { Prng } from '../world/prng.ts';
import { compose as composeUnchecked, composeCheckers as composeCheckersUnchecked, type ComposedResult } from './compose.ts';
import { etcdOperations as etcdOperationsUnchecked, type EtcdPrepareOptions, type EtcdPrepared } from './models/etcd/history.ts';
import { syntheticEtcdHistory as syntheticUnchecked, type SyntheticOptions } from './models/etcd/synthetic.ts';
import { composeValidity as composeValidityUnchecked, mergeValidity as mergeValidityUnchecked, type CheckResult, type Validity } from './verdict.ts';

const VALIDITIES: readonly unknown[] = [true, false, 'unknown'];

function validityArgument(fn: string, field: string, v: unknown): Validity {
  if (!VALIDITIES.includes(v)) throw badArgument(fn, field, "must be true, false or 'unknown'", v);
  return v as Validity;
}

/** Every checker's result under its name: `{name: {valid, summary?}}`. */
export function compose(results: Record<string, CheckResult>): ComposedResult {
  const named = checkObjectArgument('compose', 'results', results, 'an object of checker results by name');
  for (const [name, r] of Object.entries(named)) validityArgument('compose', `results.${name}.valid`, checkObjectArgument('compose', `results.${name}`, r, 'a checker result ({valid, summary?})')['valid']);
  return composeUnchecked(results);
}

/** Runs each checker (a function returning its result), then composes their results. */
export function composeCheckers(checkers: Record<string, () => CheckResult>): ComposedResult {
  const named = checkObjectArgument('composeCheckers', 'checkers', checkers, 'an object of checker functions by name');
  for (const [name, run] of Object.entries(named)) if (typeof run !== 'function') throw badArgument('composeCheckers', `checkers.${name}`, 'must be a function () => checker result', run);
  return composeCheckersUnchecked(checkers);
}

/** Verdicts composed as Jepsen's: false beats unknown beats true. */
export function composeValidity(all: Iterable<Validity>): Validity {
  if (typeof all !== 'object' || all === null || typeof (all as Partial<Iterable<Validity>>)[Symbol.iterator] !== 'function') throw badArgument('composeValidity', 'all', "must be an iterable of verdicts (true, false, 'unknown')", all);
  const each = [...all];
  each.forEach((v, i) => validityArgument('composeValidity', `all[${i}]`, v));
  return composeValidityUnchecked(each);
}

/** Two verdicts composed: false beats unknown beats true. */
export function mergeValidity(a: Validity, b: Validity): Validity {
  return mergeValidityUnchecked(validityArgument('mergeValidity', 'a', a), validityArgument('mergeValidity', 'b', b));
}

/** The etcd model's operations of a history's pairs (history.ts). */
export function etcdOperations(pairs: readonly OpPair[], options: EtcdPrepareOptions = {}): EtcdPrepared {
  const fn = 'etcdOperations';
  // A sparse array's 4 billion holes were walked one by one (a hang): refused at the first hole.
  checkArrayArgument(fn, 'pairs', pairs, 'op pairs ({invoke, completion, call, ret})').forEach((p: unknown, i) => {
    const pair = checkObjectArgument(fn, `pairs[${i}]`, p, 'an op pair ({invoke, completion, call, ret})');
    // Each op typed as a parsed history's are (f a string, value a JSON value): an invoke of {}
    // met a TypeError inside, a sparse or cyclic value hung or overflowed the model's walks.
    checkObjectArgument(fn, `pairs[${i}].invoke`, pair['invoke'], 'an op ({index, time, process, type, f, value})');
    parsedOpArgument(fn, `pairs[${i}].invoke`, pair['invoke']);
    if (pair['completion'] !== undefined) {
      checkObjectArgument(fn, `pairs[${i}].completion`, pair['completion'], 'an op, or undefined for none');
      parsedOpArgument(fn, `pairs[${i}].completion`, pair['completion']);
    }
  });
  checkObjectArgument(fn, 'options', options, 'an object of options');
  return etcdOperationsUnchecked(pairs, options);
}

/** A random etcd history (synthetic.ts), for benchmarks and property tests. */
export function syntheticEtcdHistory(prng: Prng, o: SyntheticOptions): Op[] {
  const fn = 'syntheticEtcdHistory';
  if (!(prng instanceof Prng)) throw badArgument(fn, 'prng', 'must be a Prng (new Prng(seed))', prng);
  const options = checkObjectArgument(fn, 'options', o, 'an object {ops, keys, clients, timeoutPercent, leases?}');
  checkWholeArgument(fn, 'options.ops', options['ops'], 0, 10_000_000);
  checkWholeArgument(fn, 'options.keys', options['keys'], 1, 1_000_000);
  checkWholeArgument(fn, 'options.clients', options['clients'], 1, 100_000);
  checkWholeArgument(fn, 'options.timeoutPercent', options['timeoutPercent'], 0, 100);
  if (options['leases'] !== undefined && typeof options['leases'] !== 'boolean') throw badArgument(fn, 'options.leases', 'must be true or false when given', options['leases']);
  return syntheticUnchecked(prng, o);
}
