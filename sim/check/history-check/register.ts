// A history checked against one register per Jepsen key (models/register.ts), or, when its
// values carry the key's version (jepsen.etcd.register), a versioned register per key
// (models/versioned-register.ts).
import { checkLinearizable } from '../linearizability/check.ts';
import { registerOperations } from '../models/register-history.ts';
import { registerModel } from '../models/register.ts';
import { versionedRegisterModel } from '../models/versioned-register.ts';
import type { PairsCheck } from './options.ts';

export const checkRegisterPairs: PairsCheck = (pairs, _times, budget) => {
  const ops = registerOperations(pairs);
  const versioned = ops.some((op) => (op.input.f !== 'read' && op.input.version !== undefined) || (op.output !== undefined && 'version' in op.output));
  return versioned ? checkLinearizable(ops, versionedRegisterModel, budget) : checkLinearizable(ops, registerModel, budget);
};
