// The linearizable read loop: one ReadIndex per batch, retries with fresh ids, "leader changed"
// and "request timed out", and reads served only once the read index is applied.
import { describe, expect, test } from 'vitest';
import { ReadIndexLoop } from '../../../src/server/read-index-loop.ts';

function loop(timeoutMs = 7_000): { l: ReadIndexLoop<string>; sent: string[] } {
  const sent: string[] = [];
  let n = 0;
  const l = new ReadIndexLoop<string>({ readIndex: (ctx) => sent.push(ctx), newContext: () => `ctx${++n}` }, timeoutMs, 3);
  return { l, sent };
}

describe('read index loop', () => {
  test('reads arriving during a round share the next round: two ReadIndex calls for three reads', () => {
    const { l, sent } = loop();
    l.enqueue('r1', 0);
    l.enqueue('r2', 1);
    l.enqueue('r3', 2);
    expect(sent).toEqual(['ctx1']);
    l.onReadState('ctx1', 10, 10, 5);
    expect(l.takeOutcome().served).toEqual(['r1']);
    expect(sent).toEqual(['ctx1', 'ctx2']);
    l.onReadState('ctx2', 11, 10, 6);
    expect(l.takeOutcome().served).toEqual([]);
    l.onApplied(11);
    expect(l.takeOutcome().served).toEqual(['r2', 'r3']);
  });

  test('a read is not served before the member applied up to its read index', () => {
    const { l } = loop();
    l.enqueue('r', 0);
    l.onReadState('ctx1', 20, 19, 1);
    expect(l.takeOutcome().served).toEqual([]);
    l.onApplied(19);
    expect(l.takeOutcome().served).toEqual([]);
    l.onApplied(20);
    expect(l.takeOutcome().served).toEqual(['r']);
  });

  test('a stale context is ignored; the round is retried with a fresh id every 500 ms', () => {
    const { l, sent } = loop();
    l.enqueue('r', 0);
    l.tick(499);
    expect(sent).toEqual(['ctx1']);
    l.tick(500);
    expect(sent).toEqual(['ctx1', 'ctx2']);
    l.onReadState('ctx1', 5, 5, 501);
    expect(l.takeOutcome().served).toEqual([]);
    l.onReadState('ctx2', 5, 5, 502);
    expect(l.takeOutcome().served).toEqual(['r']);
  });

  test('a leader change fails the round with "leader changed"; ReqTimeout fails it with "request timed out"', () => {
    const { l } = loop(1_000);
    l.enqueue('a', 0);
    l.onLeaderChange(1);
    expect(l.takeOutcome().failed.map((f) => [f.waiter, f.error.message])).toEqual([['a', 'etcdserver: leader changed']]);
    l.enqueue('b', 10);
    l.tick(1_010);
    expect(l.takeOutcome().failed.map((f) => [f.waiter, f.error.message])).toEqual([['b', 'etcdserver: request timed out']]);
  });

  test('the loop is bounded: past its capacity enqueue refuses', () => {
    const { l } = loop();
    expect([l.enqueue('1', 0), l.enqueue('2', 0), l.enqueue('3', 0), l.enqueue('4', 0)]).toEqual([true, true, true, false]);
  });
});

describe('the planted bug read-index-reuses-context (etcd#20418)', () => {
  function planted(reuse: boolean): { l: ReadIndexLoop<string>; sent: string[] } {
    const sent: string[] = [];
    let n = 0;
    const l = new ReadIndexLoop<string>({ readIndex: (ctx) => sent.push(ctx), newContext: () => `ctx${++n}` }, 7_000, 10, { reuseContext: reuse });
    return { l, sent };
  }

  test('a late answer to the first attempt serves a read that arrived after the retry, only with the bug', () => {
    for (const reuse of [false, true]) {
      const { l, sent } = planted(reuse);
      l.enqueue('early', 0);
      l.tick(500); // no answer: retried
      expect(sent, `reuse ${reuse}`).toEqual(reuse ? ['ctx1', 'ctx1'] : ['ctx1', 'ctx2']);
      l.enqueue('late', 600); // arrives after a write it must see
      l.onReadState('ctx1', 10, 10, 700); // the first attempt's answer, from before that write
      const served = l.takeOutcome().served;
      // Correct: the stale context is ignored. Planted: both reads are served at index 10.
      expect(served, `reuse ${reuse}`).toEqual(reuse ? ['early', 'late'] : []);
    }
  });
});
