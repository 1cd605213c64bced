// Types of bench-scenario.mjs (a scenario file's input shape, as defineScenario takes it).
import type { ScenarioInput } from '../sim/scenario/schema.ts';

export declare const BENCH_SCENARIO: ScenarioInput;
