// Turning typed responses and errors into the gateway's wire JSON, with headers filled.
import type { EtcdError } from '../../api/errors.ts';
import { wireError } from '../../api/errors.ts';
import type { HeaderSource } from '../../api/header.ts';
import { fillHeader } from '../../api/header.ts';
import { encodeMessage, encodeWithHeader } from '../../api/json-codec.ts';
import type { Schema } from '../../api/schema.ts';
import type { ResponseHeader } from '../../api/types.ts';
import type { WireReply } from '../state-machine-port.ts';

export function isEtcdError(x: object): x is EtcdError {
  return 'code' in x && 'message' in x && !('header' in x);
}

export function errorReply(err: EtcdError): WireReply {
  return { ok: false, error: wireError(err) };
}

/** A unary response: header filled (revision kept, or the current one if unset), then encoded. */
export function wireReply(
  schema: Schema, resp: object, src: HeaderSource | undefined, currentRev: number, stream = false,
): WireReply {
  if (isEtcdError(resp)) return errorReply(resp);
  const header = (resp as { header?: ResponseHeader }).header;
  const body = src === undefined ? encodeMessage(schema, resp) : encodeWithHeader(schema, resp, fillHeader(header, src, currentRev));
  return { ok: true, body: stream ? { result: body } : body };
}
