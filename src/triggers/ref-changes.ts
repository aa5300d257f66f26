import picomatch from "picomatch";

/** How a ref changed in a push: `created` (no old sha), `deleted` (no new sha), else `updated`. */
export type RefKind = "created" | "updated" | "deleted";

/**
 * One entry of `payload.updatedRefs` with its change kind.
 * @example
 * { ref: "refs/tags/v1.0", oldSha: null, newSha: "575db8b…", kind: "created" }
 */
export interface RefChange {
  ref: string;
  oldSha: string | null;
  newSha: string | null;
  kind: RefKind;
}

/**
 * The ref changes of a payload (`updatedRefs`), each with its kind; `[]` when the payload has none.
 * @example
 * refChanges(payload).filter((r) => r.kind === "created" && r.ref.startsWith("refs/tags/"));
 */
export function refChanges(payload: unknown): RefChange[] {
  const refs = (payload as { updatedRefs?: unknown } | null)?.updatedRefs;
  if (!Array.isArray(refs)) return [];
  const changes: RefChange[] = [];
  for (const entry of refs as Array<{ ref?: unknown; oldSha?: unknown; newSha?: unknown }>) {
    if (typeof entry?.ref !== "string") continue;
    const oldSha = typeof entry.oldSha === "string" && entry.oldSha !== "" ? entry.oldSha : null;
    const newSha = typeof entry.newSha === "string" && entry.newSha !== "" ? entry.newSha : null;
    const kind: RefKind = oldSha === null ? "created" : newSha === null ? "deleted" : "updated";
    changes.push({ ref: entry.ref, oldSha, newSha, kind });
  }
  return changes;
}

/** A compiled ref filter: which refs (globs such as `refs/tags/*`) and which kinds of change. */
export type RefMatcher = (change: RefChange) => boolean;

/**
 * Compile `ref` (one glob or several; `*` stays inside one path segment, `**` crosses them) and `kind`.
 * @example
 * const main = refMatcher("refs/heads/main", undefined);
 * const newTags = refMatcher("refs/tags/*", "created");
 */
export function refMatcher(ref: string | readonly string[] | undefined, kind: RefKind | readonly RefKind[] | undefined): RefMatcher {
  const refs = ref === undefined ? undefined : picomatch(typeof ref === "string" ? [ref] : [...ref], { dot: true });
  const kinds = kind === undefined ? undefined : new Set<RefKind>(typeof kind === "string" ? [kind] : kind);
  return (change) => (refs === undefined || refs(change.ref)) && (kinds === undefined || kinds.has(change.kind));
}
