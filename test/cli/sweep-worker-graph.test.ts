// Every sweep worker is a fresh V8 isolate that loads and compiles its module graph before its
// first run. The report (HTML pages, charts with vega and vega-lite) is only needed for a run
// that writes one, and is loaded on demand there; statically reachable from the worker, it cost
// each worker ≈150 ms of CPU at its start (bench/README.md, "Two workers against one").
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Modules reachable from `entry` through static imports and re-exports that are not type-only. */
function staticGraph(entry: string): Map<string, string> {
  const from = new Map<string, string>([[entry, '']]);
  const todo = [entry];
  const statement = /^\s*(?:import|export)\s+(?!type\b)(?:[^;'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  while (todo.length > 0) {
    const file = todo.pop()!;
    for (const m of readFileSync(file, 'utf8').matchAll(statement)) {
      const spec = m[1]!;
      const target = spec.startsWith('.') ? resolve(dirname(file), spec) : `package:${spec}`;
      if (from.has(target)) continue;
      from.set(target, file);
      if (!target.startsWith('package:')) todo.push(target);
    }
  }
  return from;
}

function chain(graph: Map<string, string>, target: string): string {
  const path: string[] = [];
  for (let cur: string | undefined = target; cur !== undefined && cur !== ''; cur = graph.get(cur)) path.push(cur.startsWith('package:') ? cur : relative(ROOT, cur));
  return path.reverse().join(' -> ');
}

describe('the sweep worker\'s module graph', () => {
  it('reaches neither the report pages nor the chart libraries through static imports', () => {
    const graph = staticGraph(join(ROOT, 'sim/cli/harness/sweep-worker.ts'));
    expect(graph.has(join(ROOT, 'sim/run/run.ts'))).toBe(true);
    const heavy = [...graph.keys()].filter((m) => /^package:vega|^package:d3|sim\/report\/(run-report|run-page|charts)\.ts$/.test(m));
    expect(heavy.map((m) => chain(graph, m))).toEqual([]);
  });
});
