// The ops that can tell a lease expired (Model.prepareObservers) are one list per lease, shared by
// every expiry of that lease: a filtered copy per expiry was ops × expiries of one lease, 1.4 GB for
// a 20,000-op history of one lease granted again and again, and `detcd check` aborted out of heap
// at 60,000 ops (now 195 MB; the search skips an op's own id in its list).
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../sim/check/linearizability/model.ts';
import { leaseExpiryObservers } from '../../../sim/check/models/etcd/lease-observers.ts';
import type { EtcdInput, EtcdOutput } from '../../../sim/check/models/etcd/model.ts';

function op(id: number, f: EtcdInput['f'], request: Record<string, unknown>, output?: EtcdOutput): Operation<EtcdInput, EtcdOutput> {
  return { id, call: id * 10, return: output === undefined ? Infinity : id * 10 + 5, input: { f, request, pre: undefined, preMax: undefined, gaps: undefined, servedAt: undefined, original: undefined }, output } as Operation<EtcdInput, EtcdOutput>;
}

describe('lease expiry observers', () => {
  it('are one list per lease, shared by its expiries, each expiry in it', () => {
    const ops = [
      op(0, 'lease/grant', { ID: '7', TTL: '10' }, { response: { ID: '7', TTL: '10' }, range: undefined }),
      op(1, 'lease/expire', { ID: '7' }),
      op(2, 'lease/keepalive', { ID: '7' }, { error: 'etcdserver: requested lease not found' }),
      op(3, 'lease/expire', { ID: '7' }),
      op(4, 'lease/expire', { ID: '8' }),
    ];
    const observers = leaseExpiryObservers(ops)!;
    expect(observers[1]).toBe(observers[3]);
    expect(observers[1]).toEqual([0, 1, 2, 3]);
    expect(observers[4]).toEqual([4]);
    expect(observers[0]).toBeUndefined();
    expect(observers[2]).toBeUndefined();
  });
});
