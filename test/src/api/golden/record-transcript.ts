// Records a transcript of requests and the real etcd's responses, for the golden wire test.
// Not a test: run by hand against a FRESH single-member etcd 3.4.23:
//   etcd --data-dir /tmp/etcd-golden --listen-client-urls http://127.0.0.1:23791 \
//        --advertise-client-urls http://127.0.0.1:23791 --listen-peer-urls http://127.0.0.1:23801 &
//   npx tsx test/src/api/golden/record-transcript.ts http://127.0.0.1:23791 > test/src/api/golden/etcd-3.4.23-transcript.json
import { writeSync } from 'node:fs';
import { GOLDEN_REQUESTS } from './requests.ts';

const endpoint = process.argv[2] ?? 'http://127.0.0.1:23791';
const out: { path: string; body: unknown; status: number; response: unknown }[] = [];
for (const [path, body] of GOLDEN_REQUESTS) {
  const res = await fetch(endpoint + path, { method: 'POST', body: JSON.stringify(body) });
  const text = await res.text();
  // Streaming calls answer one {"result": ...} object per line.
  out.push({ path, body, status: res.status, response: JSON.parse(text.trim().split('\n')[0]!) as unknown });
}
writeSync(1, JSON.stringify(out, null, 1) + '\n');
