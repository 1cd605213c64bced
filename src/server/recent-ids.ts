// Message ids recently seen from each client, so that a message the network delivers twice is
// handled once (a real client talks over TCP, which never duplicates; the simulated network
// may). Bounded: ids far below the newest are forgotten, since their requests have long since
// timed out at the client.

/** Ids kept per client behind the newest one. */
export const RECENT_IDS_WINDOW = 4_096;
/** Clients remembered at most (the network has at most 4096 endpoints). */
const CLIENTS_MAX = 8_192;

/**
 * One client's window (max - RECENT_IDS_WINDOW, max]. Ids are whole numbers counting up (every
 * client of detcd numbers its messages so): a bit per id, at id mod RECENT_IDS_WINDOW, which a
 * later id RECENT_IDS_WINDOW higher reuses once the first has left the window. A Set of the ids
 * (the form this replaced, a lookup that missed the cache for every message a member received)
 * takes over for a client that sends anything else (a fraction, a negative or unsafe integer).
 */
interface Window {
  readonly bits: Uint8Array;
  max: number;
  ids: Set<number> | undefined;
}

export class RecentIds {
  private readonly clients = new Map<string, Window>();

  /** True if `id` was already seen from `client`; records it otherwise. */
  seen(client: string, id: number): boolean {
    let w = this.clients.get(client);
    if (w === undefined) {
      if (this.clients.size >= CLIENTS_MAX) this.clients.clear();
      w = { bits: new Uint8Array(RECENT_IDS_WINDOW / 8), max: id, ids: undefined };
      this.clients.set(client, w);
    }
    if (w.ids === undefined && !(Number.isSafeInteger(id) && id >= 0 && Number.isSafeInteger(w.max))) w.ids = idsOf(w);
    if (w.ids !== undefined) return seenInSet(w, w.ids, id);
    if (id <= w.max - RECENT_IDS_WINDOW) return true;
    if (id > w.max) {
      // The ids that leave the window share their bits with the ids that enter it.
      const end = Math.min(id, w.max + RECENT_IDS_WINDOW);
      for (let y = w.max + 1; y <= end; y++) {
        const slot = y % RECENT_IDS_WINDOW;
        w.bits[slot >> 3] = (w.bits[slot >> 3] as number) & ~(1 << (slot & 7));
      }
      w.max = id;
    }
    const slot = id % RECENT_IDS_WINDOW;
    const byte = w.bits[slot >> 3] as number;
    const bit = 1 << (slot & 7);
    if ((byte & bit) !== 0) return true;
    w.bits[slot >> 3] = byte | bit;
    return false;
  }
}

/** The ids a window's bits hold, as a Set. */
function idsOf(w: Window): Set<number> {
  const ids = new Set<number>();
  if (!Number.isSafeInteger(w.max)) return ids;
  for (let y = Math.max(0, w.max - RECENT_IDS_WINDOW + 1); y <= w.max; y++) {
    const slot = y % RECENT_IDS_WINDOW;
    if (((w.bits[slot >> 3] as number) & (1 << (slot & 7))) !== 0) ids.add(y);
  }
  return ids;
}

function seenInSet(w: Window, ids: Set<number>, id: number): boolean {
  if (ids.has(id) || id <= w.max - RECENT_IDS_WINDOW) return true;
  ids.add(id);
  if (id > w.max) w.max = id;
  if (ids.size > 2 * RECENT_IDS_WINDOW) {
    for (const old of ids) if (old <= w.max - RECENT_IDS_WINDOW) ids.delete(old);
  }
  return false;
}
