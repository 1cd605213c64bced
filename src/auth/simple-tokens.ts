// etcd's simple tokens (auth/simple_token.go): "<16 random letters>.<raft index>", held in the
// member's memory, each forgotten 5 minutes (--auth-token-ttl) after its last use; AuthDisable
// forgets them all, deleting or re-passwording a user forgets that user's.

/** etcd's default --auth-token-ttl. */
export const SIMPLE_TOKEN_TTL_MS = 300_000;
/** Bound on tokens held; the oldest is forgotten first (its client re-authenticates). */
const TOKENS_MAX = 100_000;
const PREFIX_LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const PREFIX_LENGTH = 16;

export class SimpleTokens {
  /** token → user and when it expires (member clock); Map order is assignment order. */
  private readonly tokens = new Map<string, { username: string; expiresMs: number }>();

  assign(token: string, username: string, nowMs: number): void {
    if (this.tokens.size >= TOKENS_MAX) this.tokens.delete(this.tokens.keys().next().value as string);
    this.tokens.set(token, { username, expiresMs: nowMs + SIMPLE_TOKEN_TTL_MS });
  }

  /** The token's user, its TTL restarted; undefined when unknown or expired. */
  info(token: string, nowMs: number): string | undefined {
    const t = this.tokens.get(token);
    if (t === undefined) return undefined;
    if (t.expiresMs <= nowMs) {
      this.tokens.delete(token);
      return undefined;
    }
    t.expiresMs = nowMs + SIMPLE_TOKEN_TTL_MS;
    return t.username;
  }

  /** Whether `token` is held and unexpired at `nowMs`, without restarting its TTL (a look, not a use). */
  holds(token: string, nowMs: number): boolean {
    const t = this.tokens.get(token);
    return t !== undefined && t.expiresMs > nowMs;
  }

  invalidateUser(username: string): void {
    for (const [token, t] of this.tokens) if (t.username === username) this.tokens.delete(token);
  }

  clear(): void {
    this.tokens.clear();
  }

  get size(): number {
    return this.tokens.size;
  }
}

/**
 * The 16-letter prefix of a token (etcd draws it from crypto/rand), here derived from the
 * proposal's request id so that the same run draws the same tokens: a 64-bit xorshift over the id.
 */
export function simpleTokenPrefix(requestId: string): string {
  let x = BigInt.asUintN(64, BigInt(requestId) ^ 0x9e3779b97f4a7c15n);
  let out = '';
  for (let i = 0; i < PREFIX_LENGTH; i++) {
    x ^= BigInt.asUintN(64, x << 13n);
    x ^= x >> 7n;
    x ^= BigInt.asUintN(64, x << 17n);
    out += PREFIX_LETTERS[Number(x % BigInt(PREFIX_LETTERS.length))];
  }
  return out;
}

const INT64_MAX = (1n << 63n) - 1n;

/**
 * The raft index a simple token was issued at (etcd's isValidSimpleToken): "<prefix>.<index>"
 * split on '.' into exactly two parts, the index as Go's strconv.Atoi reads it (a sign, decimal
 * digits, within int64). A member that has not applied that index yet waits for it. Undefined:
 * not a simple token (etcd: invalid at once). A negative index becomes a huge uint64 in etcd,
 * which never applies: here the largest safe integer.
 */
export function simpleTokenIndex(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[+-]?[0-9]+$/.test(parts[1] as string)) return undefined;
  const n = BigInt(parts[1] as string);
  if (n > INT64_MAX || n < -INT64_MAX - 1n) return undefined;
  return n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}
