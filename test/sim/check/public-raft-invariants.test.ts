// detcd/check's RaftInvariants takes views from a program: each view is typed and bounded where
// it comes in (sim/check/raft-view-argument.ts), so a wrong one is one UsageError naming the view
// and field, never a hang (an Infinity commit or lastIndex, a 2^60 applied index walked index by
// index: s22 API fuzz, 6 hangs) or a TypeError from inside. Faithful views are judged as before:
// the simulator's own members pass through it during a run of crashes and snapshots, and a
// planted violation is still found.
import { describe, expect, it } from 'vitest';
import { RaftInvariants } from '../../../sim/check/index.ts';
import { RaftInvariants as Observer } from '../../../sim/check/raft-invariants.ts';
import type { RaftView } from '../../../sim/check/raft-invariants.ts';
import { VIEWS_MAX, VIEW_INDEXES_MAX } from '../../../sim/check/raft-view-argument.ts';
import { makeEtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import { EtcdCluster } from '../../../sim/etcd/cluster.ts';
import { UsageError } from '../../../sim/errors/usage-error.ts';

const SECOND_US = 1_000_000;

function view(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'n1', incarnation: 1, term: 1, commit: 1, durableTerm: 1, durableCommit: 1, lastIndex: 1, firstIndex: 1, isLeader: true, applied: 1,
    entry: (i: number) => (i === 1 ? { term: 1, data: 'x' } : undefined), appliedEntry: () => undefined, snapshotMeta: { index: 0, term: 0 },
    ...over,
  };
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('not refused');
}

/** A value as a test name shows it (a Symbol or a BigInt has no JSON). */
function shown(v: unknown): string {
  if (typeof v === 'symbol') return 'a Symbol';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' || v === undefined) return String(v);
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'symbol' ? 'a Symbol' : x));
}

const check = (...views: unknown[]): string => refusal(() => new RaftInvariants().check(views as RaftView[]));

describe('detcd/check RaftInvariants.check types and bounds the views it is given', () => {
  it('takes a faithful view, and finds two leaders of one term through the checked views', () => {
    const inv = new RaftInvariants();
    expect(inv.check([view() as unknown as RaftView])).toBeUndefined();
    const v = inv.check([view({ id: 'n2', lastIndex: 1, entry: () => ({ term: 1, data: 'x' }) }) as unknown as RaftView]);
    expect(v?.invariant).toBe('election-safety');
  });

  it.each(([
    ['commit', Infinity, /views\[0\]\.commit: must be a whole number/],
    ['commit', 2 ** 60, /views\[0\]\.commit: must be a whole number/],
    ['lastIndex', Infinity, /views\[0\]\.lastIndex: must be a whole number/],
    ['lastIndex', 2 ** 50, /views\[0\]\.lastIndex: must be within 10000000 of firstIndex/],
    ['commit', 2, /views\[0\]\.commit: must be at most lastIndex \(1\)/],
    ['applied', 2 ** 50, /views\[0\]\.applied: must be within 10000000 of 1/],
    ['firstIndex', 3, /views\[0\]\.firstIndex: must be at most lastIndex \+ 1/],
    ['term', [], /views\[0\]\.term: must be a whole number/],
    ['term', 10n, /views\[0\]\.term: must be a whole number/],
    ['id', '', /views\[0\]\.id: must be a member name/],
    ['id', Symbol('s'), /views\[0\]\.id: must be a member name/],
    ['isLeader', 1, /views\[0\]\.isLeader: must be true or false/],
    ['entry', 'x', /views\[0\]\.entry: must be a function of an index/],
    ['appliedEntry', undefined, /views\[0\]\.appliedEntry: must be a function of an index/],
    ['termAt', 5, /views\[0\]\.termAt: must be a function of an index when given/],
    ['version', 'v', /views\[0\]\.version: must be a number when given/],
    ['snapshotMeta', null, /views\[0\]\.snapshotMeta: must be a snapshot's/],
    ['snapshotMeta', { index: Symbol('s'), term: 0 }, /views\[0\]\.snapshotMeta\.index: must be a whole number/],
  ] as [string, unknown, RegExp][]).map(([field, value, message]) => [field, shown(value), value, message] as const))('a view whose %s is %s is refused naming it', (field, _shown, value, message) => {
    expect(check(view({ [field]: value }))).toMatch(new RegExp(`^RaftInvariants\\.check: ${message.source}`));
  });

  it('refuses a string, an endless iterable, a sparse array, a hole and a member given twice', () => {
    expect(refusal(() => new RaftInvariants().check('x'.repeat(10_000_000) as never))).toMatch(/^RaftInvariants\.check: views: must be an iterable of Raft views/);
    function* endless(): Generator<unknown> {
      for (let i = 0; ; i++) yield view({ id: `n${i}` });
    }
    expect(refusal(() => new RaftInvariants().check(endless() as never))).toMatch(new RegExp(`views: must hold at most ${VIEWS_MAX} views`));
    const sparse: unknown[] = [];
    sparse.length = 2 ** 32 - 1;
    expect(refusal(() => new RaftInvariants().check(sparse as never))).toMatch(/^RaftInvariants\.check: views\[0\]: must be a Raft view/);
    expect(check(view(), view())).toMatch(/^RaftInvariants\.check: views\[1\]\.id: must name each member once/);
  });

  it('refuses an entry answered in the wrong shape, naming the call', () => {
    expect(check(view({ entry: () => 'x' }))).toMatch(/^RaftInvariants\.check: views\[0\]\.entry\(1\): must be an entry/);
    expect(check(view({ entry: () => ({ term: -1, data: 'x' }) }))).toMatch(/views\[0\]\.entry\(1\)\.term: must be a whole number/);
    expect(check(view({ entry: () => ({ term: 1, data: 5 }) }))).toMatch(/views\[0\]\.entry\(1\)\.data: must be a string or a payload/);
    expect(check(view({ entry: () => ({ term: 1, data: { text: () => 5 } }) }))).toMatch(/views\[0\]\.entry\(1\)\.data\.text\(\): must answer a string/);
    expect(check(view({ termAt: () => 'x' }))).toMatch(/views\[0\]\.termAt\(1\): must be a whole number/);
    // A payload's text is what is compared: the same text from two payloads is one entry.
    const inv = new RaftInvariants();
    expect(inv.check([view({ entry: () => ({ term: 1, data: { text: () => 'x' } }) }) as unknown as RaftView, view({ id: 'n2', isLeader: false }) as unknown as RaftView])).toBeUndefined();
  });

  it('bounds the applied walk from where the last check left it, not from the view alone', () => {
    const inv = new RaftInvariants();
    const first = view({ lastIndex: 5, commit: 5, applied: 5, firstIndex: 5, entry: () => ({ term: 1, data: 'x' }) });
    expect(inv.check([first as unknown as RaftView])).toBeUndefined();
    const far = { ...first, lastIndex: VIEW_INDEXES_MAX + 100, firstIndex: VIEW_INDEXES_MAX + 90, commit: VIEW_INDEXES_MAX + 95, applied: VIEW_INDEXES_MAX + 95 };
    expect(refusal(() => inv.check([far as unknown as RaftView]))).toMatch(/views\[0\]\.applied: must be within 10000000 of 6, the first applied index not yet looked at/);
    // After a restart (another incarnation) nothing applied before it is walked again.
    expect(inv.check([{ ...far, incarnation: 2, durableTerm: 1, durableCommit: 1 } as unknown as RaftView])).toBeUndefined();
  });
});

describe('detcd/check RaftInvariants.recordAck types what it is told', () => {
  it.each(([
    [['', 1, { term: 1, data: 'x' }], /recordAck: member: must be a member name/],
    [['n1', Symbol('s'), { term: 1, data: 'x' }], /recordAck: index: must be a whole number/],
    [['n1', 10n, { term: 1, data: 'x' }], /recordAck: index: must be a whole number/],
    [['n1', [], { term: 1, data: 'x' }], /recordAck: index: must be a whole number/],
    [['n1', 1, undefined], /recordAck: entry: must be an entry \(\{term, data\}\), got/],
    [['n1', 1, { term: 'x', data: 'x' }], /recordAck: entry\.term: must be a whole number/],
  ] as [unknown[], RegExp][]).map(([args, message]) => [args.map(shown).join(', '), args, message] as const))('(%s) is refused', (_shown, args, message) => {
    expect(refusal(() => new RaftInvariants().recordAck(...(args as [string, number, never])))).toMatch(new RegExp(`^RaftInvariants\\.${message.source}`));
  });

  it('still convicts an acknowledged entry that is not the one committed', () => {
    const inv = new RaftInvariants();
    expect(inv.check([view() as unknown as RaftView])).toBeUndefined();
    expect(inv.recordAck('n1', 1, { term: 1, data: 'y' })?.invariant).toBe('committed-entry-lost');
  });
});

describe('the simulator\'s own members pass the public checks', () => {
  it('seed 3: a cluster with crashes, restarts and snapshots is refused nothing and judged as the observer judges it', () => {
    const cluster = new EtcdCluster({ seed: 3, members: 3, makeStateMachine: makeEtcdStateMachine, settings: { snapshotCount: 20, snapshotCatchUpEntries: 5 } });
    const checked = new RaftInvariants();
    const observer = new Observer();
    let checks = 0;
    cluster.world.onEvent(() => {
      const views = cluster.raftViews();
      expect(checked.check(views)).toEqual(observer.check(views));
      checks++;
    });
    cluster.start();
    const writer = cluster.client('c0', { requestTimeoutUs: SECOND_US });
    let seq = 0;
    const put = (): void => {
      writer.call({ path: '/v3/kv/put', body: { key: btoa(`k${seq % 3}`), value: btoa(`v${++seq}`) } }, 0, () => cluster.world.loop.schedule(10_000, put));
    };
    cluster.world.loop.schedule(SECOND_US, put);
    for (const [t, victim] of [[2, 'n1'], [3, 'n2'], [4, 'n3']] as const) {
      cluster.world.loop.at(t * SECOND_US, () => cluster.world.crash(victim));
      cluster.world.loop.at(t * SECOND_US + 400_000, () => cluster.world.restart(victim));
    }
    cluster.runUntil(6 * SECOND_US);
    expect(seq, 'replay: npx vitest run test/sim/check/public-raft-invariants.test.ts').toBeGreaterThan(50);
    expect(checks).toBeGreaterThan(1000);
    expect(checked.violation).toBeUndefined();
  });
});
