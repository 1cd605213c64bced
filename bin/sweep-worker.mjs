// The sweep's worker-thread entry. Node 20 does not apply `--import tsx` to worker threads, so
// this shim registers tsx's loader inside the worker, then loads the TypeScript task.
import { register } from 'tsx/esm/api';

register();
const task = await import('../sim/cli/harness/sweep-task.ts');
export default task.default;
