// Who can tell that a lease expired (Model.prepareObservers): an expiry with no key attached makes
// no revision and touches no key, so only the ops that name the lease see it gone (a keep-alive,
// time-to-live or revoke of it answered "not found", a put or txn put with it refused, a grant of
// its id). Every other op gives the same answer and the same state before or after it.
import type { Operation } from '../../linearizability/model.ts';
import { id64 } from './json.ts';
import type { EtcdInput, EtcdOutput } from './model.ts';
import { leasedPuts } from './write-keys.ts';

/**
 * The ops naming each lease, gathered op by op. Its two callbacks are made once per history: a
 * closure per op (the op's, and leasedPuts' for each put) was most of what this allocated, about
 * 200 bytes per op of every history checked.
 */
class LeaseNames {
  readonly byLease = new Map<string, number[]>();
  /** The op being read. */
  id = 0;
  readonly note = (lease: string): void => {
    const list = this.byLease.get(lease);
    if (list === undefined) this.byLease.set(lease, [this.id]);
    else if (list[list.length - 1] !== this.id) list.push(this.id);
  };
  readonly notePut = (_key: string, lease: string): void => this.note(lease);

  /** Notes the leases op names: its request's ID (lease ops), the leases of its puts, a grant's answered ID. */
  read(op: Operation<EtcdInput, EtcdOutput>): void {
    this.id = op.id;
    const { f, request } = op.input;
    if (f.startsWith('lease/')) {
      const id = id64(request['ID']);
      if (id !== '0') this.note(id);
      const out = op.output;
      if (f === 'lease/grant' && out !== undefined && 'response' in out && id64(out.response['ID']) !== '0') this.note(id64(out.response['ID']));
      return;
    }
    leasedPuts(f, request, this.notePut);
  }
}

const NONE: readonly number[] = [];

/** Per op, for a lease expiry, the ops that name its lease, itself among them (undefined when the partition has no expiry). */
export function leaseExpiryObservers(ops: readonly Operation<EtcdInput, EtcdOutput>[]): (readonly number[] | undefined)[] | undefined {
  const names = new LeaseNames();
  for (let i = 0; i < ops.length; i++) names.read(ops[i]!);
  const byLease = names.byLease;
  let any = false;
  const observers: (readonly number[] | undefined)[] = new Array<readonly number[] | undefined>(ops.length).fill(undefined);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.input.f !== 'lease/expire' || op.output !== undefined) continue;
    // One list per lease, shared by its expiries (each is in it too; the search skips an op's own
    // id): a copy per expiry was ops × expiries of one lease, 1.4 GB for 20,000 ops of one lease
    // granted again and again, and a heap abort at 60,000.
    observers[op.id] = byLease.get(id64(op.input.request['ID'])) ?? NONE;
    any = true;
  }
  return any ? observers : undefined;
}
