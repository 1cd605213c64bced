// A watch violation of a real etcd run is named for the known bug whose shape it has
// (results.mayBeKnownBug), from the raw responses of two real etcd 3.4.23 runs and from the
// smallest histories of each shape, and never for a violation of another shape.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { mayBeKnownBugs } from '../../../sim/cli/target-etcd/known-bug-attribution.ts';
import { knownBugsOf } from '../../../sim/cli/target-etcd/known-bugs.ts';

interface Fixture {
  watches: WatchRecord[];
  history: Op[];
}

const fixture = (name: string): Fixture => JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/real', name), 'utf8')) as Fixture;

/** What a real run on `version` names for the watch checker's verdict on `f`. */
function attribute(f: Fixture, version = '3.4.23'): { valid: unknown; guarantees: string[]; mayBe: Record<string, string[]> } {
  const watch = checkWatch(f.watches, f.history);
  const mayBe = mayBeKnownBugs({ checkers: { watch }, excused: new Set(), unmitigable: [], shaped: knownBugsOf(version).filter((b) => b.watchShape !== undefined), watches: f.watches, history: f.history });
  return { valid: watch.valid, guarantees: watch.violations.map((v) => v.guarantee), mayBe };
}

const b64 = (s: string): string => Buffer.from(s, 'binary').toString('base64');
const header = (revision: number) => ({ header: { revision: String(revision) } });
const ev = (type: 'PUT' | 'DELETE', key: string, revision: number) => ({ ...(type === 'DELETE' ? { type } : {}), kv: { key: b64(key), mod_revision: String(revision), ...(type === 'PUT' ? { create_revision: String(revision), version: '1', value: b64('v') } : {}) } });
const everything = (start?: number) => ({ create_request: { key: 'AA==', range_end: 'AA==', progress_notify: true, ...(start !== undefined ? { start_revision: String(start) } : {}) } });

let time = 0;
const at = (process: string, response: unknown, request?: unknown): WatchRecord => ({ process, time: (time += 10), node: 'n1', response, ...(request !== undefined ? { request } : {}) });
const created = (process: string, rev: number, start?: number) => at(process, { ...header(rev), created: true }, everything(start));
const events = (process: string, rev: number, ...es: ReturnType<typeof ev>[]) => at(process, { ...header(rev), events: es });
const progress = (process: string, rev: number) => at(process, header(rev));

function compaction(revision: number, answer: 'ok' | 'fail' | 'none', t: number): Op[] {
  const invoke: Op = { index: 0, time: t, process: 100000, type: 'invoke', f: 'kv/compaction', value: { revision: String(revision) } };
  if (answer === 'none') return [invoke];
  return [invoke, { index: 1, time: t + 1, process: 100000, type: answer, f: 'kv/compaction', value: answer === 'ok' ? header(revision + 1) : { error: 'etcdserver: mvcc: required revision has been compacted' } }];
}

describe('etcd#20221: a watch opened past a lagging member\'s revision', () => {
  it('real etcd 3.4.23 (swarm seed 80): progress at the member\'s 18 after the watch re-opened there at 40 is named etcd#20221', () => {
    const r = attribute(fixture('etcd-20221-lagging-member.json'));
    expect(r.valid).toBe(false);
    expect(new Set(r.guarantees)).toEqual(new Set(['bookmarkable']));
    expect(r.mayBe).toEqual({ watch: ['etcd#20221'] });
  });

  it('any such history: progress below the start revision − 1 of its own watch; and events below the start of a watch opened in the future', () => {
    time = 0;
    const lowProgress = [created('w', 1), events('w', 2, ev('PUT', 'a', 2)), progress('w', 3), created('w', 2, 4), progress('w', 2)];
    expect(attribute({ watches: lowProgress, history: [] }).mayBe).toEqual({ watch: ['etcd#20221'] });
    // Events below the start revision of a watch the member opened behind it (the events half).
    const oldEvents = [created('w', 1), events('w', 2, ev('PUT', 'a', 2)), events('w', 3, ev('PUT', 'b', 3)), created('w', 2, 4), events('w', 3, ev('PUT', 'b', 3))];
    const r = attribute({ watches: oldEvents, history: [] });
    expect(new Set(r.guarantees)).toEqual(new Set(['atomic', 'unique']));
    expect(r.mayBe).toEqual({ watch: ['etcd#20221'] });
  });

  it('not for progress that goes back within what the watch asked for, nor for old events of a watch the member was not behind', () => {
    time = 0;
    // Re-opened at 3 (= last progress): a progress at 2 is start − 1, which the fix still sends: not the shape.
    const resumedLow = [created('w', 1), events('w', 2, ev('PUT', 'a', 2)), progress('w', 3), created('w', 3, 3), progress('w', 2)];
    const r = attribute({ watches: resumedLow, history: [] });
    expect(r.valid).toBe(false);
    expect(r.mayBe).toEqual({});
    const notBehind = [created('w', 1), events('w', 5, ev('PUT', 'a', 5)), created('w', 5, 6), events('w', 6, ev('PUT', 'b', 3))];
    const r2 = attribute({ watches: notBehind, history: [] });
    expect(r2.valid).toBe(false);
    expect(r2.mayBe).toEqual({});
  });
});

describe('etcd#18089: a watch opened at the compact revision misses the delete made there', () => {
  it('real etcd 3.4.23 (watch-compaction-churn seed 3): a watcher reconnecting at 15 after compact(15) missed DELETE key1@15, named etcd#18089; not on 3.4.34', () => {
    const f = fixture('etcd-18089-reconnect.json');
    const r = attribute(f);
    expect(r.valid).toBe(false);
    expect(new Set(r.guarantees)).toEqual(new Set(['resumable', 'reliable']));
    expect(r.mayBe).toEqual({ watch: ['etcd#18089'] });
    expect(attribute(f, '3.4.34').mayBe).toEqual({});
  });

  // w1 sees everything; w2 re-opens at 3 after compact(3), which the delete of a made.
  const run = (opts: { compactAt?: number; answer?: 'ok' | 'fail' | 'none'; compactAfter?: boolean; missedPut?: boolean } = {}): Fixture => {
    time = 0;
    const at3 = opts.missedPut === true ? [ev('PUT', 'c', 3)] : [ev('DELETE', 'a', 3)];
    const watches = [created('w1', 1), events('w1', 2, ev('PUT', 'a', 2)), events('w1', 3, ...at3), events('w1', 4, ev('PUT', 'b', 4)), created('w2', 1), events('w2', 2, ev('PUT', 'a', 2))];
    const compactTime = time + 5;
    const opened = created('w2', 4, 3);
    watches.push(opened, events('w2', 4, ev('PUT', 'b', 4)));
    const history = opts.compactAt === undefined && opts.answer === undefined && opts.compactAfter === undefined ? compaction(3, 'ok', compactTime) : compaction(opts.compactAt ?? 3, opts.answer ?? 'ok', opts.compactAfter === true ? opened.time + 1 : compactTime);
    return { watches, history };
  };

  it('any such history: the watch opened at S after a compaction to S was asked for (answered or not) misses only DELETEs at S', () => {
    expect(attribute(run()).mayBe).toEqual({ watch: ['etcd#18089'] });
    expect(attribute(run({ answer: 'none' })).mayBe).toEqual({ watch: ['etcd#18089'] });
  });

  it('also where the watch got the revision S without its DELETEs: the agreement violation with a watcher that got them (real etcd 3.4.23, compaction-deferred-restore seed 5)', () => {
    time = 0;
    const watches = [created('w1', 1), events('w1', 2, ev('PUT', 'a', 2)), events('w1', 3, ev('PUT', 'c', 3), ev('DELETE', 'a', 3)), events('w1', 4, ev('PUT', 'b', 4)), created('w2', 1), events('w2', 2, ev('PUT', 'a', 2))];
    const history = compaction(3, 'ok', time + 5);
    time += 10;
    watches.push(created('w2', 3, 3), events('w2', 3, ev('PUT', 'c', 3)), events('w2', 4, ev('PUT', 'b', 4)));
    const r = attribute({ watches, history });
    expect(r.guarantees).toContain('agreement');
    expect(r.mayBe).toEqual({ watch: ['etcd#18089'] });
    // A PUT missed at S is not the bug's shape, agreement or not.
    time = 0;
    const put = [created('w1', 1), events('w1', 3, ev('PUT', 'c', 3), ev('PUT', 'd', 3)), created('w2', 1)];
    const h2 = compaction(3, 'ok', time + 5);
    time += 10;
    put.push(created('w2', 3, 3), events('w2', 3, ev('PUT', 'c', 3)));
    expect(attribute({ watches: put, history: h2 }).mayBe).toEqual({});
  });

  it('not without a compaction to S before the watch opened, after a failed one, nor for a missed PUT', () => {
    for (const opts of [{ compactAt: 2 }, { answer: 'fail' as const }, { compactAfter: true }, { missedPut: true }]) {
      const r = attribute(run(opts));
      expect(r.valid, JSON.stringify(opts)).toBe(false);
      expect(r.mayBe, JSON.stringify(opts)).toEqual({});
    }
  });

  it('one violation of another shape leaves the whole checker unattributed', () => {
    const f = run();
    // w2 also gets an event twice: a unique violation no known bug explains.
    f.watches.push(events('w2', 4, ev('PUT', 'b', 4)));
    const r = attribute(f);
    expect(r.guarantees).toContain('unique');
    expect(r.mayBe).toEqual({});
  });
});

describe('etcd#15247: a stalled leader revokes leases early', () => {
  const lease = (...kinds: string[]) => ({ valid: false as const, violations: kinds.map((kind) => ({ kind, lease: '7', index: 0, message: kind })) });
  const mayBe = (checkers: Record<string, ReturnType<typeof lease>>) => mayBeKnownBugs({ checkers, excused: new Set(), unmitigable: knownBugsOf('3.4.23').filter((b) => b.mitigation === 'none' && b.watchShape === undefined), shaped: [], watches: [], history: [] });

  it('names a lease checker whose every violation is an early revoke, and any lock violation', () => {
    expect(mayBe({ lease: lease('revoked-early', 'revoked-early') })).toEqual({ lease: ['etcd#15247'] });
    expect(mayBe({ lock: lease('overlap') })).toEqual({ lock: ['etcd#15247'] });
  });

  it('not a lease that outlived its TTL, nor a checker with one such violation (real etcd 3.4.23, lease-failed-transfer seed 1: a false alarm it hid)', () => {
    expect(mayBe({ lease: lease('expired-key-visible') })).toEqual({});
    expect(mayBe({ lease: lease('revoked-early', 'expired-key-visible') })).toEqual({});
  });
});
