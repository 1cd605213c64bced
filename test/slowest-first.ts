// The order vitest starts the test files in (vitest.config.ts's sequence.sequencer): in each
// project, the files a CI run measured slowest (test/test-projects.ts's SLOWEST_TESTS) first, in
// that order, then the rest as vitest orders them. A run without timings of its own (CI's clean
// clone: npm ci leaves no vitest cache) is ordered by file size, and a slow small file (a mutant
// lane is 4 lines) started last would run alone while the simulation project's other worker
// idled. Started first, the slow files run beside the others, and short files end the project.
import { relative, sep } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { SLOWEST_TESTS } from './test-projects.ts';

/** A test file as the order sees it: its project and its path from the root. */
export interface Placed {
  project: string;
  file: string;
}

/** `files` (in vitest's order) with each project's files of `slowest` first, in that order; projects keep their order. */
export function slowestFirst<T extends Placed>(files: readonly T[], slowest: readonly string[]): T[] {
  const projectAt = new Map<string, number>();
  files.forEach((f, i) => projectAt.set(f.project, projectAt.get(f.project) ?? i));
  const rank = (f: Placed): number => {
    const i = slowest.indexOf(f.file);
    return i < 0 ? slowest.length : i;
  };
  const at = new Map(files.map((f, i) => [f, i]));
  return [...files].sort((a, b) => projectAt.get(a.project)! - projectAt.get(b.project)! || rank(a) - rank(b) || at.get(a)! - at.get(b)!);
}

export class SlowestFirst extends BaseSequencer {
  override async sort(specs: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const placed = (await super.sort(specs)).map((spec) => ({ spec, project: spec.project.name, file: relative(root, spec.moduleId).split(sep).join('/') }));
    return slowestFirst(placed, SLOWEST_TESTS).map((p) => p.spec);
  }
}
