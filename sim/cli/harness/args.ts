// Command-line options for the harness commands, on node:util's parseArgs, with every mistake
// turned into a one-line UsageError (exit 3).
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { isPlantedBug, PLANTED_BUGS } from '../../bugs/planted-bugs.ts';
import type { PlantedBug } from '../../bugs/planted-bugs.ts';

/** What parseArgs gives for these options (named, so that the compiled declarations can say it). */
export type ParsedCommandArgs<T extends NonNullable<ParseArgsConfig['options']>> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>>;

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: T, allowPositionals = false): ParsedCommandArgs<T> {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(`detcd ${command}: ${(err as Error).message}`);
  }
}

export function intOption(command: string, name: string, value: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`detcd ${command}: --${name}: not an integer: ${value}`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`detcd ${command}: --${name}: must be in [${min}, ${max}], got ${n}`);
  return n;
}

export function bugOption(command: string, value: string | undefined): PlantedBug | undefined {
  if (value === undefined) return undefined;
  if (!isPlantedBug(value)) throw new UsageError(`detcd ${command}: --bug: unknown bug '${value}' (one of: ${PLANTED_BUGS.map((b) => b.name).join(', ')})`);
  return value;
}

/** "A..B" (inclusive) or "N" (seeds 1..N). */
export function seedsOption(command: string, value: string | undefined, fallback: [number, number]): [number, number] {
  if (value === undefined) return fallback;
  const range = /^(\d+)\.\.(\d+)$/.exec(value);
  if (range !== null) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (b < a) throw new UsageError(`detcd ${command}: --seeds: ${value}: the end is before the start`);
    return [a, b];
  }
  if (/^\d+$/.test(value) && Number(value) > 0) return [1, Number(value)];
  throw new UsageError(`detcd ${command}: --seeds: expected A..B or a count, got ${value}`);
}

/** "I/N" with 1 <= I <= N. */
export function shardOption(command: string, value: string | undefined): { index: number; count: number } {
  if (value === undefined) return { index: 1, count: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index < 1 || index > count) throw new UsageError(`detcd ${command}: --shard: expected I/N with 1 <= I <= N, got ${value}`);
  return { index, count };
}
