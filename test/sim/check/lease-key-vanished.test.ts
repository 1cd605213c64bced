// The key check (which keys vanished with their lease) indexes the puts by revision and the
// writes by key; on random histories it must answer every read exactly as the plain scan it
// replaced (lease-key-vanished-reference.ts), found keys and leases alike — also when the
// history's times are not in order (a file's history), and with puts sharing a revision.
import { describe, expect, it } from 'vitest';
import { KeyWrites } from '../../../sim/check/lease-key-vanished.ts';
import type { Op } from '../../../sim/history/op.ts';
import { Prng } from '../../../sim/world/prng.ts';
import { ReferenceKeyWrites } from './lease-key-vanished-reference.ts';

const KEYS = ['a', 'b', 'c', 'd'];
const b64 = (s: string): string => btoa(s);
const header = (revision: number): { header: Record<string, string> } => ({ header: { revision: String(revision), raft_term: '1', member_id: '1' } });

/** Puts (leased or not), deletes, range deletes and txns from a few clients, with reads that show some of the keys. */
function randomHistory(prng: Prng, shuffledTimes: boolean): Op[] {
  const ops: Op[] = [];
  let revision = 1;
  let t = 0;
  const open: { process: number; f: string; value: unknown; reply: () => { type: 'ok' | 'fail' | 'info'; value: unknown } }[] = [];
  for (let step = 0; step < 60; step++) {
    t += 1 + prng.int(300);
    if (open.length > 0 && (open.length >= 4 || prng.int(2) === 0)) {
      const [o] = open.splice(prng.int(open.length), 1);
      const r = o!.reply();
      const done: Op = { index: ops.length, time: t, process: o!.process, type: r.type, f: o!.f, value: r.value };
      // A failure is sure ("key not found") or ambiguous ("leader changed": it may have applied).
      if (r.type === 'fail') done.error = prng.int(2) === 0 ? 'etcdserver: key not found' : 'etcdserver: leader changed';
      ops.push(done);
      continue;
    }
    const process = 100 + step;
    const key = KEYS[prng.int(KEYS.length)]!;
    const kind = prng.int(6);
    const outcome = (): 'ok' | 'fail' | 'info' => (prng.int(8) === 0 ? 'fail' : prng.int(8) === 0 ? 'info' : 'ok');
    // Now and then two writes answer at one revision (a broken history), or the revision jumps.
    const nextRevision = (): number => (revision += prng.int(10) === 0 ? 0 : 1 + prng.int(2));
    let f: string;
    let value: unknown;
    let reply: () => { type: 'ok' | 'fail' | 'info'; value: unknown };
    if (kind <= 1) {
      f = 'kv/put';
      value = { key: b64(key), value: b64('v'), ...(prng.int(2) === 0 ? { lease: String(1 + prng.int(3)) } : {}) };
      reply = () => {
        const type = outcome();
        // Sometimes an ok answer without a header: its revision is unknown.
        return { type, value: type === 'ok' ? (prng.int(10) === 0 ? {} : header(nextRevision())) : { error: 'x' } };
      };
    } else if (kind === 2) {
      f = 'kv/deleterange';
      value = prng.int(2) === 0 ? { key: b64(key) } : { key: b64('a'), range_end: b64(KEYS[1 + prng.int(3)]!) };
      reply = () => {
        const type = outcome();
        return { type, value: type === 'ok' ? header(nextRevision()) : { error: 'x' } };
      };
    } else if (kind === 3) {
      f = 'kv/txn';
      value = { compare: [], success: [{ request_put: { key: b64(key), value: b64('t') } }], failure: [{ request_txn: { success: [{ request_delete_range: { key: b64(KEYS[prng.int(KEYS.length)]!) } }] } }] };
      reply = () => {
        const type = outcome();
        return { type, value: type === 'ok' ? { ...header(nextRevision()), succeeded: prng.int(2) === 0 } : { error: 'x' } };
      };
    } else {
      f = 'kv/range';
      // One key, every key from 'a' on, or the keys from 'b' up to before 'd'.
      const shape = prng.int(3);
      value = shape === 0 ? { key: b64(key) } : shape === 1 ? { key: b64('a'), range_end: b64('\0') } : { key: b64('b'), range_end: b64('d') };
      const inRange = shape === 0 ? [key] : shape === 1 ? KEYS : ['b', 'c'];
      reply = () => {
        const shown = inRange.filter(() => prng.int(2) === 0).map((k) => ({ key: b64(k), value: b64('v'), mod_revision: '2' }));
        return { type: 'ok', value: { ...header(revision + prng.int(2)), kvs: shown, count: String(shown.length) } };
      };
    }
    ops.push({ index: ops.length, time: t, process, type: 'invoke', f, value });
    open.push({ process, f, value, reply });
  }
  if (shuffledTimes) for (const op of ops) op.time = prng.int(20_000);
  return ops;
}

type Obj = Record<string, unknown>;

describe('the key check of revoked-early leases', () => {
  it('answers every read as the plain scan does, on 600 random histories', () => {
    const prng = new Prng(20261205);
    let found = 0;
    let empty = 0;
    for (let k = 0; k < 600; k++) {
      const ops = randomHistory(prng, k % 3 === 2);
      const fast = new KeyWrites(ops);
      const reference = new ReferenceKeyWrites(ops);
      const invokes = new Map<number | string, Op>();
      for (const op of ops) {
        if (op.type === 'invoke') {
          invokes.set(op.process, op);
          continue;
        }
        const inv = invokes.get(op.process);
        if (inv === undefined || inv.f !== 'kv/range' || op.type !== 'ok') continue;
        const expected = reference.vanished(inv.value as Obj, op.value as Obj, op.time);
        expect(fast.vanished(inv.value as Obj, op.value as Obj, op.time)).toEqual(expected);
        if (expected.length > 0) found++;
        else empty++;
      }
      expect(fast.exhausted).toBe(false);
    }
    // Both answers are common in the sample.
    expect(found).toBeGreaterThan(300);
    expect(empty).toBeGreaterThan(300);
  });
});
