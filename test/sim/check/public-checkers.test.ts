// The checkers as a program calls them through the package (detcd/check): a wrong argument is
// one UsageError naming the function, the argument and the reason (was a TypeError from inside
// a check, or a verdict on garbage); right arguments get exactly the checkers' own verdicts.
import { describe, expect, it } from 'vitest';
import { checkConvergence, checkLease, checkLinearizable, checkMutex, checkWatch, registerModel } from '../../../sim/check/index.ts';
import { checkLease as leaseInner } from '../../../sim/check/lease.ts';
import { checkWatch as watchInner } from '../../../sim/check/watch.ts';
import { checkLinearizable as linearizableInner } from '../../../sim/check/linearizability/check.ts';
import { history, hdr, kv } from './history-builder.ts';
import { refusal } from './refusal.ts';
import { World } from '../../../sim/world/index.ts';

const ops = history([
  [1, 'invoke', 'lease/grant', { ID: '7', TTL: '5' }],
  [1, 'ok', 'lease/grant', { ...hdr(1), ID: '7', TTL: '5' }],
  [2, 'invoke', 'put', { key: 'aw==', value: 'dg==', lease: '7' }],
  [2, 'ok', 'put', hdr(2)],
]).ops;

describe('the checkers refuse garbage in one line naming the function, the argument and the reason', () => {
  it.each([
    ['checkLease', () => checkLease(null as never), /^checkLease: history: must be an array of ops/],
    ['checkLease', () => checkLease([{}] as never), /^checkLease: history\[0\]\.process: must be a number or string, got nothing/],
    ['checkLease', () => checkLease([{ ...ops[0], type: 'done' }] as never), /^checkLease: history\[0\]\.type: must be invoke, ok, fail or info, got "done"/],
    ['checkLease', () => checkLease(ops, 5 as never), /^checkLease: options: must be an object of options, got 5/],
    ['checkLease', () => checkLease(ops, { maxViolations: 0 }), /^checkLease: options\.maxViolations: must be a whole number from 1 up, got 0/],
    ['checkWatch', () => checkWatch('records' as never), /^checkWatch: records: must be an array of watch records/],
    ['checkWatch', () => checkWatch([{ process: 1, time: 0 }] as never), /^checkWatch: records\[0\]\.response: must be etcd's WatchResponse/],
    ['checkWatch', () => checkWatch([], [null] as never), /^checkWatch: history\[0\]: must be an op object/],
    ['checkLinearizable', () => checkLinearizable([], {} as never), /^checkLinearizable: model: must be a model with init, step and equal functions \(init is not a function\)/],
    ['checkLinearizable', () => checkLinearizable([{ id: 0, index: 0, process: 1, input: 1, output: 1, call: 5, return: 3 }] as never, registerModel as never), /^checkLinearizable: history\[0\]\.return: must be a number not before call/],
    ['checkLinearizable', () => checkLinearizable([], registerModel, { maxSteps: -1 }), /^checkLinearizable: budget\.maxSteps: must be a whole number from 1 up, got -1/],
    ['checkConvergence', () => checkConvergence([{ node: 1 }] as never), /^checkConvergence: members\[0\]\.node: must be a string, got 1/],
    ['checkMutex', () => checkMutex(ops, 'leaders' as never), /^checkMutex: leaders: must be an array/],
  ])('%s', (_name, call, message) => {
    expect(refusal(call)).toMatch(message);
  });
});

describe('right arguments get the checkers\' own verdicts', () => {
  it('lease and watch: the same result as the checker the simulator calls', () => {
    expect(checkLease(ops)).toEqual(leaseInner(ops));
    const records = [
      { process: 'w', time: 1, request: { create_request: { key: 'aw==' } }, response: { ...hdr(1), created: true, watch_id: '0' } },
      { process: 'w', time: 50, response: { ...hdr(2), watch_id: '0', events: [{ kv: kv('k', 'v', 2, 2, 1, 7) }] } },
    ];
    const got = checkWatch(records, ops);
    expect(got).toEqual(watchInner(records, ops));
    expect(got.valid).toBe(true);
    // Its pair: a record the checker judges wrong is judged so through the package too.
    const wrong = [records[0]!, { ...records[1]!, response: { ...hdr(1), watch_id: '0', events: [{ kv: kv('k', 'v', 2, 2, 1, 7) }] } }];
    expect(checkWatch(wrong, ops).valid).toBe(false);
  });

  it('linearizability: a register history, valid and not', () => {
    expect(refusal(() => checkLinearizable([{ id: 0, process: 1, input: 1, output: 1, call: 1, return: 2 }] as never, registerModel as never))).toMatch(/^checkLinearizable: history\[0\]\.index: must be a whole number, got nothing/);
    const read = (id: number, v: number, call: number, ret: number) => ({ id, index: id, process: id, input: { f: 'read' as const }, output: { value: v }, call, return: ret });
    const write = (id: number, v: number, call: number, ret: number) => ({ id, index: id, process: id, input: { f: 'write' as const, value: v }, output: undefined, call, return: ret });
    const ok = [write(0, 1, 0, 1), read(1, 1, 2, 3)];
    const bad = [write(0, 1, 0, 1), read(1, 2, 2, 3)];
    type M = Parameters<typeof linearizableInner>[1];
    expect(checkLinearizable(ok as never, registerModel as M).valid).toBe(linearizableInner(ok as never, registerModel as M).valid);
    expect(checkLinearizable(ok as never, registerModel as M).valid).toBe(true);
    expect(checkLinearizable(bad as never, registerModel as M).valid).toBe(false);
    expect(checkConvergence([{ node: 'n1', revision: 3, compactRevision: 0, hash: 1 }, { node: 'n2', revision: 3, compactRevision: 0, hash: 2 }]).valid).toBe(false);
  });
});

describe('checkConvergence says compaction in words', () => {
  it('a store never compacted (compact revision -1) is "no compaction", never "compact -1"', () => {
    const agree = (compactRevision: number) => checkConvergence([{ node: 'n1', revision: 7, compactRevision, hash: 9 }, { node: 'n2', revision: 7, compactRevision, hash: 9 }]).summary;
    expect(agree(-1)).toBe('2 members agree: revision 7, no compaction, hash 9');
    expect(agree(5)).toBe('2 members agree: revision 7, compacted at 5, hash 9');
  });
});

describe('new World refuses wrong options in one line naming the option', () => {
  it.each([
    [{}, /^new World: options\.seed: must be a whole number or a non-empty string, got nothing/],
    [null, /^new World: options: must be world options/],
    [{ seed: 1 }, /^new World: options\.nodes: must be an array of 1\.\.1000 node names, got nothing/],
    [{ seed: 1, nodes: ['a', 'a'] }, /^new World: options\.nodes\[1\]: must not duplicate another node or client name, got "a"/],
    [{ seed: 1, nodes: ['a'], clients: [7] }, /^new World: options\.clients\[0\]: must be a non-empty string, got 7/],
    [{ seed: 1, nodes: ['a'], network: 'fast' }, /^new World: options\.network: must be network options \(an object\), got "fast"/],
    [{ seed: 1, nodes: ['a'], traceLog: -1 }, /^new World: options\.traceLog: must be a boolean or a whole number/],
  ])('%j', (options, message) => {
    expect(refusal(() => new World(options as never))).toMatch(message);
  });

  it('builds a world from right options', () => {
    const w = new World({ seed: 1, nodes: ['n1', 'n2'], clients: ['c1'] });
    expect(w.describe().nodes).toEqual(['n1', 'n2']);
  });
});
