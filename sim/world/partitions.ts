// Partition shapes as plain data. A cut is one blocked direction [from, to]; a partition into
// groups blocks both directions between every two groups. The shapes follow Jepsen's nemesis:
// isolate one node, split into halves, a majority ring (everyone sees a majority, no two see the
// same one) and a bridge (two halves that only one node can talk to). They take the node order
// they are given; a nemesis that wants random shapes shuffles the nodes first.
import { violated } from '../../src/invariant-violation.ts';

export type Cut = readonly [from: string, to: string];

/** Every directed pair of endpoints in different groups. Throws if a name is in two groups. */
export function groupsToCuts(groups: readonly (readonly string[])[]): Cut[] {
  const groupOf = new Map<string, number>();
  groups.forEach((group, g) => {
    for (const name of group) {
      if (groupOf.has(name)) throw new Error(`partition: ${name} is in more than one group`);
      groupOf.set(name, g);
    }
  });
  const cuts: Cut[] = [];
  groups.forEach((group, g) => {
    for (const from of group) {
      groups.forEach((other, h) => {
        if (h === g) return;
        for (const to of other) cuts.push([from, to]);
      });
    }
  });
  // Every member is cut from everyone outside its group, in both directions, and from no one else.
  const total = groupOf.size;
  const expected = groups.reduce((sum, g) => sum + g.length * (total - g.length), 0);
  if (cuts.length !== expected || cuts.some(([a, b]) => groupOf.get(a) === groupOf.get(b))) throw violated('harness', 'partition-cuts-complete', `${cuts.length} cuts for groups of ${groups.map((g) => g.length).join('/')}`);
  return cuts;
}

/** One node alone, the rest together. */
export function isolateGroups(node: string, nodes: readonly string[]): string[][] {
  if (!nodes.includes(node)) throw new Error(`isolate: unknown node ${node}`);
  const groups = [[node], nodes.filter((n) => n !== node)];
  if (groups[1]!.length !== nodes.length - 1) throw violated('harness', 'partition-groups-cover', `isolating ${node} of ${nodes.length} left ${groups[1]!.length} together`);
  return groups;
}

/** The first floor(n/2) nodes against the rest (the rest is the majority when n is odd). */
export function halvesGroups(nodes: readonly string[]): string[][] {
  const half = Math.floor(nodes.length / 2);
  const groups = [nodes.slice(0, half), nodes.slice(half)];
  if (groups[0]!.length + groups[1]!.length !== nodes.length || groups[1]!.length < groups[0]!.length) throw violated('harness', 'partition-groups-cover', `halves of ${nodes.length}: ${groups[0]!.length}/${groups[1]!.length}`);
  return groups;
}

/**
 * Nodes on a ring, each seeing the nodes within ring distance d, with d the smallest distance
 * that makes 2d+1 a majority. For 5 nodes each sees itself and its two neighbours: three nodes,
 * a majority, and no two nodes see the same three.
 */
export function majorityRingCuts(nodes: readonly string[]): Cut[] {
  const n = nodes.length;
  const majority = Math.floor(n / 2) + 1;
  const d = Math.ceil((majority - 1) / 2);
  const cuts: Cut[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const around = Math.abs(i - j);
      const distance = Math.min(around, n - around);
      if (distance > d) cuts.push([nodes[i] as string, nodes[j] as string]);
    }
  }
  // The shape's promise: every member still hears a majority (itself included).
  for (const node of nodes) {
    const heard = n - cuts.filter(([, to]) => to === node).length;
    if (heard < majority) throw violated('harness', 'ring-majority', `${node} hears ${heard} of ${n}, a majority is ${majority}`);
  }
  return cuts;
}

/** Two halves that cannot talk to each other, and one bridge node in the middle that sees all. */
export function bridgeCuts(nodes: readonly string[]): Cut[] {
  if (nodes.length < 3) throw new Error('bridge: needs at least 3 nodes');
  const mid = Math.floor(nodes.length / 2);
  const left = nodes.slice(0, mid);
  const right = nodes.slice(mid + 1);
  const cuts = groupsToCuts([left, right]);
  const bridge = nodes[mid] as string;
  if (cuts.some(([a, b]) => a === bridge || b === bridge)) throw violated('harness', 'bridge-sees-all', `the bridge ${bridge} is cut`);
  return cuts;
}
