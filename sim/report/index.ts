// The public surface of the report module: run and sweep reports and the types they take.
export { writeRunReport, writeRunReportTo, runReportDir } from './run-report.ts';
export { renderRunHtml, type RunReportInput } from './run-page.ts';
export { writeSweepReport, mergeShards, readSweep, shardConflict } from './sweep-report.ts';
export { shardPlanConflict, type SweepPlanSummary } from './sweep-plan.ts';
export { summarizeRun, type RunSummary, type CheckerSummary } from './run-summary.ts';
export { SWEEP_FORMAT, SWEEP_VERSION, type DeterminismMismatchSummary, type SweepDeterminism, type SweepSummary, type SweepTotals } from './sweep-summary.ts';
export { type LinearizabilityExplanation } from './counterexample.ts';
export { type ReportViolation } from './violations.ts';
export { type ReportLimits, defaultReportLimits } from './limits.ts';
export { renderJunit, suitesFromRuns } from './junit.ts';
export { opToEdn } from './edn.ts';
export { readInputText, readInputBytes, readStdinText, INPUT_BYTES_MAX } from './input-file.ts';
export { PathError, errnoWords } from './path-error.ts';
export { prepareReportDir, claimReportDir, removeEmptyReportDir, removeStagingOf, writeFileReplacing, isDetcdReport, RUN_REPORT_FILES } from './report-dir.ts';
