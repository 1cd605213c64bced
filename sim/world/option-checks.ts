// The options of detcd/world's constructors (World, Network, SimDisk, NodeClock) and of
// Network.setLink, each checked here once with the path the program passed it under: a wrong one is
// one UsageError like "new World: options.network.latency: must be ..., got null". Before, a
// program met "link: bad latency -1", a TypeError ('reading kind') from the first message drawn,
// or "Prng.int: bound ..." for a huge clock.driftPpmMax: errors that named no argument.
// A field given as undefined is not given (the defaults stay); a field no option has is refused
// (a misspelt option silently kept its default).
import { badArgument, checkObjectArgument, checkWholeArgument } from '../errors/bad-argument.ts';
import { CLOCK_OFFSET_US_MAX, DRIFT_PPM_MAX } from './clock.ts';
import type { ClockOptions } from './clock.ts';
import type { DiskOptions } from './disk.ts';
import type { Latency, LinkOptions } from './link.ts';
import type { NetworkOptions } from './network.ts';
import { isRatio } from './ratio.ts';
import type { WorldClockOptions } from './world.ts';

const LINK_KEYS = ['latency', 'drop', 'duplicate', 'reorder', 'reorderDelayUsMax', 'duplicateDelayUsMax'] as const;
const NETWORK_KEYS = [...LINK_KEYS, 'heldMessagesMax', 'linkCapacityMax'] as const;
const DISK_KEYS = ['fsyncLatencyUsMin', 'fsyncLatencyUsMax', 'fsyncSpike', 'fsyncSpikeLatencyUs', 'tornWrite'] as const;
const CLOCK_KEYS = ['offsetUs', 'driftPpm'] as const;
const WORLD_CLOCK_KEYS = [...CLOCK_KEYS, 'offsetUsMax', 'driftPpmMax', 'perNode'] as const;
/** A drawn offset comes from Prng.intRange(-max, max): 2 max + 1 values must fit in 2^32. */
const OFFSET_US_MAX_DRAWN = 2 ** 31 - 1;
const LATENCY_SHAPES = "{kind: 'constant', us}, {kind: 'uniform', minUs, maxUs} or {kind: 'exponential', floorUs, meanUs, capUs?}";

/** `v`'s given fields (undefined ones dropped), after refusing a key no option has. */
function givenFields(fn: string, path: string, v: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  const o = checkObjectArgument(fn, path, v, what);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(o)) {
    if (!keys.includes(key)) throw badArgument(fn, `${path}.${key}`, `is no option (the options are ${keys.join(', ')})`, o[key]);
    if (o[key] !== undefined) out[key] = o[key];
  }
  return out;
}

function checkRatioOption(fn: string, path: string, v: unknown): void {
  if (!isRatio(v)) throw badArgument(fn, path, 'must be a probability {num, den}: whole numbers with 0 <= num <= den and den >= 1', v);
}

/** A latency a link can draw from, each bound whole and in order. */
export function checkLatencyOption(fn: string, path: string, v: unknown): Latency {
  const l = checkObjectArgument(fn, path, v, `a latency: ${LATENCY_SHAPES}`);
  const us = (field: string, min = 0): number => checkWholeArgument(fn, `${path}.${field}`, l[field], min);
  if (l['kind'] === 'constant') {
    givenFields(fn, path, l, 'a latency', ['kind', 'us']);
    us('us');
  } else if (l['kind'] === 'uniform') {
    givenFields(fn, path, l, 'a latency', ['kind', 'minUs', 'maxUs']);
    us('maxUs', us('minUs'));
  } else if (l['kind'] === 'exponential') {
    givenFields(fn, path, l, 'a latency', ['kind', 'floorUs', 'meanUs', 'capUs']);
    const floorUs = us('floorUs');
    const meanUs = l['meanUs'];
    if (typeof meanUs !== 'number' || !Number.isFinite(meanUs) || meanUs < 0 || floorUs + 20 * meanUs > Number.MAX_SAFE_INTEGER) {
      throw badArgument(fn, `${path}.meanUs`, 'must be a finite number of µs from 0 up', meanUs);
    }
    if (l['capUs'] !== undefined) us('capUs', floorUs);
  } else {
    throw badArgument(fn, `${path}.kind`, "must be 'constant', 'uniform' or 'exponential'", l['kind']);
  }
  return l as unknown as Latency;
}

/** A link's options (setLink, or a network's defaults with `keys` = NETWORK_KEYS), given fields only. */
export function checkLinkOptions(fn: string, path: string, v: unknown, keys: readonly string[] = LINK_KEYS): LinkOptions {
  const o = givenFields(fn, path, v, keys === LINK_KEYS ? 'link options (an object)' : 'network options (an object)', keys);
  if (o['latency'] !== undefined) checkLatencyOption(fn, `${path}.latency`, o['latency']);
  for (const field of ['drop', 'duplicate', 'reorder']) if (o[field] !== undefined) checkRatioOption(fn, `${path}.${field}`, o[field]);
  for (const field of ['reorderDelayUsMax', 'duplicateDelayUsMax']) if (o[field] !== undefined) checkWholeArgument(fn, `${path}.${field}`, o[field], 0);
  return o;
}

/** A network's options: its links' defaults and its two bounds. */
export function checkNetworkOptions(fn: string, path: string, v: unknown): NetworkOptions {
  const o = checkLinkOptions(fn, path, v, NETWORK_KEYS) as Record<string, unknown>;
  for (const field of ['heldMessagesMax', 'linkCapacityMax']) if (o[field] !== undefined) checkWholeArgument(fn, `${path}.${field}`, o[field], 1);
  return o;
}

/** A disk's options: fsync latencies in order, probabilities as ratios. */
export function checkDiskOptions(fn: string, path: string, v: unknown, defaults: Required<DiskOptions>): DiskOptions {
  const o = givenFields(fn, path, v, 'disk options (an object)', DISK_KEYS);
  const min = o['fsyncLatencyUsMin'] === undefined ? defaults.fsyncLatencyUsMin : checkWholeArgument(fn, `${path}.fsyncLatencyUsMin`, o['fsyncLatencyUsMin'], 0);
  if (o['fsyncLatencyUsMax'] !== undefined) checkWholeArgument(fn, `${path}.fsyncLatencyUsMax`, o['fsyncLatencyUsMax'], 0);
  const max = (o['fsyncLatencyUsMax'] as number | undefined) ?? defaults.fsyncLatencyUsMax;
  if (max < min) throw badArgument(fn, `${path}.fsyncLatencyUsMax`, `must be at least fsyncLatencyUsMin (${min})`, max);
  if (o['fsyncSpikeLatencyUs'] !== undefined) checkWholeArgument(fn, `${path}.fsyncSpikeLatencyUs`, o['fsyncSpikeLatencyUs'], 0);
  for (const field of ['fsyncSpike', 'tornWrite']) if (o[field] !== undefined) checkRatioOption(fn, `${path}.${field}`, o[field]);
  return o;
}

function checkDriftPpm(fn: string, path: string, v: unknown): number {
  return checkWholeArgument(fn, path, v, -DRIFT_PPM_MAX, DRIFT_PPM_MAX);
}

function checkOffsetUs(fn: string, path: string, v: unknown): number {
  return checkWholeArgument(fn, path, v, -CLOCK_OFFSET_US_MAX, CLOCK_OFFSET_US_MAX);
}

/** One clock's exact settings. */
export function checkClockOptions(fn: string, path: string, v: unknown): ClockOptions {
  const o = givenFields(fn, path, v, 'clock options ({offsetUs?, driftPpm?})', CLOCK_KEYS);
  if (o['offsetUs'] !== undefined) checkOffsetUs(fn, `${path}.offsetUs`, o['offsetUs']);
  if (o['driftPpm'] !== undefined) checkDriftPpm(fn, `${path}.driftPpm`, o['driftPpm']);
  return o;
}

/** A world's clocks: a base, a spread drawn per node (its sum with the base stays in bounds), exact settings for named nodes. */
export function checkWorldClockOptions(fn: string, path: string, v: unknown, nodes: readonly string[]): WorldClockOptions {
  const o = givenFields(fn, path, v, 'clock options ({offsetUs?, driftPpm?, offsetUsMax?, driftPpmMax?, perNode?})', WORLD_CLOCK_KEYS);
  const base = checkClockOptions(fn, path, { offsetUs: o['offsetUs'], driftPpm: o['driftPpm'] });
  const offsetUs = base.offsetUs ?? 0;
  const driftPpm = base.driftPpm ?? 0;
  if (o['offsetUsMax'] !== undefined) checkWholeArgument(fn, `${path}.offsetUsMax`, o['offsetUsMax'], 0, Math.min(OFFSET_US_MAX_DRAWN, CLOCK_OFFSET_US_MAX - Math.abs(offsetUs)));
  if (o['driftPpmMax'] !== undefined) checkWholeArgument(fn, `${path}.driftPpmMax`, o['driftPpmMax'], 0, DRIFT_PPM_MAX - Math.abs(driftPpm));
  if (o['perNode'] !== undefined) {
    const perNode = checkObjectArgument(fn, `${path}.perNode`, o['perNode'], 'an object of clock options by node name');
    for (const [node, clock] of Object.entries(perNode)) {
      if (!nodes.includes(node)) throw badArgument(fn, `${path}.perNode.${node}`, 'must name one of options.nodes', clock);
      checkClockOptions(fn, `${path}.perNode.${node}`, clock);
    }
  }
  return o;
}
