// Every response a member sends carries its header (cluster, member, revision, raft term). The
// state machine keeps the last header it encoded and gives it to the next response of the same
// revision and term instead of encoding it again: these tests hold each answer to the header a
// fresh encoding gives, across writes (the revision moves), elections (the term moves) and
// watch responses, and the codec's shared-header encoder to the plain one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, encodeWithEncodedHeader, encodeWithHeader } from '../../../src/api/json-codec.ts';
import type { Schema } from '../../../src/api/schema.ts';
import * as S from '../../../src/api/schema.ts';
import { DEFAULT_MEMBER_CONFIG } from '../../../src/server/member-config.ts';
import { EtcdStateMachine } from '../../../src/server/etcd-state-machine.ts';
import type { MemberHeader, WireReply } from '../../../src/server/state-machine-port.ts';
import { put, range } from '../../../sim/workload/etcd-request.ts';
import { fcParams } from '../../property-seed.ts';
import { requestJson, text } from './apply/request-json-arbitrary.ts';

/** Response schemas with a header field. */
const RESPONSES = Object.entries(S).filter((e): e is [string, Schema] => Array.isArray(e[1]) && (e[1] as Schema).some((f) => f[0] === 'header'));

describe('encodeWithEncodedHeader', () => {
  it('gives encodeWithHeader\'s object for any response and header, key order included', () => {
    expect(RESPONSES.length).toBeGreaterThan(10);
    for (const [name, schema] of RESPONSES) {
      fc.assert(fc.property(requestJson(schema, 1), requestJson(S.ResponseHeader, 0), (json, headerJson) => {
        const d = decodeMessage<object>(schema, json);
        const h = decodeMessage<object>(S.ResponseHeader, headerJson);
        if (!d.ok || !h.ok) return;
        expect(text(encodeWithEncodedHeader(schema, d.value, encodeMessage(S.ResponseHeader, h.value))), name).toBe(text(encodeWithHeader(schema, d.value, h.value)));
      }), fcParams(30));
    }
  });
});

describe('the state machine\'s response headers', () => {
  let term = 1;
  const HEADER: MemberHeader = { clusterId: '11', memberId: '22', raftTerm: () => term };

  function body(r: WireReply): Record<string, unknown> {
    if (!r.ok) throw new Error(r.error.message);
    return r.body as Record<string, unknown>;
  }

  it('are encoded afresh whenever the revision or the term moved', () => {
    term = 1;
    const sm = new EtcdStateMachine({ ...DEFAULT_MEMBER_CONFIG, id: 1, peers: [1] });
    sm.bindHeader(HEADER);
    const read = (): Record<string, unknown> => {
      const get = range('k');
      const c = sm.classify(get.path, get.body, HEADER, get.decoded);
      if (c.kind !== 'read') throw new Error(c.kind);
      return body(c.read());
    };
    const expected = (revision: number): string => text(encodeMessage(S.ResponseHeader, { cluster_id: '11', member_id: '22', revision, raft_term: term }));
    const stream = sm.openWatchStream();
    stream.handle({ create_request: { key: 'aw==' } });
    const first = read();
    expect(text(first['header'])).toBe(expected(1));
    // The same revision and term: the same header object.
    expect(read()['header']).toBe(first['header']);
    term = 2;
    expect(text(read()['header'])).toBe(expected(1));
    let index = 1;
    for (const value of ['a', 'b']) {
      const p = put('k', value);
      const c = sm.classify(p.path, p.body, HEADER, p.decoded);
      if (c.kind !== 'propose') throw new Error(c.kind);
      const applied = sm.apply(index++, term, c.encode(String(100 + index)).data, 0);
      const rev = index;
      expect(text(body(applied.reply)['header'])).toBe(expected(rev));
      expect(text(read()['header'])).toBe(expected(rev));
      // The watch response of the write carries the write's revision.
      sm.onTick(1000 * index);
      const events = stream.poll() as Record<string, unknown>[];
      const last = events[events.length - 1];
      expect(text(last?.['header'])).toBe(expected(rev));
    }
    term = 3;
    expect(text(read()['header'])).toBe(expected(3));
  });
});
