// detcd/check as another project's test calls it on its own history: parseHistory reads the
// text of any format `detcd check` reads (the same verdict as the command line), checkHistory
// takes the op objects a test recorded itself, and a wrong argument is one UsageError naming
// the function and the argument (an unknown model was "unknown: no operations" or a TypeError).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { parseHistory } from '../../../sim/history/parse-history.ts';
import { UsageError } from '../../../sim/errors/usage-error.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/check');
const LOG = 'INFO  jepsen.util - 0\t:invoke\t:write\t1\nINFO  jepsen.util - 0\t:ok\t:write\t1\nINFO  jepsen.util - 1\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:ok\t:read\t2\n';
const EDN = '{:type :invoke, :f :write, :value 1, :process 0, :index 0}\n{:type :ok, :f :write, :value 1, :process 0, :index 1}\n{:type :invoke, :f :read, :value nil, :process 1, :index 2}\n{:type :ok, :f :read, :value 1, :process 1, :index 3}\n';
const anyArg = (v: unknown): never => v as never;

function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

describe('parseHistory and checkHistory from code', () => {
  it('parses each format detcd check reads, by its content or as told, and judges it', () => {
    expect(checkHistory(parseHistory(LOG), 'register').valid).toBe(false);
    expect(checkHistory(parseHistory(EDN, 'jepsen-edn'), 'register').valid).toBe(true);
    expect(checkHistory(parseHistory(`\uFEFF${EDN}`), 'register').valid).toBe(true);
    const jsonl = readFileSync(join(FIXTURES, 'sim-short-timeouts-seed1.jsonl'), 'utf8');
    expect(checkHistory(parseHistory(jsonl), 'etcd').valid).toBe(true);
    const robustness = readFileSync(join(FIXTURES, 'etcd-robustness/real-etcd-3.4.23-kill-leader-3/client-1/operations.json'), 'utf8');
    expect(parseHistory(robustness).partialAnswers).toBe(true);
  });

  it('checks the op objects a test holds, index and time left out, in array order', () => {
    const ops = [
      { process: 0, type: 'invoke', f: 'write', value: 1 },
      { process: 0, type: 'ok', f: 'write', value: 1 },
      { process: 1, type: 'invoke', f: 'read', value: null },
      { process: 1, type: 'ok', f: 'read', value: 2 },
    ] as const;
    expect(checkHistory(ops, 'register').valid).toBe(false);
    expect(checkHistory([...ops.slice(0, 3), { process: 1, type: 'ok', f: 'read', value: 1 }], 'register').valid).toBe(true);
  });

  it('names the element and the field of an op object that is not an op', () => {
    const err = thrown(() => checkHistory(anyArg([{ process: 0, type: 'invoke', f: 'write', value: 1 }, { process: 0, type: 'done', f: 'write' }]), 'register'));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe('checkHistory: history[1].type: must be invoke, ok, fail or info, got "done"');
  });

  it('refuses text that is no history, and a format the content contradicts, naming line 1', () => {
    expect(thrown(() => parseHistory('hello\n')).message).toMatch(/^line 1: cannot tell the history format \(give parseHistory\(text, format\) one of 'jepsen-log', /);
    expect(thrown(() => parseHistory(EDN, 'jsonl')).message).toBe('line 1: the content is jepsen-edn, not jsonl');
  });

  it('refuses a wrong argument in one line naming the function and the argument', () => {
    const cases: [() => unknown, string][] = [
      [() => checkHistory([], anyArg('nope')), 'checkHistory: model: must be one of register, kv, etcd, got "nope"'],
      [() => checkHistory(anyArg(null), 'register'), 'checkHistory: history: must be parseHistory(text) or an array of op objects ({process, type, f, value}), got null'],
      [() => checkHistory(anyArg('{"process":0}'), 'register'), 'checkHistory: history: must be parseHistory(text) or an array of op objects ({process, type, f, value}), got "{\\"process\\":0}"'],
      [() => parseHistory(anyArg(undefined)), "parseHistory: text: must be a history's text (a string), got nothing"],
      [() => parseHistory(LOG, anyArg('csv')), "parseHistory: format: must be one of 'jepsen-log', 'jepsen-edn', 'jsonl', 'etcd-robustness', got \"csv\""],
    ];
    for (const [call, message] of cases) {
      const err = thrown(call);
      expect(err).toBeInstanceOf(UsageError);
      expect(err.message).toBe(message);
    }
  });

  it('takes a parsed history without its lines (a hand-built {ops}) and numbers them', () => {
    const { ops } = parseHistory(EDN);
    expect(checkHistory(anyArg({ ops }), 'register').valid).toBe(true);
    expect(checkHistory({ ops: [], lines: [] }, 'register').valid).toBe('unknown');
  });
});
