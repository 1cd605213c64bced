// What the anomaly injectors need to know about a recorded etcd history: its operations paired
// (invoke with completion), which are linearizable, their header revisions, and every version of
// a key some answer showed. Read-only: the injectors copy before they change anything.

export function b64(text) {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function unb64(text) {
  return Buffer.from(String(text ?? ''), 'base64').toString('latin1');
}

export function num(v) {
  const n = Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/** Invokes with their completions (an invoke never completed has `done` undefined). */
export function pairOps(history) {
  const open = new Map();
  const out = [];
  for (const op of history) {
    if (op.type === 'invoke') {
      const p = { inv: op, done: undefined };
      open.set(op.process, p);
      out.push(p);
    } else {
      const p = open.get(op.process);
      if (p !== undefined) {
        p.done = op;
        open.delete(op.process);
      }
    }
  }
  return out;
}

export function isOk(p) {
  return p.done !== undefined && p.done.type === 'ok';
}

export function headerRev(p) {
  return num(p.done?.value?.header?.revision);
}

/** A kv request etcd serves through Raft or ReadIndex: every one but a serializable or past-revision range. */
export function isLinearizableKv(p) {
  const f = p.inv.f;
  if (f === 'kv/put' || f === 'kv/deleterange' || f === 'kv/txn') return true;
  if (f !== 'kv/range') return false;
  const v = p.inv.value ?? {};
  return v.serializable !== true && num(v.revision) === 0;
}

/** The range answers inside an ok op: the op's own (kv/range) or a txn's nested ones, with their header revisions. */
export function rangeAnswers(p) {
  if (!isOk(p)) return [];
  const v = p.done.value ?? {};
  if (p.inv.f === 'kv/range') return [{ request: p.inv.value ?? {}, answer: v, revision: headerRev(p) }];
  if (p.inv.f !== 'kv/txn') return [];
  const ops = v.succeeded === true ? p.inv.value?.success ?? [] : p.inv.value?.failure ?? [];
  const out = [];
  (v.responses ?? []).forEach((r, i) => {
    if (r.response_range !== undefined && ops[i]?.request_range !== undefined) out.push({ request: ops[i].request_range, answer: r.response_range, revision: num(r.response_range.header?.revision ?? v.header?.revision) });
  });
  return out;
}

/** Per key (base64), every distinct version an answer showed, by mod_revision ascending. */
export function sightings(pairs) {
  const byKey = new Map();
  for (const p of pairs) {
    for (const { answer } of rangeAnswers(p)) {
      for (const kv of answer.kvs ?? []) {
        let m = byKey.get(kv.key);
        if (m === undefined) byKey.set(kv.key, (m = new Map()));
        m.set(num(kv.mod_revision), kv);
      }
    }
  }
  const out = new Map();
  for (const [k, m] of byKey) out.set(k, [...m.entries()].sort((a, b) => a[0] - b[0]).map(([, kv]) => kv));
  return out;
}

/**
 * For each pair, the highest header revision of an ok kv op completed before it was invoked:
 * the revision a linearizable op must have reached at least.
 */
export function floorsBefore(pairs) {
  const completions = pairs.filter((p) => isOk(p) && p.inv.f.startsWith('kv/') && p.inv.f !== 'kv/compaction').map((p) => [p.done.time, headerRev(p)]).sort((a, b) => a[0] - b[0]);
  const floors = new Map();
  const sorted = [...pairs].sort((a, b) => a.inv.time - b.inv.time);
  let i = 0;
  let best = 0;
  for (const p of sorted) {
    while (i < completions.length && completions[i][0] < p.inv.time) best = Math.max(best, completions[i++][1]);
    floors.set(p, best);
  }
  return floors;
}

/** The writes of an ok op that changed the store (a put, a delete that deleted, a txn branch that wrote). */
export function wroteRevision(p) {
  if (!isOk(p)) return false;
  const v = p.done.value ?? {};
  if (p.inv.f === 'kv/put') return true;
  if (p.inv.f === 'kv/deleterange') return num(v.deleted) > 0;
  if (p.inv.f !== 'kv/txn') return false;
  const ops = v.succeeded === true ? p.inv.value?.success ?? [] : p.inv.value?.failure ?? [];
  return ops.some((o, i) => o.request_put !== undefined || (o.request_delete_range !== undefined && num(v.responses?.[i]?.response_delete_range?.deleted) > 0));
}

export function clone(v) {
  return structuredClone(v);
}

/** The history with `ops` added (each placed by its time, after ops of the same time), indexes made dense again. */
export function withOps(history, ops) {
  const all = [...history.map((op, i) => ({ op, key: i })), ...ops.map((op, i) => ({ op, key: history.length + i }))];
  all.sort((a, b) => a.op.time - b.op.time || a.key - b.key);
  return all.map(({ op }, index) => ({ ...op, index }));
}

/**
 * `n` client processes no op of `history` uses, as numbers: a client's process is a number in
 * every form (Jepsen's EDN and log skip ops of other processes as the nemesis's, and the
 * robustness export numbers its client files after them).
 */
export function freshProcesses(history, n) {
  let top = 0;
  for (const op of history) if (typeof op.process === 'number' && op.process > top) top = op.process;
  return Array.from({ length: n }, (_, i) => top + 1 + i);
}

/** Keys (base64) a put of unknown outcome may have written (a put or a txn's put that timed out or failed): their versions are not certain. */
export function uncertainPutKeys(pairs) {
  const out = new Set();
  const visit = (req) => {
    for (const o of [...(req?.success ?? []), ...(req?.failure ?? [])]) {
      if (o.request_put !== undefined) out.add(o.request_put.key);
      if (o.request_txn !== undefined) visit(o.request_txn);
    }
  };
  for (const p of pairs) {
    if (isOk(p)) continue;
    if (p.inv.f === 'kv/put') out.add(p.inv.value?.key);
    if (p.inv.f === 'kv/txn') visit(p.inv.value);
  }
  return out;
}
