// Invariant hashkv-agreement: members at the same revision (and compact revision) hold the same
// key-value store — etcd's corruption check (the leader's periodic HashKV at a revision against
// its followers'), during the run, not only at its end (convergence compares the final stores
// alone: a member that diverged and was later overwritten by a snapshot went unseen). Every
// SAMPLE_US of simulated time each member that is up reports its revision, compact revision and
// KV hash; the first report of each (revision, compact revision) is kept and every later one must
// carry its hash. Writes move the revision, so a store changed without one shows.
import { InvariantViolation } from '../../src/invariant-violation.ts';
import type { World } from '../world/world.ts';
import type { MemberHost } from './member-host.ts';

/** How often the members are sampled (etcd's corruption check runs every few minutes; runs last seconds). */
const SAMPLE_US = 200_000;
/** Bound on the (revision, compact revision) pairs remembered. */
const KEPT_MAX = 100_000;

export interface HashKvCluster {
  readonly world: World;
  readonly hosts: ReadonlyMap<string, MemberHost>;
}

export class HashKvAgreement {
  private nextUs = 0;
  /** "revision/compact revision" → the first member's hash and name. */
  private readonly first = new Map<string, { hash: number; member: string }>();
  /** Samples compared with an earlier one. */
  compared = 0;

  constructor(private readonly cluster: HashKvCluster) {}

  onEvent(): void {
    const world = this.cluster.world;
    const now = world.loop.now();
    if (now < this.nextUs) return;
    this.nextUs = now + SAMPLE_US;
    for (const [name, host] of this.cluster.hosts) {
      if (!world.isUp(name) || host.member.removed) continue;
      const st = host.member.stateMachine.status();
      const key = `${st.revision}/${st.compactRevision}`;
      const first = this.first.get(key);
      if (first === undefined) {
        if (this.first.size < KEPT_MAX) this.first.set(key, { hash: st.hashKV, member: name });
        continue;
      }
      this.compared++;
      if (first.hash === st.hashKV) continue;
      throw new InvariantViolation({
        layer: 'mvcc',
        invariant: 'hashkv-agreement',
        member: name,
        members: [name, first.member],
        detail: `${name} at revision ${st.revision} (compacted at ${st.compactRevision}) hashes its KV store to ${st.hashKV}, ${first.member} at the same revision and compaction to ${first.hash}`,
        facts: { revision: st.revision, compactRevision: st.compactRevision },
      });
    }
  }
}
