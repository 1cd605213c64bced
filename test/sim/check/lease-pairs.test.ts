// The lease checker's parts read the grants and keep-alives paired once (lease-pairs.ts) instead
// of each pairing the history itself. These compare the shared reading with each part's own
// pairing as it was (kept here as the reference), on random histories that are also malformed
// (completions of another kind, of nothing, invocations left open) so the lenient edges agree too.
import { describe, expect, it } from 'vitest';
import type { Op, OpType } from '../../../sim/history/op.ts';
import { grantWindows, REFUSED_GRANT, unknownGrantsOf } from '../../../sim/check/lease-grants.ts';
import { unboundedKeepAlives, unboundedKeepAliveTries } from '../../../sim/check/lease-keepalive-unknown.ts';
import { pairLeaseOps } from '../../../sim/check/lease-pairs.ts';
import { id64 } from '../../../sim/check/models/etcd/json.ts';
import { Prng } from '../../../sim/world/prng.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});

/** One kind of op paired on its own, as grantWindows, unknownGrants and forEachKeepAlive each did. */
function pairedAlone(history: readonly Op[], f: string, each: (invoke: Op, completion: Op | undefined) => void): void {
  const open = new Map<number | string, Op>();
  for (const op of history) {
    if (op.f !== f) continue;
    if (op.type === 'invoke') {
      open.set(op.process, op);
      continue;
    }
    const inv = open.get(op.process);
    open.delete(op.process);
    if (inv !== undefined) each(inv, op);
  }
  for (const inv of open.values()) each(inv, undefined);
}

function referenceGrantWindows(history: readonly Op[]): Map<string, { invokeUs: number; doneUs: number }[]> {
  const out = new Map<string, { invokeUs: number; doneUs: number }[]>();
  const add = (id: string, w: { invokeUs: number; doneUs: number }): void => {
    if (id !== '0') (out.get(id) ?? out.set(id, []).get(id)!).push(w);
  };
  pairedAlone(history, 'lease/grant', (inv, op) => {
    const named = id64(obj(inv.value)['ID']);
    if (op === undefined) add(named, { invokeUs: inv.time, doneUs: Infinity });
    else if (op.type === 'ok') add(named !== '0' ? named : id64(obj(op.value)['ID']), { invokeUs: inv.time, doneUs: op.time });
    else if (op.type === 'info' || !REFUSED_GRANT.test(op.error ?? '')) add(named, { invokeUs: inv.time, doneUs: Infinity });
  });
  return out;
}

function referenceUnknownGrants(history: readonly Op[]): Map<string, number> {
  const out = new Map<string, number>();
  pairedAlone(history, 'lease/grant', (inv, op) => {
    if (op !== undefined && (op.type === 'ok' || (op.type === 'fail' && REFUSED_GRANT.test(op.error ?? '')))) return;
    const id = id64(obj(inv.value)['ID']);
    if (id !== '0') out.set(id, Math.min(out.get(id) ?? Infinity, inv.time));
  });
  return out;
}

function referenceUnboundedKeepAlives(history: readonly Op[]): Map<string, number> {
  const out = new Map<string, number>();
  pairedAlone(history, 'lease/keepalive', (inv, op) => {
    if (op !== undefined && op.type === 'ok' && (op.tries ?? 1) <= 1) return;
    const id = id64(obj(inv.value)['ID']);
    out.set(id, Math.min(out.get(id) ?? Infinity, inv.time));
  });
  return out;
}

function referenceUnboundedTries(history: readonly Op[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  pairedAlone(history, 'lease/keepalive', (inv, op) => {
    const tries = Math.max(1, op?.tries ?? 1) - (op !== undefined && op.type === 'ok' ? 1 : 0);
    for (let i = 0; i < tries; i++) (out.get(id64(obj(inv.value)['ID'])) ?? out.set(id64(obj(inv.value)['ID']), []).get(id64(obj(inv.value)['ID']))!).push(inv.time);
  });
  return out;
}

/** Random lease and kv ops from 4 processes; `wellFormed` false lets any op come anywhere. */
function randomHistory(seed: number, wellFormed: boolean): Op[] {
  // The project's seeded source (sim/world/prng.ts), not a copy of one.
  const prng = new Prng(seed);
  const r = (): number => prng.float();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const fs = ['lease/grant', 'lease/keepalive', 'lease/revoke', 'kv/put'];
  const errors = ['etcdserver: lease already exists', 'etcdserver: request timed out', 'etcdserver: too large lease TTL', 'lease not found'];
  const open = new Map<number, string>();
  const out: Op[] = [];
  let time = 0;
  for (let i = 0; i < 60; i++) {
    const process = Math.floor(r() * 4);
    time += 1 + Math.floor(r() * 5);
    const id = String(Math.floor(r() * 4));
    const outstanding = open.get(process);
    const invoke = wellFormed ? outstanding === undefined : r() < 0.5;
    if (invoke) {
      const f = pick(fs);
      open.set(process, f);
      out.push({ index: out.length, time, process, type: 'invoke', f, value: { ID: id, TTL: '5' } });
      continue;
    }
    const f = wellFormed ? outstanding! : pick(fs);
    open.delete(process);
    const type = pick<OpType>(['ok', 'ok', 'fail', 'info']);
    const op: Op = { index: out.length, time, process, type, f, value: type === 'ok' ? { ID: String(1 + Math.floor(r() * 3)), TTL: String(Math.floor(r() * 3)) } : undefined };
    if (type !== 'ok') op.error = pick(errors);
    if (r() < 0.2) op.tries = 1 + Math.floor(r() * 3);
    out.push(op);
  }
  return out;
}

describe('pairLeaseOps: one pairing for every lease rule', () => {
  for (const wellFormed of [true, false]) {
    it(`gives each rule what its own pairing gave (${wellFormed ? 'well-formed' : 'malformed'} random histories)`, () => {
      for (let seed = 1; seed <= 300; seed++) {
        const h = randomHistory(seed, wellFormed);
        const paired = pairLeaseOps(h);
        const windows = grantWindows(h);
        expect(windows).toEqual(referenceGrantWindows(h));
        expect(unknownGrantsOf(windows)).toEqual(referenceUnknownGrants(h));
        expect(unboundedKeepAlives(paired.keepAlives)).toEqual(referenceUnboundedKeepAlives(h));
        expect(unboundedKeepAliveTries(paired.keepAlives)).toEqual(referenceUnboundedTries(h));
      }
    });
  }

  it('pairs each kind on its own: completions in history order, then what was never answered', () => {
    const op = (index: number, process: number, type: OpType, f: string): Op => ({ index, time: index, process, type, f, value: { ID: '7' } });
    const h = [op(0, 1, 'invoke', 'lease/grant'), op(1, 2, 'invoke', 'lease/keepalive'), op(2, 3, 'invoke', 'lease/grant'), op(3, 3, 'ok', 'lease/grant'), op(4, 1, 'ok', 'lease/keepalive'), op(5, 2, 'info', 'lease/keepalive')];
    const p = pairLeaseOps(h);
    expect(p.grants.map((x) => [x.invoke.index, x.completion?.index])).toEqual([[2, 3], [0, undefined]]);
    expect(p.keepAlives.map((x) => [x.invoke.index, x.completion?.index])).toEqual([[1, 5]]);
  });
});
