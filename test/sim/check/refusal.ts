// What a public entry point refused with: the message of the one UsageError it threw (a test
// fails if it threw anything else, or nothing).
import { expect } from 'vitest';
import { UsageError } from '../../../sim/check/index.ts';

export function refusal(call: () => unknown): string {
  try {
    call();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('not refused');
}
