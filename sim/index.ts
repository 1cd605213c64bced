// The public surface of the simulation harness, listed by name. The world, the checkers and
// the reports have their own index files (world/index.ts, report/index.ts).
export { runScenario, CHECKPOINT_US } from './run/run.ts';
export { SEED_MAX } from './run/run-arguments.ts';
export { UsageError } from './errors/usage-error.ts';
export type { RunOptions, RunOutput } from './run/run.ts';
export type { Results, RunStats, FaultInterval, LeaderSpan } from './run/results.ts';
export { PLANTED_BUGS, isPlantedBug } from './bugs/planted-bugs.ts';
export type { PlantedBug, PlantedBugEntry } from './bugs/planted-bugs.ts';
export { defineScenario, parseScenario, parseScenarioText } from './scenario/parse.ts';
export { ScenarioSchema, NemesisPackages, WorkloadKinds, CheckerNames } from './scenario/schema.ts';
export type { Scenario, ScenarioInput, NemesisPackageName, WorkloadKind, CheckerName } from './scenario/schema.ts';
export { FaultSchema, TimedFaultSchema } from './scenario/fault.ts';
export type { Fault, TimedFault, Target } from './scenario/fault.ts';
export { concat, defer, eachWorker, every, limit, mix, once, onWorkers, phases, repeat, repeatFn, sleep, stagger, timeLimit } from './workload/generator-arguments.ts';
export type { Gen, GenContext, Invocation, Emitted, Step } from './workload/generator.ts';
export { Interpreter } from './workload/interpreter.ts';
export type { Dispatched, Executor, Outcome, Scheduler } from './workload/interpreter.ts';
export { checkMutex } from './check/public-checkers.ts';
export { bakeScenario, defaultReplay, describeFault, drawSwarm, expandSchedule, nemesisPackage, plantedBug, shrinkScenario } from './harness-arguments.ts';
export { allPackages } from './nemesis/packages.ts';
export { faultArbitrary, faultScheduleArbitrary, withSchedule, runResults, explain } from './property/index.ts';
export type { ScheduleShape } from './property/index.ts';
