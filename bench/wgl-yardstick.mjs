#!/usr/bin/env node
// The yardstick for `detcd check --model register` on Jepsen's etcd logs: a plain JavaScript
// Wing–Gong–Lowe search with Lowe's cache of (linearized set, state), shaped like Porcupine's
// checkSingle and its etcd register model, with none of detcd's bounds, explanations or
// validation. `node bench/wgl-yardstick.mjs FILE...` prints one `file verdict` line per log and
// exits 0 when all are linearizable, 1 otherwise. bench/check-process.bench.ts times it as a
// whole process beside `detcd check`.
import { readFileSync } from 'node:fs';

const NIL = -1000000;
const OP_LINE = /jepsen\.util\s+-\s+(\S+)\s+:(\w+)\s+:(\w+)(?:\s+(.*?))?\s*$/;

/** One op: a call, and its return (infinitely late when timed out). */
function parseLog(text) {
  const ops = [];
  const open = new Map();
  const events = [];
  for (const row of text.split('\n')) {
    const m = OP_LINE.exec(row);
    if (m === null) continue;
    const [, proc, type, f, rest] = m;
    if (type === 'invoke') {
      const op = { id: ops.length, f, arg: parseValue(f, rest), out: undefined, unknown: false };
      ops.push(op);
      open.set(proc, op);
      events.push({ call: true, op });
      continue;
    }
    const op = open.get(proc);
    if (op === undefined) continue;
    open.delete(proc);
    // `:info`, or a completion whose value is a keyword (`:fail :read :timed-out`): unknown.
    if (type === 'info' || rest?.startsWith(':') === true) {
      op.unknown = true;
      continue;
    }
    if (f === 'read') op.out = rest === 'nil' ? NIL : Number(rest);
    else if (f === 'cas') op.out = type === 'ok';
    events.push({ call: false, op });
  }
  for (const op of ops) if (op.unknown || !events.some((e) => !e.call && e.op === op)) {
    op.unknown = true;
    events.push({ call: false, op });
  }
  return { ops, events };
}

function parseValue(f, rest) {
  if (f === 'read') return undefined;
  if (f === 'write') return Number(rest);
  const [from, to] = rest.replace(/[[\]]/g, '').trim().split(/\s+/).map(Number);
  return { from, to };
}

const ILLEGAL = -2000000;

/** Porcupine's etcd register model: the next state, or ILLEGAL. */
function step(state, op) {
  if (op.f === 'read') return op.unknown || op.out === state ? state : ILLEGAL;
  if (op.f === 'write') return op.arg;
  const swapped = state === op.arg.from;
  if (!op.unknown && swapped !== op.out) return ILLEGAL;
  return swapped ? op.arg.to : state;
}

/** A doubly linked list of call and return entries, in history order. */
function makeList(events, n) {
  const head = { next: null, prev: null };
  let last = head;
  const callOf = new Array(n);
  const entries = events.map((e) => ({ call: e.call, op: e.op, match: null, next: null, prev: null }));
  for (const e of entries) {
    e.prev = last;
    last.next = e;
    last = e;
    if (e.call) callOf[e.op.id] = e;
    else callOf[e.op.id].match = e;
  }
  return head;
}

function lift(e) {
  e.prev.next = e.next;
  if (e.next) e.next.prev = e.prev;
  const r = e.match;
  r.prev.next = r.next;
  if (r.next) r.next.prev = r.prev;
}

function unlift(e) {
  const r = e.match;
  r.prev.next = r;
  if (r.next) r.next.prev = r;
  e.prev.next = e;
  if (e.next) e.next.prev = e;
}

function hashBits(bits, state) {
  let h = state | 0;
  for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i], 0x9e3779b1) >>> 0;
  return h;
}

/** Lowe's cache: whether (linearized set, state) was reached before; records it if not. */
function seen(cache, bits, state) {
  const h = hashBits(bits, state);
  const first = cache.get(h);
  for (let c = first; c !== undefined; c = c.next) {
    if (c.state !== state) continue;
    let same = true;
    for (let i = 0; i < bits.length && same; i++) same = c.bits[i] === bits[i];
    if (same) return true;
  }
  cache.set(h, { bits: bits.slice(), state, next: first });
  return false;
}

function linearizable({ ops, events }) {
  const head = makeList(events, ops.length);
  const bits = new Array((ops.length >> 5) + 1).fill(0);
  const cache = new Map();
  const calls = [];
  let state = NIL;
  let entry = head.next;
  while (head.next !== null) {
    if (entry.call) {
      const next = step(state, entry.op);
      const id = entry.op.id;
      if (next !== ILLEGAL) {
        bits[id >> 5] |= 1 << (id & 31);
        if (!seen(cache, bits, next)) {
          calls.push({ entry, state });
          state = next;
          lift(entry);
          entry = head.next;
          continue;
        }
        bits[id >> 5] &= ~(1 << (id & 31));
      }
      entry = entry.next;
    } else {
      if (calls.length === 0) return false;
      const top = calls.pop();
      state = top.state;
      const id = top.entry.op.id;
      bits[id >> 5] &= ~(1 << (id & 31));
      unlift(top.entry);
      entry = top.entry.next;
    }
  }
  return true;
}

let allValid = true;
for (const file of process.argv.slice(2)) {
  const valid = linearizable(parseLog(readFileSync(file, 'utf8')));
  allValid &&= valid;
  console.log(`${file} ${valid}`);
}
process.exitCode = allValid ? 0 : 1;
