// A revision names one change: `main` is the store revision of the write txn, `sub` the change's
// position inside it (etcd's mvcc/revision.go).

export interface Revision {
  readonly main: number;
  readonly sub: number;
}

export function compareRevision(a: Revision, b: Revision): number {
  return a.main !== b.main ? a.main - b.main : a.sub - b.sub;
}

export function revisionGreater(a: Revision, b: Revision): boolean {
  return compareRevision(a, b) > 0;
}
