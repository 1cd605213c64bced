// Types of list.mjs, for the tests that read the mutant list.
export interface Mutant {
  readonly name: string;
  readonly class: string;
  readonly file: string;
  readonly find: string;
  readonly replace: string;
  readonly why: string;
  readonly aimed?: readonly string[];
  readonly equivalent?: string;
}
export declare const MUTANTS: readonly Mutant[];
