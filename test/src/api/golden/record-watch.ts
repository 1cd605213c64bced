// Records the golden watch transcript against a FRESH single-member etcd 3.4.23 (not a test):
//   npx tsx test/src/api/golden/record-watch.ts http://127.0.0.1:23791 > test/src/api/golden/etcd-3.4.23-watch.json
// Each stream's body holds all its requests; writes "after" start 400 ms after the stream opens,
// 100 ms apart; the stream is read for 1.5 s.
import { writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { WATCH_SCENARIOS } from './watch-scenarios.ts';

const endpoint = process.argv[2] ?? 'http://127.0.0.1:23791';

async function call(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(endpoint + path, { method: 'POST', body: JSON.stringify(body) });
  return JSON.parse((await res.text()).trim().split('\n')[0]!) as unknown;
}

const out: unknown[] = [];
for (const s of WATCH_SCENARIOS) {
  const before = [];
  for (const [p, b] of s.before) before.push(await call(p, b));
  const ac = new AbortController();
  const res = await fetch(endpoint + '/v3/watch', { method: 'POST', body: s.stream.map((r) => JSON.stringify(r)).join(''), signal: ac.signal });
  const lines: unknown[] = [];
  const reading = (async () => {
    const dec = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body!) {
        buf += dec.decode(chunk as Uint8Array, { stream: true });
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1);
          if (line !== '') lines.push(JSON.parse(line));
        }
      }
    } catch { /* aborted */ }
  })();
  await sleep(400);
  const after = [];
  for (const [p, b] of s.after) {
    after.push(await call(p, b));
    await sleep(100);
  }
  await sleep(1000);
  ac.abort();
  await reading;
  out.push({ name: s.name, before, after, responses: lines });
}
writeSync(1, JSON.stringify(out, null, 1) + '\n');
