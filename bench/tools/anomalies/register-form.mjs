// A register run's etcd history (the `register` workload: one key, ranges, puts, and txns
// "value EQUAL from → put to, else range") as the ops Jepsen's etcd test records: :read with the
// value read (nil: no key), :write, :cas [from to] — :ok when it swapped, :fail when the compare
// failed, :info when the outcome is unknown. Values become small integers, as Jepsen's are (each
// distinct value its own number, in order of first appearance). Ops on other keys (the
// harness's liveness probes) are left out. Undefined for any other history.
import { unb64 } from './history-facts.mjs';

/**
 * `versioned`: as jepsen.etcd.register records them, [k [version value]] (independent keys, the
 * key's etcd version beside the value: a read's from its answer, a write's and a cas's nil, the
 * register workload asks no prev_kv).
 */
export function registerOps(history, versioned = false) {
  const numbers = new Map();
  const n = (b64) => {
    const text = unb64(b64);
    if (!numbers.has(text)) numbers.set(text, numbers.size + 1);
    return numbers.get(text);
  };
  const open = new Map();
  const out = [];
  const key = Buffer.from('register').toString('base64');
  for (const op of history) {
    const inv = op.type === 'invoke' ? op : open.get(op.process);
    if (inv === undefined || (inv.value?.key !== key && inv.value?.compare?.[0]?.key !== key)) continue;
    const shape = shapeOf(inv);
    if (shape === undefined || shape.key !== key) return undefined;
    if (op.type === 'invoke') {
      open.set(op.process, op);
      out.push({ index: out.length, time: op.time * 1000, type: 'invoke', process: op.process, f: shape.f, value: shape.f === 'read' ? null : shape.f === 'write' ? n(shape.value) : [n(shape.from), n(shape.to)] });
      continue;
    }
    open.delete(op.process);
    const done = { index: out.length, time: op.time * 1000, type: op.type, process: op.process, f: shape.f, value: out.findLast((o) => o.process === op.process && o.type === 'invoke').value };
    if (op.type === 'ok' && shape.f === 'read') {
      const kv = op.value?.kvs?.[0];
      done.value = kv === undefined ? null : n(kv.value);
    }
    if (op.type === 'ok' && shape.f === 'cas' && op.value?.succeeded !== true) done.type = 'fail';
    if (op.type === 'fail') {
      // A request etcd refused (no leader, too many requests): Jepsen's client knows it did not happen.
      done.error = op.error ?? 'failed';
    }
    out.push(done);
  }
  if (out.length === 0) return undefined;
  if (!versioned) return out;
  // The read's version rides on its own answer: found again by position (out was built in history order).
  const readVersions = readVersionsOf(history, key);
  let reads = 0;
  return out.map((op) => {
    const wrap = (v) => ['register', v];
    if (op.f === 'read') return { ...op, value: wrap(op.type === 'ok' ? [op.value === null ? null : readVersions[reads++], op.value] : [null, null]) };
    return { ...op, value: wrap([null, op.value]) };
  });
}

/** The register op an etcd request is, or undefined for one the register workload never sends. */
function shapeOf(inv) {
  const v = inv.value ?? {};
  if (inv.f === 'kv/range' && v.range_end === undefined && v.revision === undefined && v.serializable !== true) return { f: 'read', key: v.key };
  if (inv.f === 'kv/put' && v.lease === undefined && v.prev_kv !== true) return { f: 'write', key: v.key, value: v.value };
  if (inv.f !== 'kv/txn') return undefined;
  const [c] = v.compare ?? [];
  const [put] = v.success ?? [];
  if ((v.compare ?? []).length !== 1 || (v.success ?? []).length !== 1 || c.target !== 'VALUE' || (c.result ?? 'EQUAL') !== 'EQUAL' || put.request_put?.key !== c.key) return undefined;
  return { f: 'cas', key: c.key, from: c.value, to: put.request_put.value };
}

/** The version each ok read of the register key showed (its answer's kvs[0].version), in history order; nil where it showed no key. */
function readVersionsOf(history, key) {
  const open = new Map();
  const out = [];
  for (const op of history) {
    if (op.type === 'invoke') {
      open.set(op.process, op);
      continue;
    }
    const inv = open.get(op.process);
    if (op.type !== 'ok' || inv?.f !== 'kv/range' || inv.value?.key !== key) continue;
    const kv = op.value?.kvs?.[0];
    if (kv !== undefined) out.push(Number(kv.version));
  }
  return out;
}
