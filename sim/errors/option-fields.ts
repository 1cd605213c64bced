// An options object a program hands the package's API, each field it knows typed before use: a
// budget's maxSteps of '5', a Symbol or a sparse array reached the search as a number
// ("Cannot convert a Symbol value to a number", "Invalid string length", a stack overflow while
// quoting 100,000 nested arrays), and one of NaN or -1 was no bound at all. Fields the API does
// not know are left alone (a program may hand one object to several checkers).
import { badArgument, checkObjectArgument, checkWholeArgument } from './bad-argument.ts';
import { checkArrayArgument } from './array-argument.ts';

/**
 * How one option is typed: a whole number from `whole`, a finite number from `atLeast`, a number from `upToInfinityFrom`
 * or Infinity (a bound that may be "none": a clock that may jump without bound), or a kind.
 */
export type OptionKind =
  | { readonly whole: number }
  | { readonly atLeast: number }
  | { readonly upToInfinityFrom: number }
  | 'boolean'
  | 'function'
  | 'object'
  | 'finite-list'
  | 'object-list'
  | 'list'
  | { readonly fields: Readonly<Record<string, OptionKind>> };

function finiteFrom(fn: string, field: string, v: unknown, min: number | undefined): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || (min !== undefined && v < min)) throw badArgument(fn, field, min === undefined ? 'must be a finite number' : `must be a finite number from ${min} up`, v);
}

function checkOption(fn: string, field: string, v: unknown, kind: OptionKind): void {
  if (kind === 'boolean') {
    if (typeof v !== 'boolean') throw badArgument(fn, field, 'must be true or false when given', v);
  } else if (kind === 'function') {
    if (typeof v !== 'function') throw badArgument(fn, field, 'must be a function when given', v);
  } else if (kind === 'object') {
    checkObjectArgument(fn, field, v, 'an object when given');
  } else if (kind === 'list') {
    checkArrayArgument(fn, field, v, 'values');
  } else if (kind === 'finite-list') {
    checkArrayArgument(fn, field, v, 'finite numbers').forEach((e, i) => finiteFrom(fn, `${field}[${i}]`, e, undefined));
  } else if (kind === 'object-list') {
    checkArrayArgument(fn, field, v, 'objects').forEach((e, i) => checkObjectArgument(fn, `${field}[${i}]`, e, 'an object'));
  } else if ('whole' in kind) {
    checkWholeArgument(fn, field, v, kind.whole);
  } else if ('atLeast' in kind) {
    finiteFrom(fn, field, v, kind.atLeast);
  } else if ('upToInfinityFrom' in kind) {
    if (v !== Infinity && (typeof v !== 'number' || !Number.isFinite(v) || v < kind.upToInfinityFrom)) throw badArgument(fn, field, `must be a number from ${kind.upToInfinityFrom} up, or Infinity (no bound)`, v);
  } else {
    checkOptionFields(fn, field, v, kind.fields, true);
  }
}

/**
 * `v` as options of `fn` (absent: {}), each field `kinds` names typed when present. `required`:
 * every field of `kinds` must be given (a nested object such as leaseClock's {driftPpmMax, jumpUsMax}).
 */
export function checkOptionFields(fn: string, field: string, v: unknown, kinds: Readonly<Record<string, OptionKind>>, required = false, what = 'an object of options'): Record<string, unknown> {
  if (v === undefined && !required) return {};
  const o = checkObjectArgument(fn, field, v, required ? `an object (${Object.keys(kinds).join(', ')})` : what);
  for (const [key, kind] of Object.entries(kinds)) {
    const value = o[key];
    if (value === undefined && !required) continue;
    checkOption(fn, `${field}.${key}`, value, kind);
  }
  return o;
}
