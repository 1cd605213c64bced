// A real run's report says what did not run as the scenario asked: faults of the schedule that
// never started, settings real etcd did not take (with the value that ran), and the real swarm's
// left-out draws, on the page (escaped) and in the terminal summary (within 80 columns).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderRunHtml } from '../../../sim/report/run-page.ts';
import { runTable } from '../../../sim/cli/harness/table.ts';
import * as fx from '../../fixtures/report/fixtures.ts';

afterEach(() => vi.unstubAllEnvs());

function reproduceSection(html: string): string {
  return /<section id="reproduce">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
}

describe('a real-etcd run report shows what did not run as asked', () => {
  it('names the faults not run, every setting not applied with the value that ran, and what the swarm left out', async () => {
    const section = reproduceSection(await renderRunHtml(fx.realEtcdRun()));
    expect(section).toContain('2 faults of the schedule did not run');
    expect(section).toContain('the traffic ran 4200 ms past the scenario&#39;s duration: until every fault of the schedule had started');
    expect(section).toContain('cluster.etcd.snapshotCatchUpEntries 10: etcd&#39;s 5000 ran');
    expect(section).toContain('cluster.etcd.watchStreamBuffer 1: etcd&#39;s 128 ran');
    expect(section).toContain('cluster.etcd.watchBatchMaxRevs 50');
    expect(section).toContain('clock-jumps');
  });

  it('says every fault ran when none was left, and shows nothing of the kind for a simulated run', async () => {
    const input = fx.realEtcdRun();
    if (input.results.target?.kind === 'etcd') input.results.target.faultsNotRun = 0;
    if (input.results.target?.kind === 'etcd') input.results.target.trafficPastDurationMs = 0;
    const section = reproduceSection(await renderRunHtml(input));
    expect(section).toContain('every fault of the schedule ran');
    expect(section).not.toContain('traffic ran');
    const sim = await renderRunHtml(fx.passingRun());
    expect(sim).not.toContain('target-differences');
    expect(runTable(fx.passingRun().results)).not.toMatch(/did not run|not applied|left out/);
  });

  it('escapes the entries (user-supplied text)', async () => {
    const html = await renderRunHtml(fx.realEtcdRun(fx.hostile));
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(reproduceSection(html).split('&lt;script&gt;window.__pwned=1&lt;/script&gt;').length - 1).toBe(2);
  });

  it('lists them in the terminal summary within 80 columns, words whole', () => {
    vi.stubEnv('COLUMNS', '80');
    const text = runTable(fx.realEtcdRun().results);
    const lines = text.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    const flat = lines.map((l) => l.trim()).join(' ');
    expect(flat).toContain('2 faults of the schedule did not run');
    expect(flat).toContain("the traffic ran 4200 ms past the scenario's duration");
    expect(flat).toContain("cluster.etcd.snapshotCatchUpEntries 10: etcd's 5000 ran (a constant of etcd's build)");
    expect(flat).toContain("network latency 100-200 µs and fsync 500-10000 µs (the machine's own)");
  });
});
