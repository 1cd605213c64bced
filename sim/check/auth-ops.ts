// The requests of a history the auth checker judges and the etcd model leaves out: every auth/
// request, and a watch create (judged as a read of its range; the model has no watch op). One
// place, read by a run's checkers and by `detcd check`, so the two never judge different ops.

export const isAuthOp = (op: { readonly f: string }): boolean => op.f.startsWith('auth/') || op.f === 'watch/create';
