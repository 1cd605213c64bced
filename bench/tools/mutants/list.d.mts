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
  /** One of the second holdout set (house, 2026-12-05). */
  readonly holdout2?: boolean;
  /** One of the third holdout set (house, 2026-12-05, after the holdout-2 fixes). */
  readonly holdout3?: boolean;
  /** One of the fourth holdout set (bugs, 2026-12-05 fifth session: areas the others leave alone). */
  readonly holdout4?: boolean;
  /** One of the fifth holdout set (bugs, 2026-12-05 sixth session: request ids, ReadIndex release, vote counting). */
  readonly holdout5?: boolean;
  readonly holdout6?: boolean;
  /** One of the seventh holdout set (bugs, 2026-12-05 eighth session: one per row of the anchors table). */
  readonly holdout7?: boolean;
  /** One of the eighth holdout set (bugs, 2026-12-06 ninth session: a reviewer's off-by-ones and missed steps at sites no earlier mutant plants). */
  readonly holdout8?: boolean;
  /** One of the ninth holdout set (bugs, 2026-12-06 tenth session: written before measuring, Raft and etcd sites no earlier mutant plants). */
  readonly holdout9?: boolean;
  /** One of the fourteenth holdout set (raft, 2026-12-06 fifteenth session: written before measuring, sites no earlier mutant plants). */
  readonly holdout14?: boolean;
  /** One of the fifteenth holdout set (raft, 2026-12-07 sixteenth session: written before measuring, sites no earlier mutant plants). */
  readonly holdout15?: boolean;
  /** One of the seventeenth holdout set (bugs, 2026-12-07 s19: written and committed before measuring, server sites no earlier mutant plants). */
  readonly holdout17?: boolean;
  readonly holdout18?: boolean;
  /** One of the nineteenth holdout set (raft and bugs, 2026-12-07 s21: written and committed before measuring, sites no earlier mutant plants). */
  readonly holdout19?: boolean;
  /** One of the twentieth holdout set (raft and bugs, 2026-12-07 s22: written and committed before measuring, sites no earlier mutant plants). */
  readonly holdout20?: boolean;
  /** One of the twenty-first holdout set (raft and bugs, 2026-12-07 s23: written and committed before measuring, sites no earlier mutant plants). */
  readonly holdout21?: boolean;
}
export declare const MUTANTS: readonly Mutant[];
