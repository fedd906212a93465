/**
 * "Did you mean …?" for mistyped commands and options. Hand-written (a dozen
 * lines) rather than a dependency: the lists are a few dozen short names.
 */

/**
 * Edit distance between two strings: insertions, deletions, substitutions and
 * swaps of two neighbours ("trian" is one edit from "train"), as Damerau's
 * optimal string alignment counts them.
 */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known name closest to `typed`, or undefined when none is close enough to
 * be a typo (at most a third of the longer name differs, and at least 1 edit allowed).
 */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (d <= Math.max(1, Math.floor(Math.max(typed.length, name.length) / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}
