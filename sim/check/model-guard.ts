// A program's model as checkLinearizable runs it: a throw from one of its functions is the
// program's mistake (most often a model given ops of another shape than it takes: "Cannot use
// 'in' operator to search for 'key' in 5"), refused as one UsageError naming the op it threw on
// (history[i]) or the function, instead of a TypeError from deep inside the search.
import { badArgument } from '../errors/bad-argument.ts';
import { UsageError } from '../errors/usage-error.ts';
import type { Model, Operation } from './linearizability/model.ts';

/** Where each function that is given one op takes that op's input (the output follows it). */
const INPUT_AT: Readonly<Record<string, number>> = {
  step: 1, equivalenceKey: 0, readOnly: 0, orderBound: 0, gated: 0, describeOperation: 0, expectedOutput: 1, observedOutput: 0, 'prepareReach()': 1,
};
/**
 * Every function of Model, as a record the compiler checks against the interface: a function
 * Model gains and this leaves out would be dropped from the guarded copy without a word.
 */
const FUNCTION_NAMES: Readonly<Record<Exclude<keyof Model<unknown, unknown, unknown>, 'name'>, true>> = {
  init: true, step: true, equal: true, equivalenceKey: true, hash: true, readOnly: true, order: true, orderBound: true, gated: true, gateOpen: true,
  prepareGateCheck: true, prepareReach: true, doomed: true, prepareObservers: true, partition: true, describeOperation: true, describeState: true,
  expectedOutput: true, observedOutput: true,
};
const FUNCTIONS = Object.keys(FUNCTION_NAMES);

/** `model` with each of its functions refusing, as `fn`'s `field`, what it throws. */
export function guardedModel<S, I, O>(fn: string, field: string, model: Model<S, I, O>, history: readonly Operation<I, O>[]): Model<S, I, O> {
  const guarded: Record<string, unknown> = { name: model.name };
  const wrap = (name: string, f: (...args: unknown[]) => unknown, self: unknown): ((...args: unknown[]) => unknown) => (...args: unknown[]) => {
    let result: unknown;
    try {
      result = f.apply(self, args);
    } catch (e) {
      throw refusal(fn, field, name, args, e, history, (ops) => f.call(self, ops));
    }
    // prepareGateCheck and prepareReach hand back the test the search calls: guarded the same way.
    return typeof result === 'function' && name.startsWith('prepare') ? wrap(`${name}()`, result as (...a: unknown[]) => unknown, undefined) : result;
  };
  const m = model as unknown as Record<string, unknown>;
  for (const name of FUNCTIONS) {
    const f = m[name];
    if (typeof f === 'function') guarded[name] = wrap(name, f as (...args: unknown[]) => unknown, model);
  }
  return guarded as unknown as Model<S, I, O>;
}

function refusal<I, O>(fn: string, field: string, name: string, args: readonly unknown[], e: unknown, history: readonly Operation<I, O>[], again: (ops: readonly Operation<I, O>[]) => unknown): UsageError {
  const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  // A function given a list of ops (partition, doomed, prepare*): the first op it throws on alone is named.
  if (Array.isArray(args[0]) && args.length === 1) {
    const ops = args[0] as readonly Operation<I, O>[];
    const k = ops.findIndex((op) => throwsOn(again, op));
    const j = k < 0 ? -1 : history.findIndex((op) => op.input === ops[k]!.input);
    if (j >= 0) return badArgument(fn, `history[${j}]`, `${field}.${name} threw on this op (an op of another shape than the model takes?): ${why}; the input`, history[j]!.input);
  }
  const at = INPUT_AT[name];
  if (at !== undefined) {
    const input = args[at];
    const output = args[at + 1];
    const i = history.findIndex((op) => op.input === input && (args.length <= at + 1 || op.output === output));
    const j = i >= 0 ? i : history.findIndex((op) => op.input === input);
    if (j >= 0) return badArgument(fn, `history[${j}]`, `${field}.${name} threw on this op's input (an op of another shape than the model takes?): ${why}; the input`, input);
  }
  return new UsageError(`${fn}: ${field}.${name} threw: ${why}`);
}

function throwsOn<I, O>(again: (ops: readonly Operation<I, O>[]) => unknown, op: Operation<I, O>): boolean {
  try {
    again([op]);
    return false;
  } catch {
    return true;
  }
}
