// Waits for a member's client port to refuse connections: a removed etcd member's process exits
// once it applies its own removal, in its own time (a loaded machine takes seconds longer), so
// a step that shows the refusal waits for it instead of sleeping a fixed while.
import { connect } from 'node:net';

/** How often the port is tried, and how long at most (then the step runs anyway and shows what it got). */
const TRY_EVERY_MS = 100;
const REFUSED_WAIT_MS_MAX = 30_000;

/** Whether a TCP connection to `hostPort` ("127.0.0.1:2379", a scheme allowed) is refused now. */
function refused(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.replace(/^https?:\/\//, '').split(':') as [string, string];
  return new Promise((resolve) => {
    const socket = connect(Number(port), host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    // ECONNREFUSED: nothing listens. Any other error (a reset, a timeout) says nothing yet.
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/** Resolves once `hostPort` refuses connections, or after REFUSED_WAIT_MS_MAX. */
export async function untilRefused(hostPort: string): Promise<void> {
  const deadline = Date.now() + REFUSED_WAIT_MS_MAX;
  while (!(await refused(hostPort)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, TRY_EVERY_MS));
}
