// Every history reader stops at the memory bound its caller hands it: a probe asked every
// PROBE_LINES lines, whose reason ends the read with HistoryTooLarge (the command line's
// "unknown"), never a heap that grows until V8 aborts the process.
import { describe, expect, it } from 'vitest';
import { parseJsonl } from '../../../sim/history/jsonl.ts';
import { parseJepsenLog } from '../../../sim/history/jepsen-log.ts';
import { parseJepsenEdn } from '../../../sim/history/jepsen-edn.ts';
import { parseRobustnessOps } from '../../../sim/history/etcd-robustness.ts';
import { HistoryTooLarge, PROBE_LINES } from '../../../sim/history/read-budget.ts';

const n = PROBE_LINES * 2;
const jsonl = Array.from({ length: n }, (_, i) => JSON.stringify({ index: i, time: i, process: 0, type: i % 2 === 0 ? 'invoke' : 'ok', f: 'write', value: i >> 1 })).join('\n');
const log = Array.from({ length: n }, (_, i) => `INFO  jepsen.util - 0\t:${i % 2 === 0 ? 'invoke' : 'ok'}\t:write\t${i >> 1}`).join('\n');
const edn = Array.from({ length: n }, (_, i) => `{:type :${i % 2 === 0 ? 'invoke' : 'ok'}, :f :write, :value ${i >> 1}, :process 0, :index ${i}}`).join('\n');
const robustness = Array.from({ length: n }, (_, i) => JSON.stringify({ ClientId: 0, Input: { Type: 'txn', Txn: { OperationsOnSuccess: [{ Type: 'put-operation', Put: { Key: 'k', Value: { Value: String(i) } } }] } }, Call: 2 * i, Output: { Txn: { Results: [{}] }, Revision: i + 2 }, Return: 2 * i + 1 })).join('\n');

describe('the history readers stop at the memory bound', () => {
  const full = (): string => 'memory budget: heap 9 MB above 8 MB';
  const readers: [string, (probe: () => string | undefined) => unknown][] = [
    ['jsonl', (probe) => parseJsonl(jsonl, probe)],
    ['a Jepsen log', (probe) => parseJepsenLog(log, probe)],
    ['Jepsen EDN', (probe) => parseJepsenEdn(edn, probe)],
    ['etcd robustness operations', (probe) => parseRobustnessOps(robustness, probe)],
  ];
  it.each(readers)('%s: a full heap ends the read at the first probe, with the probe\'s reason', (_name, read) => {
    let asked = 0;
    const probe = (): string | undefined => (++asked >= 1 ? full() : undefined);
    expect(() => read(probe)).toThrow(HistoryTooLarge);
    expect(() => read(probe)).toThrow(`reading stopped at line ${PROBE_LINES}: memory budget: heap 9 MB above 8 MB`);
  });

  it.each(readers)('%s: reads to the end while the heap has room, asking once every PROBE_LINES lines', (_name, read) => {
    let asked = 0;
    expect(() => read(() => void asked++)).not.toThrow();
    expect(asked).toBe(2);
  });
});
