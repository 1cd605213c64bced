// The bench tools' one seeded random source (mulberry32, 32 bits of state): a tool's choices
// (the anomalies it plants, the inputs it fuzzes) repeat for a seed. The tools run on plain
// Node without a build, so they do not load the simulation's Prng (sim/world/prng.ts) from dist/.

/** A function returning numbers in [0, 1), the same sequence for the same 32-bit `seed`. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
