/**
 * How a refusal speaks of keys it did not expect in a file that holds secrets: never quoting them (a token pasted
 * as a key, or a line of another file read through a link, would be printed), but naming the expected name a key
 * most likely misspells, so that the fix is still one look away.
 */

/** Keys longer than this are no misspelling of a name of ours: not compared (the comparison is quadratic). */
const LONGEST_COMPARED_KEY = 64;

/** The expected name within two edits of one of `keys` (case aside), if any: what the keys most likely misspell. */
export function likelyMeant(keys: readonly string[], expected: readonly string[]): string | undefined {
  // Stryker disable next-line all: a bound on the work only; no key that long is within two edits of a name of ours
  for (const key of keys.filter(k => k.length <= LONGEST_COMPARED_KEY)) {
    const meant = expected.find(name => editDistance(key.toLowerCase(), name.toLowerCase()) <= 2);
    if (meant !== undefined) return meant;
  }
  return undefined;
}

/**
 * The refusal's words for names (`what`: "token name", "credential name") that are none of `expected`: how many,
 * the expected ones, the one most likely meant; never the names themselves.
 */
export function unexpectedNames(what: string, keys: readonly string[], expected: readonly string[]): string {
  return `${keys.length} ${what}(s) other than ${expected.join(', ')}${misspellingHint(keys, expected)}; `
    + 'fix the spelling (names we do not expect are not shown: one could be a secret)';
}

/** ` (did you mean "name"?)` for the name `keys` most likely misspell, else nothing. */
export function misspellingHint(keys: readonly string[], expected: readonly string[]): string {
  const meant = likelyMeant(keys, expected);
  return meant === undefined ? '' : ` (did you mean "${meant}"?)`;
}

/**
 * The number of single-character insertions, deletions, substitutions and swaps of two neighbours that turn `a`
 * into `b` (optimal string alignment: a swap is the commonest typo, "credentail").
 */
function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      // In the first row or column a[-1] or b[-1] is undefined, so no swap is seen there.
      if (a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}
