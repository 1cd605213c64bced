// An etcd history whose numbers are past what detcd can read exactly or list: an int64 id
// written as a JSON number past 2^53 (JSON.parse rounds it: `detcd check` died with "internal
// error: expected an int64 id", exit 4) is refused naming the file, line and field (exit 3); an
// answer whose revision jumps far past the others (a corrupt header, or writers the history
// does not hold) made the etcd model list every revision in between as a gap — a jump of 10^9
// never ended — and is now counted: more gaps than the history's ops could fill is not
// linearizable (exit 1), as a small jump is, within a second or so.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, refused } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';
import { checkGapCount, GAPS_LISTED_MIN, RevisionGapBound } from '../../sim/check/models/etcd/gap-bound.ts';

const root = scratchDir('detcd-etcd-revision-bounds-');
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const header = (rev: string): object => ({ header: { revision: rev, raft_term: '2', member_id: '1', cluster_id: '1' } });

/** A grant, then a put under its lease answered at revision `putRevision`. */
function history(name: string, putRevision: string): string {
  const id = '7';
  const ops = [
    { process: 1, type: 'invoke', f: 'lease/grant', value: { ID: id, TTL: '5' } },
    { process: 1, type: 'ok', f: 'lease/grant', value: { ...header('1'), ID: id, TTL: '5' } },
    { process: 2, type: 'invoke', f: 'kv/put', value: { key: b64('k'), value: b64('v'), lease: '7' } },
    { process: 2, type: 'ok', f: 'kv/put', value: header(putRevision) },
  ];
  const path = join(root, name);
  writeFileSync(path, `${ops.map((o) => JSON.stringify(o)).join('\n')}\n`);
  return path;
}

describe('etcd histories past what detcd reads exactly or lists', () => {
  it('refuses an int64 id written as a JSON number past 2^53, naming the file, line and field', async () => {
    const path = join(root, 'id-number.jsonl');
    const text = `{"process":1,"type":"invoke","f":"lease/grant","value":{"ID":1152921504606846977,"TTL":"5"}}\n{"process":1,"type":"ok","f":"lease/grant","value":{"header":{"revision":"1"},"ID":1152921504606846977,"TTL":"5"}}\n`;
    writeFileSync(path, text);
    await refused(['check', '--model', 'etcd', path], `${path}:1`, "field 'value.ID'", /a number past 2\^53/);
  });

  it('says not linearizable for an answer 10^12 revisions past the others, counting the gaps, at once', async () => {
    const started = Date.now();
    const r = await cli(['check', '--model', 'etcd', '--json', history('jump.jsonl', '1000000000000')]);
    expect(r.code, r.err.join('\n')).toBe(1);
    expect(JSON.parse(r.out[0] ?? '')).toMatchObject({ valid: false, linearizable: false });
    const text = await cli(['check', '--model', 'etcd', '--out', join(root, 'jump-report'), history('jump2.jsonl', '3000000')]);
    expect(text.code, text.err.join('\n')).toBe(1);
    expect(text.out[0]).toMatch(/INVALID/);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('still judges a jump within the listed gaps (a put that skipped revisions no op made: not linearizable)', async () => {
    const r = await cli(['check', '--model', 'etcd', history('small-jump.jsonl', '100')]);
    expect(r.code, r.err.join('\n')).toBe(1);
    expect((await cli(['check', '--model', 'etcd', history('no-jump.jsonl', '2')])).code).toBe(0);
  });

  it('counts the gaps without listing them: the revisions known writes made are not gaps', () => {
    expect(() => checkGapCount(0, GAPS_LISTED_MIN + 10, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 4)).not.toThrow();
    expect(() => checkGapCount(0, GAPS_LISTED_MIN + 11, new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 4)).toThrow(RevisionGapBound);
    expect(() => checkGapCount(0, 3 * GAPS_LISTED_MIN, new Set(), 4 * GAPS_LISTED_MIN)).not.toThrow();
  });
});
