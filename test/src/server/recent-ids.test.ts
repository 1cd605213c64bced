// RecentIds answers as the Set of ids it replaced did, for every sequence of ids: in order, out of
// order, duplicated, far behind, jumping ahead past the window, and ids that are no whole number.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../bench/tools/seeded-random.mjs';
import { RECENT_IDS_WINDOW, RecentIds } from '../../../src/server/recent-ids.ts';

/** The former implementation, kept as the model. */
class SetModel {
  private readonly clients = new Map<string, { ids: Set<number>; max: number }>();

  seen(client: string, id: number): boolean {
    let w = this.clients.get(client);
    if (w === undefined) {
      w = { ids: new Set(), max: id };
      this.clients.set(client, w);
    }
    if (w.ids.has(id) || id <= w.max - RECENT_IDS_WINDOW) return true;
    w.ids.add(id);
    if (id > w.max) w.max = id;
    if (w.ids.size > 2 * RECENT_IDS_WINDOW) {
      for (const old of w.ids) if (old <= w.max - RECENT_IDS_WINDOW) w.ids.delete(old);
    }
    return false;
  }
}

function agree(ids: readonly number[], clients = 1): void {
  const a = new RecentIds();
  const b = new SetModel();
  // The first disagreement, if any (an expect per id took seconds).
  const first = ids.findIndex((id, i) => a.seen(`c${i % clients}`, id) !== b.seen(`c${i % clients}`, id));
  expect(first === -1 ? 'agree' : `id ${ids[first]} (#${first}) of c${first % clients}`).toBe('agree');
}

describe('RecentIds', () => {
  it('answers as the Set of ids did, seed by seed', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = seededRandom(seed);
      const ids: number[] = [];
      let next = 1 + Math.floor(r() * 3);
      for (let i = 0; i < 6_000; i++) {
        const x = r();
        if (x < 0.6) ids.push(next++);
        else if (x < 0.75 && ids.length > 0) ids.push(ids[Math.floor(r() * ids.length)] as number);
        else if (x < 0.85) ids.push(Math.max(0, next - Math.floor(r() * 2 * RECENT_IDS_WINDOW)));
        else if (x < 0.9) ids.push((next += Math.floor(r() * 3 * RECENT_IDS_WINDOW)));
        else if (x < 0.97) ids.push(next + Math.floor(r() * 20));
        else ids.push(next - RECENT_IDS_WINDOW + Math.floor(r() * 3) - 1);
      }
      agree(ids, 1 + (seed % 3));
    }
  });

  it('the window edge: an id exactly RECENT_IDS_WINDOW behind the newest is old', () => {
    const w = RECENT_IDS_WINDOW;
    agree([1, w + 1, 1, 2, w + 2, 2, w + 1, 3 * w, 2 * w, 2 * w + 1, 2 * w + 1]);
  });

  it('a client that sends ids that are no whole number is still answered as before', () => {
    agree([1, 2, 2.5, 2.5, 3, -1, 2, 2 ** 60, 2 ** 60, 4, 2 ** 60 - RECENT_IDS_WINDOW + 1]);
    agree([-3, -2, -3, 0, 1, 0]);
    agree([0.5, 1, 0.5]);
    agree([5, 6, 7, 5, 9.25, 7, 6, 8, 9.25, 10]);
  });
});
