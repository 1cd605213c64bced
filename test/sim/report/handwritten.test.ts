import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { renderRunHtml } from '../../../sim/report/run-page.ts';
import type { Results } from '../../../sim/run/results.ts';

const dir = join(import.meta.dirname, '../../fixtures/report/handwritten');

async function jsonl<T>(name: string): Promise<T[]> {
  return (await readFile(join(dir, name), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as T);
}

describe('report of a hand-written run read from disk', () => {
  it('shows the stale read as a counterexample, the backwards watch with its events, and the statistics', async () => {
    const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as Results;
    const html = await renderRunHtml({ results, history: await jsonl<Op>('history.jsonl'), watches: await jsonl<WatchRecord>('watches.jsonl') });
    expect(html).toContain('<div class="word">INVALID</div>');
    // Counterexample: three prefix steps, the stale range by process 2, the concurrent timed-out put.
    expect((html.match(/class="cx prefix"/g) ?? []).length).toBe(3);
    expect(html).toMatch(/<b class="bad">range x by process 2<\/b> cannot follow/);
    expect(html).toContain('range x returned 1 at revision 2');
    // The watch violation names op 5 (put x=2) and shows both watch responses, decoded.
    expect(html).toContain('w0 received revision 3 then revision 2');
    expect(html).toMatch(/<tr class="named">[^]*?put x=2/);
    expect(html).toContain('rev 2 · events [PUT x=1@2]');
    // Statistics: the leaderless window and the time to a leader after the heal.
    expect(html).toContain('<td>950 ms</td><td>1.05 s</td><td>100 ms</td>');
    expect(html).toContain('<td>n2 (term 3) after 1.046 s</td><td>had a leader</td>');
  });
});
