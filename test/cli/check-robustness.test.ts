// detcd check on etcd robustness-test reports (client-N/operations.json, porcupine operations):
// a report directory or any client file of it is checked as the whole run; a run that is not
// linearizable exits 1; what detcd cannot read or model is one line naming the file, exit 3.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const RUN = join(import.meta.dirname, '../fixtures/check/etcd-robustness/handwritten');
const dir = scratchDir('detcd-check-robustness-');

/** A copy of the hand-written run with `edit` applied to one client file's text. */
function copy(name: string, client: number, edit: (text: string) => string): string {
  const to = join(dir, name);
  cpSync(RUN, to, { recursive: true });
  const file = join(to, `client-${client}`, 'operations.json');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return to;
}

describe('detcd check: etcd robustness-test reports', () => {
  it('checks a report directory as one run (valid, exit 0), and names how many client files it read', async () => {
    const r = await cli(['check', '--model', 'etcd', RUN]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    // How many ops the etcd check keeps of the 20 (the defragment is left out) is its preparation's business.
    expect(r.out[0]).toMatch(/: valid \(\d+ ops, the 3 client files of one etcd robustness-test run, /);
  });

  it('checks one client file as its whole run, once however many of its files are given', async () => {
    const one = await cli(['check', '--model', 'etcd', '--json', join(RUN, 'client-3', 'operations.json')]);
    expect(one.code).toBe(0);
    expect(one.out.map((l) => JSON.parse(l) as { file: string; valid: unknown })).toEqual([expect.objectContaining({ file: RUN, valid: true })]);
    const all = await cli(['check', '--model', 'etcd', '--json', ...[1, 2, 3].map((n) => join(RUN, `client-${n}`, 'operations.json'))]);
    expect(all.out).toHaveLength(1);
  });

  it('exits 1 on a run whose reads went back in time', async () => {
    // client-1's last read of key0 (after its delete at revision 7) shows the value of revision 4.
    const stale = copy('stale', 1, (t) => {
      const lines = t.trim().split('\n');
      lines[8] = lines[8]!.replace('"Range":{"KVs":[],"Count":0}', '"Range":{"KVs":[{"Key":"key0","Value":{"Value":"3"},"ModRevision":4}],"Count":1}');
      return `${lines.join('\n')}\n`;
    });
    const r = await cli(['check', '--model', 'etcd', stale]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/: INVALID \(/);
    expect(r.out.join('\n')).toMatch(/range\("key0"\)/);
  });

  it('exits 3 with one line naming the client file, line and field it cannot model; the other runs are still checked', async () => {
    const bad = copy('bad', 2, (t) => t.replace('"Type":"defragment"', '"Type":"watch"'));
    const r = await cli(['check', '--model', 'etcd', bad, RUN]);
    expect(r.code).toBe(3);
    expect(r.err).toEqual([`${join(bad, 'client-2', 'operations.json')}:5: field Input.Type: "watch" is not a request detcd models (range, txn, leaseGrant, leaseRevoke, compact, defragment)`]);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toMatch(/: valid \(/);
  });

  it('refuses another model, a start other than an empty etcd, a directory with no client files, and a JSONL client file', async () => {
    const kv = await cli(['check', '--model', 'kv', RUN]);
    expect([kv.code, kv.err]).toEqual([3, [`${RUN}: an etcd robustness-test history (porcupine operations): check it with --model etcd`]]);
    const rev = await cli(['check', '--model', 'etcd', '--initial-revision', '5', RUN]);
    expect([rev.code, rev.err]).toEqual([3, [`${RUN}: an etcd robustness-test history, whose runs start from an empty etcd: leave out --initial-revision and --initial-state`]]);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const e = await cli(['check', '--model', 'etcd', empty]);
    expect([e.code, e.err]).toEqual([3, [`${empty}: a directory with no client-N/operations.json in it (an etcd robustness-test report holds one per client), not a history`]]);
    const mixed = copy('mixed', 3, () => '{"index":0,"time":0,"process":0,"type":"invoke","f":"kv/range","value":{"key":"YQ=="}}\n');
    const m = await cli(['check', '--model', 'etcd', mixed]);
    expect([m.code, m.err]).toEqual([3, [`${join(mixed, 'client-3', 'operations.json')}: a jsonl history, not an etcd robustness-test operations file (run ${mixed})`]]);
    const fmt = await cli(['check', '--model', 'register', '--format', 'etcd-robustness', RUN]);
    expect(fmt.code).toBe(3);
    expect(fmt.err[0]).toMatch(/--format etcd-robustness goes with --model etcd/);
  });

  it('judges a run with many timed-out writes in bounded time from what its answers record, and finds a stale read in it', async () => {
    // short-timeouts seed 3 (818 ops, 294 streams after the timeouts) written in the robustness
    // format by bench/tools/robustness-export.mjs. Its answers have no create_revision or version:
    // before the gap facts were drawn from such answers too (gap-constraints.ts), the check ran
    // for more than 10 minutes; now ~4,000 model steps.
    const out = join(dir, 'seed3');
    const tool = join(import.meta.dirname, '../../bench/tools/robustness-export.mjs');
    const p = spawnSync(process.execPath, [tool, join(import.meta.dirname, '../fixtures/check/short-timeouts-seed3/history.jsonl'), out], { encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    const valid = await cli(['check', '--model', 'etcd', '--timeout-ms', '300000', out]);
    expect(valid.code, valid.out.join('\n')).toBe(0);
    expect(valid.out[0]).toMatch(/: valid \(\d+ ops, the 294 client files/);
    // client-183's read of key7 at revision 289 (v870-p231, mod 286) made to show the value of revision 202.
    const file = join(out, 'client-183', 'operations.json');
    const text = readFileSync(file, 'utf8');
    const before = '{"Key":"key7","Value":{"Value":"v870-p231"},"ModRevision":286}';
    expect(text.split(before).length).toBe(2);
    writeFileSync(file, text.replace(before, '{"Key":"key7","Value":{"Value":"v671-p231"},"ModRevision":202}'));
    const stale = await cli(['check', '--model', 'etcd', '--timeout-ms', '300000', out]);
    expect(stale.code).toBe(1);
    expect(stale.out.join('\n')).toMatch(/a write with a known revision in \(202, 289\] put or deleted it \(a stale answer\)/);
  });

  it('exports a txn comparing a version (EtcdCondition.ExpectedVersion) and judges it: a compare answered against the version fails', async () => {
    // A put of "k" (version 1), then a txn "version(k) == 1 ? put k" answered succeeded or not.
    const history = (succeeded: boolean): string => [
      { time: 1, process: 0, type: 'invoke', f: 'kv/put', value: { key: 'aw==', value: 'MQ==' } },
      { time: 2, process: 0, type: 'ok', f: 'kv/put', value: { header: { revision: '2' } } },
      { time: 3, process: 0, type: 'invoke', f: 'kv/txn', value: { compare: [{ key: 'aw==', target: 'VERSION', result: 'EQUAL', version: '1' }], success: [{ request_put: { key: 'aw==', value: 'Mg==' } }] } },
      { time: 4, process: 0, type: 'ok', f: 'kv/txn', value: { header: { revision: succeeded ? '3' : '2' }, succeeded, responses: succeeded ? [{ response_put: { header: { revision: '3' } } }] : [] } },
    ].map((o, index) => JSON.stringify({ index, ...o })).join('\n') + '\n';
    const tool = join(import.meta.dirname, '../../bench/tools/robustness-export.mjs');
    const verdicts: number[] = [];
    for (const succeeded of [true, false]) {
      const from = join(dir, `version-compare-${succeeded}.jsonl`);
      writeFileSync(from, history(succeeded));
      const out = join(dir, `version-compare-${succeeded}`);
      const p = spawnSync(process.execPath, [tool, from, out], { encoding: 'utf8' });
      expect(p.status, p.stderr).toBe(0);
      expect(readFileSync(join(out, 'client-1', 'operations.json'), 'utf8')).toContain('"Conditions":[{"Key":"k","ExpectedVersion":1}]');
      verdicts.push((await cli(['check', '--model', 'etcd', out])).code);
    }
    expect(verdicts).toEqual([0, 1]);
  });

  it('refuses a grant answered with the id of a lease granted 3 µs before and not revoked: etcd answers "lease already exists"', async () => {
    const regrant = '{"ClientId":2,"Input":{"Type":"leaseGrant","LeaseGrant":{"LeaseID":7587869191925512706},"LeaseRevoke":null,"Range":null,"Txn":null,"Defragment":null,"Compact":null},"Call":6500,"Output":{"Txn":null,"Range":null,"LeaseGrant":{"LeaseID":7587869191925512706},"LeaseRevoke":null,"Defragment":null,"Compact":null,"ClientError":"","Revision":2,"Persisted":false,"PersistedRevision":0,"Error":""},"Return":6800}\n';
    const r = await cli(['check', '--model', 'etcd', '--json', copy('regrant', 3, (text) => regrant + text)]);
    expect(r.code).toBe(1);
    expect(r.out.map((l) => JSON.parse(l) as { valid: unknown })).toEqual([expect.objectContaining({ valid: false })]);
  });
});
