// The detcd that wrote a result: results.json's `version` and sweep.json's plan record it, so a
// replay or shrink of a run directory another version wrote is refused naming both (a checker
// added or changed since would make the replay differ, and that is no harness bug). A constant,
// not a read of package.json: results are built in pure code (test/cli/bin-version.test.ts
// compares it with package.json).
export const DETCD_VERSION = 'detcd 0.1.0';
