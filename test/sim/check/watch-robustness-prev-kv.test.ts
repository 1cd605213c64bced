// A watch of every key in etcd's robustness-test format (client-N/watch.json): its events keep
// IsCreate but no version nor create_revision. The watch checker replays the revisions every-key
// watches saw whole to judge prev_kv, version and is_create; a revision none saw (the watch
// opened "from now" after revision 2, as every robustness watch does) makes every key unknown
// until an event writes it again, and a PUT event with no version did not make its key known. So
// no prev_kv of such a watch was ever judged: a planted prev_kv (the anomaly campaign's
// watch-wrong-prev-kv in the robustness form, on a real kubernetes-traffic run with 40 objects)
// passed. A put that creates its key now makes it known at version 1.
import { describe, expect, it } from 'vitest';
import { checkWatch } from '../../../sim/check/watch.ts';
import { parseRobustnessWatches } from '../../../sim/history/etcd-robustness-watch.ts';

type Prev = { Value: { Value: string }; ModRevision: number; Version: number } | null;
const put = (key: string, value: string, revision: number, isCreate: boolean, prev: Prev) => ({ Events: [{ Type: 'put-operation', Key: key, Value: { Value: value }, Revision: revision, IsCreate: isCreate, PrevValue: prev }], IsProgressNotify: false, Revision: revision, Time: revision * 1_000_000 });
/** A watch of every key from now, with prev_kv: a created at 3 (v1), put again at 4 with the prev_kv given. */
function watch(prev: Prev): string {
  return JSON.stringify({ Request: { Key: '', Revision: 0, WithPrefix: true, WithProgressNotify: false, WithPrevKV: true }, Responses: [put('a', 'v1', 3, true, null), put('b', 'w', 4, true, null), put('a', 'v2', 5, false, prev)] });
}
const verdict = (prev: Prev) => checkWatch(parseRobustnessWatches(watch(prev), 1).records, []);

describe('prev_kv of a robustness-format watch that opened after revision 2', () => {
  it('passes the prev_kv the key had (v1 at 3, version 1)', () => {
    const r = verdict({ Value: { Value: 'v1' }, ModRevision: 3, Version: 1 });
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('fails a prev_kv with a value the key did not have', () => {
    const r = verdict({ Value: { Value: 'phantom' }, ModRevision: 3, Version: 1 });
    expect(r.violations.map((v) => v.guarantee)).toEqual(['prev_kv']);
  });

  it('fails a prev_kv at a version the key was not at', () => {
    expect(verdict({ Value: { Value: 'v1' }, ModRevision: 3, Version: 2 }).valid).toBe(false);
  });

  it('fails a put that was not the key\'s first without a prev_kv (no compaction asked)', () => {
    expect(verdict(null).valid).toBe(false);
  });
});
