// Error replies: etcd's message with etcd's gRPC code passes; the right message with another code,
// or an "error" text that is not the message, fails; a message outside etcd's table is not judged.
import { describe, expect, it } from 'vitest';
import { checkErrorReplies, etcdErrorCode } from '../../../sim/check/error-replies.ts';
import type { Op } from '../../../sim/history/op.ts';

const COMPACTED = 'etcdserver: mvcc: required revision has been compacted';

function failed(value: unknown, f = 'kv/range'): Op[] {
  return [
    { index: 0, time: 1, process: 0, type: 'invoke', f, value: {} },
    { index: 1, time: 2, process: 0, type: 'fail', f, value, error: typeof value === 'object' && value !== null ? String((value as { message?: unknown }).message) : 'x' },
  ];
}

describe('error replies', () => {
  it('pass when every error carries etcd\'s code, and count what they judged', () => {
    const ops = [
      ...failed({ error: COMPACTED, message: COMPACTED, code: 11 }),
      ...failed({ error: 'etcdserver: requested lease not found', message: 'etcdserver: requested lease not found', code: 5 }, 'kv/put').map((o) => ({ ...o, index: o.index + 2, process: 1 })),
    ];
    const r = checkErrorReplies(ops);
    expect(r.valid).toBe(true);
    expect(r.judged).toBe(2);
    expect(r.violations).toEqual([]);
    expect(r.summary).toBe("2 error replies with etcd's code");
    expect(checkErrorReplies(ops.slice(0, 2)).summary).toBe("1 error reply with etcd's code");
  });

  it('fail on etcd\'s message with another code', () => {
    const r = checkErrorReplies(failed({ error: COMPACTED, message: COMPACTED, code: 9 }));
    expect(r.valid).toBe(false);
    expect(r.summary).toMatch(/code 9; etcd answers it with code 11/);
  });

  it('fail when the error text is not the message', () => {
    const r = checkErrorReplies(failed({ error: 'compacted', message: COMPACTED, code: 11 }));
    expect(r.valid).toBe(false);
    expect(r.violations[0]!.message).toMatch(/differs from message/);
  });

  it('leave a message outside etcd\'s table unjudged, and ok ops and bodies without a code alone', () => {
    const odd = checkErrorReplies(failed({ error: 'json: unexpected end', message: 'json: unexpected end', code: 3 }));
    // Nothing judged: nothing to check, not valid.
    expect(odd).toMatchObject({ valid: 'unknown', nothing: true, summary: "nothing to check: no error reply with a message of etcd's (1 outside its table, not judged)" });
    expect([odd.judged, odd.unjudged]).toEqual([0, 1]);
    const ok: Op[] = [{ index: 0, time: 1, process: 0, type: 'ok', f: 'kv/range', value: { message: COMPACTED, code: 9 } }];
    expect(checkErrorReplies(ok).judged).toBe(0);
    expect(checkErrorReplies(failed({ message: COMPACTED })).judged).toBe(0);
  });

  it('fail on a message etcd gives only to other requests: a keep-alive or time-to-live answered "lease not found" (etcd answers TTL 0, TTL -1)', () => {
    const NOT_FOUND = 'etcdserver: requested lease not found';
    const body = { error: NOT_FOUND, message: NOT_FOUND, code: 5 };
    for (const f of ['lease/keepalive', 'lease/timetolive']) {
      const r = checkErrorReplies(failed(body, f));
      expect(r.valid).toBe(false);
      expect(r.summary).toMatch(new RegExp(`${f}.*answered to a ${f}: etcd 3.4 answers it only to kv/put, kv/txn, lease/revoke, lease/grant`));
    }
    for (const f of ['kv/put', 'kv/txn', 'lease/revoke']) expect(checkErrorReplies(failed(body, f)).valid).toBe(true);
    const dup = 'etcdserver: duplicate key given in txn request';
    expect(checkErrorReplies(failed({ error: dup, message: dup, code: 3 }, 'kv/put')).valid).toBe(false);
    expect(checkErrorReplies(failed({ error: COMPACTED, message: COMPACTED, code: 11 }, 'kv/put')).valid).toBe(false);
    // Any request may time out or lose its leader; a user's own op names are not judged.
    expect(checkErrorReplies(failed({ error: 'etcdserver: no leader', message: 'etcdserver: no leader', code: 14 }, 'lease/keepalive')).valid).toBe(true);
    expect(checkErrorReplies(failed(body, 'acquire')).valid).toBe(true);
  });

  it('know messages with a variable part by their prefix', () => {
    expect(etcdErrorCode('grpc: received message larger than max (3000000 vs. 2097152)')).toBe(8);
    expect(etcdErrorCode('etcdserver: no leader')).toBe(14);
    expect(etcdErrorCode('no such error')).toBeUndefined();
  });

  it('take etcd 3.4\'s Unknown for the two errors its toGRPCErrorMap sends as client-side errors', () => {
    const TOO_MANY = 'etcdserver: too many requests';
    expect(checkErrorReplies(failed({ error: TOO_MANY, message: TOO_MANY, code: 2 }, 'kv/put')).valid).toBe(true);
    // rpctypes' ResourceExhausted is what clientv3 turns it into, never what the wire carries.
    expect(checkErrorReplies(failed({ error: TOO_MANY, message: TOO_MANY, code: 8 }, 'kv/put')).valid).toBe(false);
    expect(etcdErrorCode('etcdserver: re-configuration failed due to not enough started members')).toBe(2);
  });
});
