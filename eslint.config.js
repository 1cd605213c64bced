// Lint enforces determinism: the simulated world and the system under test may not reach for
// the wall clock, global randomness, real timers, process or crypto. Only sim/cli/ and
// sim/report/ (and tests and benchmarks, which run outside the world) may.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const banned = [
  { name: 'Date', message: 'No wall clock in the simulated world: use the node clock or event loop time.' },
  { name: 'performance', message: 'No wall clock in the simulated world.' },
  { name: 'setTimeout', message: 'No real timers: schedule on the EventLoop.' },
  { name: 'setInterval', message: 'No real timers: schedule on the EventLoop.' },
  { name: 'setImmediate', message: 'No real timers: schedule on the EventLoop.' },
  { name: 'queueMicrotask', message: 'No microtasks: the world is synchronous.' },
  { name: 'process', message: 'process belongs to sim/cli/ and sim/report/ only.' },
  { name: 'crypto', message: 'No global crypto: randomness comes from the seeded Prng.' },
  { name: 'Promise', message: 'The world is synchronous: no promises.' },
];
const bannedProps = [
  { object: 'Math', property: 'random', message: 'No global randomness: use the seeded Prng.' },
];
const bannedImports = {
  patterns: [
    { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'timers', 'perf_hooks'], message: 'No Node APIs in the simulated world.' },
  ],
};

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
      'no-restricted-syntax': ['error',
        { selector: 'FunctionDeclaration[async=true], ArrowFunctionExpression[async=true], FunctionExpression[async=true]', message: 'src/ is synchronous: no async functions.' },
        { selector: 'AwaitExpression', message: 'src/ is synchronous.' }],
    },
  },
  {
    files: ['sim/**/*.ts'],
    ignores: ['sim/cli/**', 'sim/report/**'],
    rules: {
      'no-restricted-globals': ['error', ...banned],
      'no-restricted-properties': ['error', ...bannedProps],
      'no-restricted-imports': ['error', bannedImports],
      'no-restricted-syntax': ['error',
        { selector: 'FunctionDeclaration[async=true], ArrowFunctionExpression[async=true], FunctionExpression[async=true]', message: 'The simulated world is synchronous: no async functions.' },
        { selector: 'AwaitExpression', message: 'The simulated world is synchronous.' }],
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
