// A checker that had nothing to judge (no lease granted, no watch event, no lock acquired) said
// "valid (0 leases)" or, for the lock, "unknown" that held the run's verdict back. It now says
// "nothing to check" (valid "unknown", nothing: true), and it counts in a composed verdict only
// when no checker judged anything: never valid on nothing.
import { describe, expect, it } from 'vitest';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { checkLease } from '../../../sim/check/lease.ts';
import { checkWatch } from '../../../sim/check/watch.ts';
import { checkMutex } from '../../../sim/check/mutex.ts';
import { checkErrorReplies } from '../../../sim/check/error-replies.ts';
import { compose } from '../../../sim/check/compose.ts';
import { composeJudged, type CheckResult } from '../../../sim/check/verdict.ts';

const put = (index: number, time: number, type: Op['type'], value: unknown): Op => ({ index, time, process: 0, type, f: 'kv/put', value });
const kvOnly: Op[] = [put(0, 10, 'invoke', { key: 'YQ==', value: 'MQ==' }), put(1, 20, 'ok', { header: { revision: '2', raft_term: '2' } })];
const header = (revision: number) => ({ revision: String(revision), raft_term: '2' });
const created: WatchRecord = { process: 'w', time: 5, request: { create_request: { key: 'AA==', range_end: 'AA==' } }, response: { header: header(1), created: true } };
const grant = (i: number): Op[] => [
  { index: i, time: 30, process: 1, type: 'invoke', f: 'lease/grant', value: { TTL: '5', ID: '7' } },
  { index: i + 1, time: 40, process: 1, type: 'ok', f: 'lease/grant', value: { header: header(2), ID: '7', TTL: '5' } },
];

describe('a checker with nothing to check says so, never valid', () => {
  it('lease: no grant in the history', () => {
    const r = checkLease(kvOnly);
    expect(r).toMatchObject({ valid: 'unknown', nothing: true });
    expect(r.summary).toBe('nothing to check: no lease was granted');
  });

  it('lease: a granted lease is judged (valid, not nothing)', () => {
    const r = checkLease(grant(0));
    expect(r.valid).toBe(true);
    expect(r.nothing).toBeUndefined();
  });

  it('watch: a watch that delivered no event', () => {
    const r = checkWatch([created], kvOnly);
    expect(r).toMatchObject({ valid: 'unknown', nothing: true });
    expect(r.summary).toBe('nothing to check: 1 watch delivered no event');
  });

  it('watch: a watch owed an event it did not deliver is still a violation', () => {
    const r = checkWatch([created, { process: 'w', time: 30, response: { header: header(2) } }], kvOnly, { caughtUpRevision: 2 });
    expect(r.valid).toBe(false);
  });

  it('watch: one event is judged', () => {
    const event = { process: 'w', time: 30, response: { header: header(2), events: [{ kv: { key: 'YQ==', value: 'MQ==', create_revision: '2', mod_revision: '2', version: '1' } }] } };
    const r = checkWatch([created, event], kvOnly);
    expect(r.valid).toBe(true);
    expect(r.nothing).toBeUndefined();
  });

  it('error replies: none in the history', () => {
    expect(checkErrorReplies(kvOnly)).toMatchObject({ valid: 'unknown', nothing: true, summary: 'nothing to check: no error reply' });
  });

  it('lock: no acquire succeeded', () => {
    const r = checkMutex([{ index: 0, time: 0, process: 1, type: 'invoke', f: 'acquire', value: null }, { index: 1, time: 5, process: 1, type: 'fail', f: 'acquire', value: null }]);
    expect(r).toMatchObject({ valid: 'unknown', nothing: true, summary: 'nothing to check: no acquire succeeded' });
  });
});

describe('composing verdicts with a checker that had nothing to check', () => {
  const valid: CheckResult = { valid: true, summary: '3 ops linearizable' };
  const nothing: CheckResult = { valid: 'unknown', nothing: true, summary: 'nothing to check: no lease was granted' };
  const gaveUp: CheckResult = { valid: 'unknown', summary: 'unknown: budget' };

  it('a nothing beside a valid checker: valid', () => {
    expect(composeJudged([valid, nothing])).toBe(true);
    expect(compose({ linearizable: valid, lease: nothing })).toMatchObject({ valid: true, summary: 'all 1 checker valid (1 with nothing to check)' });
  });

  it('every checker nothing: unknown, never valid', () => {
    expect(composeJudged([nothing, nothing])).toBe('unknown');
    expect(compose({ lease: nothing, watch: nothing })).toMatchObject({ valid: 'unknown', summary: 'unknown: lease, watch' });
  });

  it('a violation or a checker that gave up still decides', () => {
    expect(composeJudged([nothing, { valid: false }])).toBe(false);
    expect(composeJudged([nothing, valid, gaveUp])).toBe('unknown');
    expect(compose({ lease: nothing, linearizable: gaveUp })).toMatchObject({ valid: 'unknown', summary: 'unknown: linearizable' });
  });
});
