// An API call a user gets wrong is refused by a UsageError of one line matching `message` (the
// function, the argument, the reason), never another error from inside. Shared by the argument
// tests of the property API and the harness.
import { expect } from 'vitest';
import { UsageError } from '../../sim/errors/usage-error.ts';

export function expectUsageError(call: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    call();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(UsageError);
  const text = (thrown as Error).message;
  expect(text).toMatch(message);
  expect(text).not.toContain('\n');
}
