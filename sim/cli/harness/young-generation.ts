// The young generation (V8's nursery) for every isolate that runs simulations: sweep worker
// processes and threads, and the bench harness. Almost everything the history checkers allocate
// lives until the check of its history ends, so with V8's 16 MB semi-spaces every scavenge copies
// it again; a larger nursery lets more of a run's short-lived objects die before they are copied.
// V8 reads the size once, when an isolate's heap is set up: a process gets it on node's command
// line, a worker thread through resourceLimits (v8.setFlagsFromString at run time does not resize
// the running isolate). Flags change how fast code runs, never what it computes: the same trace
// hashes at every size (bench/tools/young-gen.mjs checks them).
/** node's flag for the semi-space size, in MB (the young generation is two semi-spaces). */
export const SEMI_SPACE_FLAG = '--max-semi-space-size';

/** MB per semi-space for an isolate that runs simulations (node 20's default on 64 bits: 16). */
export const SEMI_SPACE_MB = 32;

/**
 * A worker thread's resourceLimits.maxYoungGenerationSizeMb for SEMI_SPACE_MB: V8 counts the young
 * generation as its two semi-spaces and the new large-object space, one semi-space's size
 * (a limit of 96 gives a thread 32 MB semi-spaces: its new space grows to 64 MB).
 */
export const YOUNG_GENERATION_MB = 3 * SEMI_SPACE_MB;

/** Whether node was started with a semi-space size (its flags or NODE_OPTIONS): the user's size wins over ours. */
export function semiSpaceGiven(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) => a === SEMI_SPACE_FLAG || a.startsWith(`${SEMI_SPACE_FLAG}=`));
}
