// The history readers: EDN values, Jepsen log lines, Jepsen EDN maps, detcd JSONL, format
// detection; malformed input names the line; parsed anchors match Porcupine's own parse.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../sim/history/detect-format.ts';
import { EdnKeyword, ednToPlain, keyword, readAllEdn } from '../../../sim/history/edn.ts';
import { parseJepsenEdn } from '../../../sim/history/jepsen-edn.ts';
import { parseJepsenLog } from '../../../sim/history/jepsen-log.ts';
import { parseJsonl } from '../../../sim/history/jsonl.ts';
import { pairOps } from '../../../sim/history/pair.ts';
import { HistoryParseError } from '../../../sim/history/parse-error.ts';

const ANCHORS = join(import.meta.dirname, '../../../../shared/anchors/porcupine');

describe('EDN reader', () => {
  it('reads maps, vectors, lists, sets, keywords, strings, numbers, nil, booleans', () => {
    const { value } = readAllEdn('{:a [1 -2 3.5 "s\\"q\\n"] :b #{:x} :c (nil true false) :d #inst "2020"} ; comment')[0]!;
    expect(ednToPlain(value)).toEqual({ a: [1, -2, 3.5, 's"q\n'], b: ['x'], c: [null, true, false], d: '2020' });
    expect(readAllEdn(':k')[0]!.value).toBe(keyword('k'));
    expect(readAllEdn(':k')[0]!.value).toBeInstanceOf(EdnKeyword);
  });

  it('reports the line of an unterminated form', () => {
    expect(() => readAllEdn('{:a 1}\n{:b [1 2')).toThrow(/line 2/);
  });
});

describe('Jepsen log lines', () => {
  it('reads invoke/ok/fail/info with tab or space separators and :timed-out as the error', () => {
    const h = parseJepsenLog('INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]\nINFO  jepsen.util - 2   :fail   :cas   [3 0]\nINFO jepsen.util - 3 :invoke :write 4\nINFO  jepsen.util - 3\t:info\t:write\t:timed-out\n');
    expect(h.ops.map((o) => [o.process, o.type, o.f, o.value, o.error])).toEqual([
      [2, 'invoke', 'cas', [3, 0], undefined],
      [2, 'fail', 'cas', [3, 0], undefined],
      [3, 'invoke', 'write', 4, undefined],
      [3, 'info', 'write', null, 'timed-out'],
    ]);
  });

  it('reads the lines of Jepsen 0.1 on (timestamp and thread before jepsen.util), with an error after the value', () => {
    const h = parseJepsenLog(
      [
        'INFO [2019-04-01 11:25:23,700] jepsen worker 3 - jepsen.util 3\t:invoke\t:cas\t[0 4]',
        'INFO [2019-04-01 11:25:23,760] jepsen worker 3 - jepsen.util 3\t:info\t:cas\t[0 4]\t:timed-out',
        'INFO [2019-04-01 11:25:23,791] jepsen worker 1 - jepsen.util 1  :invoke :txn   [[:append 79 3]]',
        'INFO [2019-04-01 11:25:23,794] jepsen worker 1 - jepsen.util 1\t:fail\t:txn\t[[:append 79 3]]\t[:txn-conflict "CAS failed!"]',
        'INFO [2019-04-01 11:25:24,000] jepsen test runner - jepsen.util Run complete, writing',
      ].join('\n'),
    );
    expect(h.ops.map((o) => [o.process, o.type, o.f, o.value, o.error])).toEqual([
      [3, 'invoke', 'cas', [0, 4], undefined],
      [3, 'info', 'cas', [0, 4], 'timed-out'],
      [1, 'invoke', 'txn', [['append', 79, 3]], undefined],
      [1, 'fail', 'txn', [['append', 79, 3]], '["txn-conflict","CAS failed!"]'],
    ]);
    expect(h.lines).toEqual([1, 2, 3, 4]);
  });

  it("skips the nemesis's lines in both shapes: faults, not client ops", () => {
    const h = parseJepsenLog(
      [
        'INFO  jepsen.util - 0\t:invoke\t:write\t1',
        'INFO  jepsen.util - :nemesis\t:info\t:start\tnil',
        'INFO  jepsen.util - 0\t:ok\t:write\t1',
        'INFO [2019-04-01 11:25:23,700] jepsen nemesis - jepsen.util :nemesis\t:info\t:start\t"Cut off {:n1 #{:n2 :n3}}"',
      ].join('\n'),
    );
    expect(h.ops.map((o) => [o.process, o.type])).toEqual([
      [0, 'invoke'],
      [0, 'ok'],
    ]);
    expect(h.lines).toEqual([1, 3]);
  });

  it('names the line of a malformed op line', () => {
    expect(() => parseJepsenLog('INFO  jepsen.util - 1\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:ok\t:read\t[1 2')).toThrow(HistoryParseError);
    try {
      parseJepsenLog('\n\nINFO  jepsen.util - 1\t:bogus\t:read\tnil');
    } catch (e) {
      expect((e as HistoryParseError).line).toBe(3);
    }
  });
});

describe('JSONL', () => {
  it('reads ops and names the line and field of a bad one', () => {
    const good = '{"index":0,"time":0,"process":1,"type":"invoke","f":"kv/put","value":{}}\n\n';
    expect(parseJsonl(good).ops).toHaveLength(1);
    expect(() => parseJsonl(good + '{"index":1,"time":0,"process":1,"type":"done","f":"kv/put"}')).toThrow(/line 3: field 'type'/);
    expect(() => parseJsonl('{oops')).toThrow(/line 1: not JSON/);
  });

  it('reads a JSON array of ops, naming the line where a bad element starts', () => {
    const ops = '[\n  {"index":0,"time":0,"process":1,"type":"invoke","f":"read","value":null},\n  {"index":1,"time":2,"process":1,"type":"ok","f":"read","value":"a,]}\\"b"}\n]\n';
    const h = parseJsonl(ops);
    expect(h.ops.map((o) => [o.index, o.time, o.type, o.value])).toEqual([[0, 0, 'invoke', null], [1, 2, 'ok', 'a,]}"b']]);
    expect(h.lines).toEqual([2, 3]);
    expect(() => parseJsonl('[\n {"process":0,"type":"invoke","f":"read"},\n\n 7\n]')).toThrow(/line 4: expected a JSON object/);
    expect(() => parseJsonl('[{"process":0,')).toThrow(/line 1: not JSON/);
    expect(parseJsonl('[]').ops).toEqual([]);
  });

  it('names an etcd robustness-test operations.json read as JSONL, and the format to read it with', () => {
    // Before: "field 'process' must be a number or string, got nothing". detcd check reads the
    // format since session 6 (etcd-robustness.ts); only a forced --format jsonl gets here.
    const porcupine = '[{"ClientId":0,"Input":{"Type":"range","Range":{"Start":"a","End":"","Limit":0}},"Call":1000,"Output":{"Range":{"KVs":null,"Count":0},"Revision":1},"Return":2000}]';
    expect(() => parseJsonl(porcupine)).toThrow(/line 1: an etcd robustness-test operation \(porcupine's ClientId, Input, Call, Output, Return\), not a JSONL op: read it with --format etcd-robustness --model etcd/);
  });

  it('gives an op without index and time its position, and refuses a file that mixes both kinds', () => {
    const h = parseJsonl('{"process":0,"type":"invoke","f":"write","value":1}\n{"process":0,"type":"ok","f":"write","value":1}\n');
    expect(h.ops.map((o) => [o.index, o.time])).toEqual([[0, 0], [1, 1]]);
    expect(() => parseJsonl('{"process":0,"type":"invoke","f":"write","value":1}\n{"time":9,"process":0,"type":"ok","f":"write","value":1}')).toThrow(/line 2: field 'time' is given here but left out on line 1/);
    expect(() => parseJsonl('{"index":0,"time":0,"process":0,"type":"invoke","f":"write"}\n{"time":1,"process":0,"type":"ok","f":"write"}')).toThrow(/line 2: field 'index' is left out here but given on line 1/);
  });
});

describe('pairing', () => {
  it('rejects a completion with no invoke, naming the line', () => {
    expect(() => pairOps(parseJepsenLog('INFO  jepsen.util - 1\t:ok\t:read\t1'))).toThrow(/line 1: process 1 completes/);
  });
});

describe('format detection', () => {
  it('tells the three formats apart', () => {
    expect(detectFormat('INFO  jepsen.util - 0\t:invoke\t:read\tnil')).toBe('jepsen-log');
    expect(detectFormat('{:process 0, :type :invoke}')).toBe('jepsen-edn');
    expect(detectFormat('{"index":0}')).toBe('jsonl');
    expect(detectFormat('[{:process 0, :type :invoke}]')).toBe('jepsen-edn');
    expect(detectFormat('[\n  {:process 0}\n]')).toBe('jepsen-edn');
    expect(detectFormat('[{"process":0}]')).toBe('jsonl');
    expect(detectFormat('\n[\n\n  { "process": 0 }\n]')).toBe('jsonl');
    expect(detectFormat('[]')).toBe('jsonl');
  });

  it("finds a jepsen.log's first op line past its pretty-printed test options (lines opening with {:)", () => {
    const preamble = ['INFO [2019-04-01 11:25:20,000] jepsen test runner - jepsen.cli Test options:', ' {:concurrency 5,', '  :nodes ["n1" "n2"],', ...Array.from({ length: 300 }, (_, i) => `  :k${i} ${i},`), ' }'];
    const log = [...preamble, 'INFO [2019-04-01 11:25:23,700] jepsen worker 3 - jepsen.util 3\t:invoke\t:read\tnil'].join('\n');
    expect(detectFormat(log)).toBe('jepsen-log');
    // A value that holds such text is data, not a log line.
    expect(detectFormat('{"index":0,"value":"INFO jepsen.util - 1 :invoke :read nil"}')).toBe('jsonl');
  });
});

describe.skipIf(!existsSync(ANCHORS))('parsed anchors match Porcupine\'s own parse (normalized/)', () => {
  interface Normalized { events: { kind: 'call' | 'return'; id: number }[] }
  const count = (n: Normalized) => ({ calls: n.events.filter((e) => e.kind === 'call').length, returns: n.events.filter((e) => e.kind === 'return').length });

  it('every etcd log: the same number of ops as Porcupine calls', () => {
    for (let i = 0; i <= 102; i++) {
      const name = `etcd_${String(i).padStart(3, '0')}`;
      if (name === 'etcd_095') continue;
      const pairs = pairOps(parseJepsenLog(readFileSync(join(ANCHORS, 'jepsen', `${name}.log`), 'utf8')));
      const norm = JSON.parse(readFileSync(join(ANCHORS, 'normalized', `${name}.json`), 'utf8')) as Normalized;
      expect(pairs.length, name).toBe(count(norm).calls);
    }
  });

  it('every kv history: the same number of ops and completions', () => {
    for (const name of ['c01-ok', 'c01-bad', 'c10-ok', 'c10-bad', 'c50-ok', 'c50-bad']) {
      const pairs = pairOps(parseJepsenEdn(readFileSync(join(ANCHORS, 'kv', `${name}.txt`), 'utf8')));
      const norm = JSON.parse(readFileSync(join(ANCHORS, 'normalized', `kv_${name}.json`), 'utf8')) as Normalized;
      expect(pairs.length, name).toBe(count(norm).calls);
      expect(pairs.filter((p) => p.completion !== undefined).length, name).toBe(count(norm).returns);
    }
  });
});
