// detcd check --initial-state: the store before the history, as `etcdctl get "" --from-key
// -w json` prints it (base64 keys and values, numbers as numbers), for where the answers
// cannot tell it: a delete of everything that counts keys no answer ever showed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const run = cli;

const b64 = (s: string): string => btoa(s);
const dir = scratchDir('detcd-initial-state-');
const historyFile = join(dir, 'h.jsonl');
const lines = [
  { process: 0, type: 'invoke', f: 'kv/put', value: { key: b64('c'), value: b64('v1') } },
  { process: 0, type: 'ok', f: 'kv/put', value: { header: { revision: '6' } } },
  { process: 0, type: 'invoke', f: 'kv/deleterange', value: { key: b64('\u0000'), range_end: b64('\u0000') } },
  { process: 0, type: 'ok', f: 'kv/deleterange', value: { header: { revision: '7' }, deleted: '3' } },
];
writeFileSync(historyFile, lines.map((l, i) => JSON.stringify({ index: i, time: i, ...l })).join('\n') + '\n');
// What etcdctl 3.4 prints: numbers as numbers, key and value in base64.
const dump = { header: { cluster_id: 1, member_id: 2, revision: 5, raft_term: 2 }, kvs: [
  { key: b64('a'), create_revision: 2, mod_revision: 3, version: 2, value: b64('x') },
  { key: b64('b'), create_revision: 5, mod_revision: 5, version: 1, value: b64('y') },
], count: 2 };

describe('detcd check --initial-state', () => {
  it('a delete that counts keys from before the history is explained by the dump, and is a violation without it', async () => {
    const dumpFile = join(dir, 'dump.json');
    writeFileSync(dumpFile, JSON.stringify(dump));
    expect((await run(['check', '--model', 'etcd', '--initial-state', dumpFile, historyFile])).code).toBe(0);
    expect((await run(['check', '--model', 'etcd', historyFile])).code).toBe(1);
    // A dump with one key too few does not explain "deleted 3".
    writeFileSync(dumpFile, JSON.stringify({ ...dump, kvs: dump.kvs.slice(1) }));
    expect((await run(['check', '--model', 'etcd', '--initial-state', dumpFile, historyFile])).code).toBe(1);
  });

  it('a bad dump is one line naming the file and the field; exit 3', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ header: { revision: 5 }, kvs: [{ key: b64('a'), create_revision: 4, mod_revision: 9, version: 1 }] }));
    const r = await run(['check', '--model', 'etcd', '--initial-state', bad, historyFile]);
    expect(r.code).toBe(3);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(`--initial-state ${bad}: field kvs[0]`);
    writeFileSync(bad, 'not json');
    expect((await run(['check', '--model', 'etcd', '--initial-state', bad, historyFile])).err[0]).toContain('not JSON');
    expect((await run(['check', '--model', 'etcd', '--initial-state', bad, '--initial-revision', '3', historyFile])).code).toBe(3);
  });
});
