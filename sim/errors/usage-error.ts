// Bad input, raised at any floor of the harness (scenario files, histories, run directories)
// and turned into exit code 3 by the command line (sim/cli/errors.ts) without a stack trace.

/**
 * Bad input or usage. The message is one line that names the file, the field and the reason;
 * the command line prints it without a stack trace and exits 3.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'UsageError';
  }
}
