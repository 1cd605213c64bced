// Issue 15's "a fault kind added in one place": this test adds a kind, `test-stall` (pause the
// members a target names until the fault heals), as one entry of the fault table with the package
// that draws it, plus its effect — the two things a new kind needs — and nothing else. The same
// walk as the shipped table's (test/support/fault-table-walk.ts) then finds it in scenario
// files, the schema's package list (after every built-in package), the nemesis in a run, swarm,
// shrink, the property arbitraries and the Raft test harness.
import type fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type * as EffectsModule from '../../../sim/nemesis/fault-effects.ts';
import type { NemesisContext } from '../../../sim/nemesis/fault-effects.ts';
import type * as TableModule from '../../../sim/scenario/fault-kinds.ts';
import type { Prng } from '../../../sim/world/prng.ts';
import { NemesisPackages } from '../../../sim/scenario/schema.ts';
import { describeFault, FAULT_KIND_NAMES, KIND_PACKAGES } from '../../../sim/scenario/fault.ts';
import type { Fault } from '../../../sim/scenario/fault.ts';
import { walkFaultTable } from '../../support/fault-table-walk.ts';
import { DRAWN_AFTER_DECLARED_PIN, drawnAfterDeclared } from '../../support/swarm-drawn-after.ts';

const KIND = 'test-stall';

// 1. One entry in the table (sim/scenario/fault-kinds.ts), declaring its package.
vi.mock('../../../sim/scenario/fault-kinds.ts', async (importOriginal) => {
  const table = await importOriginal<typeof TableModule>();
  const { z } = await import('zod');
  return {
    ...table,
    FAULT_KINDS: {
      ...table.FAULT_KINDS,
      'test-stall': {
        schema: z.strictObject({ kind: z.literal('test-stall'), target: table.TargetSchema }),
        describe: (f: { target: string }) => `stall ${f.target}`,
        arbitrary: ({ fc: check, target }: { fc: typeof fc; target: fc.Arbitrary<string> }) => check.record({ kind: check.constant('test-stall' as const), target }),
        inPropertyMix: true,
        package: {
          name: 'test-stall',
          description: 'stall a member until the fault heals',
          membersMin: 2,
          draw: (prng: Prng) => ({ kind: 'test-stall', target: prng.pick(['leader', 'follower'] as const) }),
        },
      },
    },
  };
});

// 2. Its effect (sim/nemesis/fault-effects.ts).
vi.mock('../../../sim/nemesis/fault-effects.ts', async (importOriginal) => {
  const effects = await importOriginal<typeof EffectsModule>();
  return {
    ...effects,
    FAULT_EFFECTS: {
      ...effects.FAULT_EFFECTS,
      'test-stall': {
        start: (f: { target: string }, ctx: NemesisContext) => {
          const nodes = ctx.resolve(f.target, ctx.down());
          if (nodes.length === 0) return undefined;
          for (const node of nodes) ctx.pause(node);
          return { nodes, cuts: [] };
        },
        healNode: (_f: unknown, node: string, ctx: NemesisContext) => ctx.resume(node),
      },
    },
  };
});

describe('a fault kind added in one place', () => {
  it('is a kind of the table, with a description and a package after the built-in ones', () => {
    expect(FAULT_KIND_NAMES).toContain(KIND);
    expect(describeFault({ kind: KIND, target: 'n2' } as unknown as Fault)).toBe('stall n2');
    // After the packages the shipped kinds declare (the kill kind's crash-moments, cut-then-pause).
    expect(KIND_PACKAGES.map((p) => p.name).at(-1)).toBe(KIND);
    expect(KIND_PACKAGES.filter((p) => (p.name as string) === KIND)).toHaveLength(1);
    expect(NemesisPackages.at(-1)).toBe(KIND);
  });

  it('changes only the swarm seeds that draw its package: the packages drawn after the table\'s are drawn as before', () => {
    expect(drawnAfterDeclared(40)).toEqual(DRAWN_AFTER_DECLARED_PIN);
  });
});

// 3. Every handler, checked by the walk the shipped table goes through.
walkFaultTable();
