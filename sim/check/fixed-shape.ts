// The checkers' input in fixed shapes, made once per history before any checker reads it.
//
// V8 compiles a loop or a field read for the object shapes (maps) it met while the code was
// warming up, and throws the optimized code away ("wrong map") when another shape arrives.
// A history reaches the checkers in many shapes: invokes, and completions with and without
// `error`, `node` and `tries` (four hidden classes for one kind of record); requests built by
// object literals at many sites of the clients (or by JSON.parse); and arrays of two elements
// kinds — a txn's `success` of objects is PACKED_ELEMENTS, its empty `failure` (and an empty
// `compare`, `kvs` or `events`) PACKED_SMI_ELEMENTS. Every checker walks these (the etcd
// preparation's txn walkers, the model, watch, lease), so in a cold sweep worker each of them
// was compiled, thrown away and compiled again as the shapes turned up one by one.
//
// Here every op becomes one record with every field of Op present, in one order (an absent
// field is present and undefined: reading it gives undefined as before; no checker asks `in`
// of an op), and every request is copied with each array made PACKED_ELEMENTS from its
// creation, empty or not. Objects keep their own keys, in their order, with their values
// (undefined ones too), so every reading of them — hasOwn, key order, canonical text — gives
// what it gave on the original. Answers and watch responses, most of a history's bytes (a
// copy of them cost about a fifth of the checkers' time on the bench's histories), are read
// as they are: with the requests fixed, 37 deopts of checker code in 60 cold runs were 12.
import type { Op } from '../history/op.ts';

/** A new empty array already of the most general packed kind: pushing anything never changes its map. */
function objectArray(): unknown[] {
  const out: unknown[] = [undefined];
  out.pop();
  return out;
}

/**
 * A copy of gateway JSON (or any plain data) with every array made by objectArray. Anything that
 * is not a plain object or an array (a class instance, a typed array, an object without a
 * prototype) is kept as it is.
 */
export function fixedJson(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out = objectArray();
    for (let i = 0; i < v.length; i++) out.push(fixedJson(v[i]));
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // for-in on a plain object: its own enumerable keys in Object.keys's order, with no array made.
  for (const k in o) {
    // defineProperty: a '__proto__' key stays an own key instead of replacing the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: fixedJson(o[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = fixedJson(o[k]);
  }
  return out;
}

/** One op in the one shape every op of the checkers' input has. */
function fixedOp(op: Op): Op {
  // Requests are copied (small: the txn walkers, the model and the lease rules loop over their
  // arrays); answers, most of a history's bytes, are read as they are.
  const value = op.type === 'invoke' ? fixedJson(op.value) : op.value;
  const out = { index: op.index, time: op.time, process: op.process, type: op.type, f: op.f, value, error: op.error, node: op.node, tries: op.tries, key: op.key };
  // Absent fields are present and undefined (exactOptionalPropertyTypes does not say that of Op).
  return out as Op;
}

/** The history as the checkers read it: every op one record of one shape, its JSON in fixed-kind arrays. */
export function fixedShapeOps(ops: readonly Op[]): Op[] {
  const out: Op[] = [];
  for (let i = 0; i < ops.length; i++) out.push(fixedOp(ops[i]!));
  return out;
}
