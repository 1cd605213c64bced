// The public surface of the report module: run and sweep reports and the types they take.
// Functions that take a program's values come checked (public-report.ts).
export { writeRunReport, writeRunReportTo, runReportDir, renderRunHtml, summarizeRun, shardConflict, shardPlanConflict, writeSweepReport, mergeShards, readSweep, renderJunit, suitesFromRuns, opToEdn, readInputText, readInputBytes, readStdinText, isDetcdReport, prepareReportDir, claimReportDir, removeEmptyReportDir, writeFileReplacing } from './public-report.ts';
export { type RunReportInput } from './run-page.ts';
export { type SweepPlanSummary } from './sweep-plan.ts';
export { type RunSummary, type CheckerSummary } from './run-summary.ts';
export { SWEEP_FORMAT, SWEEP_VERSION, type DeterminismMismatchSummary, type SweepDeterminism, type SweepSummary, type SweepTotals } from './sweep-summary.ts';
export { type LinearizabilityExplanation } from './counterexample.ts';
export { type ReportViolation } from './violations.ts';
export { type ReportLimits, defaultReportLimits } from './limits.ts';
export { INPUT_BYTES_MAX } from './input-file.ts';
export { PathError, errnoWords } from './path-error.ts';
export { RUN_REPORT_FILES } from './report-dir.ts';
