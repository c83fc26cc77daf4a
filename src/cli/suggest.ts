/** "Did you mean": the closest known name to a mistyped one, by edit distance. */

/**
 * Edit distance between `a` and `b`: insertions, deletions, substitutions and transpositions
 * of adjacent characters (optimal string alignment), so "opne" is one edit from "open".
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const up = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/**
 * The known name closest to `typed`, when close enough to be a typo: within a third of its
 * length (at least 1, at most 3 edits), or a known name that starts with what was typed.
 */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typed, name);
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  if (best) return best.name;
  const prefixed = known.filter((n) => typed.length >= 3 && n.startsWith(typed));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** ` (did you mean X?)`, or nothing. */
export function didYouMean(typed: string, known: readonly string[], prefix = ''): string {
  const found = closest(typed, known);
  return found === undefined ? '' : ` (did you mean ${prefix}${found}?)`;
}
