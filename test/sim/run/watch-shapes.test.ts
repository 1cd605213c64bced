// clients.watchShapes: beside each member's watcher of every key, a watch of another shape
// (puts only, deletes only, one key, a range ending at a written key, every key from one on);
// each shape's events are what it asked for, and the correct build is valid on watch-shapes;
// clients.watchIds' stream reuses a chosen id and etcd numbers around it.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/cli/harness/scenario-files.ts';
import { runScenario } from '../../../sim/run/run.ts';
import { watchShapes } from '../../../sim/run/watch-shapes.ts';
import { b64, unb64 } from '../../../sim/workload/etcd-request.ts';

type Obj = Record<string, unknown>;

describe('watch shapes', () => {
  it('cover filters both ways, one key and ranges that end at a written key', () => {
    const shapes = watchShapes(10);
    expect(shapes.map((s) => s.name)).toEqual(['puts', 'deletes', 'one-key', 'range', 'from-key']);
    expect(shapes[0]!.create['filters']).toEqual(['NODELETE']);
    expect(shapes[1]!.create['filters']).toEqual(['NOPUT']);
    expect(shapes[1]!.create['prev_kv']).toBeUndefined();
    expect(shapes[2]!.create).toMatchObject({ key: b64('key1') });
    expect(shapes[3]!.create).toMatchObject({ key: b64('key2'), range_end: b64('key7') });
    expect(shapes[4]!.create).toMatchObject({ key: b64('key7'), range_end: b64('\0') });
  });

  it('watch-shapes seed 1: every shape sees events and only its own, and the correct build is valid', () => {
    const out = runScenario(loadScenario('watch-shapes').scenario, 1);
    expect(out.results.valid).toBe(true);
    const events = new Map<string, Obj[]>();
    for (const w of out.watches) {
      const list = events.get(String(w.process)) ?? [];
      list.push(...(((w.response as Obj)['result'] as Obj | undefined)?.['events'] as Obj[] | undefined ?? ((w.response as Obj)['events'] as Obj[] | undefined) ?? []));
      events.set(String(w.process), list);
    }
    const of = (name: string): Obj[] => [...events].filter(([p]) => p.endsWith(`/${name}`)).flatMap(([, e]) => e);
    for (const name of ['puts', 'deletes', 'one-key', 'range', 'from-key']) expect(of(name).length).toBeGreaterThan(0);
    expect(of('puts').every((e) => e['type'] !== 'DELETE')).toBe(true);
    expect(of('deletes').every((e) => e['type'] === 'DELETE' && e['prev_kv'] === undefined)).toBe(true);
    const keyOf = (e: Obj): string => unb64(String((e['kv'] as Obj)['key']));
    expect(of('one-key').every((e) => keyOf(e) === 'key1')).toBe(true);
    expect(of('range').every((e) => keyOf(e) >= 'key2' && keyOf(e) < 'key7')).toBe(true);
    // clients.watchIds: a stream of several watches reuses its chosen id 1 after a cancel, and
    // etcd numbers its other watches around it (0, then 2: an id in use is skipped).
    const ids = out.watches.filter((w) => String(w.process).endsWith('/ids'));
    const createdIds = ids.filter((w) => (w.response as Obj)['created'] === true && w.request !== undefined).map((w) => [((w.request as Obj)['create_request'] as Obj)['watch_id'], (w.response as Obj)['watch_id'] ?? '0']);
    expect(createdIds.filter(([asked]) => asked === '1').length).toBeGreaterThan(3);
    expect(createdIds.filter(([asked]) => asked === undefined).map(([, given]) => given)).toContain('2');
    expect(createdIds.every(([asked, given]) => asked === undefined ? given !== '1' : given === asked)).toBe(true);
  });
});
