// Error replies as etcd's gateway writes them: {"error": msg, "message": msg, "code": gRPC code},
// the code being the one etcd 3.4 gives that message (api/v3rpc/rpctypes/error.go; checked
// against a real etcd 3.4 over its JSON gateway). Clients branch on the code (clientv3 retries
// Unavailable; a Kubernetes reflector relists on OutOfRange), so a right message with a wrong
// code is a wrong answer. The table is the checker's own, not the product's. A message etcd
// does not have in the table is not judged (counted in the summary): the check says nothing
// about it rather than guess. A txn's "duplicate key" refusal is decided by the request alone
// (txn-intervals.ts): one refused that etcd accepts, or one answered that etcd refuses, is judged
// here too, as an error reply unlike etcd's, and so is "too many operations in txn request"
// (etcd's checkTxnRequest: compares count with the ops, a nested txn gets what its level leaves).
// So is a message etcd gives only to other requests
// (error-reply-ops.ts: a keep-alive answered "lease not found").
import type { Op } from '../history/op.ts';
import { errorNotFromOp } from './error-reply-ops.ts';
import { txnHasDuplicateKey, txnMayCollide, txnMayHaveTooManyOps, txnRefusal } from './txn-intervals.ts';
import { nothingToCheck, type CheckResult, type Validity } from './verdict.ts';

const UNKNOWN = 2;
const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const RESOURCE_EXHAUSTED = 8;
const FAILED_PRECONDITION = 9;
const OUT_OF_RANGE = 11;
const UNAVAILABLE = 14;
const DATA_LOSS = 15;

/** etcd 3.4's client-facing errors: message → gRPC code. */
export const ETCD_ERROR_CODES: ReadonlyMap<string, number> = new Map([
  ['etcdserver: key is not provided', INVALID_ARGUMENT],
  ['etcdserver: key not found', INVALID_ARGUMENT],
  ['etcdserver: value is provided', INVALID_ARGUMENT],
  ['etcdserver: lease is provided', INVALID_ARGUMENT],
  ['etcdserver: too many operations in txn request', INVALID_ARGUMENT],
  ['etcdserver: duplicate key given in txn request', INVALID_ARGUMENT],
  ['etcdserver: request is too large', INVALID_ARGUMENT],
  ['etcdserver: mvcc: required revision has been compacted', OUT_OF_RANGE],
  ['etcdserver: mvcc: required revision is a future revision', OUT_OF_RANGE],
  ['etcdserver: too large lease TTL', OUT_OF_RANGE],
  ['etcdserver: mvcc: database space exceeded', RESOURCE_EXHAUSTED],
  ['etcdserver: requested lease not found', NOT_FOUND],
  ['etcdserver: member not found', NOT_FOUND],
  ['etcdserver: lease already exists', FAILED_PRECONDITION],
  ['etcdserver: not leader', FAILED_PRECONDITION],
  ['etcdserver: member ID already exist', FAILED_PRECONDITION],
  ['etcdserver: Peer URLs already exists', FAILED_PRECONDITION],
  ['etcdserver: can only promote a learner member', FAILED_PRECONDITION],
  ['etcdserver: can only promote a learner member which is in sync with leader', FAILED_PRECONDITION],
  ['etcdserver: too many learner members in cluster', FAILED_PRECONDITION],
  ['etcdserver: no leader', UNAVAILABLE],
  ['etcdserver: leader changed', UNAVAILABLE],
  ['etcdserver: server stopped', UNAVAILABLE],
  ['etcdserver: request timed out', UNAVAILABLE],
  ['etcdserver: request timed out, possibly due to previous leader failure', UNAVAILABLE],
  ['etcdserver: request timed out, possibly due to connection lost', UNAVAILABLE],
  ['etcdserver: unhealthy cluster', UNAVAILABLE],
  ['etcdserver: rpc not supported for learner', UNAVAILABLE],
  ['etcdserver: corrupt cluster', DATA_LOSS],
  // etcd 3.4's toGRPCErrorMap maps these two to rpctypes' client-side EtcdError, not the gRPC
  // status: grpc-go sends them as Unknown (seen for the second from etcd 3.4.23's MemberRemove).
  ['etcdserver: too many requests', UNKNOWN],
  ['etcdserver: re-configuration failed due to not enough started members', UNKNOWN],
]);

/** Messages with a variable part, by prefix. */
const PREFIX_CODES: readonly (readonly [string, number])[] = [['grpc: received message larger than max', RESOURCE_EXHAUSTED]];

export function etcdErrorCode(message: string): number | undefined {
  const exact = ETCD_ERROR_CODES.get(message);
  if (exact !== undefined) return exact;
  return PREFIX_CODES.find(([prefix]) => message.startsWith(prefix))?.[1];
}

export interface ErrorReplyViolation {
  readonly process: number | string;
  readonly f: string;
  readonly index: number;
  readonly message: string;
}

export interface ErrorRepliesResult extends CheckResult {
  valid: Validity;
  violations: ErrorReplyViolation[];
  /** Error replies judged, and those whose message the table does not have. */
  judged: number;
  unjudged: number;
  /** Txns that put and delete (or put twice) whose answer, a "duplicate key" refusal or not, was judged. */
  txnsJudged: number;
}

const DUPLICATE_KEY = 'etcdserver: duplicate key given in txn request';
const TOO_MANY_OPS = 'etcdserver: too many operations in txn request';

type Obj = Record<string, unknown>;

/** Every failed op whose value is a gateway error body: its code and its two texts must be etcd's. */
export function checkErrorReplies(history: readonly Op[], maxViolations = 20): ErrorRepliesResult {
  const violations: ErrorReplyViolation[] = [];
  let judged = 0;
  let unjudged = 0;
  let txnsJudged = 0;
  const invoked = new Map<number | string, Op>();
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (op.type === 'invoke') {
      invoked.set(op.process, op);
      continue;
    }
    const invoke = invoked.get(op.process);
    invoked.delete(op.process);
    if (op.f === 'kv/txn' && invoke !== undefined && op.type !== 'info') {
      const refused = op.type === 'fail' && (op.value as Obj | null | undefined)?.['message'] === DUPLICATE_KEY;
      const duplicate = refused || (op.type === 'ok' && txnMayCollide(invoke.value)) ? txnHasDuplicateKey(invoke.value) : undefined;
      if (duplicate !== undefined) {
        txnsJudged++;
        const wrong = refused && !duplicate ? 'refused as a duplicate key, but no two of its puts share a key and none lies in its deletes\' ranges (etcd\'s checkIntervals accepts it)'
          : !refused && duplicate ? 'answered, but it puts one key twice or inside a range it deletes: etcd refuses it before raft, "duplicate key given in txn request"' : undefined;
        if (wrong !== undefined && violations.length < maxViolations) violations.push({ process: op.process, f: op.f, index: op.index, message: wrong });
      }
      const tooMany = op.type === 'fail' && (op.value as Obj | null | undefined)?.['message'] === TOO_MANY_OPS;
      const refusal = tooMany || (op.type === 'ok' && txnMayHaveTooManyOps(invoke.value)) ? txnRefusal(invoke.value) : undefined;
      if (refusal !== undefined) {
        txnsJudged++;
        const wrong = tooMany && refusal !== 'too-many-ops' ? 'refused as too many operations, but no level holds more compares or ops than its budget (etcd\'s checkTxnRequest: 128, and for a nested txn what its level leaves)'
          : !tooMany && refusal === 'too-many-ops' ? 'answered, but a level holds more compares or ops than its budget: etcd refuses it before raft, "too many operations in txn request" (compares count; a nested txn gets 128 - opc)' : undefined;
        if (wrong !== undefined && violations.length < maxViolations) violations.push({ process: op.process, f: op.f, index: op.index, message: wrong });
      }
    }
    if (op.type !== 'fail' || typeof op.value !== 'object' || op.value === null) continue;
    const body = op.value as Obj;
    const message = body['message'];
    if (typeof message !== 'string' || !('code' in body)) continue;
    const code = Number(body['code']);
    const expected = etcdErrorCode(message);
    let wrong: string | undefined;
    if (body['error'] !== undefined && body['error'] !== message) wrong = `error ${JSON.stringify(body['error'])} differs from message ${JSON.stringify(message)}`;
    if (expected === undefined) unjudged++;
    else {
      judged++;
      if (code !== expected) wrong = `${JSON.stringify(message)} with gRPC code ${String(body['code'])}; etcd answers it with code ${expected}`;
      else wrong ??= errorNotFromOp(op.f, message);
    }
    if (wrong !== undefined && violations.length < maxViolations) violations.push({ process: op.process, f: op.f, index: op.index, message: wrong });
  }
  // No error reply whose message etcd's table holds: nothing was judged, and "valid" would say nothing.
  if (violations.length === 0 && judged === 0 && txnsJudged === 0) return nothingToCheck(unjudged === 0 ? 'no error reply' : `no error reply with a message of etcd's (${unjudged} outside its table, not judged)`, { violations, judged, unjudged, txnsJudged });
  const valid: Validity = violations.length > 0 ? false : true;
  const summary = valid === true
    ? `${judged} error ${judged === 1 ? 'reply' : 'replies'} with etcd's code${unjudged > 0 ? ` (${unjudged} with a message outside etcd's table, not judged)` : ''}${txnsJudged > 0 ? `; ${txnsJudged} ${txnsJudged === 1 ? 'txn' : 'txns'} putting and deleting, or past the op limit, refused or served as etcd's checks decide` : ''}`
    : `error reply unlike etcd's: ${violations[0]!.f} (process ${String(violations[0]!.process)}): ${violations[0]!.message}`;
  return { valid, violations, judged, unjudged, txnsJudged, summary };
}
