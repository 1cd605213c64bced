// The crash moments a member host cannot report by a send (../scenario/fault-kinds.ts
// CrashMoments): read off the members' Raft state after every world event, so that the crash
// lands in the same instant, before any fsync in flight completes and before anything the
// member produced in that event leaves it (the host sends a Ready's messages after its fsync).
//   truncate       the member accepted an append that overwrites entries of its durable log
//                  (raft's unstable entries start at or below the last stored index): crashing
//                  now loses the truncation, and the stale tail is back on restart.
//   leader-commit  a leader's commit index advanced: crashing now loses the hard state holding
//                  it, and no member has heard of the new commit index yet.
//   joint-add      the member and at least one other live member have applied a joint
//                  configuration that adds a voter (a promotion or a swap between its two steps):
//                  crashing a leader now makes the others elect one while both majorities must
//                  agree, and a majority of the incoming voters is not one of the outgoing.
//   joint-commit   a leader's commit index passed an entry that enters a joint configuration
//                  (cluster-wide, like leader-commit): the leader applies it next, while no other
//                  member has heard that it committed and every other one still uses the old one.
//   elected        the member leads a term it did not lead when the watch was armed (a cut moment:
//                  in the instant it wins, before any answer to its first appends arrives).
//   recovered      the member is a later incarnation than when the crash was armed (it restarted
//                  from its disk) and has made a write durable since: crashing now makes the next
//                  restart read what this recovery left on the disk and appended behind it.
//   snapshot-written a snapshot of the member's own (the snapshot file and the WAL rewritten
//                  behind it, one fsync) became durable, and then a Ready after it: crashing now
//                  makes the restart read the rewritten WAL with a write appended behind it (a
//                  Ready whose records the rewrite dropped shows as a gap, or as entries lost).
import type { Moment } from '../scenario/fault-kinds.ts';
import type { MemberHost } from './member-host.ts';
import { enterJoint } from '../../src/raft/confchange/conf-change-kind.ts';
import { decodeConfChange } from '../../src/raft/types.ts';

/** The moments watched after every event rather than on a send. */
export type EventCrashMoment = Extract<Moment, 'truncate' | 'leader-commit' | 'joint-add' | 'recovered' | 'joint-commit' | 'snapshot-written' | 'elected'>;

export function isEventMoment(moment: Moment): moment is EventCrashMoment {
  return moment === 'truncate' || moment === 'leader-commit' || moment === 'joint-add' || moment === 'recovered' || moment === 'joint-commit' || moment === 'snapshot-written' || moment === 'elected';
}

/** True when an entry in (from, to] of the member's log is a conf change that enters a joint configuration. */
function commitsJointEntry(host: MemberHost, from: number, to: number): boolean {
  const log = host.recovered.raft.node.raft.raftLog;
  const lo = Math.max(from + 1, log.firstIndex());
  if (lo > to) return false;
  const ents = log.slice(lo, to + 1, Number.MAX_SAFE_INTEGER);
  if (typeof ents === 'string') return false;
  return ents.some((e) => e.type === 'conf-change' && enterJoint(decodeConfChange(e.data)).enter);
}

/** What the watch reads of the cluster: the hosts of members that are up and running (not paused). */
export interface MomentHosts {
  live(name: string): MemberHost | undefined;
  liveAll(): readonly MemberHost[];
}

/** True when the member holds entries that replace part of its durable log, not yet fsynced. */
export function overwritesDurableLog(host: MemberHost): boolean {
  const log = host.recovered.raft.node.raft.raftLog;
  return log.unstable.entries.length > 0 && log.unstable.offset <= host.recovered.storage.lastIndex();
}

/**
 * A check to run after every event: true at the first event after which `moment` happened for
 * `node` (truncate) or in the cluster (leader-commit). Commit indexes are compared per host
 * incarnation, so a member's recovery never counts as an advance.
 */
export function momentWatch(moment: EventCrashMoment, node: string, hosts: MomentHosts): () => boolean {
  if (moment === 'joint-add') {
    const joint = (h: MemberHost): boolean => {
      const cs = h.member.membership;
      return cs.votersOutgoing.length > 0 && cs.voters.some((v) => !cs.votersOutgoing.includes(v));
    };
    return () => {
      const host = hosts.live(node);
      return host !== undefined && joint(host) && hosts.liveAll().some((h) => h !== host && joint(h));
    };
  }
  if (moment === 'recovered') {
    // The incarnation up when the crash was armed (none when the member is down) never counts.
    const armedOn = hosts.live(node)?.incarnation ?? 0;
    return () => {
      const host = hosts.live(node);
      return host !== undefined && host.incarnation > armedOn && host.readiesPersisted > 0;
    };
  }
  if (moment === 'snapshot-written') return snapshotWrittenWatch(node, hosts);
  if (moment === 'elected') {
    const armedTerm = hosts.live(node)?.term ?? 0;
    const ledWhenArmed = hosts.live(node)?.isLeader === true;
    return () => {
      const host = hosts.live(node);
      return host !== undefined && host.isLeader && (host.term > armedTerm || !ledWhenArmed);
    };
  }
  if (moment === 'truncate') {
    return () => {
      const host = hosts.live(node);
      return host !== undefined && overwritesDurableLog(host);
    };
  }
  const seen = new Map<MemberHost, number>();
  const look = (): boolean => {
    let advanced = false;
    const live = hosts.liveAll();
    for (const host of live) {
      const log = host.recovered.raft.node.raft.raftLog;
      const before = seen.get(host);
      if (before !== undefined && log.committed > before && host.isLeader && (moment === 'leader-commit' || commitsJointEntry(host, before, log.committed))) advanced = true;
      seen.set(host, log.committed);
    }
    // Hosts of earlier incarnations are never looked at again.
    if (seen.size > live.length * 4) for (const h of [...seen.keys()]) if (!live.includes(h)) seen.delete(h);
    return advanced;
  };
  look();
  return look;
}

/**
 * snapshot-written: per incarnation of `node`, the snapshots it had saved when first looked at;
 * once one more is saved, the Readies persisted by then; fires at the first Ready persisted after.
 */
function snapshotWrittenWatch(node: string, hosts: MomentHosts): () => boolean {
  let seen: MemberHost | undefined;
  let saved = 0;
  let readies: number | undefined;
  return () => {
    const host = hosts.live(node);
    if (host === undefined) return false;
    if (host !== seen) {
      seen = host;
      saved = host.snapshotsSaved;
      readies = undefined;
      return false;
    }
    if (readies === undefined) {
      if (host.snapshotsSaved > saved) readies = host.readiesPersisted;
      return false;
    }
    return host.readiesPersisted > readies;
  };
}
