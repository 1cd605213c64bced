// bcrypt as golang.org/x/crypto writes it ($2a$), against vectors of OpenBSD's test suite and
// of libxcrypt's crypt(3) ($2b$ there: the same hash for passwords under 255 bytes).
import { describe, expect, test } from 'vitest';
import { bcryptHash, bcryptWithSalt } from '../../../../sim/cli/serve/bcrypt.ts';

describe('bcrypt', () => {
  test.each([
    ['U*U', 5, 'CCCCCCCCCCCCCCCCCCCCC.', 'E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'],
    ['', 6, 'DCq7YPn5Rq63x1Lad4cll.', 'TV4S6ytwfsfvkgY8jIucDrjc8deX1s.'],
    ['secret', 10, 'abcdefghijklmnopqrstuu', 'qflPDzB6gcMhKa1rZqKiun2YGL5sa2u'],
    // Past 72 bytes (the NUL included) the password does not count.
    ['x'.repeat(80), 4, 'abcdefghijklmnopqrstuu', 'bzadhGtS2zEF.gu0yd0opP6cVzb.e0i'],
    // UTF-8 bytes, as Go's []byte(string).
    ['héllo', 4, 'abcdefghijklmnopqrstuu', 'QpKj.e5SYYBNITtcFEN.iWppNhh0KVa'],
  ])('%j at cost %i', (password, cost, salt, hash) => {
    expect(bcryptWithSalt(password, cost, salt)).toBe(`$2a$${String(cost).padStart(2, '0')}$${salt}${hash}`);
  });

  test('a new hash has a fresh salt, etcd\'s default cost, and verifies with its own salt', () => {
    const a = bcryptHash('pw');
    const b = bcryptHash('pw');
    expect(a).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(a).not.toBe(b);
    expect(bcryptWithSalt('pw', 10, a.slice(7, 29))).toBe(a);
  });
});
