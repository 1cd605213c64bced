// The exit-code contract for bad input (3): merge inputs of every wrong kind and a taken serve
// port, each answered with one line, before any work and (for serve) within 2 s.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const root = scratchDir('detcd-exit-');

function shard(name: string, sweepJson: string | undefined): string {
  const d = join(root, name);
  mkdirSync(d);
  if (sweepJson !== undefined) writeFileSync(join(d, 'sweep.json'), sweepJson);
  return d;
}

describe('sweep --merge of a bad shard exits 3 with one line naming the file', () => {
  const cases: [string, string | undefined, RegExp][] = [
    ['missing', undefined, /missing\/sweep\.json: cannot read: no such file \(ENOENT\)/],
    ['empty', '', /empty\/sweep\.json: not valid JSON/],
    ['garbage', '\u0000garbage{', /garbage\/sweep\.json: not valid JSON/],
    ['wrong-shaped', JSON.stringify({ format: 'detcd-sweep', version: 1, runs: [{ seed: 1 }] }), /wrong-shaped\/sweep\.json: /],
    ['an-array', '[1,2,3]', /an-array\/sweep\.json: /],
  ];
  for (const [name, content, message] of cases) {
    it(name, async () => {
      const out = join(root, `merged-${name}`);
      const r = await cli(['sweep', '--merge', shard(name, content), '--out', out]);
      expect(r.code).toBe(3);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(/^detcd sweep --merge: /);
      expect(r.err[0]).toMatch(message);
    });
  }

  it('a shard path that is a file, and one that does not exist', async () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, '');
    for (const target of [file, join(root, 'nowhere')]) {
      const r = await cli(['sweep', '--merge', target]);
      expect(r.code).toBe(3);
      expect(r.err).toHaveLength(1);
    }
  });
});

describe('serve --port P with P taken', () => {
  it('exits 3 before the cluster starts, with one line naming the port', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', () => resolve()));
    const port = (holder.address() as AddressInfo).port;
    try {
      // Not timed (the machine may be loaded): the line is the port probe's, which runs before
      // gRPC loads and the cluster waits for a leader (1 to 2 s); a refusal from the cluster's own
      // listen says "a port in P..Q", and a started cluster prints its banner.
      const r = await cli(['serve', '--port', String(port)]);
      expect(r.code).toBe(3);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(new RegExp(`serve: --port ${port}: port ${port} \\(for member n1\\) is already in use`));
      expect(r.out).toEqual([]);
    } finally {
      holder.close();
    }
  });
});
