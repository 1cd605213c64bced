// The mvcc layer's expected outcomes. They are returned as values, never thrown: a compacted or
// future revision is a normal answer to a client.

export type MvccError = 'compacted' | 'future-rev';

/** The mvcc layer's own messages (mvcc/kvstore.go); the API layer prefixes "etcdserver: ". */
export const MVCC_ERROR_MESSAGE: Readonly<Record<MvccError, string>> = {
  compacted: 'mvcc: required revision has been compacted',
  'future-rev': 'mvcc: required revision is a future revision',
};

export function assert(cond: boolean, invariant: string): asserts cond {
  if (!cond) throw new Error(`invariant violated: ${invariant}`);
}
