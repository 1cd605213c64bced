// The command line runs in-process many times over (tests, the package's programmatic use): each
// call must leave process.stdout as it found it, or the 11th call's listener trips Node's
// MaxListenersExceededWarning ("11 error listeners added to [Socket]") and every call leaks one.
import { expect, test } from 'vitest';
import { cli } from './capture-cli.ts';

test('main() adds its closed-pipe listener to stdout once, however many times it runs', async () => {
  await cli(['--version']);
  const after = process.stdout.listenerCount('error');
  for (let i = 0; i < 12; i++) expect((await cli(['--version'])).code).toBe(0);
  expect(process.stdout.listenerCount('error')).toBe(after);
});
