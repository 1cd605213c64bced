// A store's compact revision in words: etcd reports -1 for a store never compacted, and
// "compact -1" (in a convergence summary, in the model state of a counterexample) read as a bug.

export function compactionText(compactRevision: number): string {
  return compactRevision < 0 ? 'no compaction' : `compacted at ${compactRevision}`;
}
