// The explanation names the op that broke the model, not the innocent op the search stopped at:
// a stale read is reported with the write it had to follow, the state there, and the answer the
// model expected beside the one the read returned (keys and values decoded). An op that merely
// waits for a concurrent write is not blamed.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../../sim/check/check-history.ts';
import { findUnplaceable } from '../../../../sim/check/linearizability/unplaceable.ts';
import { registerModel, type RegisterOperation } from '../../../../sim/check/models/register.ts';
import { parseJsonl } from '../../../../sim/history/jsonl.ts';
import { explanationLines } from '../../../../sim/report/explanation-text.ts';
import { b64, staleReadJsonl } from '../../../fixtures/stale-read.ts';

describe('a stale read on the etcd model', () => {
  const r = checkHistory(parseJsonl(staleReadJsonl()), 'etcd');
  const x = r.explanation!;

  it('is not linearizable, and the one op that cannot be placed is the stale read', () => {
    expect(r.valid).toBe(false);
    expect(x.unplaceable.map((u) => u.index)).toEqual([4]);
    expect(x.unplaceable[0]!.after).toEqual([0]);
  });

  it('says what the model expected there (x=1 at revision 2) and what the read returned (revision 1, nothing)', () => {
    const u = x.unplaceable[0]!;
    expect(u.expected).toMatchObject({ header: { revision: '2' }, kvs: [{ key: 'x', value: '1', mod_revision: '2' }] });
    expect(u.returned).toEqual({ header: { revision: '1' } });
    expect(u.differences).toContainEqual({ path: 'header.revision', expected: '2', returned: '1' });
    expect(u.stateBefore).toContain('"x"="1"@2');
    expect(u.orderPassed).toEqual({ order: 2, bound: 1 });
  });

  it('names the stale read and the write in the summary, with decoded keys and no empty partition name', () => {
    expect(r.summary).toMatch(/#4 p2 range\("x"\).*cannot follow #0 put\("x", "1"\).*header\.revision expected 2, returned 1/);
    expect(r.summary).not.toContain('partition ""');
    expect(r.summary).not.toContain(b64('x'));
  });

  it('prints the culprit first in the terminal, with a field-by-field expected → returned', () => {
    const lines = explanationLines(x, '');
    expect(lines[0]).toBe('the history is not linearizable: 1 op cannot be placed');
    expect(lines[1]).toMatch(/^✗ #4 p2 range\("x"\)/);
    expect(lines).toContainEqual(expect.stringMatching(/^\s+header\.revision\s+2 → 1$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+#0 p0 put\("x", "1"\)/));
  });
});

describe('findUnplaceable on the register model', () => {
  // write(1) [0,10]; write(2) [20,30]; read→2 [25,40] waits for write(2); read→1 [35,50] is stale.
  const ops: RegisterOperation[] = [
    { id: 0, index: 0, process: 0, input: { f: 'write', value: 1 }, output: {}, call: 0, return: 10 },
    { id: 1, index: 1, process: 0, input: { f: 'write', value: 2 }, output: {}, call: 20, return: 30 },
    { id: 2, index: 2, process: 1, input: { f: 'read' }, output: { value: 2 }, call: 25, return: 40 },
    { id: 3, index: 3, process: 2, input: { f: 'read' }, output: { value: 1 }, call: 35, return: 50 },
  ];

  it('blames the stale read, not the read that only waits for a concurrent write', () => {
    const found = findUnplaceable(registerModel, ops, { ids: [], state: null });
    expect(found.map((u) => u.op.index)).toEqual([3]);
    expect(found[0]!.state).toBe(2);
    expect(found[0]!.after).toEqual([0, 1]);
  });

  it('blames nothing in a linearizable history', () => {
    const fine = ops.map((op) => (op.id === 3 ? { ...op, output: { value: 2 } } : op));
    expect(findUnplaceable(registerModel, fine, { ids: [], state: null })).toEqual([]);
  });

  it('reports expected and returned values for the register', () => {
    expect(registerModel.expectedOutput?.(2, { f: 'read' }, { value: 1 })).toEqual({ value: 2 });
    expect(registerModel.observedOutput?.({ f: 'read' }, { value: 1 })).toEqual({ value: 1 });
  });
});

describe('the summary of a violation whose ops hold long values', () => {
  // put x=A, put x=B complete; a read of x then answers A: each op's text holds a 400-byte value,
  // and the summary held three of them (1,100+ characters: a run page's card a page tall).
  const A = 'a'.repeat(400);
  const B = 'b'.repeat(400);
  const lines = [
    { index: 0, time: 1000, process: 0, type: 'invoke', f: 'kv/put', value: { key: b64('x'), value: b64(A) } },
    { index: 1, time: 2000, process: 0, type: 'ok', f: 'kv/put', value: { header: { revision: '2' } } },
    { index: 2, time: 3000, process: 0, type: 'invoke', f: 'kv/put', value: { key: b64('x'), value: b64(B) } },
    { index: 3, time: 4000, process: 0, type: 'ok', f: 'kv/put', value: { header: { revision: '3' } } },
    { index: 4, time: 5000, process: 1, type: 'invoke', f: 'kv/range', value: { key: b64('x') } },
    { index: 5, time: 6000, process: 1, type: 'ok', f: 'kv/range', value: { header: { revision: '2' }, kvs: [{ key: b64('x'), value: b64(A), create_revision: '2', mod_revision: '2', version: '1' }], count: '1' } },
  ];
  const r = checkHistory(parseJsonl(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'), 'etcd');

  it('is short at its source and still names the culprit, what it followed and the first differences; the explanation keeps it whole', () => {
    expect(r.valid).toBe(false);
    expect(r.summary!.length).toBeLessThanOrEqual(300);
    expect(r.summary).toMatch(/^not linearizable: #4 p1 range\("x"\) → .*… cannot follow #2 put\("x", "bbb.*… \(completed before it was invoked\): header\.revision expected 3, returned 2/);
    // The explanation keeps the whole reason.
    expect(r.explanation!.unplaceable[0]!.reason).toContain(`put("x", "${B}")`);
  });
});
