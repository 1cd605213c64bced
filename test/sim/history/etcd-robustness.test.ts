// etcd robustness-test histories (porcupine operations, client-N/operations.json) read as detcd
// etcd ops: what each request and answer becomes, and the one line that refuses what detcd
// cannot model. The hand-written run in test/fixtures/check/etcd-robustness/handwritten is in
// the shape etcd's tests/robustness writes (model/types.go: Input with every request field,
// Output a MaybeEtcdResponse), one etcd run of three clients: puts and deletes as one-op txns, a
// CAS txn, a lease granted (a real int64 ID above 2^53), a put with it and its revoke (the key
// goes), a limited range (Count above the KVs: `more`), a stale read (Revision 2), a compaction
// and a read of a compacted revision (an error), a defragment, a timed-out put that a later read
// shows took effect (the client then continues on a new stream, ClientId 3), a timed-out put
// nobody saw, and a 25-byte value recorded as its FNV-32a hash.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../sim/history/detect-format.ts';
import { parseRobustnessOps, robustnessHistory, UNRECORDED } from '../../../sim/history/etcd-robustness.ts';
import { pairOps } from '../../../sim/history/pair.ts';
import { checkEtcdPairs } from '../../../sim/check/history-check/etcd.ts';
import { runHistoryCheck } from '../../../sim/check/history-check/run.ts';

const RUN = join(import.meta.dirname, '../../fixtures/check/etcd-robustness/handwritten');
const clientText = (n: number): string => readFileSync(join(RUN, `client-${n}`, 'operations.json'), 'utf8');
const runTexts = (): string[] => [1, 2, 3].map(clientText);

function check(texts: readonly string[]): ReturnType<typeof runHistoryCheck> {
  const history = robustnessHistory(texts.map((t) => parseRobustnessOps(t)));
  return runHistoryCheck(checkEtcdPairs, 'etcd', history, {}, { initialRevision: 1 });
}

/** The fields of a recorded operation the edits below touch. */
interface RawOp {
  ClientId: number;
  Input: { Type: string; Range: { Start: string; End: string; Limit: number; Revision: number }; Txn: { Conditions: unknown[] | null } };
  Output: { Range: { KVs: { Key: string; Value: { Value: string }; ModRevision: number; Version?: number }[]; Count: number }; Txn: { Failure: boolean } };
}

/** The run with one op of one client edited (its JSON object, by ClientId and a predicate). */
function edited(client: number, pick: (o: RawOp) => boolean, edit: (o: RawOp) => void): string[] {
  return runTexts().map((text, i) => {
    if (i + 1 !== client) return text;
    let hits = 0;
    const out = text
      .trim()
      .split('\n')
      .map((line) => {
        const o = JSON.parse(line.replace(/"LeaseID":(\d{16,})/g, '"LeaseID":"$1"')) as RawOp;
        if (!pick(o)) return line;
        hits++;
        edit(o);
        return JSON.stringify(o);
      });
    expect(hits).toBe(1);
    return `${out.join('\n')}\n`;
  });
}

const isRangeOf = (client: number, key: string) => (o: RawOp) => o.ClientId === client && o.Input.Type === 'range' && o.Input.Range.Start === key && o.Input.Range.Revision === 0;

const b64 = (s: string): string => btoa(s);

describe('etcd robustness-test histories: read', () => {
  it('reads the hand-written run as etcd ops: txns, ranges, leases, compaction; defragment left out', () => {
    const ops = parseRobustnessOps(clientText(2));
    // client-2: grant, put with the lease, revoke, compact, defragment (left out), a hashed put.
    expect(ops.map((o) => o.f)).toEqual(['lease/grant', 'kv/txn', 'lease/revoke', 'kv/compaction', 'kv/txn']);
    expect(ops[0]!.request).toEqual({ ID: '7587869191925512706' });
    expect(ops[0]!.completion).toEqual({ type: 'ok', value: { header: { revision: '2' }, ID: '7587869191925512706' } });
    expect(ops[1]!.request).toEqual({ success: [{ request_put: { key: b64('key1'), value: b64('2'), lease: '7587869191925512706' } }] });
    expect(ops[3]!.request).toEqual({ revision: '5' });
    // A value of 20 bytes or more is recorded as its hash: the stand-in is 20 bytes or more, so no recorded value equals it.
    const hashed = (ops[4]!.request['success'] as { request_put: { value: string } }[])[0]!.request_put.value;
    expect(atob(hashed)).toBe('fnv32a-hash-of-value:2166136261');
    expect(atob(hashed).length).toBeGreaterThanOrEqual(20);
  });

  it('writes answers with what the recorder kept: no create_revision or lease, `more` from Count and Limit', () => {
    const ops = parseRobustnessOps(clientText(3));
    const limited = ops[0]!;
    expect(limited.request).toEqual({ key: b64('key'), range_end: b64('kez'), limit: '1' });
    expect(limited.completion).toEqual({ type: 'ok', value: { header: { revision: '3' }, kvs: [{ key: b64('key0'), value: b64('1'), mod_revision: '2', create_revision: UNRECORDED, version: UNRECORDED, lease: UNRECORDED }], count: '2', more: true } });
    expect(ops[2]!.request).toEqual({ key: b64('key0'), revision: '2' });
  });

  it('makes an Error an unknown outcome, except the errors the state decides', () => {
    const ops = parseRobustnessOps(clientText(1));
    const compacted = ops.find((o) => o.f === 'kv/range' && o.request['revision'] === '3')!;
    expect(compacted.completion).toEqual({ type: 'fail', error: 'etcdserver: mvcc: required revision has been compacted' });
    const timedOut = ops.find((o) => o.completion.type === 'info')!;
    expect(timedOut).toMatchObject({ f: 'kv/txn', ret: undefined, completion: { type: 'info', error: 'context deadline exceeded' } });
  });

  it('orders every client file of the run by time, unknown outcomes last, one process per stream', () => {
    const h = robustnessHistory(runTexts().map((t) => parseRobustnessOps(t)));
    expect(h.partialAnswers).toBe(true);
    expect(h.ops.length).toBe(2 * 19); // 20 operations, the defragment left out
    const times = h.ops.map((o) => o.time);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // The read refused as compacted completes at the end too (a failed op's Return is made up: the
    // tests set it past the run), so the put its client sent next gets a process of its own.
    expect(h.ops.slice(-3).map((o) => [o.type, o.process])).toEqual([['fail', '0'], ['info', '0.1'], ['info', '2']]);
    expect(pairOps(h).filter((p) => p.completion?.type === 'ok').length).toBe(16);
  });

  it('gives an op that overlaps its stream\'s previous one a process of its own', () => {
    const line = (call: number, ret: number, key: string): string => JSON.stringify({ ClientId: 5, Input: { Type: 'range', Range: { Start: key, End: '', Limit: 0, Revision: 0 } }, Call: call, Output: { Range: { KVs: [], Count: 0 }, Revision: 1 }, Return: ret });
    const h = robustnessHistory([parseRobustnessOps(`${line(10, 50, 'a')}\n${line(40, 60, 'b')}\n${line(70, 80, 'c')}\n`)]);
    expect(h.ops.filter((o) => o.type === 'invoke').map((o) => o.process)).toEqual(['5', '5.1', '5.1']);
    expect(pairOps(h).length).toBe(3);
  });

  it('is detected from its first line, or from a JSON array of operations', () => {
    expect(detectFormat(clientText(1))).toBe('etcd-robustness');
    expect(detectFormat(`[\n${clientText(1).trim().split('\n').join(',\n')}\n]`)).toBe('etcd-robustness');
    expect(detectFormat('{"index":0,"time":0,"process":0,"type":"invoke","f":"kv/range","value":{"key":"YQ=="}}')).toBe('jsonl');
    expect(parseRobustnessOps(`[${clientText(2).trim().split('\n').join(',')}]`).length).toBe(5);
  });
});

describe('etcd robustness-test histories: judged by the etcd model', () => {
  it('finds the hand-written run linearizable', () => {
    const r = check(runTexts());
    expect(r.valid).toBe(true);
    expect(r.ops).toBeGreaterThan(10);
  });

  it('finds a stale read (a key read back after its delete) not linearizable', () => {
    const r = check(edited(1, isRangeOf(4, 'key0'), (o) => (o.Output.Range = { KVs: [{ Key: 'key0', Value: { Value: '3' }, ModRevision: 4 }], Count: 1 })));
    expect(r.valid).toBe(false);
  });

  it('finds a lost write (an acknowledged put read back missing) not linearizable', () => {
    const r = check(edited(1, isRangeOf(4, 'key4'), (o) => (o.Output.Range = { KVs: [], Count: 0 })));
    expect(r.valid).toBe(false);
  });

  it('finds a wrong count, a wrong mod_revision and a wrong CAS outcome not linearizable', () => {
    const wide = (o: RawOp): boolean => o.ClientId === 2 && o.Input.Type === 'range' && o.Input.Range.End === 'kez' && o.Input.Range.Limit === 0;
    expect(check(edited(3, wide, (o) => (o.Output.Range.Count = 3))).valid).toBe(false);
    expect(check(edited(3, wide, (o) => (o.Output.Range.KVs[1]!.ModRevision = 2))).valid).toBe(false);
    const cas = (o: RawOp): boolean => o.Input.Type === 'txn' && (o.Input.Txn.Conditions ?? []).length === 1;
    expect(check(edited(1, cas, (o) => (o.Output.Txn.Failure = true))).valid).toBe(false);
  });

  it('finds a version that contradicts the writes not linearizable when the answer records it, and ignores it when it does not', () => {
    const key2 = isRangeOf(3, 'key2');
    expect(check(edited(3, key2, (o) => (o.Output.Range.KVs[0]!.Version = 1))).valid).toBe(true);
    expect(check(edited(3, key2, (o) => (o.Output.Range.KVs[0]!.Version = 2))).valid).toBe(false);
  });

  it('needs the whole run: one client alone sees writes it does not hold', () => {
    expect(check([clientText(3)]).valid).toBe(false);
  });
});

// A real etcd 3.4.23 run (3 members, `detcd run --target etcd --scenario kill-leader --seed 3`:
// the leader killed and restarted under etcd's robustness traffic mix, 11 requests timed out)
// written in the robustness format by bench/tools/robustness-export.mjs.
const REAL = join(import.meta.dirname, '../../fixtures/check/etcd-robustness/real-etcd-3.4.23-kill-leader-3');
const realClients = (): string[] => readdirSync(REAL).filter((d) => d.startsWith('client-')).sort();

/** The real run with line `line` of one client file replaced by `edit` of it. */
function realEdited(client: string, line: number, edit: (text: string) => string): string[] {
  return realClients().map((c) => {
    const text = readFileSync(join(REAL, c, 'operations.json'), 'utf8');
    if (c !== client) return text;
    const lines = text.split('\n');
    const before = lines[line - 1]!;
    lines[line - 1] = edit(before);
    expect(lines[line - 1]).not.toBe(before);
    return lines.join('\n');
  });
}

describe('etcd robustness-test histories: a real etcd run', () => {
  it('finds the real run linearizable, timed-out writes and all', () => {
    const texts = realClients().map((c) => readFileSync(join(REAL, c, 'operations.json'), 'utf8'));
    expect(texts.length).toBe(32);
    const r = check(texts);
    expect(r.valid).toBe(true);
    expect(r.ops).toBeGreaterThan(100);
  });

  it('finds it not linearizable with an acknowledged put read back missing (a lost write)', () => {
    // client-3 line 5 read key3 at revision 16 as v44-p4 (mod 14), put by client-5's acknowledged txn before the read's call.
    const lost = realEdited('client-3', 5, (t) => t.replace('"KVs":[{"Key":"key3","Value":{"Value":"v44-p4"},"ModRevision":14}],"Count":1', '"KVs":[],"Count":0'));
    expect(check(lost).valid).toBe(false);
  });

  it('finds it not linearizable with a read of an older value (a stale read)', () => {
    // client-6 line 7 read key8 at revision 31 as v94-p4 (mod 27); v20-p3 (mod 7) is what an earlier read saw.
    const stale = realEdited('client-6', 7, (t) => t.replace('{"Key":"key8","Value":{"Value":"v94-p4"},"ModRevision":27}', '{"Key":"key8","Value":{"Value":"v20-p3"},"ModRevision":7}'));
    expect(check(stale).valid).toBe(false);
  });
});

describe('etcd robustness-test histories: refused with one line naming the field', () => {
  const base = { ClientId: 0, Input: { Type: 'range', Range: { Start: 'a', End: '', Limit: 0, Revision: 0 } }, Call: 10, Output: { Range: { KVs: [], Count: 0 }, Revision: 1 }, Return: 20 };
  const refuse = (o: unknown, why: RegExp): void => {
    expect(() => parseRobustnessOps(`${JSON.stringify(base)}\n${typeof o === 'string' ? o : JSON.stringify(o)}\n`)).toThrow(why);
  };

  it('refuses requests and operations detcd does not model', () => {
    refuse({ ...base, Input: { Type: 'watch' } }, /line 2: field Input\.Type: "watch" is not a request detcd models \(range, txn, leaseGrant, leaseRevoke, compact, defragment\)/);
    refuse({ ...base, Input: { Type: 'txn', Txn: { OperationsOnSuccess: [{ Type: 'lock-operation' }] } } }, /line 2: field Input\.Txn\.OperationsOnSuccess\[0\]\.Type: "lock-operation" is not an operation/);
    // The early-2023 shape: the operation's key at its top level.
    refuse({ ...base, Input: { Type: 'txn', Txn: { OperationsOnSuccess: [{ Type: 'put', Key: 'a', Value: { Value: '1' } }] } } }, /line 2: field Input\.Txn\.OperationsOnSuccess\[0\]\.Key: an operation with its key at the top is the robustness format of early 2023/);
  });

  it('refuses a field it does not know when it is set, and reads past it when it is zero', () => {
    refuse({ ...base, Input: { Type: 'range', Range: { Start: 'a', KeysOnly: true } } }, /line 2: field Input\.Range\.KeysOnly: detcd does not know this field \(set to true\)/);
    refuse({ ...base, Output: { ...base.Output, Watch: { Events: [1] } } }, /line 2: field Output\.Watch: detcd does not know this field/);
    expect(parseRobustnessOps(JSON.stringify({ ...base, Input: { ...base.Input, Range: { ...base.Input.Range, KeysOnly: false } }, Extra: null })).length).toBe(1);
  });

  it('refuses answers that do not fit their request, and bad times', () => {
    refuse({ ...base, Return: 5 }, /line 2: field Return: must be the time of an answered request in nanoseconds not before Call \(10\)/);
    refuse({ ...base, Call: 'soon' }, /line 2: field Call: must be a time in nanoseconds/);
    refuse({ ...base, Output: { Range: { KVs: [], Count: 0 }, Revision: 0 } }, /line 2: field Output\.Revision: an answered request needs the revision/);
    refuse({ ...base, Output: { Range: { KVs: [{ Key: 'a', ModRevision: 2 }, { Key: 'b', ModRevision: 3 }], Count: 1 }, Revision: 3 } }, /line 2: field Output\.Range\.Count: is 1, but 2 KVs are listed/);
    refuse({ ...base, Input: { Type: 'txn', Txn: { OperationsOnSuccess: [{ Type: 'put-operation', Put: { Key: 'a', Value: { Value: '1' } } }] } }, Output: { Txn: { Failure: false, Results: [] }, Revision: 2 } }, /line 2: field Output\.Txn\.Results: has 0 results for the 1 operations of the success branch/);
    refuse({ ...base, Input: { Type: 'leaseGrant', LeaseGrant: { LeaseID: 1.5 } } }, /line 2: field Input\.LeaseGrant\.LeaseID: must be an int64/);
    refuse('{"ClientId":0,', /line 2: not JSON/);
    refuse('[1]', /line 2: field \(operation\): must be an object/);
  });
});
