// A count with its noun, in plain English: "1 member", "3 members", "2 watches", "1 reply".
// Summaries, terminal lines and report pages all say counts through this, so none of them
// falls back to "member(s)" or says "1 replies".

/** The plural of a lower-case English noun: -es after s, x, z, ch and sh, -ies after a consonant and y. */
export function plural(noun: string): string {
  if (/(?:s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return `${noun}s`;
}

/** `n` and the noun, singular for exactly 1: count(3, 'member') is "3 members". */
export function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : plural(noun)}`;
}

/** A whole number with its thousands grouped by commas: "143,964" (no locale: the same text on every host). */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** count() with the number grouped, for large totals on a page: "143,964 operations". */
export function countGrouped(n: number, noun: string): string {
  return `${grouped(n)} ${n === 1 ? noun : plural(noun)}`;
}
