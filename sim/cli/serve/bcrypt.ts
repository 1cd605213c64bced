// bcrypt as golang.org/x/crypto/bcrypt writes it ("$2a$<cost>$<22-char salt><31-char hash>"),
// for the auth users of a snapshot file: etcd 3.4 keeps each user's password as a bcrypt hash
// (auth/store.go, --bcrypt-cost, default 10) and checks a login with CompareHashAndPassword, so
// an etcd restored from a detcd snapshot lets its users log in only if their hashes are real.
// Blowfish's initial P-array and S-boxes are the hexadecimal digits of π after the point,
// computed once on first use (Machin's formula in BigInt) rather than copied as 1,042 constants.
import { randomBytes } from 'node:crypto';

/** etcd 3.4's --bcrypt-cost default (bcrypt.DefaultCost). */
export const BCRYPT_COST_DEFAULT = 10;
const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SALT_BYTES = 16;
/** Blowfish reads at most 18 key words: 72 bytes of password (with its NUL) count. */
const KEY_BYTES_MAX = 72;
/** "OrpheanBeholderScryDoubt", encrypted 64 times; 23 of its 24 bytes are kept. */
const MAGIC_TEXT = 'OrpheanBeholderScryDoubt';
const HASH_BYTES = 23;

let piWords: Uint32Array | undefined;

/** The first 1,042 32-bit words of π's fraction: P (18 words), then the four S-boxes (256 each). */
function blowfishInit(): Uint32Array {
  if (piWords !== undefined) return piWords;
  const words = 18 + 4 * 256;
  const guard = 64n;
  const bits = BigInt(words * 32) + guard;
  const one = 1n << bits;
  const arctanInverse = (x: bigint): bigint => {
    let sum = 0n;
    let term = one / x;
    let sign = 1n;
    for (let n = 1n; term !== 0n; n += 2n, sign = -sign, term /= x * x) sum += sign * (term / n);
    return sum;
  };
  const pi = 16n * arctanInverse(5n) - 4n * arctanInverse(239n);
  const fraction = (pi - (3n << bits)) >> guard;
  const out = new Uint32Array(words);
  for (let i = 0; i < words; i++) out[i] = Number((fraction >> BigInt((words - 1 - i) * 32)) & 0xffffffffn);
  if (out[0] !== 0x243f6a88 || out[words - 1] !== 0x3ac372e6) throw new Error('bcrypt: the digits of π came out wrong');
  piWords = out;
  return out;
}

class Blowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array;

  constructor() {
    const init = blowfishInit();
    this.p = init.slice(0, 18);
    this.s = init.slice(18);
  }

  private f(x: number): number {
    const s = this.s;
    return ((((s[x >>> 24]! + s[256 + ((x >>> 16) & 0xff)]!) | 0) ^ s[512 + ((x >>> 8) & 0xff)]!) + s[768 + (x & 0xff)]!) | 0;
  }

  /** Enciphers block [l, r] in place. */
  encipher(block: Uint32Array): void {
    const p = this.p;
    let l = block[0]! ^ p[0]!;
    let r = block[1]!;
    for (let i = 1; i <= 16; i += 2) {
      r ^= this.f(l) ^ p[i]!;
      l ^= this.f(r) ^ p[i + 1]!;
    }
    block[0] = r ^ p[17]!;
    block[1] = l;
  }

  /** Blowfish's ExpandKey, with a salt (NewSaltedCipher) or without (salt undefined). */
  expandKey(key: Uint8Array, salt: Uint8Array | undefined): void {
    const cursor = { key: 0, salt: 0 };
    for (let i = 0; i < 18; i++) this.p[i] = this.p[i]! ^ nextWord(key, cursor, 'key');
    const block = new Uint32Array(2);
    const fill = (table: Uint32Array, from: number, count: number): void => {
      for (let i = from; i < from + count; i += 2) {
        if (salt !== undefined) {
          block[0] = block[0]! ^ nextWord(salt, cursor, 'salt');
          block[1] = block[1]! ^ nextWord(salt, cursor, 'salt');
        }
        this.encipher(block);
        table[i] = block[0]!;
        table[i + 1] = block[1]!;
      }
    };
    fill(this.p, 0, 18);
    fill(this.s, 0, 1024);
  }
}

/** The next 32 bits of `bytes`, cycling (Blowfish's getNextWord). */
function nextWord(bytes: Uint8Array, cursor: { key: number; salt: number }, which: 'key' | 'salt'): number {
  let w = 0;
  for (let i = 0; i < 4; i++) {
    w = (w << 8) | bytes[cursor[which]]!;
    cursor[which] = (cursor[which] + 1) % bytes.length;
  }
  return w >>> 0;
}

/** Go's base64 with bcrypt's alphabet, the padding stripped. */
function encode64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += ALPHABET[(n >>> (18 - 6 * c)) & 63];
  }
  return out;
}

function decode64(text: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`bcrypt: '${ch}' is not in bcrypt's base64 alphabet`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** bcrypt of `password` with the 22-character encoded `salt` (tests give a fixed one). */
export function bcryptWithSalt(password: string, cost: number, salt: string): string {
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) throw new Error(`bcrypt: cost ${cost} is outside 4..31`);
  const saltBytes = decode64(salt).subarray(0, SALT_BYTES);
  const pw = new TextEncoder().encode(password);
  const key = new Uint8Array(Math.min(pw.length + 1, KEY_BYTES_MAX));
  key.set(pw.subarray(0, key.length));
  const bf = new Blowfish();
  bf.expandKey(key, saltBytes);
  for (let i = 0; i < 2 ** cost; i++) {
    bf.expandKey(key, undefined);
    bf.expandKey(saltBytes, undefined);
  }
  const text = new TextEncoder().encode(MAGIC_TEXT);
  const words = new Uint32Array(6);
  const view = new DataView(text.buffer);
  for (let i = 0; i < 6; i++) words[i] = view.getUint32(4 * i, false);
  const block = new Uint32Array(2);
  for (let round = 0; round < 64; round++) {
    for (let i = 0; i < 6; i += 2) {
      block[0] = words[i]!;
      block[1] = words[i + 1]!;
      bf.encipher(block);
      words[i] = block[0]!;
      words[i + 1] = block[1]!;
    }
  }
  const ctext = new Uint8Array(24);
  const out = new DataView(ctext.buffer);
  for (let i = 0; i < 6; i++) out.setUint32(4 * i, words[i]!, false);
  return `$2a$${String(cost).padStart(2, '0')}$${encode64(saltBytes)}${encode64(ctext.subarray(0, HASH_BYTES))}`;
}

/** A new bcrypt hash of `password`, with a random salt, as etcd's UserAdd stores it. */
export function bcryptHash(password: string, cost: number = BCRYPT_COST_DEFAULT): string {
  return bcryptWithSalt(password, cost, encode64(randomBytes(SALT_BYTES)));
}
