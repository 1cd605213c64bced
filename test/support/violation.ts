// What an assertion test expects to see: the layer and invariant of the InvariantViolation a
// call throws (undefined when it throws none); any other error is the test's failure.
import { InvariantViolation } from '../../src/invariant-violation.ts';

export function violation(f: () => unknown): { layer: string; invariant: string } | undefined {
  try {
    f();
  } catch (err) {
    if (err instanceof InvariantViolation) return { layer: err.layer, invariant: err.invariant };
    throw err;
  }
  return undefined;
}
