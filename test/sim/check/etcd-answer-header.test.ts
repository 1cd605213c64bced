// An ok answer of an etcd history with no header, or a header revision etcd never has (revisions
// start at 1), is not an answer of etcd's: refused naming its line and field, as every ill-typed
// field is (etcd-field-types.ts). Before, the model read it as revision 0 and judged it: a put
// answered at revision -1 made the history "not linearizable", a verdict on a recording mistake.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../../sim/check/check-history.ts';
import { parseHistory } from '../../../sim/history/parse-history.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function history(putAnswer: object): string {
  const ops = [
    { process: 1, type: 'invoke', f: 'kv/put', value: { key: b64('k'), value: b64('v') } },
    { process: 1, type: 'ok', f: 'kv/put', value: putAnswer },
    { process: 2, type: 'invoke', f: 'kv/range', value: { key: b64('k') } },
    { process: 2, type: 'ok', f: 'kv/range', value: { header: { revision: '2' }, kvs: [{ key: b64('k'), value: b64('v'), mod_revision: '2', create_revision: '2', version: '1' }], count: '1' } },
  ];
  return `${ops.map((o) => JSON.stringify(o)).join('\n')}\n`;
}

function refusal(text: string): string {
  try {
    checkHistory(parseHistory(text), 'etcd');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('an etcd answer without the header etcd writes is refused, naming its line', () => {
  it.each([
    ['no header', {}, 'none'],
    ['a header with no revision', { header: { raft_term: '2' } }, 'none'],
    ['revision -1', { header: { revision: '-1' } }, '"-1"'],
    ['revision 0', { header: { revision: 0 } }, '0'],
  ])('%s', (_name, answer, got) => {
    expect(refusal(history(answer))).toBe(`checkHistory: history.ops[1].value.header.revision (line 2): must be the revision etcd answered at, from 1 (etcd writes a header in every answer), got ${got} (kv/put's etcd message)`);
  });

  it('a header at revision 2 is judged (valid), and one that cannot be is not linearizable', () => {
    expect(checkHistory(parseHistory(history({ header: { revision: '2' } })), 'etcd').valid).toBe(true);
    expect(checkHistory(parseHistory(history({ header: { revision: '5' } })), 'etcd').valid).toBe(false);
  });
});
