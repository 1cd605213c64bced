// The models `detcd check` and checkHistory know, by name, and the ops each reads (no model
// code: the command line reads this before it loads the one model a check needs).
export type ModelName = 'register' | 'kv' | 'etcd';

export const MODEL_NAMES: readonly ModelName[] = ['register', 'kv', 'etcd'];

/** The ops (`f`) each model reads: a history's ops name the model that can check it. */
export const MODEL_OPS: Readonly<Record<ModelName, readonly string[]>> = {
  register: ['read', 'write', 'cas'],
  kv: ['get', 'put', 'append'],
  etcd: ['kv/put', 'kv/range', 'kv/deleterange', 'kv/txn', 'kv/compaction', 'lease/grant', 'lease/revoke', 'lease/keepalive', 'lease/timetolive', 'lease/leases'],
};

/**
 * The refusal of an op a model does not read, with the way out: the model that reads it
 * (a history of detcd's etcd or register workload records etcd API ops: --model etcd), or,
 * when none does, what each model reads.
 */
export function noSuchOp(model: ModelName, f: string): string {
  const shown = f.length > 40 ? `${f.slice(0, 40)}…` : f;
  const own = `the ${model} model has no op :${shown} (it reads ${MODEL_OPS[model].map((o) => `:${o}`).join(', ')})`;
  const other = MODEL_NAMES.find((m) => m !== model && MODEL_OPS[m].includes(f));
  if (other !== undefined) return `${own}; :${f} is an op of the ${other} model: check this history with --model ${other}`;
  return `${own}; no model of detcd reads :${shown} (register: read, write, cas; kv: get, put, append; etcd: the kv/ and lease/ requests of etcd's v3 API)`;
}
