// Runs the command line in-process with console output captured: one helper for every CLI test.
import { expect, vi } from 'vitest';
import { main } from '../../sim/cli/main.ts';

export async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await main(argv), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/**
 * Runs the command line and expects the refusal every bad input gets: exit 3 and one line on
 * stderr holding each part (a string contained, a RegExp matched). Returns the line.
 */
export async function refused(argv: string[], ...parts: (string | RegExp)[]): Promise<string> {
  const r = await cli(argv);
  expect(r.err, r.err.join('\n')).toHaveLength(1);
  const line = r.err[0]!;
  for (const p of parts) {
    if (typeof p === 'string') expect(line).toContain(p);
    else expect(line).toMatch(p);
  }
  expect(r.code, line).toBe(3);
  return line;
}
