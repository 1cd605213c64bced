// checkHistory on a parsed history ({ops, lines}), as a program holds one: parseHistory's, edited,
// or built by hand. Each op is typed as Op says and, under the etcd model, each request and answer
// by its etcd message, so a malformed one is one UsageError naming `history.ops[i].field` (and the
// line of its text) before any checker reads it: it was a TypeError from inside a checker, or a
// verdict read from a value of the wrong type. The parsers' HistoryParseError carries the parts
// apart (line, field, reason, file) for a program to read.
import { describe, expect, it } from 'vitest';
import { checkHistory, HistoryParseError, parseHistory, type ParsedHistory } from '../../../sim/check/index.ts';
import { refusal } from './refusal.ts';

const op = (index: number, type: string, f: string, value: unknown, process = 0): Record<string, unknown> => ({ index, time: index * 10, process, type, f, value });
const register = [op(0, 'invoke', 'write', 1), op(1, 'ok', 'write', 1), op(2, 'invoke', 'read', null, 1), op(3, 'ok', 'read', 1, 1)];
const parsed = (ops: unknown[], lines?: unknown): ParsedHistory => ({ ops, lines: lines ?? ops.map((_, i) => i + 1) }) as ParsedHistory;
const withOp = (i: number, change: Record<string, unknown>): ParsedHistory => parsed(register.map((o, j) => (j === i ? { ...o, ...change } : o)));

describe('checkHistory types a parsed history op by op', () => {
  it('takes a well-formed parsed history as before', () => {
    expect(checkHistory(parsed(register), 'register').valid).toBe(true);
    expect(checkHistory({ ops: register } as unknown as ParsedHistory, 'register').valid).toBe(true);
  });

  it.each([
    ['an op that is null', (): ParsedHistory => parsed([null, ...register.slice(1)]), 'checkHistory: history.ops[0] (line 1): must be an op object'],
    ['a type no op has', (): ParsedHistory => withOp(1, { type: 'done' }), 'checkHistory: history.ops[1].type (line 2): must be invoke, ok, fail or info, got "done"'],
    ['an op without f', (): ParsedHistory => withOp(2, { f: undefined }), 'checkHistory: history.ops[2].f (line 3): must be a non-empty string, got nothing'],
    ['a time that is text', (): ParsedHistory => withOp(3, { time: '30' }), 'checkHistory: history.ops[3].time (line 4): must be a number, got "30"'],
    ['an op without index', (): ParsedHistory => withOp(0, { index: undefined }), "checkHistory: history.ops[0].index (line 1): is left out: a parsed history's ops carry it"],
    ['a process that is an object', (): ParsedHistory => withOp(0, { process: {} }), 'checkHistory: history.ops[0].process (line 1): must be a number or string, got {}'],
    ['an error that is not text', (): ParsedHistory => withOp(1, { type: 'fail', error: 5 }), 'checkHistory: history.ops[1].error (line 2): must be a string, got 5'],
    ['lines that are not numbers', (): ParsedHistory => parsed(register, ['a', 'b', 'c', 'd']), 'checkHistory: history.lines: must be the 1-based line of each op (4 whole numbers ≥ 1)'],
    ['partialAnswers that is not a flag', (): ParsedHistory => ({ ...parsed(register), partialAnswers: 'yes' }) as unknown as ParsedHistory, 'checkHistory: history.partialAnswers: must be true, false or left out, got "yes"'],
  ])('refuses %s, naming the op and field', (_, history, message) => {
    for (const model of ['register', 'kv', 'etcd'] as const) expect(refusal(() => checkHistory(history(), model))).toContain(message);
  });

  it("types an etcd history's requests and answers by their messages, naming the op, field and the line of its text", () => {
    const text = [
      '{"index":0,"time":0,"process":0,"type":"invoke","f":"kv/range","value":{"key":"aw=="}}',
      '',
      '{"index":1,"time":1,"process":0,"type":"ok","f":"kv/range","value":{"header":{"revision":"1"},"kvs":5}}',
    ].join('\n');
    // Read as it was: a list of kvs given as 5 was a verdict on nothing.
    expect(refusal(() => checkHistory(parseHistory(text, 'jsonl'), 'etcd'))).toBe("checkHistory: history.ops[1].value.kvs (line 3): must be a list, got 5 (kv/range's etcd message)");
  });
});

describe('HistoryParseError keeps its parts apart', () => {
  const thrown = (text: string): HistoryParseError => {
    try {
      parseHistory(text, 'jsonl');
    } catch (e) {
      expect(e).toBeInstanceOf(HistoryParseError);
      return e as HistoryParseError;
    }
    throw new Error('not refused');
  };

  it('names the line, the field and the reason, and the file once a reader knows it', () => {
    const err = thrown('{"process":0,"type":"invoke","f":"read","value":null}\n{"process":"x","type":"ok","f":"read","time":"soon"}');
    expect([err.line, err.field, err.reason]).toEqual([2, 'time', 'is given here but left out on line 1: give it on every op or on none']);
    expect(err.message).toBe("line 2: field 'time' is given here but left out on line 1: give it on every op or on none");
    expect(err.inFile('h.jsonl').message).toBe("h.jsonl:2: field 'time' is given here but left out on line 1: give it on every op or on none");
    expect(err.inFile('h.jsonl').file).toBe('h.jsonl');
  });

  it('has no field where the line as a whole is wrong', () => {
    const err = thrown('{"process":0}\nnot json');
    expect([err.line, err.field]).toEqual([2, undefined]);
  });
});
