// Exit codes are a public contract (../shared/design.md): 0 valid, 1 violation, 2 unknown,
// 3 bad input or usage, 4 internal error of the harness.
export const EXIT_VALID = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_UNKNOWN = 2;
export const EXIT_USAGE = 3;
export const EXIT_INTERNAL = 4;

// Bad input is raised below the command line too (scenario parsing): the class lives there.
export { UsageError } from '../errors/usage-error.ts';

/** Maps a verdict to the exit code. */
export function exitCodeFor(valid: boolean | 'unknown'): number {
  if (valid === true) return EXIT_VALID;
  if (valid === false) return EXIT_VIOLATION;
  return EXIT_UNKNOWN;
}
