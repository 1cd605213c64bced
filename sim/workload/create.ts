// The workload of a scenario, by kind.
import { EtcdTraffic } from './etcd-traffic.ts';
import { KubernetesTraffic } from './kubernetes-traffic.ts';
import { KvWorkload } from './kv.ts';
import { LeaseWorkload } from './lease.ts';
import { LockWorkload } from './lock.ts';
import { RegisterWorkload } from './register.ts';
import { AuthWorkload } from './auth.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Workload, WorkloadEnv } from './workload.ts';

export function createWorkload(env: WorkloadEnv): Workload {
  switch (env.scenario.workload.kind) {
    case 'register':
      return new RegisterWorkload(env);
    case 'kv':
      return new KvWorkload(env);
    case 'etcd':
      return new EtcdTraffic(env);
    case 'kubernetes':
      return new KubernetesTraffic(env);
    case 'lease':
      return new LeaseWorkload(env);
    case 'lock':
      return new LockWorkload(env);
    case 'auth':
      return new AuthWorkload(env);
  }
}

/** Whether the workload understands periodic `compact` invocations. */
export function supportsCompaction(scenario: Scenario): boolean {
  return scenario.workload.kind === 'etcd' || scenario.workload.kind === 'kubernetes';
}
