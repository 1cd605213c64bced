// Malformed history input. Parsers are pure and know only line numbers; the command line
// adds the file name and turns this into a UsageError (exit 3).
export class HistoryParseError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'HistoryParseError';
  }
}
