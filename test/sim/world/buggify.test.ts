import { describe, expect, it } from 'vitest';
import { Buggify } from '../../../sim/world/buggify.ts';
import { Prng } from '../../../sim/world/prng.ts';

const SITES = Array.from({ length: 400 }, (_, i) => `site.${i}`);

describe('Buggify', () => {
  it('is inert when the run did not enable it: false everywhere, nothing recorded', () => {
    const b = new Buggify(new Prng(1), { enabled: false });
    for (const site of SITES) expect(b.fire(site)).toBe(false);
    expect(b.coverage()).toEqual([]);
    expect(b.isSiteEnabled('site.1')).toBe(false);
  });

  it('switches on about one site in four, decided by seed and site name alone', () => {
    const a = new Buggify(new Prng(5), { enabled: true });
    const enabled = SITES.filter((s) => a.isSiteEnabled(s));
    expect(enabled.length).toBeGreaterThan(70);
    expect(enabled.length).toBeLessThan(130);
    // Asking in another order, after other sites, gives the same answers.
    const b = new Buggify(new Prng(5), { enabled: true });
    b.fire('some.other.site');
    expect(SITES.slice().reverse().filter((s) => b.isSiteEnabled(s)).reverse()).toEqual(enabled);
    // Another seed switches on other sites.
    const c = new Buggify(new Prng(6), { enabled: true });
    expect(SITES.filter((s) => c.isSiteEnabled(s))).not.toEqual(enabled);
  });

  it('fires an enabled site about one time in four, and a disabled site never', () => {
    const b = new Buggify(new Prng(5), { enabled: true });
    const on = SITES.find((s) => b.isSiteEnabled(s))!;
    const off = SITES.find((s) => !b.isSiteEnabled(s))!;
    let fired = 0;
    for (let i = 0; i < 4_000; i++) if (b.fire(on)) fired++;
    for (let i = 0; i < 4_000; i++) expect(b.fire(off)).toBe(false);
    expect(fired).toBeGreaterThan(850);
    expect(fired).toBeLessThan(1_150);
    const coverage = b.coverage();
    expect(coverage.find((c) => c.site === on)).toEqual({ site: on, enabled: true, reached: 4_000, fired });
    expect(coverage.find((c) => c.site === off)).toEqual({ site: off, enabled: false, reached: 4_000, fired: 0 });
  });

  it('lists coverage sorted by site name', () => {
    const b = new Buggify(new Prng(1), { enabled: true });
    for (const s of ['z', 'a', 'm', 'a']) b.fire(s);
    expect(b.coverage().map((c) => [c.site, c.reached])).toEqual([['a', 2], ['m', 1], ['z', 1]]);
  });
});
