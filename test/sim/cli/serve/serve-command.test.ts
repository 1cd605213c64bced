// `detcd serve` as a user runs it: a child process that prints its endpoint, answers etcd's
// JSON API (three members here, so requests cross the simulated network), and exits 0 on SIGINT.
import { spawn } from 'node:child_process';
import { expect, test } from 'vitest';
import { postJson } from '../../../differential/http.ts';

test('detcd serve --nodes 3 --port 0 serves puts and ranges over HTTP and stops cleanly on SIGINT', async () => {
  const child = spawn(process.execPath, ['bin/detcd.js', 'serve', '--port', '0', '--nodes', '3', '--seed', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no endpoint printed: ${out}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // Each member's URL on a line of its own (README); the first line names no URL.
      const m = /^ {2}n1 {2}(http:\/\/127\.0\.0\.1:\d+) {2}gRPC and JSON gateway$/m.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  // The first line names the cluster and fits 80 columns (it listed every URL: 120 for three members).
  expect(out.split('\n')[0]).toBe('detcd serve: 3 simulated members (seed 5)');
  const key = Buffer.from('greeting').toString('base64');
  const put = await postJson(endpoint, '/v3/kv/put', { key, value: Buffer.from('hello').toString('base64') });
  expect(put).toMatchObject({ status: 200, body: { header: { revision: '2' } } });
  const range = await postJson(endpoint, '/v3/kv/range', { key });
  expect(range).toMatchObject({ status: 200, body: { count: '1', kvs: [{ key, version: '1' }] } });
  const bad = await postJson(endpoint, '/v3/kv/range', { key: '', range_end: '' });
  expect(bad).toMatchObject({ status: 400, body: { message: 'etcdserver: key is not provided', code: 3 } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  expect(await exited).toBe(0);
  // Without a scenario it says how it stops and that nothing is checked, and that it stopped
  // (the try: line was its last word, at the end of --duration too).
  expect(out).toContain('\nserving until Ctrl-C (no --scenario: no faults, nothing recorded or checked)\n');
  expect(out.trimEnd().split('\n').at(-1)).toBe('detcd serve: stopped');
});
