// Bad input, raised at any floor of the harness (scenario files, histories, run directories)
// and turned into exit code 3 by the command line (sim/cli/errors.ts) without a stack trace.
import { oneLine } from './one-line.ts';

/**
 * Bad input or usage. The message is one line that names the file, the field and the reason;
 * the command line prints it without a stack trace and exits 3.
 */
export class UsageError extends Error {
  constructor(message: string) {
    // A newline in a path the user gave was shown as a space ("shard dir" for "shard\ndir"): escaped, it names the real path.
    // String(): a JavaScript caller's `new UsageError(undefined)` met a TypeError inside oneLine.
    super(oneLine(textOf(message)));
    this.name = 'UsageError';
  }
}

/** `message` as text whatever a JavaScript caller passed: String() throws for a null-prototype object. */
function textOf(message: unknown): string {
  try {
    return String(message);
  } catch {
    return Object.prototype.toString.call(message);
  }
}
