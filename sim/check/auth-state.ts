// The auth store as a history shows it changing, for the auth checker (auth.ts): each fact —
// authentication on, a user's password, a user holding a role, a role's permission on one key
// range — is a variable the history's auth requests write (an ok request certainly applied
// between its call and its return, one with an unknown outcome maybe, at any time after its
// call; a failed one never). For a request that ran during [call, return] the checker asks which
// values each variable may have had at some moment of that window: a value written by a writer
// that may have applied before the return, and that no writer certainly applied after it and
// certainly before the call overwrote. Checking a request's permissions is monotone in each
// fact (more roles, more permissions, authentication off: more is allowed), so "may be allowed"
// is asked of the most permissive possible value of each fact and "must be allowed" of the
// least: sound for any interleaving, however the facts combined at the moment it applied.
import type { OpPair } from '../history/pair.ts';
import { base64Decode } from '../../src/api/base64.ts';

export const ROOT_ROLE = 'root';

interface Writer {
  readonly call: number;
  /** Infinity: the outcome is unknown (it may apply at any time after its call, or never). */
  readonly ret: number;
  readonly value: string;
}

/** Every value a variable takes, with who wrote it; the value before any writer is `initial`. */
class Variable {
  private readonly writers: Writer[] = [];

  constructor(private readonly initial: string) {}

  write(w: Writer): void {
    this.writers.push(w);
  }

  /** The values the variable may hold at some moment of [call, ret] (positions in the history). */
  possible(call: number, ret: number): Set<string> {
    // A writer is overwritten before `call` for certain when an ok writer called after it
    // returned and returned before `call`: the latest such call bounds the candidates.
    let latestCall = -1;
    for (const w of this.writers) if (w.ret < call && w.call > latestCall) latestCall = w.call;
    const out = new Set<string>();
    if (latestCall < 0) out.add(this.initial);
    for (const w of this.writers) if (w.call < ret && !(w.ret < latestCall)) out.add(w.value);
    return out;
  }
}

/** Decodes a gateway bytes field (base64) to a binary string; undefined when absent or malformed. */
export function bytesField(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const d = base64Decode(v);
  return d.ok ? d.bytes : undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export const NONE = 'NONE';
const ENABLED = 'enabled';
const passwordOf = (user: string): string => `password\n${user}`;
const holds = (user: string, role: string): string => `holds\n${user}\n${role}`;
/** A permission slot: a role's permission on exactly [key, rangeEnd) (a grant on the same range replaces its type). */
const slotOf = (role: string, key: string, rangeEnd: string): string => `slot\n${role}\n${key}\n${rangeEnd}`;

export interface Slot {
  readonly role: string;
  readonly key: string;
  readonly rangeEnd: string;
}

/**
 * etcd 3.4's RoleGrantPermission finds the permission to update by binary search on the key alone
 * (etcd#21845): a grant whose key an earlier permission of the role shares, with another range
 * end, appends a second copy instead of replacing the type, and both copies count until a revoke
 * of that key and range end removes them. A grant of such a slot is recorded as its type with
 * this mark: the slot then holds that type for certain, and may still hold any type granted to
 * it before.
 */
const MAY_KEEP_OLDER = '+';

/** The permissions a window allows: each role's slots with every type they may have had. */
export interface WindowFacts {
  readonly enabled: ReadonlySet<string>;
  /**
   * Per role, the slot's possible types (NONE: not held): all it may have had (`most`), and the
   * values that decide what it certainly allowed (`least`: a kept older copy adds, never takes away).
   */
  slots(role: string): ReadonlyArray<readonly [Slot, { readonly most: ReadonlySet<string>; readonly least: ReadonlySet<string> }]>;
  /** Whether the user may hold / certainly holds the role. */
  mayHold(user: string, role: string): boolean;
  mustHold(user: string, role: string): boolean;
  passwords(user: string): ReadonlySet<string>;
}

export class AuthFacts {
  private readonly vars = new Map<string, Variable>();
  private readonly roles = new Set<string>([ROOT_ROLE]);
  private readonly users = new Set<string>();
  private readonly slotsByRole = new Map<string, Slot[]>();
  /** Per slot, every type a grant of it wrote, with the grant's call (an older copy may hold any of them). */
  private readonly granted = new Map<string, { call: number; type: string }[]>();

  private variable(name: string, initial: string): Variable {
    let v = this.vars.get(name);
    if (v === undefined) this.vars.set(name, (v = new Variable(initial)));
    return v;
  }

  private addSlot(s: Slot): void {
    const list = this.slotsByRole.get(s.role) ?? [];
    if (!list.some((x) => x.key === s.key && x.rangeEnd === s.rangeEnd)) list.push(s);
    this.slotsByRole.set(s.role, list);
  }

  /** Learns the users, roles and slots the auth requests name (first pass, so that deletes reach them all). */
  learn(p: OpPair): void {
    const r = (p.invoke.value ?? {}) as Record<string, unknown>;
    switch (p.invoke.f) {
      case 'auth/user/add':
      case 'auth/user/delete':
      case 'auth/user/changepw':
        this.users.add(str(r['name']));
        break;
      case 'auth/user/grant':
        this.users.add(str(r['user']));
        this.roles.add(str(r['role']));
        break;
      case 'auth/user/revoke':
        this.users.add(str(r['name']));
        this.roles.add(str(r['role']));
        break;
      case 'auth/role/add':
        this.roles.add(str(r['name']));
        break;
      case 'auth/role/delete':
        this.roles.add(str(r['role']));
        break;
      case 'auth/role/grant': {
        const perm = (r['perm'] ?? {}) as Record<string, unknown>;
        this.roles.add(str(r['name']));
        this.addSlot({ role: str(r['name']), key: bytesField(perm['key']) ?? '', rangeEnd: bytesField(perm['range_end']) ?? '' });
        break;
      }
      case 'auth/role/revoke':
        this.roles.add(str(r['role']));
        this.addSlot({ role: str(r['role']), key: bytesField(r['key']) ?? '', rangeEnd: bytesField(r['range_end']) ?? '' });
        break;
    }
  }

  /** Records what an auth request wrote, if it may have applied (second pass). */
  apply(p: OpPair): void {
    const c = p.completion;
    if (c?.type === 'fail') return;
    const ret = c === undefined || c.type === 'info' ? Infinity : p.return;
    const at = (name: string, initial: string, value: string): void => this.variable(name, initial).write({ call: p.call, ret, value });
    const r = (p.invoke.value ?? {}) as Record<string, unknown>;
    switch (p.invoke.f) {
      case 'auth/enable':
        return at(ENABLED, 'false', 'true');
      case 'auth/disable':
        return at(ENABLED, 'false', 'false');
      case 'auth/user/add':
        // A new user holds no role (an add of an existing user fails, and so writes nothing).
        for (const role of this.roles) at(holds(str(r['name']), role), 'false', 'false');
        return at(passwordOf(str(r['name'])), NONE, str(r['password']));
      case 'auth/user/changepw':
        return at(passwordOf(str(r['name'])), NONE, str(r['password']));
      case 'auth/user/delete':
        for (const role of this.roles) at(holds(str(r['name']), role), 'false', 'false');
        return at(passwordOf(str(r['name'])), NONE, NONE);
      case 'auth/user/grant':
        return at(holds(str(r['user']), str(r['role'])), 'false', 'true');
      case 'auth/user/revoke':
        return at(holds(str(r['name']), str(r['role'])), 'false', 'false');
      case 'auth/role/add':
      case 'auth/role/delete': {
        // etcd 3.4's RoleDelete takes the role from every user too.
        const role = str(r[p.invoke.f === 'auth/role/add' ? 'name' : 'role']);
        for (const s of this.slotsByRole.get(role) ?? []) at(slotOf(role, s.key, s.rangeEnd), NONE, NONE);
        if (p.invoke.f === 'auth/role/delete') for (const u of this.users) at(holds(u, role), 'false', 'false');
        return;
      }
      case 'auth/role/grant': {
        const perm = (r['perm'] ?? {}) as Record<string, unknown>;
        const type = typeof perm['permType'] === 'string' ? perm['permType'] : 'READ';
        const role = str(r['name']);
        const key = bytesField(perm['key']) ?? '';
        const rangeEnd = bytesField(perm['range_end']) ?? '';
        const name = slotOf(role, key, rangeEnd);
        const list = this.granted.get(name) ?? [];
        list.push({ call: p.call, type });
        this.granted.set(name, list);
        const sharesKey = (this.slotsByRole.get(role) ?? []).some((s) => s.key === key && s.rangeEnd !== rangeEnd);
        return at(name, NONE, sharesKey ? type + MAY_KEEP_OLDER : type);
      }
      case 'auth/role/revoke':
        return at(slotOf(str(r['role']), bytesField(r['key']) ?? '', bytesField(r['range_end']) ?? ''), NONE, NONE);
    }
  }

  /** The facts as they may have been at some moment of [call, ret]. */
  window(call: number, ret: number): WindowFacts {
    const possible = (name: string, initial: string): Set<string> => this.vars.get(name)?.possible(call, ret) ?? new Set([initial]);
    return {
      enabled: possible(ENABLED, 'false'),
      slots: (role) => (this.slotsByRole.get(role) ?? []).map((s) => {
        const name = slotOf(role, s.key, s.rangeEnd);
        const values = possible(name, NONE);
        const least = new Set<string>();
        const most = new Set<string>();
        for (const v of values) {
          const kept = v.endsWith(MAY_KEEP_OLDER);
          const type = kept ? v.slice(0, -MAY_KEEP_OLDER.length) : v;
          least.add(type);
          most.add(type);
          if (kept) for (const g of this.granted.get(name) ?? []) if (g.call < ret) most.add(g.type);
        }
        return [s, { most, least }] as const;
      }),
      mayHold: (user, role) => possible(holds(user, role), 'false').has('true'),
      mustHold: (user, role) => !possible(holds(user, role), 'false').has('false'),
      passwords: (user) => possible(passwordOf(user), NONE),
    };
  }

  knownRoles(): readonly string[] {
    return [...this.roles];
  }
}
