// Placeholder until its issue lands; replaced by the real command.
import { UsageError } from '../errors.ts';

// eslint-disable-next-line @typescript-eslint/require-await
export async function serve(_argv: string[]): Promise<number> {
  throw new UsageError('detcd serve: nothing to run yet (this command is being built)');
}
