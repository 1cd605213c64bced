// A real run is replayed from its scenario.json and seed: the swarm's draw and the fault schedule
// come again from the seed, but the swarm keeps what this machine can inject (network faults need
// namespaces: root) and this build can, so a replay elsewhere may draw another run. It must run
// what the report says ran, or refuse saying where the draws part (results.json's options).

/** The first place `now` differs from `recorded` (JSON values), as "path: recorded A, now B"; undefined when they are equal. */
export function drawDifference(recorded: unknown, now: unknown, path = 'options'): string | undefined {
  const a = normal(recorded);
  const b = normal(now);
  if (isRecord(a) && isRecord(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = drawDifference(a[key], b[key], `${path}.${key}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = drawDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  const [x, y] = [JSON.stringify(a) ?? 'absent', JSON.stringify(b) ?? 'absent'];
  return x === y ? undefined : `${path}: recorded ${clip(x)}, now ${clip(y)}`;
}

/** A value as results.json holds it: undefined fields gone. */
function normal(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v)) as unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const CLIP = 120;
function clip(s: string): string {
  return s.length <= CLIP ? s : `${s.slice(0, CLIP)}…`;
}
