// Lane 3 of the pinned mutants (test/bench/mutant-lane.ts): each lane a file, run side by side.
import { describeMutantLane } from './mutant-lane.ts';

describeMutantLane(3);
