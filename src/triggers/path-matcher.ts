import picomatch from "picomatch";

/**
 * Compile path globs with negation: a path matches when it matches at least one positive pattern (every path, when
 * all are negative) and no `!` pattern. Globs are picomatch's (`data/**`, `*.parquet`, `{a,b}/*.csv`); a pattern
 * without a `/` matches at any depth (`*.parquet` matches `data/train.parquet`), as in `.gitignore`.
 * @example
 * const m = pathMatcher(["data/**", "*.parquet", "!data/tmp/**"]);
 * m("data/train.csv"); // true
 * m("data/tmp/x.csv"); // false
 */
export function pathMatcher(patterns: readonly string[]): (path: string) => boolean {
  const positive = patterns.filter((p) => !p.startsWith("!"));
  const negative = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  const compile = (list: string[]) => {
    const exact = list.filter((p) => p.includes("/"));
    const basename = list.filter((p) => !p.includes("/"));
    const a = exact.length > 0 ? picomatch(exact, { dot: true }) : undefined;
    const b = basename.length > 0 ? picomatch(basename, { dot: true, basename: true }) : undefined;
    return (path: string) => (a?.(path) ?? false) || (b?.(path) ?? false);
  };
  const include = positive.length > 0 ? compile(positive) : () => true;
  const exclude = negative.length > 0 ? compile(negative) : () => false;
  return (path) => include(path) && !exclude(path);
}
