// Lint enforces determinism: the simulated world and the system under test may not reach for
// the wall clock, global randomness, real timers, process, crypto, the garbage collector's
// timing (WeakRef, FinalizationRegistry) or the host's locale (Intl, localeCompare), directly or
// through an alias (globalThis.Date, `const m = Math`). Only sim/cli/ and sim/report/ (and tests
// and benchmarks, which run outside the world) may. The rule lists are exported for
// test/lint/determinism-lint.test.ts, which proves each one rejects what it names.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export const banned = [
  { name: 'Date', message: 'No wall clock in the simulated world: use the node clock or event loop time.' },
  { name: 'performance', message: 'No wall clock in the simulated world.' },
  { name: 'setTimeout', message: 'No real timers: schedule on the EventLoop.' },
  { name: 'setInterval', message: 'No real timers: schedule on the EventLoop.' },
  { name: 'setImmediate', message: 'No real timers: schedule on the EventLoop.' },
  { name: 'queueMicrotask', message: 'No microtasks: the world is synchronous.' },
  { name: 'process', message: 'process belongs to sim/cli/ and sim/report/ only.' },
  { name: 'crypto', message: 'No global crypto: randomness comes from the seeded Prng.' },
  { name: 'Promise', message: 'The world is synchronous: no promises.' },
  { name: 'globalThis', message: 'No reaching around the bans through the global object (globalThis.Date, globalThis.Math).' },
  { name: 'global', message: 'No reaching around the bans through the global object.' },
  { name: 'self', message: 'No reaching around the bans through the global object.' },
  { name: 'window', message: 'No reaching around the bans through the global object.' },
  { name: 'WeakRef', message: 'No WeakRef: what it holds depends on the garbage collector, not the seed.' },
  { name: 'FinalizationRegistry', message: 'No FinalizationRegistry: it runs when the garbage collector decides.' },
  { name: 'Intl', message: "No Intl: formatting and collation depend on the host's locale and ICU version." },
];

export const bannedProps = [
  { object: 'Math', property: 'random', message: 'No global randomness: use the seeded Prng.' },
  { property: 'localeCompare', message: "No localeCompare: its order depends on the host's locale; compare code units (a < b)." },
  { property: 'toLocaleString', message: "No toLocaleString: its text depends on the host's locale." },
  { property: 'toLocaleLowerCase', message: "No toLocaleLowerCase: it depends on the host's locale." },
  { property: 'toLocaleUpperCase', message: "No toLocaleUpperCase: it depends on the host's locale." },
];

export const bannedImports = {
  patterns: [
    { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'timers', 'perf_hooks'], message: 'No Node APIs in the simulated world.' },
  ],
};

/** Syntax no simulated code may use: async code, and Math other than as `Math.name` (an alias would slip past Math.random). */
export function bannedSyntax(where) {
  return [
    { selector: 'FunctionDeclaration[async=true], ArrowFunctionExpression[async=true], FunctionExpression[async=true]', message: `${where} is synchronous: no async functions.` },
    { selector: 'AwaitExpression', message: `${where} is synchronous.` },
    { selector: "Identifier[name='Math']:not(MemberExpression[computed=false] > Identifier.object)", message: 'Math only as Math.name: an alias or a computed member would slip past the Math.random ban.' },
  ];
}

/**
 * Speed, not determinism: an object literal with anything after a spread (`{ ...a, x }`,
 * `{ ...a, ...b }`) takes a slow runtime path in V8 (Node 20), 1.5 to 4 µs per object, thirty
 * times a literal; on the simulation's hot paths that was several per cent of a run. A spread
 * that comes last (`{ x, ...a }`) or alone (`{ ...a }`) is fast.
 */
export const slowSyntax = [
  { selector: 'ObjectExpression > SpreadElement:not(:last-child)', message: 'Nothing after a spread in an object literal (V8 builds it slowly): withFields(a, { x }) from src/object/with-fields.ts, an explicit literal, or the spread last.' },
];

/**
 * Stack, not speed: an array spread into Math.max/Math.min, push/unshift or String.fromCharCode
 * puts every element on the stack, and past about 120,000 (a user's history, watch file or
 * results.json) it throws RangeError (300,000 ops did on the check page). maxOf, minOf, pushAll,
 * fromCharCodes (sim/array/stack-safe.ts) loop instead. src/ keeps its own: its arrays are one
 * request's, bounded by etcd's limits (128 ops a txn, the request size), or chunked.
 */
export const stackSpreadSyntax = [
  { selector: "CallExpression[callee.object.name='Math'][callee.property.name=/^(max|min)$/] > SpreadElement", message: 'No spread into Math.max/Math.min (every element goes on the stack: a history-sized array throws RangeError): maxOf/minOf from sim/array/stack-safe.ts.' },
  { selector: 'CallExpression[callee.property.name=/^(push|unshift)$/] > SpreadElement', message: 'No spread into push/unshift (every element goes on the stack: a history-sized array throws RangeError): pushAll from sim/array/stack-safe.ts.' },
  { selector: "CallExpression[callee.object.name='String'][callee.property.name='fromCharCode'] > SpreadElement", message: 'No spread into String.fromCharCode (every element goes on the stack): fromCharCodes from sim/array/stack-safe.ts.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/**', 'dist/**', 'coverage/**', 'bin/**', 'scripts/**', 'bench/**/*.mjs', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...banned],
      'no-restricted-properties': ['error', ...bannedProps],
      'no-restricted-imports': ['error', {
        ...bannedImports,
        patterns: [...bannedImports.patterns, { group: ['**/sim/**', '../sim/*', '../../sim/*'], message: 'src/ may not import from sim/.' }],
      }],
      'no-restricted-syntax': ['error', ...bannedSyntax('src/'), ...slowSyntax],
    },
  },
  {
    files: ['sim/**/*.ts'],
    ignores: ['sim/cli/**', 'sim/report/**'],
    rules: {
      'no-restricted-globals': ['error', ...banned],
      'no-restricted-properties': ['error', ...bannedProps],
      'no-restricted-imports': ['error', bannedImports],
      'no-restricted-syntax': ['error', ...bannedSyntax('The simulated world'), ...slowSyntax, ...stackSpreadSyntax],
    },
  },
  {
    files: ['sim/cli/**/*.ts', 'sim/report/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...stackSpreadSyntax],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
