// serve's /metrics text: numbers as Prometheus's Go client writes them (strconv's shortest 'g',
// exponent form from 1e6 up — what etcd printed for its own process_resident_memory_bytes), and
// the leader gauges read from the member's Status.
import { expect, test } from 'vitest';
import { goFloat, metricsText } from '../../../../sim/cli/serve/metrics.ts';

test('numbers as Go formats them: plain below 1e6, exponent form with two exponent digits from 1e6', () => {
  expect([0, 1, 7, 12288, 123456, 999999].map(goFloat)).toEqual(['0', '1', '7', '12288', '123456', '999999']);
  expect([1e6, 1234567, 24858624, 110448640].map(goFloat)).toEqual(['1e+06', '1.234567e+06', '2.4858624e+07', '1.1044864e+08']);
});

test('the leader gauges follow the status: a member that leads, one that follows, one without a leader', () => {
  const gauges = (leader: string | undefined): string[] => metricsText({ header: { member_id: '1' }, ...(leader === undefined ? {} : { leader }) }, 1).split('\n').filter((l) => /^etcd_server_(has|is)_leader /.test(l));
  expect(gauges('1')).toEqual(['etcd_server_has_leader 1', 'etcd_server_is_leader 1']);
  expect(gauges('2')).toEqual(['etcd_server_has_leader 1', 'etcd_server_is_leader 0']);
  expect(gauges(undefined)).toEqual(['etcd_server_has_leader 0', 'etcd_server_is_leader 0']);
});
