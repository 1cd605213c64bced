// detcd check on the watch side of etcd robustness-test reports (client-N/watch.json, model.WatchOperation
// lines): a run's watch files are judged by the watch checker against its operations, the verdict is
// both checkers'; a stream with a planted violation fails (exit 1); what detcd cannot model in a watch
// file is one line naming the file, line and field (exit 3).
//
// The fixture is a real etcd 3.4.23 run (`detcd run --target etcd --scenario kill-leader --seed 3`:
// 179 ops, 14 of unknown outcome, three watchers of every key with prev_kv and progress
// notifications, one per member, reopened after the leader's kill) written in the robustness format
// by bench/tools/robustness-export.mjs (its operations and watches.jsonl).
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const RUN = join(import.meta.dirname, '../fixtures/check/etcd-robustness/real-etcd-3.4.23-kill-leader-3-watch');
const WATCHER = 'client-3000002';
const dir = scratchDir('detcd-check-robustness-watch-');

interface Operation {
  Request: Record<string, unknown>;
  Responses: { Events: Record<string, unknown>[] | null; IsProgressNotify: boolean; Revision: number; Time: number; Error?: string }[];
}

/** A copy of the run with `edit` applied to the first watch of WATCHER's watch.json. */
function planted(name: string, edit: (op: Operation) => void, raw?: (text: string) => string): string {
  const to = join(dir, name);
  cpSync(RUN, to, { recursive: true });
  const file = join(to, WATCHER, 'watch.json');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const op = JSON.parse(lines[0]!) as Operation;
  edit(op);
  lines[0] = JSON.stringify(op);
  writeFileSync(file, raw === undefined ? `${lines.join('\n')}\n` : raw(`${lines.join('\n')}\n`));
  return to;
}

/** The index of the first response whose events include one of revision `rev`. */
function responseAt(op: Operation, rev: number): number {
  const i = op.Responses.findIndex((r) => (r.Events ?? []).some((e) => e['Revision'] === rev));
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
}

describe('detcd check: the watch files of etcd robustness-test reports', () => {
  it('judges a real etcd run\'s watch files with its operations: valid, and says it read them', async () => {
    const r = await cli(['check', '--model', 'etcd', RUN]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/: valid \(179 ops, the 33 client files of one etcd robustness-test run, and its 3 watch files \(their events also as answers\), /);
    expect(r.out[1]).toMatch(/linearizable: valid; watch: watch guarantees hold over \d+ watch(?:es)? and \d+ revisions?/);
    const json = await cli(['check', '--model', 'etcd', '--json', RUN]);
    expect(JSON.parse(json.out[0]!)).toMatchObject({ file: RUN, valid: true, linearizable: true, watch: { valid: true } });
  });

  it('fails a watcher that missed an event (reliable), one that got a revision twice (unique), one that went back (ordered)', async () => {
    const missed = planted('missed', (op) => {
      const i = responseAt(op, 5);
      op.Responses.splice(i, 1);
    });
    const m = await cli(['check', '--model', 'etcd', missed]);
    expect(m.code).toBe(1);
    expect(m.out[0]).toMatch(/: INVALID \(/);
    expect(m.out[1]).toMatch(/linearizable: valid; watch: watch guarantee broken: reliable — missed PUT "key1"@5/);
    const twice = planted('twice', (op) => {
      const i = responseAt(op, 5);
      op.Responses.splice(i + 1, 0, { ...op.Responses[i]!, Time: op.Responses[i]!.Time + 1 });
    });
    const t = await cli(['check', '--model', 'etcd', twice]);
    expect(t.code).toBe(1);
    expect(t.out[1]).toMatch(/watch guarantee broken: (atomic|unique)/);
    const back = planted('back', (op) => {
      const i = responseAt(op, 5);
      const [a, b] = [op.Responses[i]!, op.Responses[i + 1]!];
      [a.Events, b.Events] = [b.Events, a.Events];
      [a.Revision, b.Revision] = [b.Revision, a.Revision];
    });
    const b = await cli(['check', '--model', 'etcd', back]);
    expect(b.code).toBe(1);
    expect(b.out[1]).toMatch(/watch guarantee broken: ordered/);
  });

  it('fails a wrong prev_kv (its version replayed, as the format keeps none for events) and a wrong IsCreate', async () => {
    const version = planted('prev-version', (op) => {
      const e = op.Responses[responseAt(op, 5)]!.Events!.find((x) => x['Revision'] === 5)!;
      (e['PrevValue'] as { Version: number }).Version = 2;
    });
    const v = await cli(['check', '--model', 'etcd', version]);
    expect(v.code).toBe(1);
    expect(v.out[1]).toMatch(/watch guarantee broken: (prev_kv|agreement)/);
    const create = planted('create', (op) => {
      const e = op.Responses[responseAt(op, 5)]!.Events!.find((x) => x['Revision'] === 5)!;
      e['IsCreate'] = true;
    });
    const c = await cli(['check', '--model', 'etcd', create]);
    expect(c.code).toBe(1);
    expect(c.out[1]).toMatch(/watch guarantee broken: (is_create|agreement)/);
  });

  it('refuses what it cannot model in one line naming the watch file, line and field (exit 3)', async () => {
    const file = (run: string): string => join(run, WATCHER, 'watch.json');
    const cases: [string, (op: Operation) => void, RegExp][] = [
      ['field', (op) => void (op.Responses[0]!['Canceled' as 'Time'] = 1), /:1: field Responses\[0\]\.Canceled: detcd does not know this field/],
      ['type', (op) => void (op.Responses[0]!.Events![0]!['Type'] = 'expire-operation'), /:1: field Responses\[0\]\.Events\[0\]\.Type: "expire-operation" is not an event type detcd models/],
      ['after-error', (op) => void op.Responses.splice(1, 0, { Events: null, IsProgressNotify: false, Revision: 0, Time: op.Responses[0]!.Time, Error: 'etcdserver: no leader' }), /:1: field Responses\[2\]: follows a response with an Error/],
      ['no-time', (op) => void delete (op.Responses[0] as Partial<Operation['Responses'][0]>).Time, /:1: field Responses\[0\]\.Time: must be the time it arrived in nanoseconds/],
      ['empty', (op) => void (op.Responses[0]!.Events = null), /:1: field Responses\[0\]\.Events: is empty on a response that is neither a progress notification nor an error/],
    ];
    for (const [name, edit, message] of cases) {
      const run = planted(name, edit);
      const r = await cli(['check', '--model', 'etcd', run]);
      expect([r.code, r.out], name).toEqual([3, []]);
      expect(r.err, name).toHaveLength(1);
      expect(r.err[0]!.startsWith(file(run)), name).toBe(true);
      expect(r.err[0], name).toMatch(message);
    }
    // The format before IsCreate was recorded: every client's events without it.
    const old = join(dir, 'old');
    cpSync(RUN, old, { recursive: true });
    for (const c of ['client-3000002', 'client-3000003', 'client-3000004']) {
      const f = join(old, c, 'watch.json');
      writeFileSync(f, readFileSync(f, 'utf8').replace(/,"IsCreate":(true|false)/g, ''));
    }
    const o = await cli(['check', '--model', 'etcd', old]);
    expect(o.code).toBe(3);
    expect(o.err).toHaveLength(1);
    expect(o.err[0]).toMatch(/field Responses\[\]\.Events\[\]\.IsCreate: no event of the run records it/);
  });

  it('judges a watch cancelled as compacted, whose compact revision the format does not keep, up to its last progress notification', async () => {
    // The watch missed revision 5, got a progress notification at 7, then clientv3's ErrCompacted:
    // the progress vouches for every event up to 7, so the miss is found; the compaction itself
    // (which revision it needed next against one not recorded) is not judged.
    const cancel = (op: Operation, after: number, progressAt?: number): void => {
      const i = responseAt(op, after);
      const time = op.Responses[i]!.Time;
      const tail: Operation['Responses'] = progressAt === undefined ? [] : [{ Events: null, IsProgressNotify: true, Revision: progressAt, Time: time + 1 }];
      tail.push({ Events: null, IsProgressNotify: false, Revision: 0, Time: time + 2, Error: 'etcdserver: mvcc: required revision has been compacted' });
      op.Responses.splice(i + 1, op.Responses.length, ...tail);
      op.Responses.splice(responseAt(op, 5), 1);
    };
    const vouched = planted('compacted-progress', (op) => cancel(op, 7, 7));
    const v = await cli(['check', '--model', 'etcd', vouched]);
    expect(v.code).toBe(1);
    expect(v.out[1]).toMatch(/watch guarantee broken: reliable — missed PUT "key1"@5/);
    // Without a progress notification before the cancel nothing vouches for the events it got (as
    // with a recorded compact revision): the watch is not judged for reliability.
    const bare = planted('compacted', (op) => cancel(op, 7));
    const b = await cli(['check', '--model', 'etcd', bare]);
    expect(b.code, b.out.join('\n')).toBe(0);
  });
  it('uses the watch events as answers: a read called after an event showed a write, which it misses, fails (valid with --no-watches)', async () => {
    // Two shapes of one class: the put's client timed out (only the event shows it took effect),
    // and the put answered after the read was called (only the event shows it came first).
    const put = (value: string, call: number, output: Record<string, unknown>, ret: number): string =>
      JSON.stringify({ ClientId: 1, Input: { Type: 'txn', Txn: { Conditions: null, OperationsOnSuccess: [{ Type: 'put-operation', Put: { Key: 'key1', Value: { Value: value } } }], OperationsOnFailure: null } }, Call: call, Output: output, Return: ret });
    const range = JSON.stringify({ ClientId: 2, Input: { Type: 'range', Range: { Start: 'key1', End: '', Limit: 0, Revision: 0 } }, Call: 6_000_000, Output: { Range: { KVs: [{ Key: 'key1', Value: { Value: 'a' }, ModRevision: 2 }], Count: 1 }, Revision: 2 }, Return: 7_000_000 });
    const watch = (eventAt: number): string =>
      JSON.stringify({
        Request: { Key: 'key1', Revision: 1, WithPrefix: false, WithProgressNotify: false, WithPrevKV: true },
        Responses: [
          { Events: [{ Type: 'put-operation', Key: 'key1', Value: { Value: 'a' }, Revision: 2, IsCreate: true }], Revision: 2, Time: 1_500_000 },
          { Events: [{ Type: 'put-operation', Key: 'key1', Value: { Value: 'b' }, Revision: 3, IsCreate: false, PrevValue: { Value: { Value: 'a' }, ModRevision: 2, Version: 1 } }], Revision: 3, Time: eventAt },
        ],
      });
    const run = (name: string, second: string, eventAt: number): string => {
      const to = join(dir, name);
      for (const c of ['client-1', 'client-2', 'client-3']) mkdirSync(join(to, c), { recursive: true });
      writeFileSync(join(to, 'client-1', 'operations.json'), `${put('a', 1_000_000, { Txn: { Failure: false, Results: [{}] }, Revision: 2 }, 2_000_000)}\n${second}\n`);
      writeFileSync(join(to, 'client-2', 'operations.json'), `${range}\n`);
      writeFileSync(join(to, 'client-3', 'watch.json'), `${watch(eventAt)}\n`);
      return to;
    };
    const timedOut = put('b', 3_000_000, { Error: 'context deadline exceeded' }, 9_000_000);
    const late = put('b', 3_000_000, { Txn: { Failure: false, Results: [{}] }, Revision: 3 }, 9_000_000);
    for (const [name, second] of [['timed-out', timedOut], ['late', late]] as const) {
      const convicted = run(name, second, 5_000_000);
      const r = await cli(['check', '--model', 'etcd', '--json', convicted]);
      expect([r.code, JSON.parse(r.out[0]!)], name).toMatchObject([1, { valid: false, linearizable: false, watch: { valid: true } }]);
      const alone = await cli(['check', '--model', 'etcd', '--no-watches', convicted]);
      expect(alone.code, `${name} --no-watches: ${alone.out.join('\n')}`).toBe(0);
      // The event arrived after the read was called: the read may have come first.
      const after = await cli(['check', '--model', 'etcd', run(`${name}-after`, second, 6_500_000)]);
      expect(after.code, `${name} after: ${after.out.join('\n')}`).toBe(0);
    }
  });
});
