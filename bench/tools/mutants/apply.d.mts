// Types of apply.mjs, for the tests that plant mutants through the tool's own code.
import type { Mutant } from './list.mjs';

export declare class MutantError extends Error {}
export declare function mutateText(source: string, m: Pick<Mutant, 'name' | 'file' | 'find' | 'replace'>): string;
export declare function transpile(root: string, file: string, text: string): string;
export declare function makeScratch(root: string): string;
export declare function plant(root: string, dir: string, m: Mutant): () => void;
export declare function removeScratch(dir: string): void;
export interface Catch {
  readonly caught: boolean;
  readonly runs: number;
  readonly failed: number;
  readonly unknown: number;
  readonly errors: number;
  readonly scenario?: string;
  readonly seed?: number;
  readonly by?: string;
  readonly replay?: string;
}
export declare function firstCatch(sweep: { runs?: readonly Record<string, unknown>[] }): Catch;
export declare function parseSeeds(text: string): [number, number];
