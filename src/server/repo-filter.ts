/**
 * Which repos a handler cares about. Names may be exact (`owner/name`), globs with `*` (`owner/*`) or RegExps.
 * @example
 * { repoType: ["model", "dataset"], repo: "my-org/*" }
 */
export interface RepoFilter {
  repoType?: string | readonly string[];
  repo?: string | RegExp | readonly (string | RegExp)[];
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

function matchesName(pattern: string | RegExp, name: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(name);
  return pattern.includes("*") ? globToRegExp(pattern).test(name) : pattern === name;
}

/** True when the payload's repo passes the filter (a filter on a field the payload lacks fails). */
export function matchesRepo(filter: RepoFilter, repo: { type?: string; name?: string } | undefined): boolean {
  if (filter.repoType !== undefined) {
    const types = typeof filter.repoType === "string" ? [filter.repoType] : filter.repoType;
    if (!repo?.type || !types.includes(repo.type)) return false;
  }
  if (filter.repo !== undefined) {
    const names = typeof filter.repo === "string" || filter.repo instanceof RegExp ? [filter.repo] : filter.repo;
    if (!repo?.name || !names.some((p) => matchesName(p, repo.name!))) return false;
  }
  return true;
}
