// FNV-1a, the one string hash of the project (etcd's HashKV, the models' state hashes, the
// harness's logs): 32-bit, integer arithmetic only, so equal inputs hash equally in any process.

export const FNV1A_OFFSET = 0x811c9dc5;
export const FNV1A_PRIME = 0x01000193;

/** Folds every UTF-16 code unit of `text` into `h`; returns a signed 32-bit integer. */
export function fnv1aText(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV1A_PRIME);
  return h | 0;
}

/**
 * Folds `text` and then a separator, so that the sequences ("ab", "c") and ("a", "bc") hash
 * differently; returns a signed 32-bit integer.
 */
export function fnv1aField(h: number, text: string): number {
  return Math.imul(fnv1aText(h, text) ^ 0xff, FNV1A_PRIME);
}
