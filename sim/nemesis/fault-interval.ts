// A fault as it happened: when it started and healed, and whom it hit. The nemesis records one
// per fault it injects; results.json and the reports draw them on the timeline.

/** A fault interval on the timeline, for reports. */
export interface FaultInterval {
  kind: string;
  /** When the fault was in force (on the real target, after its rules were written or its signal sent). */
  startUs: number;
  /** When its heal was in force. */
  endUs?: number;
  /** When the nemesis asked for the fault, where it came in force later (the real target). */
  askedUs?: number;
  /** When the nemesis asked for its heal, where the heal came in force later. */
  healAskedUs?: number;
  targets?: string[];
  description: string;
}
