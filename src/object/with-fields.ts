// `{ ...base, ...fields }` without spread syntax. V8 in Node 20 builds an object literal that has
// anything after a spread (`{ ...a, x }`, `{ ...a, ...b }`) on a slow runtime path: 1.5 to 4 µs
// for an object of a few fields, thirty times a literal, and `const o = { ...a }; o.x = 1` is as
// slow. Object.assign onto a fresh object takes the fast path and gives the same object: the
// same own enumerable keys in the same order (base's, then the fields base did not have), the
// same values, the same prototype. The lint (eslint.config.js) rejects a spread followed by
// more members in src/ and the simulated world; this is what to write instead.

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;

/**
 * The type of `{ ...A, ...B }`, as TypeScript types the spread: a field B always has replaces A's;
 * one B may leave out keeps A's type besides B's, optional only where both are (distributed over
 * a union A, as the spread is).
 */
export type WithFields<A, B> = A extends unknown
  ? { [K in keyof A as K extends RequiredKeys<B> ? never : K]: K extends keyof B ? A[K] | Exclude<B[K], undefined> : A[K] } & Pick<B, RequiredKeys<B> | Exclude<OptionalKeys<B>, keyof A>>
  : never;

/** A new object with `base`'s own enumerable fields, then `fields`' (replacing those of the same name), like `{ ...base, ...fields }`. */
export function withFields<A extends object, B extends object>(base: A, fields: B): WithFields<A, B> {
  // A key named __proto__ would set the new object's prototype through Object.assign, where the
  // spread defines it as a field (parsed JSON can carry one): leave that rare case to the spread.
  if (Object.hasOwn(base, '__proto__') || Object.hasOwn(fields, '__proto__')) {
    // eslint-disable-next-line no-restricted-syntax -- the exact spread semantics, for objects that carry a __proto__ field
    return { ...base, ...fields } as unknown as WithFields<A, B>;
  }
  return Object.assign({}, base, fields) as unknown as WithFields<A, B>;
}
