// Whether loopback ports are free, asked before a server's heavy modules load, so that a taken
// port is answered at once (exit 3) instead of after seconds of start-up.
import { createServer } from 'node:net';

function tryListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first port of `port`..`port + count - 1` that cannot be listened on at `host`, if any. */
export async function firstTakenPort(port: number, count: number, host = '127.0.0.1'): Promise<number | undefined> {
  for (let p = port; p < port + count; p++) if (!(await tryListen(p, host))) return p;
  return undefined;
}
