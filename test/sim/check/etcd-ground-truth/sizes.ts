// The sizes of a seed's ground-truth history: they cycle with the seed, so small histories
// (which shrink well) and larger ones (which interleave more) both come up.
import type { GenerateOptions } from './history.ts';

export function sizeOf(seed: number): GenerateOptions {
  return { processes: 2 + (seed % 4), steps: 20 + (seed % 8) * 15, keys: 2 + (seed % 4) };
}
