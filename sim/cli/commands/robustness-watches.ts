// The watch side of an etcd robustness-test report for `detcd check`: every client-N/watch.json
// of the run (sim/history/etcd-robustness-watch.ts reads one), judged by detcd's watch checker
// against the run's operations. A run whose watch files cannot be read or modelled is refused
// in one line naming the file, line and field, as its operations files are.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { WatchRecord } from '../../history/op.ts';
import { HistoryParseError } from '../../history/parse-error.ts';
import { pushAll } from '../../array/stack-safe.ts';

/** A watch file that cannot be checked; the message names the file. */
export class WatchFileError extends Error {}

/**
 * Whether `file` is there, or may be: a client directory that cannot be searched keeps its file
 * in the list, and reading it says why (left out, its client's ops were missing from the run and
 * the verdict was INVALID, with no word of the file).
 */
function mayBeThere(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}

/**
 * The client-N/`file` files of a robustness report directory (operations.json, watch.json), in
 * client order (empty when none).
 */
export function clientFiles(dir: string, file: 'operations.json' | 'watch.json'): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^client-\d+$/.test(n) && mayBeThere(join(dir, n, file)))
    .sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)))
    .map((n) => join(dir, n, file));
}

/** Every watch of the run's watch files as detcd watch records, in time order. `read` gives a file's text (or throws naming it). */
export async function runWatches(files: readonly string[], read: (file: string) => string): Promise<WatchRecord[]> {
  const { parseRobustnessWatches } = await import('../../history/etcd-robustness-watch.ts');
  const records: WatchRecord[] = [];
  let putEvents = 0;
  let recordsIsCreate = false;
  for (const file of files) {
    const client = Number(/client-(\d+)[/\\]watch\.json$/.exec(file)?.[1] ?? 0);
    try {
      const one = parseRobustnessWatches(read(file), client);
      pushAll(records, one.records);
      putEvents += one.putEvents;
      recordsIsCreate ||= one.recordsIsCreate;
    } catch (err) {
      if (err instanceof HistoryParseError) throw new WatchFileError(err.inFile(file).message);
      throw err;
    }
  }
  // Before 2024 the tests did not record whether an event created its key; a PUT event without
  // it would be judged as an update. Go's encoder with omitempty leaves out IsCreate: false, so
  // the run's files together say which format they are: a run's first put of a key is a create.
  if (putEvents > 0 && !recordsIsCreate) throw new WatchFileError(`${files.join(', ')}: field Responses[].Events[].IsCreate: no event of the run records it (the format before etcd's robustness tests recorded IsCreate), so detcd cannot judge its events`);
  // Stable: one watch's records keep their order (their times never go back: the reader checks).
  return records.sort((a, b) => a.time - b.time);
}
