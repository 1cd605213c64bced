// `detcd serve --scenario` when a user turns authentication on mid-run: serve's own clients (the
// liveness probes, the robustness watchers) log in as root with the password the user gave it,
// as etcd's robustness tests log in, so the liveness phase after the heal judges the cluster, not
// the harness's missing token. Followers are killed and restarted meanwhile (a restarted member
// has lost every token: the harness logs in again).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startServe } from '../../../../sim/cli/serve/serve-cluster.ts';
import { finishServe } from '../../../../sim/cli/serve/serve-finish.ts';
import { loadScenario } from '../../../../sim/cli/harness/scenario-files.ts';

const work = mkdtempSync(join(tmpdir(), 'detcd-serve-auth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const b = (s: string): string => Buffer.from(s).toString('base64');

async function post(endpoint: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = token === undefined ? {} : { Authorization: token };
  const res = await fetch(`${endpoint}${path}`, { method: 'POST', body: JSON.stringify(body), headers, signal: AbortSignal.timeout(3_000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('authentication turned on during a scenario: the liveness probes and watchers log in, liveness is judged', async () => {
  const started = Date.now();
  const handle = await startServe({ port: 0, nodes: 3, seed: 5, scenario: loadScenario('kill-followers').scenario, durationSeconds: 4 });
  const leader = async (): Promise<string> => {
    for (const e of handle.endpoints) {
      const s = await post(e.url, '/v3/maintenance/status', {}).catch(() => undefined);
      if (s !== undefined && s.status === 200 && s.body['leader'] === (s.body['header'] as Record<string, unknown>)['member_id']) return e.url;
    }
    return handle.endpoint;
  };
  const setup: [string, unknown][] = [
    ['/v3/auth/user/add', { name: 'root', password: 'pw' }],
    ['/v3/auth/user/grant', { user: 'root', role: 'root' }],
    ['/v3/auth/enable', {}],
  ];
  for (const [path, body] of setup) {
    for (let tries = 0; ; tries++) {
      const r = await post(await leader(), path, body).catch(() => undefined);
      if (r?.status === 200) break;
      if (tries > 50) throw new Error(`${path}: ${JSON.stringify(r)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  let token: string | undefined;
  for (let i = 0; i < 40; i++) {
    const endpoint = await leader();
    token ??= (await post(endpoint, '/v3/auth/authenticate', { name: 'root', password: 'pw' }).catch(() => undefined))?.body['token'] as string | undefined;
    if (token !== undefined) await post(endpoint, '/v3/kv/put', { key: b(`k${i % 3}`), value: b(`v${i}`) }, token).catch(() => undefined);
  }
  expect(token).toBeDefined();
  // The schedule spans the 4 s given: let it run out before the heal.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 4_500 - Date.now())));
  const { results } = await finishServe(handle, join(work, 'report'), 'kill-followers');
  const liveness = results.checkers['liveness'] as { valid: unknown; summary?: string } | undefined;
  expect(liveness?.valid, liveness?.summary).toBe(true);
  expect((results.checkers['watch'] as { valid: unknown; summary?: string } | undefined)?.valid).toBe(true);
}, 60_000);
