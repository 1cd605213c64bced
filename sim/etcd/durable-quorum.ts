// Whether an applied entry can still be lost: it is safe exactly when no quorum of the
// configuration can be formed without a voter whose durable log holds it (that voter refuses a
// candidate missing it, so every future leader has it). For an odd number of voters that needs a
// majority of holders; for an even number, half. etcd-raft switches configuration when it
// applies a change, so a leader commits entries after a removal under the old configuration:
// {n1, n2} of {n1, n2, n3} commit, n1's removal applies, and 1 of {n2, n3} holds the entry —
// every quorum of {n2, n3} contains n2. One change at a time keeps that true across changes.
// A joint configuration's quorums are a majority of each half, so holders that meet every quorum
// of either half meet every joint quorum.

/** Undefined when every quorum of (voters, votersOutgoing) contains a holder; else who holds it and why that is short. */
export function quorumWithoutHolder(
  voters: readonly number[],
  votersOutgoing: readonly number[],
  holds: (raftId: number) => boolean,
  nameOf: (raftId: number) => string,
): string | undefined {
  const incoming = holdersShort(voters, holds, nameOf);
  if (incoming === undefined || votersOutgoing.length === 0) return incoming;
  const outgoing = holdersShort(votersOutgoing, holds, nameOf);
  return outgoing === undefined ? undefined : `${incoming}; outgoing ${outgoing}`;
}

/** Undefined when every majority of `voters` contains a holder (or there are no voters); else who holds it. */
function holdersShort(voters: readonly number[], holds: (raftId: number) => boolean, nameOf: (raftId: number) => string): string | undefined {
  if (voters.length === 0) return undefined;
  // Counted first (this runs for every applied entry); the holders are listed only for a violation.
  let held = 0;
  for (let i = 0; i < voters.length; i++) if (holds(voters[i] as number)) held++;
  const quorum = Math.floor(voters.length / 2) + 1;
  // A quorum without a holder exists exactly when the voters without the entry could form one.
  if (voters.length - held < quorum) return undefined;
  const holders = voters.filter(holds);
  return `${holders.length} of ${voters.length} voters (${holders.map(nameOf).join(', ') || 'none'}): a quorum of ${quorum} can be formed without it`;
}
