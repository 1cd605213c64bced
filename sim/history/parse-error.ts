// Malformed history input. Parsers are pure and know only line numbers; the command line
// adds the file name and turns this into a UsageError (exit 3). The parts are kept apart
// (file, line, field, reason) so that a program can tell which field of which op was wrong
// without reading the sentence, and so that detcd/check can name an op object's field as an
// argument ("checkHistory: history[3].time: …") rather than as a line.

/** Where on its line the error is: the field, how the parser words it, the etcd call whose message types it. */
import { badArgument } from '../errors/bad-argument.ts';

export interface ParseErrorField {
  /** The path of the field that is wrong ('time', 'value.kvs[0].key', 'Input.Range.Start'). */
  readonly field: string;
  /**
   * `field 'time' must be …` (detcd's JSONL, etcd's messages), `field Input.Type: …` (Go structs),
   * or the reason alone where it names the field in its own format's words ('op map without
   * :process', 'register value must be …'). Default quoted.
   */
  readonly wording?: 'quoted' | 'colon' | 'in-reason';
  /** The op's `f` (kv/put) when the field is typed by that etcd call's request or response message. */
  readonly message?: string;
}

export class HistoryParseError extends Error {
  /** What is wrong: with `field` when one field is named, else with the line as a whole. */
  readonly reason: string;
  /** The path of the op's field that is wrong, when one field is. */
  readonly field: string | undefined;
  /** The file, when the reader knows it (the command line); a parser knows only the text. */
  readonly file: string | undefined;
  /** The sentence after the line number: the field named in the parser's wording, then the reason. */
  readonly detail: string;
  private readonly at: ParseErrorField | undefined;

  constructor(
    readonly line: number,
    reason: string,
    at?: ParseErrorField,
    file?: string,
  ) {
    // detcd/check exports the class: a program's wrong part is refused naming it (a Symbol
    // threw a TypeError in the message template, `at` null 'reading wording').
    if (typeof line !== 'number') throw badArgument('HistoryParseError', 'line', 'must be a line number', line);
    if (typeof reason !== 'string') throw badArgument('HistoryParseError', 'reason', 'must be a string', reason);
    if (at !== undefined && (typeof at !== 'object' || at === null || typeof at.field !== 'string')) throw badArgument('HistoryParseError', 'at', "must be {field, wording?, message?} or nothing", at);
    if (file !== undefined && typeof file !== 'string') throw badArgument('HistoryParseError', 'file', 'must be a file name (a string) or nothing', file);
    const detail = at === undefined || at.wording === 'in-reason' ? reason : `${at.message === undefined ? '' : `${at.message}: `}field ${at.wording === 'colon' ? `${at.field}:` : `'${at.field}'`} ${reason}`;
    super(file === undefined ? `line ${line}: ${detail}` : `${file}:${line}: ${detail}`);
    this.name = 'HistoryParseError';
    this.reason = reason;
    this.field = at?.field;
    this.file = file;
    this.detail = detail;
    this.at = at;
  }

  /** The etcd call (kv/put) whose request or response message types `field`, when one does. */
  get etcdMessage(): string | undefined {
    return this.at?.message;
  }

  /** This error, naming the file it was read from (`file:line: detail`). */
  inFile(file: string): HistoryParseError {
    return new HistoryParseError(this.line, this.reason, this.at, file);
  }
}

/** The field `field`, named by the reason itself (the error's sentence stays the reason alone). */
export function inReason(field: string): ParseErrorField {
  return { field, wording: 'in-reason' };
}
