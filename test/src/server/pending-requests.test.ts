// The pending-request table: one waiter per request id, bounded, expiring at its deadline.
import { expect, test } from 'vitest';
import { PendingRequests } from '../../../src/server/pending-requests.ts';

test('only the registering member answers; waiters expire at their deadline; the table is bounded', () => {
  const p = new PendingRequests<string>(2);
  p.register('a', 'wa', 100);
  p.register('b', 'wb', 200);
  expect(p.full).toBe(true);
  expect(() => p.register('c', 'wc', 300)).toThrow(/pending-bounded/);
  expect(() => p.register('a', 'again', 300)).toThrow(/request-id-unique/);
  expect(p.take('zzz')).toBeUndefined();
  expect(p.expire(150)).toEqual(['wa']);
  expect(p.take('a')).toBeUndefined();
  expect(p.take('b')).toBe('wb');
  expect(p.size).toBe(0);
});
