// What the auth workload grants and takes away (sim/workload/auth.ts): its users, roles and the
// key permissions each role may hold. Each permission has a fixed key range (a point, a range
// whose begin lies inside another role's range, an open end, a point at a range's own begin in the
// same role), so a request over [a, c) by a user holding [b, c) must be refused, as must a txn
// whose failure branch writes outside the user's permissions, and a grant of the point must leave
// the range alone (etcd replaces a permission only on the same key and range end). The admin grants a permission with a drawn type (READ, WRITE, READWRITE) or
// revokes it, grants and revokes roles, changes passwords and turns authentication off and on.

export const ROOT_USER = 'root';
export const ROOT_ROLE = 'root';
export const ROOT_PASSWORD = 'root-pw';

/** The users the workers act as (worker 0 is the admin, acting as root). */
export const AUTH_USERS = ['alice', 'bob', 'carol'] as const;
export const AUTH_ROLES = ['ra', 'rb'] as const;

/** A permission a role may hold: [key, rangeEnd) of the workload's keys ("" rangeEnd: the key alone; "\0": to the end). */
export interface PermissionSlot {
  readonly role: string;
  readonly key: string;
  readonly rangeEnd: string;
}

/** The i-th workload key, bounded by the number of keys (keys are `key<i>`). */
const k = (i: number, keys: number): string => `key${Math.min(i, keys - 1)}`;

/** The permission slots over a workload of `keys` keys (at least 2). */
export function permissionSlots(keys: number): PermissionSlot[] {
  return [
    { role: 'ra', key: k(1, keys), rangeEnd: k(4, keys) },
    { role: 'ra', key: k(0, keys), rangeEnd: '' },
    { role: 'ra', key: k(5, keys), rangeEnd: '\0' },
    { role: 'rb', key: k(2, keys), rangeEnd: k(6, keys) },
    { role: 'rb', key: k(7, keys), rangeEnd: '' },
    { role: 'rb', key: k(0, keys), rangeEnd: k(2, keys) },
    { role: 'ra', key: k(1, keys), rangeEnd: '' },
  ];
}

/** The roles each user holds when the workload sets up (carol holds none). */
export const INITIAL_ROLES: ReadonlyArray<readonly [string, string]> = [['alice', 'ra'], ['bob', 'rb']];

export const PERM_TYPES = ['READ', 'WRITE', 'READWRITE'] as const;
export type PermTypeName = (typeof PERM_TYPES)[number];

/** A user's first password; a change gives `<user>-pw<n>`. */
export const initialPassword = (user: string): string => `${user}-pw0`;
