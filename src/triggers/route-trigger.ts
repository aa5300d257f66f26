import { HubhooksError } from "../errors.js";
import type { HubClient } from "../hub/hub-client.js";
import type { ChangedFilesSource } from "./changed-files.js";
import type { ChangedFile } from "./parse-diff.js";
import { pathMatcher } from "./path-matcher.js";
import { refChanges, refMatcher, type RefChange, type RefKind } from "./ref-changes.js";
import { checkScheduleOptions, type ScheduleOptions } from "./schedule-options.js";

/**
 * What a `.on()` route (or an endpoint, for its own handler) can trigger on besides the event: which refs changed and how, which files, and how often.
 * @example
 * app.addWebhook("ci").on("repo.content.update", { ref: "refs/heads/main", paths: ["data/**", "!data/tmp/**"],
 *   debounce: { key: "repo", ms: 600_000 } }, retrain);
 */
export interface TriggerFilter {
  /** Refs to react to: exact (`refs/heads/main`) or globs (`refs/tags/*`, `refs/heads/release/**`). */
  ref?: string | readonly string[];
  /** Kinds of ref change: `created` (no old sha), `updated`, `deleted` (no new sha). */
  kind?: RefKind | readonly RefKind[];
  /**
   * Only when a changed file matches: globs with `!` negation (`["data/**", "*.parquet", "!data/tmp/**"]`). Git repos:
   * from the Hub's compare endpoint for each matching ref; buckets: from `updatedFiles` (a truncated list may match).
   */
  paths?: readonly string[];
  /** Run once with the latest delivery after `ms` without another one for the same key. Needs the delivery log. */
  debounce?: ScheduleOptions;
  /** Run at most once per `ms` per key (the first at once, the latest of the rest when the period ends). */
  throttle?: ScheduleOptions;
}

/** What a matching trigger hands the handler: the refs it matched, and the changed files (lazily). */
export interface TriggerMatch {
  refs: RefChange[];
  changedFiles: () => Promise<ChangedFile[]>;
}

export type TriggerVerdict = { matched: true; match: TriggerMatch } | { matched: false; reason: string };

interface MatchDeps {
  hub?: HubClient;
  signal?: AbortSignal;
  files: ChangedFilesSource;
}

/** Whether a filter sets any trigger field (else the route behaves as before). */
export function hasTrigger(filter: object | undefined): filter is TriggerFilter {
  const f = filter as TriggerFilter | undefined;
  return f !== undefined && (f.ref !== undefined || f.kind !== undefined || f.paths !== undefined || f.debounce !== undefined || f.throttle !== undefined);
}

/**
 * A route's trigger, compiled once at registration (bad options fail there with `INVALID_OPTIONS`).
 * @example
 * const trigger = compileTrigger({ ref: "refs/tags/*", kind: "created" });
 * const verdict = await trigger.match(payload, { files: new ChangedFilesSource() });
 */
export function compileTrigger(filter: TriggerFilter, where?: string) {
  const at = where ? `${where}: ` : "";
  if (filter.paths !== undefined && (!Array.isArray(filter.paths) || filter.paths.some((p) => typeof p !== "string" || p === "" || p === "!"))) {
    throw new HubhooksError("INVALID_OPTIONS", `${at}paths must be an array of non-empty glob strings (prefix ! to exclude).`);
  }
  for (const kind of filter.kind === undefined ? [] : typeof filter.kind === "string" ? [filter.kind] : filter.kind) {
    if (!["created", "updated", "deleted"].includes(kind)) {
      throw new HubhooksError("INVALID_OPTIONS", `${at}kind must be "created", "updated" or "deleted", not ${JSON.stringify(kind)}.`);
    }
  }
  if (filter.debounce && filter.throttle) throw new HubhooksError("INVALID_OPTIONS", `${at}debounce or throttle, not both.`);
  if (filter.debounce) checkScheduleOptions(`${at}debounce`, filter.debounce);
  if (filter.throttle) checkScheduleOptions(`${at}throttle`, filter.throttle);
  const byRef = filter.ref !== undefined || filter.kind !== undefined ? refMatcher(filter.ref, filter.kind) : undefined;
  const byPath = filter.paths && filter.paths.length > 0 ? pathMatcher(filter.paths) : undefined;
  const describe = [filter.ref !== undefined ? `ref ${JSON.stringify(filter.ref)}` : "", filter.kind ? `kind ${JSON.stringify(filter.kind)}` : ""]
    .filter(Boolean)
    .join(", ");

  return {
    schedule: filter.debounce ? { mode: "debounce" as const, ...filter.debounce } : filter.throttle ? { mode: "throttle" as const, ...filter.throttle } : undefined,
    async match(payload: unknown, deps: MatchDeps): Promise<TriggerVerdict> {
      const all = refChanges(payload);
      const refs = byRef ? all.filter(byRef) : all;
      if (byRef && refs.length === 0) return { matched: false, reason: `no updated ref matched ${describe}` };
      const bucket = bucketFiles(payload);
      const listAll = async (): Promise<ChangedFile[]> => {
        if (bucket) return bucket.files;
        const lists = await Promise.all(refs.map((r) => deps.files.forRef(deps.hub, payload, r, deps.signal)));
        return uniqueFiles(lists.flatMap((l) => l ?? []));
      };
      if (!byPath) return { matched: true, match: { refs, changedFiles: once(listAll) } };
      const touches = (f: ChangedFile) => byPath(f.path) || (f.oldPath !== undefined && byPath(f.oldPath));
      if (bucket) {
        const files = bucket.files.filter(touches);
        if (files.length === 0 && !bucket.truncated) return { matched: false, reason: `no changed file matched paths ${JSON.stringify(filter.paths)}` };
        return { matched: true, match: { refs, changedFiles: async () => files } };
      }
      const lists = await Promise.all(refs.map((r) => deps.files.forRef(deps.hub, payload, r, deps.signal)));
      const files = uniqueFiles(lists.flatMap((l) => l ?? [])).filter(touches);
      // A created ref has no base to compare with: its files are unknown, so it may match.
      const unknown = lists.some((l) => l === null);
      if (files.length === 0 && !unknown) return { matched: false, reason: `no changed file matched paths ${JSON.stringify(filter.paths)}` };
      return { matched: true, match: { refs, changedFiles: async () => files } };
    },
  };
}

export type CompiledTrigger = ReturnType<typeof compileTrigger>;

/** A bucket's `updatedFiles` (entries with a `path`, or plain strings), and whether the Hub truncated the list. */
function bucketFiles(payload: unknown): { files: ChangedFile[]; truncated: boolean } | undefined {
  const p = payload as { repo?: { type?: unknown }; updatedFiles?: unknown; updatedFilesTruncated?: unknown } | null;
  if (p?.repo?.type !== "bucket" && !Array.isArray(p?.updatedFiles)) return undefined;
  const files: ChangedFile[] = [];
  for (const entry of Array.isArray(p?.updatedFiles) ? (p.updatedFiles as unknown[]) : []) {
    const e = entry as { path?: unknown; change?: unknown; type?: unknown; operation?: unknown } | string;
    const path = typeof e === "string" ? e : typeof e?.path === "string" ? e.path : undefined;
    if (!path) continue;
    const how = typeof e === "string" ? "" : String(e.change ?? e.type ?? e.operation ?? "");
    files.push({ path, change: /del|remov/i.test(how) ? "deleted" : /add|creat|upload/i.test(how) ? "added" : "modified" });
  }
  return { files, truncated: p?.updatedFilesTruncated === true };
}

function uniqueFiles(files: ChangedFile[]): ChangedFile[] {
  const seen = new Map<string, ChangedFile>();
  for (const f of files) seen.set(`${f.path}\0${f.oldPath ?? ""}`, f);
  return [...seen.values()];
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= fn());
}
