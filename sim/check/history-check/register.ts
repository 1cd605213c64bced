// A history checked against one register per Jepsen key (models/register.ts).
import { checkLinearizable } from '../linearizability/check.ts';
import { registerOperations } from '../models/register-history.ts';
import { registerModel } from '../models/register.ts';
import type { PairsCheck } from './options.ts';

export const checkRegisterPairs: PairsCheck = (pairs, _times, budget) => checkLinearizable(registerOperations(pairs), registerModel, budget);
