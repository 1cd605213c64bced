// The models `detcd check` and checkHistory know, by name (no model code: the command line
// reads this before it loads the one model a check needs).
export type ModelName = 'register' | 'kv' | 'etcd';

export const MODEL_NAMES: readonly ModelName[] = ['register', 'kv', 'etcd'];
