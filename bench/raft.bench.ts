// Raft figures: time to elect a new leader after the leader crashes (simulated ms, etcd
// defaults), and committed proposals per wall second for a 3-member cluster under load, both for
// the bare core on an in-memory transport and for the full host on the simulated world.
// `npm run bench -- raft`.
import { RawNode } from '../src/raft/raw-node.ts';
import { MemoryStorage } from '../src/raft/storage.ts';
import type { Message } from '../src/raft/types.ts';
import { EMPTY_CONF_STATE } from '../src/raft/types.ts';
import { Prng } from '../sim/world/prng.ts';
import { measureElectionAfterLeaderCrash, summarize } from '../test/support/raft/election-timing.ts';
import { RaftCluster } from '../test/support/raft/raft-cluster.ts';

function electionFigures(members: number, seeds: number): void {
  const t0 = performance.now();
  const times = Array.from({ length: seeds }, (_, i) => measureElectionAfterLeaderCrash(i + 1, members).electionMs);
  const s = summarize(times);
  const over2s = times.filter((t) => t > 2_000).length;
  console.log(`election after leader crash, ${members} members, ${seeds} seeds (100 ms heartbeat, 1000 ms election timeout, PreVote, CheckQuorum):`);
  console.log(`  median ${s.medianMs.toFixed(0)} ms, mean ${s.meanMs.toFixed(0)} ms, p99 ${s.p99Ms.toFixed(0)} ms, worst ${s.worstMs.toFixed(0)} ms; ${over2s} runs over 2 s (split votes); ${(performance.now() - t0).toFixed(0)} ms wall`);
}

interface CoreNode {
  raw: RawNode;
  storage: MemoryStorage;
  committed: number;
}

/** Three RawNodes wired directly: every Ready persisted to memory, messages delivered at once. */
function coreThroughput(batch: number, payloadBytes: number, wallMs: number): void {
  const voters = [1, 2, 3];
  const nodes = voters.map((id): CoreNode => {
    const storage = new MemoryStorage({ ...EMPTY_CONF_STATE, voters });
    const raw = new RawNode({ id, electionTick: 10, heartbeatTick: 1, storage, random: new Prng(id), maxInflightMsgs: 256, maxSizePerMsgBytes: 1 << 20 });
    return { raw, storage, committed: 0 };
  });
  const queue: Message[] = [];
  const pump = (): void => {
    for (let rounds = 0; rounds < 1_000; rounds++) {
      let busy = false;
      for (const n of nodes) {
        if (!n.raw.hasReady()) continue;
        busy = true;
        const rd = n.raw.ready();
        if (rd.entries.length > 0) n.storage.append(rd.entries);
        if (rd.hardState !== undefined) n.storage.setHardState(rd.hardState);
        for (const m of rd.messages) queue.push(m);
        n.committed += rd.committedEntries.length;
        n.raw.advance(rd);
      }
      while (queue.length > 0) {
        const m = queue.shift()!;
        nodes[m.to - 1]!.raw.step(m);
        busy = true;
      }
      if (!busy) return;
    }
  };
  nodes[0]!.raw.campaign();
  pump();
  const payload = 'x'.repeat(payloadBytes);
  const data = Array.from({ length: batch }, () => payload);
  const leader = nodes[0]!;
  const start = leader.committed;
  const t0 = performance.now();
  let rounds = 0;
  while (performance.now() - t0 < wallMs) {
    leader.raw.proposeBatch(data);
    pump();
    rounds++;
    // Compact now and then, as a host would, so memory stays bounded.
    if (rounds % 100 === 0) for (const n of nodes) n.storage.compact(n.raw.raft.raftLog.applied);
  }
  const secs = (performance.now() - t0) / 1000;
  const committed = leader.committed - start;
  console.log(`  batch ${batch}, ${payloadBytes}-byte entries: ${Math.round(committed / secs).toLocaleString('en-US')} committed/s (${committed.toLocaleString('en-US')} in ${secs.toFixed(2)} s)`);
}

/** The full host on the simulated world: client messages, network, fsync before send, apply. */
function worldThroughput(proposalsPerMs: number, simulatedMs: number): void {
  const c = new RaftCluster({ seed: 1, members: 3, observe: false, host: { snapshotEveryEntries: 10_000, catchUpEntries: 1_000, appliedRetain: 1_000 } });
  const leader = c.runUntilLeader(10_000_000)!;
  const t0 = performance.now();
  const events0 = c.world.stats().events;
  for (let ms = 0; ms < simulatedMs; ms++) {
    for (let i = 0; i < proposalsPerMs; i++) c.propose(leader.id, `p${ms}-${i}`);
    c.runForUs(1_000);
  }
  c.runForUs(100_000);
  const secs = (performance.now() - t0) / 1000;
  const acked = [...c.proposals.values()].filter((p) => p.ok === true).length;
  const events = c.world.stats().events - events0;
  console.log(`  ${proposalsPerMs} proposals per simulated ms for ${simulatedMs} ms: ${acked.toLocaleString('en-US')} acknowledged in ${secs.toFixed(2)} s wall = ${Math.round(acked / secs).toLocaleString('en-US')} committed/s; ${events.toLocaleString('en-US')} world events (${Math.round(events / secs).toLocaleString('en-US')}/s)`);
}

export async function bench(only = process.env.RAFT_BENCH ?? "all"): Promise<void> {
  await Promise.resolve();
  if (only === 'all' || only === 'election') {
    electionFigures(3, 1_000);
    electionFigures(5, 300);
  }
  if (only === 'all' || only === 'core') {
    console.log('raft core throughput, 3 members, in-memory transport (one core):');
    for (const batch of [1, 10, 100, 1_000]) coreThroughput(batch, 100, 1_500);
  }
  if (only === 'all' || only === 'world') {
    console.log('raft host on the simulated world, 3 members, group commit per fsync:');
    worldThroughput(20, 2_000);
    worldThroughput(100, 1_000);
  }
}
