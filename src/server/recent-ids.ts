// Message ids recently seen from each client, so that a message the network delivers twice is
// handled once (a real client talks over TCP, which never duplicates; the simulated network
// may). Bounded: ids far below the newest are forgotten, since their requests have long since
// timed out at the client.

/** Ids kept per client behind the newest one. */
export const RECENT_IDS_WINDOW = 4_096;
/** Clients remembered at most (the network has at most 4096 endpoints). */
const CLIENTS_MAX = 8_192;

interface Window {
  readonly ids: Set<number>;
  max: number;
}

export class RecentIds {
  private readonly clients = new Map<string, Window>();

  /** True if `id` was already seen from `client`; records it otherwise. */
  seen(client: string, id: number): boolean {
    let w = this.clients.get(client);
    if (w === undefined) {
      if (this.clients.size >= CLIENTS_MAX) this.clients.clear();
      w = { ids: new Set(), max: id };
      this.clients.set(client, w);
    }
    if (w.ids.has(id) || id <= w.max - RECENT_IDS_WINDOW) return true;
    w.ids.add(id);
    if (id > w.max) w.max = id;
    if (w.ids.size > 2 * RECENT_IDS_WINDOW) {
      for (const old of w.ids) if (old <= w.max - RECENT_IDS_WINDOW) w.ids.delete(old);
    }
    return false;
  }
}
