// What a real etcd cluster on this machine cannot be made to suffer, and why: one reason per
// capability of the nemesis's world (sim/nemesis/nemesis-world-port.ts). refusals.ts refuses a
// scenario whose faults need one of them before anything starts; RealNemesisWorld throws the same
// reason if a fault reaches one anyway (a harness bug).
export const UNINJECTABLE = {
  clock: 'a real process reads the kernel clock, which cannot be skewed, jumped or made to drift per member',
  'torn-writes': 'torn writes need a fault-injecting file system',
  'crash-after': "crashing right after a message needs the simulation's view of every send",
  'slow-disk': "slowing one process's fsync needs a fault-injecting file system (kernel modules)",
  membership: 'membership changes are not driven on real processes',
  'raft-settings': "a member's raft settings are fixed for the run (its command line is built once)",
  'member-api': 'member API operators are not driven on real processes',
  buggify: 'buggify sites live inside the simulated product, not in etcd',
  figure8: 'the figure 8 sequence needs control of every message of the simulated network',
  'late-answers': "slowing one direction of a member's links needs tc netem, which this kernel lacks",
  'lossy-shape': 'only random drops are injected (duplication, reordering and delay need tc netem, which this kernel lacks)',
} as const;
export type Uninjectable = keyof typeof UNINJECTABLE;
