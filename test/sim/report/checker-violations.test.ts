// The report must show the violations the real watch and lease checkers produce (not only
// hand-shaped fixtures): the guarantee's name, its message and the events around it.
import { describe, expect, it } from 'vitest';
import { checkLease } from '../../../sim/check/lease.ts';
import { checkWatch } from '../../../sim/check/watch.ts';
import type { Op, WatchRecord } from '../../../sim/history/op.ts';
import { renderRunHtml } from '../../../sim/report/index.ts';
import { passingRun } from '../../fixtures/report/fixtures.ts';
import { b64, hdr, kv } from '../check/history-builder.ts';

function put(index: number, process: number, key: string, value: string, revision: number): Op[] {
  return [
    { index, time: index * 1000, process, type: 'invoke', f: 'kv/put', value: { key: b64(key), value: b64(value) } },
    { index: index + 1, time: index * 1000 + 500, process, type: 'ok', f: 'kv/put', value: hdr(revision) },
  ];
}

function event(key: string, value: string, revision: number, version: number): unknown {
  return { kv: kv(key, value, revision - version + 1, revision, version) };
}

describe('report of real checker violations', () => {
  it('names the broken watch guarantee and shows the watch responses around it', async () => {
    const history = [...put(0, 1, 'a', 'v1', 2), ...put(2, 1, 'a', 'v2', 3), ...put(4, 1, 'a', 'v3', 4)];
    // The watcher sees revisions 2 and 4 but never 3: a gap (etcd's "reliable" guarantee).
    const watches: WatchRecord[] = [
      { process: 'w0', time: 100, request: { create_request: { key: b64('a') } }, response: { ...hdr(1), created: true } },
      { process: 'w0', time: 1600, response: { ...hdr(2), events: [event('a', 'v1', 2, 1)] } },
      { process: 'w0', time: 4600, response: { ...hdr(4), events: [event('a', 'v3', 4, 3)] } },
    ];
    const watch = checkWatch(watches, history);
    expect(watch.valid).toBe(false);
    const base = passingRun();
    const html = await renderRunHtml({
      ...base,
      history,
      watches,
      results: { ...base.results, valid: false, checkers: { ...base.results.checkers, watch } },
    });
    const guarantee = watch.violations[0]!.guarantee;
    expect(html).toContain(`<h3>${guarantee}</h3>`);
    expect(html).toContain('watch responses around it');
  });

  it("shows, for a watch of a stream that held several, that watch's responses around it", async () => {
    const history = [...put(0, 1, 'a', 'v1', 2), ...put(2, 1, 'b', 'v1', 3), ...put(4, 1, 'a', 'v3', 4), ...put(6, 1, 'a', 'v4', 5)];
    // One stream, two watches: watch 0 on a misses revision 4; watch 1 on b delivers its put.
    const watches: WatchRecord[] = [
      { process: 's', time: 100, request: { create_request: { key: b64('a') } }, response: { ...hdr(1), created: true } },
      { process: 's', time: 200, request: { create_request: { key: b64('b') } }, response: { ...hdr(1), watch_id: '1', created: true } },
      { process: 's', time: 1600, response: { ...hdr(2), events: [event('a', 'v1', 2, 1)] } },
      { process: 's', time: 3600, response: { ...hdr(3), watch_id: '1', events: [event('b', 'v1', 3, 1)] } },
      { process: 's', time: 6600, response: { ...hdr(5), events: [event('a', 'v4', 5, 3)] } },
    ];
    const watch = checkWatch(watches, history);
    expect(watch.violations.map((v) => v.process)).toEqual(['s watch 0']);
    const base = passingRun();
    const html = await renderRunHtml({ ...base, history, watches, results: { ...base.results, valid: false, checkers: { ...base.results.checkers, watch } } });
    const card = html.slice(html.indexOf('client s watch 0'));
    expect(card).toContain('watch responses around it');
    const table = card.slice(0, card.indexOf('</table>', card.indexOf('watch responses around it')));
    expect(table).toContain('a=v4@5');
    expect(table).not.toContain('b=v1@3');
  });

  it('links a lease violation to the op that shows it', async () => {
    const history: Op[] = [
      { index: 0, time: 0, process: 1, type: 'invoke', f: 'lease/grant', value: { TTL: '5', ID: '7' } },
      { index: 1, time: 10, process: 1, type: 'ok', f: 'lease/grant', value: { ...hdr(1), ID: '7', TTL: '5' } },
      { index: 2, time: 20, process: 1, type: 'invoke', f: 'kv/put', value: { key: b64('k'), value: b64('v'), lease: '7' } },
      { index: 3, time: 30, process: 1, type: 'ok', f: 'kv/put', value: hdr(2) },
      { index: 4, time: 40, process: 1, type: 'invoke', f: 'lease/revoke', value: { ID: '7' } },
      { index: 5, time: 50, process: 1, type: 'ok', f: 'lease/revoke', value: hdr(3) },
      { index: 6, time: 60, process: 2, type: 'invoke', f: 'kv/range', value: { key: b64('k') } },
      { index: 7, time: 70, process: 2, type: 'ok', f: 'kv/range', value: { ...hdr(3), kvs: [kv('k', 'v', 2, 2, 1, 7)], count: '1' } },
    ];
    const lease = checkLease(history);
    expect(lease.valid).toBe(false);
    const base = passingRun();
    const html = await renderRunHtml({ ...base, history, results: { ...base.results, valid: false, checkers: { lease } } });
    expect(html).toContain(`<h3>${lease.violations[0]!.kind}</h3>`);
    expect(html).toContain('operations around it');
  });
});
