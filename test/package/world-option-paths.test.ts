// detcd/world's constructors refuse a wrong option with one UsageError naming the function and
// the option's path (sim/world/option-checks.ts). Before, a program met plain Errors naming no
// argument ("link: bad latency -1", "SimDisk: need integers ..."), a TypeError from the first
// message drawn (network.latency null), "Prng.int: bound ..." for a huge clock.driftPpmMax, or its
// wrong option silently taken (network.heldMessagesMax -1, a misspelt option kept its default).
import { describe, expect, it } from 'vitest';
import * as world from '../../sim/world/index.ts';
import { refusal } from '../sim/check/refusal.ts';

const BASE = { seed: 1, nodes: ['n1', 'n2', 'n3'], clients: ['c1'] };
const env = { nowUs: () => 0, schedule: () => 0, cancel: () => {}, deliver: () => {}, trace: new world.Trace(() => 0, 0), nodeTraceId: 1 };

describe('detcd/world options name their path', () => {
  it.each([
    [{ network: { latency: null } }, /^new World: options\.network\.latency: must be a latency: .*, got null$/],
    [{ network: { latency: -1 } }, /^new World: options\.network\.latency: must be a latency: .*, got -1$/],
    [{ network: { latency: { kind: 'uniform', minUs: 5, maxUs: 1 } } }, /^new World: options\.network\.latency\.maxUs: must be a whole number from 5 up, got 1$/],
    [{ network: { latency: { kind: 'exponential', floorUs: 0, meanUs: Infinity } } }, /^new World: options\.network\.latency\.meanUs: must be a finite number/],
    [{ network: { latency: { kind: 'normal', us: 1 } } }, /^new World: options\.network\.latency\.kind: must be 'constant', 'uniform' or 'exponential', got "normal"$/],
    [{ network: { drop: { num: 2, den: 1 } } }, /^new World: options\.network\.drop: must be a probability/],
    [{ network: { reorderDelayUsMax: NaN } }, /^new World: options\.network\.reorderDelayUsMax: must be a whole number from 0 up, got NaN$/],
    [{ network: { heldMessagesMax: -1 } }, /^new World: options\.network\.heldMessagesMax: must be a whole number from 1 up, got -1$/],
    [{ network: { latancy: { kind: 'constant', us: 1 } } }, /^new World: options\.network\.latancy: is no option \(the options are latency, /],
    [{ disk: { fsyncLatencyUsMin: 'x' } }, /^new World: options\.disk\.fsyncLatencyUsMin: must be a whole number from 0 up, got "x"$/],
    [{ disk: { fsyncLatencyUsMax: 10 } }, /^new World: options\.disk\.fsyncLatencyUsMax: must be at least fsyncLatencyUsMin \(200\), got 10$/],
    [{ disk: { fsyncSpikeLatencyUs: -5 } }, /^new World: options\.disk\.fsyncSpikeLatencyUs: must be a whole number from 0 up, got -5$/],
    [{ disk: { tornWrite: null } }, /^new World: options\.disk\.tornWrite: must be a probability/],
    [{ clock: { driftPpmMax: 2 ** 60 } }, /^new World: options\.clock\.driftPpmMax: must be a whole number from 0 to 500000, got 1152921504606847000$/],
    [{ clock: { driftPpm: 400_000, driftPpmMax: 200_000 } }, /^new World: options\.clock\.driftPpmMax: must be a whole number from 0 to 100000, got 200000$/],
    [{ clock: { offsetUsMax: 2 ** 40 } }, /^new World: options\.clock\.offsetUsMax: must be a whole number from 0 to 2147483647/],
    [{ clock: { driftPpmMax: 0.5 } }, /^new World: options\.clock\.driftPpmMax: must be a whole number from 0 to 500000, got 0\.5$/],
    [{ clock: { perNode: { n9: { driftPpm: 1 } } } }, /^new World: options\.clock\.perNode\.n9: must name one of options\.nodes/],
    [{ clock: { perNode: { n1: { driftPpm: 0.5 } } } }, /^new World: options\.clock\.perNode\.n1\.driftPpm: must be a whole number from -500000 to 500000, got 0\.5$/],
    [{ prng: new world.Prng(2) }, /^new World: options\.prng: must be a Prng of the world's seed \(new Prng\(1\)\), got "a Prng of seed 2"$/],
    [{ sede: 1 }, /^new World: options\.sede: is no option/],
  ])('new World(%j) is refused naming the option', (extra, message) => {
    expect(refusal(() => new world.World(Object.assign({}, BASE, extra) as never))).toMatch(message);
  });

  it('the constructors and setters name their own argument', () => {
    expect(refusal(() => new world.NodeClock({ driftPpm: 0.5 }))).toMatch(/^NodeClock: options\.driftPpm: must be a whole number from -500000 to 500000, got 0\.5$/);
    expect(refusal(() => new world.NodeClock({ offsetUs: 2 ** 60 }))).toMatch(/^NodeClock: options\.offsetUs: must be a whole number from -1000000000000000 to 1000000000000000/);
    expect(refusal(() => new world.NodeClock().setDrift(0, 1e9))).toMatch(/^NodeClock\.setDrift: driftPpm: must be a whole number from -500000 to 500000, got 1000000000$/);
    expect(refusal(() => new world.SimDisk(env, new world.Prng(1), { fsyncLatencyUsMin: 5, fsyncLatencyUsMax: -1 }))).toMatch(/^SimDisk: options\.fsyncLatencyUsMax: must be a whole number from 0 up, got -1$/);
    expect(refusal(() => new world.SimDisk(env, new world.Prng(1)).setTornWrite({ num: 3, den: 2 }))).toMatch(/^SimDisk\.setTornWrite: tornWrite: must be a probability/);
    const w = new world.World(BASE);
    expect(refusal(() => w.network.setLink('n1', 'n2', { latency: { kind: 'constant', us: -1 } }))).toMatch(/^Network\.setLink: options\.latency\.us: must be a whole number from 0 up, got -1$/);
    expect(refusal(() => w.network.clog('n1', 'n2', -5))).toMatch(/^Network\.clog: durationUs: must be a whole number from 0 up, got -5$/);
    expect(refusal(() => w.network.clogNode('n1', NaN))).toMatch(/^Network\.clogNode: durationUs: must be a whole number from 0 up, got NaN$/);
    expect(refusal(() => world.drawLatencyUs(new world.Prng(1), { kind: 'constant', us: 1, extra: 2 } as never))).toMatch(/^drawLatencyUs: latency\.extra: is no option/);
    expect(refusal(() => new world.Prng(1).fork(null as never))).toMatch(/^Prng\.fork: name: must be a string, got null$/);
  });

  it('an option given as undefined keeps its default; valid options still build a world', () => {
    const w = new world.World(Object.assign({}, BASE, { network: { latency: undefined, drop: { num: 1, den: 10 } }, disk: { tornWrite: undefined }, clock: { driftPpmMax: 10, perNode: { n1: { offsetUs: 5 } } } }) as never);
    expect(w.describe().network.latency).toEqual(world.LINK_DEFAULTS.latency);
    expect(w.clock('n1').initialOffsetUs).toBe(5);
    expect(new world.SimDisk(env, new world.Prng(1), { tornWrite: undefined } as never)).toBeInstanceOf(world.SimDisk);
  });
});
