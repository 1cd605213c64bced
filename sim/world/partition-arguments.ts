// The partition shapes as detcd/world exports them: each checks what a program passes (a list of
// distinct node names, groups of them, a node of the list) and refuses a wrong one with a
// UsageError naming the function and argument. A JavaScript caller otherwise met a TypeError
// ('reading length'), a plain Error, or a harness InvariantViolation for its own mistake. The
// nemeses call the unchecked shapes in partitions.ts: their nodes come from the cluster.
import { checkArrayArgument } from '../errors/array-argument.ts';
import { badArgument } from '../errors/bad-argument.ts';
import { bridgeCuts as bridge, groupsToCuts as cutsOf, halvesGroups as halves, isolateGroups as isolate, majorityRingCuts as ring } from './partitions.ts';
import type { Cut } from './partitions.ts';

/** `v` as a list of distinct node names, or the refusal naming `fn` and `field`. */
function checkNodes(fn: string, field: string, v: unknown, min = 0): readonly string[] {
  // A sparse array is refused at its first hole: some() and a Set walked its 4 billion indexes.
  const names = Array.isArray(v) ? (checkArrayArgument(fn, field, v, 'node names') as unknown[]) : undefined;
  if (names === undefined || names.some((n) => typeof n !== 'string') || new Set(names).size !== names.length) {
    throw badArgument(fn, field, 'must be an array of distinct node names (strings)', v);
  }
  if (names.length < min) throw badArgument(fn, field, `must hold at least ${min} nodes`, v);
  return names as string[];
}

/** Every directed pair of endpoints in different groups; a name in two groups is refused. */
export function groupsToCuts(groups: readonly (readonly string[])[]): Cut[] {
  const all = (checkArrayArgument('groupsToCuts', 'groups', groups, 'groups (arrays of node names)') as unknown[]).map((g, i) => checkNodes('groupsToCuts', `groups[${i}]`, g)).flat();
  if (new Set(all).size !== all.length) throw badArgument('groupsToCuts', 'groups', 'must not name a node in more than one group', groups);
  return cutsOf(groups);
}

/** One node alone, the rest together; the node must be one of `nodes`. */
export function isolateGroups(node: string, nodes: readonly string[]): string[][] {
  const names = checkNodes('isolateGroups', 'nodes', nodes);
  if (typeof node !== 'string' || !names.includes(node)) throw badArgument('isolateGroups', 'node', 'must be one of nodes', node);
  return isolate(node, names);
}

/** The first floor(n/2) nodes against the rest. */
export function halvesGroups(nodes: readonly string[]): string[][] {
  return halves(checkNodes('halvesGroups', 'nodes', nodes));
}

/** Nodes on a ring, each seeing a majority, no two the same one. */
export function majorityRingCuts(nodes: readonly string[]): Cut[] {
  return ring(checkNodes('majorityRingCuts', 'nodes', nodes));
}

/** Two halves and a bridge node that sees all: at least 3 nodes. */
export function bridgeCuts(nodes: readonly string[]): Cut[] {
  return bridge(checkNodes('bridgeCuts', 'nodes', nodes, 3));
}
