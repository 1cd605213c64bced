// FoundationDB's BUGGIFY: named fault sites inside product code. When a run enables buggify,
// each site is switched on for one run in four, decided by the seed and the site's name alone
// (so adding a site elsewhere never flips this one), and an enabled site then fires one time in
// four it is reached. With buggify off every site answers false and draws nothing. Coverage
// records which sites were reached, enabled and fired, so a sweep can show rare paths ran.
import { violated } from '../../src/invariant-violation.ts';
import type { Prng } from './prng.ts';
import type { Ratio } from './ratio.ts';
import { checkRatio } from './ratio.ts';
import { checkObjectArgument } from '../errors/bad-argument.ts';

export const BUGGIFY_SITE_ENABLED: Ratio = { num: 1, den: 4 };
export const BUGGIFY_SITE_FIRES: Ratio = { num: 1, den: 4 };
const SITES_MAX = 10_000;

export interface BuggifySiteCoverage {
  readonly site: string;
  readonly enabled: boolean;
  readonly reached: number;
  readonly fired: number;
}

interface Site {
  readonly enabled: boolean;
  readonly stream: Prng;
  reached: number;
  fired: number;
}

export interface BuggifyOptions {
  enabled: boolean;
  siteEnabled?: Ratio;
  siteFires?: Ratio;
}

export class Buggify {
  readonly enabled: boolean;
  private readonly siteEnabled: Ratio;
  private readonly siteFires: Ratio;
  private readonly sites = new Map<string, Site>();

  /** `prng` is the run's buggify stream; each site forks its own stream from it by name. */
  constructor(
    private readonly prng: Prng,
    options: BuggifyOptions,
  ) {
    checkObjectArgument('Buggify', 'options', options, 'buggify options ({enabled, siteEnabled, siteFires})');
    this.enabled = options.enabled;
    this.siteEnabled = options.siteEnabled ?? BUGGIFY_SITE_ENABLED;
    this.siteFires = options.siteFires ?? BUGGIFY_SITE_FIRES;
    checkRatio('buggify siteEnabled', this.siteEnabled);
    checkRatio('buggify siteFires', this.siteFires);
  }

  /** True when the fault at `site` should happen now. */
  fire(site: string): boolean {
    if (!this.enabled) return false;
    const s = this.site(site);
    s.reached++;
    if (!s.enabled) return false;
    if (!s.stream.chance(this.siteFires.num, this.siteFires.den)) return false;
    s.fired++;
    if (s.fired > s.reached) throw violated('harness', 'buggify-fired-within-reached', `site ${site} fired ${s.fired} times of ${s.reached} reached`);
    return true;
  }

  /** Whether `site` is switched on in this run (decided on first use, from seed and name). */
  isSiteEnabled(site: string): boolean {
    return this.enabled && this.site(site).enabled;
  }

  /** Every site reached so far, sorted by name. */
  coverage(): BuggifySiteCoverage[] {
    return [...this.sites.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([site, s]) => ({ site, enabled: s.enabled, reached: s.reached, fired: s.fired }));
  }

  private site(name: string): Site {
    let s = this.sites.get(name);
    if (s === undefined) {
      if (this.sites.size >= SITES_MAX) throw new Error(`Buggify bound: at most ${SITES_MAX} sites`);
      const stream = this.prng.fork(`site/${name}`);
      s = { enabled: stream.chance(this.siteEnabled.num, this.siteEnabled.den), stream, reached: 0, fired: 0 };
      this.sites.set(name, s);
      if (this.sites.size > SITES_MAX || this.sites.get(name) !== s) throw violated('harness', 'buggify-site-once', `site ${name} registered as one of ${this.sites.size}`);
    }
    return s;
  }
}
