// How long a real cluster could serve during a run's traffic: the time some member was up and
// connected both ways to enough others to make a quorum with them, by the harness's own record
// of the faults it had in force (members killed, restarting until they served, paused, clogged;
// member pairs whose packets the nftables rules dropped in either direction, as Raft needs both:
// appends one way, their answers the other). A real run's traffic is judged against it
// (thin-traffic.ts): a run whose quorum was down, restarting or cut off most of the time could
// serve little, and is not a harness defect; a run that could serve and served little is.
// With the members' own word on who leads (their polled statuses), the time to elect a leader
// after a fault is taken off too: a cluster between leaders serves nothing either.

/** A span in which a member could not take part: killed, restarting until it served, paused, or clogged. `toUs` may be Infinity. */
export interface MemberOutage {
  readonly member: string;
  readonly fromUs: number;
  readonly toUs: number;
}

/** From `atUs` on (until the next entry), the member pairs whose packets were dropped in at least one direction. */
export interface SeveredPairs {
  readonly atUs: number;
  readonly pairs: readonly (readonly [string, string])[];
}

/** From `atUs` on (until its next claim), whether `member` answered that it leads. A member that did not answer keeps its last claim: its outages and cuts say when it could not serve. */
export interface LeaderClaim {
  readonly member: string;
  readonly atUs: number;
  readonly leads: boolean;
}

/** Change points kept at most (a run changes its faults a few times a second). */
export const QUORUM_CHANGES_MAX = 100_000;

/**
 * Microseconds of [fromUs, toUs) in which some member could have led a quorum (see above); with
 * `claims`, only a member that had answered that it leads.
 */
export function quorumAvailableUs(
  members: readonly string[],
  outages: readonly MemberOutage[],
  severed: readonly SeveredPairs[],
  fromUs: number,
  toUs: number,
  claims?: readonly LeaderClaim[],
): number {
  if (!(toUs > fromUs) || members.length === 0) return 0;
  const points = new Set<number>([fromUs]);
  for (const o of outages) for (const t of [o.fromUs, o.toUs]) if (t > fromUs && t < toUs) points.add(t);
  for (const s of severed) if (s.atUs > fromUs && s.atUs < toUs) points.add(s.atUs);
  for (const c of claims ?? []) if (c.atUs > fromUs && c.atUs < toUs) points.add(c.atUs);
  if (points.size > QUORUM_CHANGES_MAX) throw new Error(`quorumAvailableUs: ${points.size} change points, above ${QUORUM_CHANGES_MAX}`);
  const sorted = [...points].sort((a, b) => a - b);
  const bySince = [...severed].sort((a, b) => a.atUs - b.atUs);
  const claimsInOrder = claims === undefined ? undefined : [...claims].sort((a, b) => a.atUs - b.atUs);
  let total = 0;
  for (let k = 0; k < sorted.length; k++) {
    const a = sorted[k] as number;
    const b = k + 1 < sorted.length ? (sorted[k + 1] as number) : toUs;
    const leaders = claimsInOrder === undefined ? members : members.filter((m) => leadsAt(claimsInOrder, m, a));
    if (quorumAt(members, leaders, outages, severedAt(bySince, a), a)) total += b - a;
  }
  return total;
}

/** The pairs severed at `atUs`: the last entry at or before it (none before the first). */
function severedAt(bySince: readonly SeveredPairs[], atUs: number): Set<string> {
  let last: SeveredPairs | undefined;
  for (const s of bySince) {
    if (s.atUs > atUs) break;
    last = s;
  }
  return new Set((last?.pairs ?? []).map(([x, y]) => pairKey(x, y)));
}

/** Whether `member`'s last claim at or before `atUs` was that it leads (claims in time order). */
function leadsAt(claims: readonly LeaderClaim[], member: string, atUs: number): boolean {
  let leads = false;
  for (const c of claims) {
    if (c.atUs > atUs) break;
    if (c.member === member) leads = c.leads;
  }
  return leads;
}

/** Whether one of `leaders`, up, reaches enough up members both ways to make a quorum with them. */
function quorumAt(members: readonly string[], leaders: readonly string[], outages: readonly MemberOutage[], severed: ReadonlySet<string>, atUs: number): boolean {
  const up = members.filter((m) => !outages.some((o) => o.member === m && o.fromUs <= atUs && atUs < o.toUs));
  const quorum = Math.floor(members.length / 2) + 1;
  return up.some((leader) => leaders.includes(leader) && 1 + up.filter((m) => m !== leader && !severed.has(pairKey(leader, m))).length >= quorum);
}

const pairKey = (x: string, y: string): string => (x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`);
