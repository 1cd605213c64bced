// An exception thrown by a node's host while it handled an event (a message, a timer, an fsync
// callback) or while it started (recovery from its disk). The host runs the system under test,
// so this is a bug of the product, not of the harness: a run reports it as a failed verdict
// naming the member and its incarnation, never as an internal error of the harness.

export class HostError extends Error {
  constructor(
    readonly node: string,
    readonly incarnation: number,
    /** What the host was doing: 'start', 'message', 'timer' or 'callback'. */
    readonly during: string,
    override readonly cause: unknown,
  ) {
    super(`member ${node} (incarnation ${incarnation}) threw while handling a ${during}: ${causeMessage(cause)}`);
    this.name = 'HostError';
  }

  /** The product's own message, without the member prefix. */
  get causeMessage(): string {
    return causeMessage(this.cause);
  }
}

function causeMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** Runs `fn` for a host; an exception leaves as a HostError naming the node (never wrapped twice). */
export function asHost<T>(node: string, incarnation: number, during: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw hostError(node, incarnation, during, err);
  }
}

/** What a host's exception leaves as: itself when it already is a HostError, else one naming the node. */
export function hostError(node: string, incarnation: number, during: string, err: unknown): HostError {
  return err instanceof HostError ? err : new HostError(node, incarnation, during, err);
}
