import { describe, expect, it } from 'vitest';
import type { Op } from '../../../sim/history/op.ts';
import { checkMutex } from '../../../sim/check/mutex.ts';

function history(events: [number, number, Op['type'], 'acquire' | 'release'][]): Op[] {
  return events.map(([time, process, type, f], index) => ({ index, time, process, type, f, value: null }));
}

describe('lock mutual-exclusion checker', () => {
  it('passes holds that follow one another', () => {
    const h = history([[0, 1, 'invoke', 'acquire'], [10, 1, 'ok', 'acquire'], [20, 2, 'invoke', 'acquire'], [30, 1, 'invoke', 'release'], [35, 1, 'ok', 'release'], [40, 2, 'ok', 'acquire'], [50, 2, 'invoke', 'release']]);
    expect(checkMutex(h).valid).toBe(true);
  });

  it('fails when a second process acquires while the first certainly holds', () => {
    const h = history([[0, 1, 'invoke', 'acquire'], [10, 1, 'ok', 'acquire'], [20, 2, 'invoke', 'acquire'], [25, 2, 'ok', 'acquire'], [30, 1, 'invoke', 'release']]);
    const r = checkMutex(h);
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/process 2 acquired the lock at 25 µs while process 1 held it/);
  });

  it('fails when a holder never releases and another acquires later', () => {
    const h = history([[0, 1, 'invoke', 'acquire'], [10, 1, 'ok', 'acquire'], [100, 2, 'invoke', 'acquire'], [110, 2, 'ok', 'acquire']]);
    expect(checkMutex(h).valid).toBe(false);
  });

  it('does not convict on an acquire of unknown outcome', () => {
    const h = history([[0, 1, 'invoke', 'acquire'], [10, 1, 'info', 'acquire'], [20, 2, 'invoke', 'acquire'], [25, 2, 'ok', 'acquire'], [30, 2, 'invoke', 'release']]);
    expect(checkMutex(h).valid).toBe(true);
  });

  it('says how many acquires of unknown outcome it did not judge (answered info, or never answered)', () => {
    const h = history([[0, 1, 'invoke', 'acquire'], [10, 1, 'info', 'acquire'], [20, 2, 'invoke', 'acquire'], [25, 2, 'ok', 'acquire'], [30, 2, 'invoke', 'release'], [40, 3, 'invoke', 'acquire']]);
    const r = checkMutex(h);
    expect(r.valid).toBe(true);
    const why = 'its outcome is unknown (answered info, or never), and a hold counts only from an acquire answered ok: a process that may have held the lock is judged against no other';
    expect(r['notJudged']).toEqual([{ count: 2, what: 'acquire', why }]);
    expect(r.summary).toBe(`1 acquires, no two holders at once; 2 acquires not judged: ${why}`);
    // Every acquire answered: nothing left out, nothing said.
    expect(checkMutex(history([[0, 1, 'invoke', 'acquire'], [10, 1, 'ok', 'acquire']]))['notJudged']).toBeUndefined();
  });

  it('says unknown when no acquire succeeded', () => {
    expect(checkMutex(history([[0, 1, 'invoke', 'acquire'], [5, 1, 'fail', 'acquire']])).valid).toBe('unknown');
  });
});
