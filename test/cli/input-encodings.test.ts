// Text files in the encodings editors write: a UTF-8 byte order mark (Notepad) is read past in
// every file a user names, as it already was in histories (a scenario with one was refused as
// "Unexpected token"); UTF-16 and UTF-32 (PowerShell's `>`, Windows editors) are refused in
// one line that names the encoding and how to convert it (was "not valid JSON: Unexpected token
// '\u0000'..." for a scenario, "a binary file" for a history).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, refused } from './capture-cli.ts';
import { scratchDir } from '../scratch-dir.ts';

const root = scratchDir('detcd-encodings-');
const scenario = JSON.stringify({ name: 'tiny', workload: { kind: 'register', rateOpsPerSecond: 50, durationMs: 300 }, clients: { count: 2 }, nemesis: { packages: [] } }, null, 1);
const history = `${JSON.stringify({ index: 0, time: 0, process: 0, type: 'invoke', f: 'write', value: 1 })}\n${JSON.stringify({ index: 1, time: 1, process: 0, type: 'ok', f: 'write', value: 1 })}\n`;

const BOM8 = Buffer.from([0xef, 0xbb, 0xbf]);
const encodings: [string, (text: string) => Buffer, RegExp][] = [
  ['UTF-16LE with its byte order mark', (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]), /UTF-16LE text \(it starts with that byte order mark\); detcd reads UTF-8: convert it \(iconv -f UTF-16LE -t UTF-8\)/],
  ['UTF-16BE with its byte order mark', (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, 'utf16le').swap16()]), /UTF-16BE text/],
  ['UTF-16LE without a byte order mark', (t) => Buffer.from(t, 'utf16le'), /UTF-16LE text without a byte order mark/],
];

function file(name: string, bytes: Buffer): string {
  const path = join(root, name);
  writeFileSync(path, bytes);
  return path;
}

describe('a UTF-8 byte order mark is read past', () => {
  it('in a scenario file', async () => {
    const r = await cli(['run', '--scenario', file('bom.json', Buffer.concat([BOM8, Buffer.from(scenario)])), '--seed', '1', '--quiet', '--out', join(root, 'bom-run')]);
    expect(r.err).toEqual([]);
    expect(r.code).toBeLessThan(3);
  });

  it("in a shard's sweep.json", async () => {
    const shard = join(root, 'shard');
    expect((await cli(['sweep', '--scenario', file('tiny.json', Buffer.from(scenario)), '--seeds', '1..1', '--jobs', '1', '--rerun-percent', '0', '--out', shard])).code).toBeLessThan(3);
    writeFileSync(join(shard, 'sweep.json'), Buffer.concat([BOM8, readFileSync(join(shard, 'sweep.json'))]));
    const r = await cli(['sweep', '--merge', shard, '--out', join(root, 'merged')]);
    expect(r.err).toEqual([]);
    expect(r.code).toBeLessThan(3);
  });
});

describe.each(encodings)('%s is refused in one line naming the file and the encoding', (name, encode, reason) => {
  const slug = name.replace(/\W+/g, '-');
  it('a scenario file', async () => {
    const path = file(`${slug}.json`, encode(scenario));
    await refused(['run', '--scenario', path, '--seed', '1', '--quiet', '--out', join(root, `${slug}-run`)], path, reason);
  });

  it('a history', async () => {
    const path = file(`${slug}.jsonl`, encode(history));
    await refused(['check', '--model', 'register', path], path, reason);
  });
});
