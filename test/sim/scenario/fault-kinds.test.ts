// The shipped fault table, walked: every kind reaches scenarios, the nemesis packages and swarm,
// the nemesis in a run, shrink, the property arbitraries and the Raft test harness with no edit
// but its table entry and its effect (test/support/fault-table-walk.ts says how each is checked).
// fault-kind-added.test.ts shows the same for a kind that exists only in that test.
import { walkFaultTable } from '../../support/fault-table-walk.ts';

walkFaultTable();
