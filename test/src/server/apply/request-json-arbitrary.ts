// Gateway JSON a client could send for a request of a schema, for the property tests of how a
// request travels through raft (raft-request-memo, raft-request-payload): zero values, numbers
// as text and as numbers, bytes of every value, strings JSON escapes, enums by name and number.
import fc from 'fast-check';
import { decodeMessage } from '../../../../src/api/json-codec.ts';
import { RAFT_REQUEST_FIELD } from '../../../../src/api/proto-size.ts';
import type { RaftRequestKind } from '../../../../src/api/proto-size.ts';
import type { Kind, Schema } from '../../../../src/api/schema.ts';
import * as S from '../../../../src/api/schema.ts';
import { fcParams } from '../../../property-seed.ts';

/** Every message schema of the API by name, requests and responses (uint32, strings, nested key-values). */
export const SCHEMAS: readonly (readonly [string, Schema])[] = Object.entries(S).filter((e): e is [string, Schema] => Array.isArray(e[1]));

/** Each raft request kind with its request's schema. */
export const KIND_SCHEMAS: readonly (readonly [RaftRequestKind, Schema])[] = (Object.keys(RAFT_REQUEST_FIELD) as RaftRequestKind[])
  .map((kind) => [kind, RAFT_REQUEST_FIELD[kind][1]] as const);

/** Key order, bigints and -0 included: toEqual ignores key order. */
export function text(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : v));
}

export function deeplyFrozen(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return true;
  return Object.isFrozen(x) && Object.values(x).every(deeplyFrozen);
}

const binary = fc.uint8Array({ maxLength: 7 }).map((a) => String.fromCharCode(...a));
const int64Json = fc.oneof(
  fc.constantFrom(0, -0, '0', '-0', '007', 1, '-1', 9, 10, 99, 100, 2 ** 53 - 1, -(2 ** 53 - 1), '9007199254740993', '1e3', 1e21),
  fc.integer({ min: -100_000, max: 100_000 }),
  fc.integer().map(String),
);
/** Strings JSON escapes: quotes, backslashes, control characters, lone surrogates. */
const anyString = fc.oneof(fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 4 }), fc.constantFrom('"', '\\', '\n', '\u0001', '\ud800', '\udc00x', '😀'));

/** Gateway JSON for a field of `kind`. */
function jsonOf(kind: Kind, depth: number): fc.Arbitrary<unknown> {
  if (typeof kind === 'string') {
    switch (kind) {
      case 'bytes': return binary.map((s) => Buffer.from(s, 'latin1').toString('base64'));
      case 'int64': case 'uint32': return int64Json;
      case 'bigint': case 'id': return fc.oneof(fc.constantFrom('0', '00', '18446744073709551615', '-5'), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String));
      case 'bool': return fc.boolean();
      case 'string': return anyString;
    }
  }
  if ('repeated' in kind) return fc.array(jsonOf(kind.repeated, depth), { maxLength: 3 });
  if ('message' in kind) return depth <= 0 ? fc.constant({}) : requestJson(kind.message(), depth - 1);
  return fc.oneof(fc.constantFrom(...kind.names), fc.nat(kind.names.length - 1));
}

/** Gateway JSON for a message of `schema`, nested messages `depth` levels deep, any field left out. */
export function requestJson(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, kind] of schema) fields[name] = jsonOf(kind, depth);
  return fc.record(fields, { requiredKeys: [] });
}

/** A message of `schema` as the codec decodes a client's gateway JSON; undefined where the codec refuses the JSON. */
export function decodedRequest(schema: Schema, depth: number): fc.Arbitrary<object | undefined> {
  return requestJson(schema, depth).map((json) => {
    const d = decodeMessage<object>(schema, json);
    return d.ok ? d.value : undefined;
  });
}

/**
 * Asserts `check` for `runs` messages of `schema` the codec decodes from a client's JSON (refused
 * JSON is skipped); fails if every generated JSON was refused, so that the property checked something.
 */
export function forEveryDecoded(schema: Schema, depth: number, runs: number, check: (value: object) => void): void {
  let checked = 0;
  fc.assert(fc.property(decodedRequest(schema, depth), (value) => {
    if (value === undefined) return;
    checked++;
    check(value);
  }), fcParams(runs));
  if (checked === 0) throw new Error(`no JSON of ${runs} runs decoded as a message of this schema: the property checked nothing`);
}
