// How a partition is named in explanations (terminal, HTML): the whole history or one key.
export function partitionName(partition: string): string {
  return partition === '' ? 'the history' : `key ${partition}`;
}
