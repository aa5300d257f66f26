/**
 * The valid name a misspelt one was most likely meant to be: the closest by edit distance (an insertion, a deletion,
 * a substitution or a swap of two neighbours each count one; case is ignored), if it is close enough to be a typo:
 * at most one edit per three letters, and at least one. `undefined` when nothing is that close, so a suggestion is
 * never a wild guess. `maxDistance` caps the edits for long names.
 * @example
 * closestName("concurency", ["concurrency", "mode"]); // "concurrency"
 * closestName("path", ["paths", "ref"]);              // "paths"
 * closestName("colour", ["mode"]);                    // undefined
 */
export function closestName(name: string, candidates: readonly string[], maxDistance = Infinity): string | undefined {
  const budget = Math.min(maxDistance, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= budget && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one substring). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
