// Ad hoc: npx tsx test/sim/check/etcd-ground-truth/sweep.mts FROM COUNT — checks ground-truth
// histories of seeds FROM..FROM+COUNT-1 and prints how many were valid, unknown and invalid
// (with the seeds of the last two), the model steps spent and the must-fail twins that passed.
import { checkHistory } from '../../../../sim/check/check-history.ts';
import { checkWatch } from '../../../../sim/check/watch.ts';
import { generate } from './history.ts';
import { sizeOf } from './sizes.ts';
import { checkLease } from '../../../../sim/check/lease.ts';
import { mustFailTwins, withDuplicatedEvent, withExpiredKey, withRenewedAfterRevoke, withMissedEvent, withUnflaggedFragment, type TwinKind } from './twins.ts';
import { leaseOptions } from './lease-options.ts';

const from = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 1000);
const counts = { leaseChecked: 0, leaseBroken: 0, leaseUnknown: 0, watchBroken: 0, watchUnknown: 0, valid: 0, unknown: 0, invalid: 0, threw: 0, twinsPassed: 0 };
const bad: string[] = [];
const twins = new Map<TwinKind, number>();
let steps = 0;
let ops = 0;
const started = performance.now();
for (let seed = from; seed < from + count; seed++) {
  const g = generate(seed, sizeOf(seed));
  ops += g.history.length;
  const options = { watches: g.watches, autoCompaction: g.autoCompaction, ...(g.initialDump !== undefined ? { initialDump: g.initialDump } : {}) };
  const run = (h: typeof g.history) => checkHistory({ ops: h, lines: h.map((_, i) => i + 1) }, 'etcd', { maxSteps: 200_000 }, options);
  try {
    const r = run(g.history);
    steps += r.steps ?? 0;
    if (r.valid === true) counts.valid++;
    else if (r.valid === 'unknown') {
      counts.unknown++;
      bad.push(`unknown ${seed}: ${r.unknownReason ?? ''}`);
    } else {
      counts.invalid++;
      bad.push(`invalid ${seed}: ${(r.summary ?? '').slice(0, 300)}`);
    }
  } catch (err) {
    counts.threw++;
    bad.push(`threw ${seed}: ${String(err)}`);
  }
  if (g.cluster.promptExpiry === true) {
    counts.leaseChecked++;
    const l = checkLease(g.history, leaseOptions(g));
    if (l.valid === false) {
      counts.leaseBroken++;
      bad.push(`lease ${seed}: ${l.summary ?? ''}`);
    } else if (l.valid === 'unknown') counts.leaseUnknown++;
    const late = withExpiredKey(g.history);
    if (late !== undefined) {
      twins.set('expired-key' as TwinKind, (twins.get('expired-key' as TwinKind) ?? 0) + 1);
      if (checkLease(late, leaseOptions(g)).valid !== false) {
        counts.twinsPassed++;
        bad.push(`expired-key twin passed ${seed}`);
      }
    }
    const renewed = withRenewedAfterRevoke(g.history);
    if (renewed !== undefined) {
      twins.set('renewed-after-revoke' as TwinKind, (twins.get('renewed-after-revoke' as TwinKind) ?? 0) + 1);
      if (checkLease(renewed, leaseOptions(g)).valid !== false) {
        counts.twinsPassed++;
        bad.push(`renewed-after-revoke twin passed ${seed}`);
      }
    }
  }
  if (g.watches.length > 0) {
    const w = checkWatch(g.watches, g.history, { autoCompaction: g.autoCompaction });
    if (w.valid === false) {
      counts.watchBroken++;
      bad.push(`watch ${seed}: ${w.summary ?? ''}`);
    } else if (w.valid === 'unknown') counts.watchUnknown++;
    const dup = withDuplicatedEvent(g.watches);
    if (dup !== undefined) {
      twins.set('duplicated-event' as TwinKind, (twins.get('duplicated-event' as TwinKind) ?? 0) + 1);
      if (checkWatch(dup, g.history, { autoCompaction: g.autoCompaction }).valid !== false) {
        counts.twinsPassed++;
        bad.push(`duplicated-event twin passed ${seed}`);
      }
    }
    const unflagged = withUnflaggedFragment(g.watches);
    if (unflagged !== undefined) {
      twins.set('unflagged-fragment' as TwinKind, (twins.get('unflagged-fragment' as TwinKind) ?? 0) + 1);
      if (checkWatch(unflagged, g.history, { autoCompaction: g.autoCompaction }).valid !== false) {
        counts.twinsPassed++;
        bad.push(`unflagged-fragment twin passed ${seed}`);
      }
    }
    const missed = withMissedEvent(g.history, g.watches);
    if (missed !== undefined) {
      twins.set('missed-event' as TwinKind, (twins.get('missed-event' as TwinKind) ?? 0) + 1);
      if (checkWatch(missed, g.history, { autoCompaction: g.autoCompaction }).valid !== false) {
        counts.twinsPassed++;
        bad.push(`missed-event twin passed ${seed}`);
      }
    }
  }
  for (const t of mustFailTwins(g)) {
    twins.set(t.kind, (twins.get(t.kind) ?? 0) + 1);
    if (run(t.history).valid !== false) {
      counts.twinsPassed++;
      bad.push(`${t.kind} twin passed ${seed}`);
    }
  }
}
for (const b of bad) console.log(b);
console.log(`seeds ${from}..${from + count - 1}: ${JSON.stringify(counts)}, twins ${JSON.stringify(Object.fromEntries(twins))}, ${ops} ops, ${steps} model steps, ${((performance.now() - started) / 1000).toFixed(1)} s`);
