// grpc-go 1.26's rules for header values (grpc-go-framing.ts), beyond what the vs-etcd test sends:
// Go's percent-encoding of non-ASCII messages and its timeout grammar.
import { describe, expect, test } from 'vitest';
import { contentSubtype, goGrpcMessage, responseContentType, timeoutVerdict } from '../../../../sim/cli/serve/grpc-go-framing.ts';

describe('grpc-go header values', () => {
  test('messages: UTF-8 bytes outside printable ASCII and % as %XX, upper-case; spaces kept', () => {
    expect(goGrpcMessage('etcdserver: key is not provided')).toBe('etcdserver: key is not provided');
    expect(goGrpcMessage('100% é\n~')).toBe('100%25 %C3%A9%0A~');
    expect(goGrpcMessage('')).toBe('');
  });

  test('content-type: application/grpc alone or with +X / ;X; the answer names X with +', () => {
    expect(['application/grpc', 'application/grpc+proto', 'application/grpc;x', 'application/grpc+'].map(contentSubtype)).toEqual(['', 'proto', 'x', '']);
    expect(['application/grpcx', 'Application/grpc', 'text/plain', undefined].map(contentSubtype)).toEqual([undefined, undefined, undefined, undefined]);
    expect(responseContentType('x')).toBe('application/grpc+x');
  });

  test('timeouts: [+-]digits and a unit in 2..9 characters; zero or negative already expired', () => {
    expect(['1S', '+5m', '99999999H'].map(timeoutVerdict)).toEqual(['ok', 'ok', 'ok']);
    expect(['0n', '-5S', '00S'].map(timeoutVerdict)).toEqual(['expired', 'expired', 'expired']);
    expect(['S', '5', '5x', '999999999S', '5 S', '1.5S', '+S'].map(timeoutVerdict)).toEqual(Array(7).fill('invalid'));
  });
});
