// A unary gateway request's body as etcd's grpc-gateway reads it: the first JSON value of the
// bytes (Go's Decoder: text after it ignored, Go's syntax messages), every number with its own
// text (a JS number would read 1e3 as 1000 and 99999999999999999999 as 1e20, which Go refuses
// for an int64), decoded against the path's request message before anything acts on it. The
// body handed on holds plain JSON values only: a number JS cannot hold exactly becomes its
// decimal text, which every decoder reads as the same integer.
import { apiPath } from '../../../src/api/paths.ts';
import { AUTH_METHODS, AuthenticateRequest, authKindOf } from '../../../src/api/auth-schema.ts';
import { decodeMessage } from '../../../src/api/json-codec.ts';
import { GoNumber, GoString, parseGoJson, scanGoJson } from '../../../src/api/go-json.ts';
import type { Schema } from '../../../src/api/schema.ts';
import { CONCURRENCY_REQUESTS } from './concurrency-schema.ts';
import { LOCAL_REQUESTS } from './local-schema.ts';

export type GatewayBody = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly message: string };

/** The request message of a gateway path, if detcd knows it. */
function requestSchema(path: string): Schema | undefined {
  const auth = authKindOf(path);
  if (auth !== undefined) return auth === 'authenticate' ? AuthenticateRequest : AUTH_METHODS[auth].request;
  return apiPath(path)?.request ?? CONCURRENCY_REQUESTS[path] ?? LOCAL_REQUESTS[path];
}

function holdsGoNumber(v: unknown): boolean {
  if (v instanceof GoNumber || v instanceof GoString) return true;
  if (Array.isArray(v)) return v.some(holdsGoNumber);
  return v !== null && typeof v === 'object' && Object.values(v).some(holdsGoNumber);
}

/** The request of `path` in `bytes`, or the gateway's INVALID_ARGUMENT message. */
export function gatewayBody(path: string, bytes: Buffer): GatewayBody {
  const scan = scanGoJson(bytes);
  if (!scan.ok) return scan;
  if (scan.empty) return { ok: true, body: {} };
  const parsed = parseGoJson(bytes.subarray(0, scan.end).toString('utf8'));
  // A body that is a number JS cannot hold (1e3) is still a number to the decoder's message.
  const body = parsed instanceof GoNumber ? 0 : parsed instanceof GoString ? parsed.value : parsed;
  const odd = holdsGoNumber(body);
  const schema = requestSchema(path);
  // Decoded here, as the gateway decodes before its gRPC call: a refusal is the gateway's own
  // (no gRPC metadata), though the member would refuse the same body in the same words.
  if (schema !== undefined) {
    const decoded = decodeMessage(schema, body);
    if (!decoded.ok) return { ok: false, message: decoded.error };
  }
  return { ok: true, body: odd ? JSON.parse(JSON.stringify(body)) as unknown : body };
}

/**
 * One request of a gateway stream's body (a watch's), as the gateway's Decoder reads it and jsonpb
 * decodes it into the path's request message: the value to send on, or why it is refused.
 */
export function gatewayStreamRequest(path: string, text: string): GatewayBody {
  const read = gatewayBody(path, Buffer.from(text));
  if (!read.ok) return read;
  const schema = requestSchema(path);
  const decoded = schema === undefined ? undefined : decodeMessage(schema, read.body);
  return decoded === undefined || decoded.ok ? read : { ok: false, message: decoded.error };
}
