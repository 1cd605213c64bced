// A fault as it happened: when it started and healed, and whom it hit. The nemesis records one
// per fault it injects; results.json and the reports draw them on the timeline.

/** A fault interval on the timeline, for reports. */
export interface FaultInterval {
  kind: string;
  startUs: number;
  endUs?: number;
  targets?: string[];
  description: string;
}
