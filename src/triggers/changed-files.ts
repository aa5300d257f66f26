import { HubhooksError, toError } from "../errors.js";
import { repoRef, type PayloadWithRepo } from "../hub/discussion-ref.js";
import { HubApiError } from "../hub/hub-api-error.js";
import { HubClient } from "../hub/hub-client.js";
import { parseDiff, type ChangedFile } from "./parse-diff.js";
import type { RefChange } from "./ref-changes.js";

/** How long one compare call may take (the Hub client's own retries included) before the attempt fails. */
export const COMPARE_TIMEOUT_MS = 30_000;
const CACHE_SIZE = 500;

/**
 * The files changed by a ref update, from the Hub's compare endpoint (`GET {repo api}/compare/{old}..{new}?raw=true`,
 * a git diff) through a {@link HubClient} (its token reaches private repos), remembered per repo and sha pair (a
 * retry, a replay or another route of the same delivery asks once). A failure is not remembered, and surfaces as a
 * `CHANGED_FILES_UNAVAILABLE` error (status 503): the attempt fails and the delivery is retried, never skipped.
 * @example
 * const files = await new ChangedFilesSource().forRef(hub, payload, ref, ctx.signal); // null for a new ref
 */
export class ChangedFilesSource {
  readonly #cache = new Map<string, Promise<ChangedFile[]>>();

  constructor(private readonly timeoutMs = COMPARE_TIMEOUT_MS) {}

  /** `null` when unknowable (a created ref has no old sha), `[]` for a deleted ref. */
  async forRef(hub: HubClient | undefined, payload: unknown, change: RefChange, signal?: AbortSignal): Promise<ChangedFile[] | null> {
    if (change.kind === "created") return null;
    if (change.kind === "deleted") return [];
    const ref = repoRef(payload as PayloadWithRepo);
    const repo = (payload as { repo?: { name?: string; type?: string } }).repo;
    const key = `${JSON.stringify(ref)} ${change.oldSha}..${change.newSha}`;
    let files = this.#cache.get(key);
    if (files) {
      // Most recently used last: the oldest entry is the one evicted.
      this.#cache.delete(key);
      this.#cache.set(key, files);
      return files;
    }
    const client = hub ?? anonymousHub();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const call = { signal: signal ? AbortSignal.any([signal, timeout]) : timeout };
    files = client.compareCommits(ref, change.oldSha!, change.newSha!, call).then(parseDiff, (cause: unknown) => {
      throw unavailable(cause, repo, change, client.hasToken, timeout.aborted ? this.timeoutMs : undefined);
    });
    this.#cache.set(key, files);
    if (this.#cache.size > CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    files.catch(() => this.#cache.delete(key));
    return files;
  }
}

let anonymous: HubClient | undefined;
/** Without a configured client: one without token (public repos), on `HF_ENDPOINT`, made on first use. */
function anonymousHub(): HubClient {
  return (anonymous ??= HubClient.fromEnv({ HF_ENDPOINT: globalThis.process?.env.HF_ENDPOINT }));
}

function unavailable(
  cause: unknown,
  repo: { name?: string; type?: string } | undefined,
  change: RefChange,
  hasToken: boolean,
  timedOutAfter: number | undefined,
): HubhooksError {
  const range = `${change.oldSha!.slice(0, 7)}..${change.newSha!.slice(0, 7)}`;
  const what = `the files changed in ${repo?.type ?? "repo"} ${repo?.name ?? "?"} ${change.ref} (${range})`;
  const status = cause instanceof HubApiError ? cause.status : undefined;
  const hint =
    !hasToken && (status === 401 || status === 403 || status === 404)
      ? "; if the repo is private, set HF_TOKEN (or the hub option) to a token that can read it"
      : "";
  const reason = timedOutAfter !== undefined ? `no answer within ${timedOutAfter} ms` : toError(cause).message.replace(/^\[hubhooks\] /, "");
  return new HubhooksError("CHANGED_FILES_UNAVAILABLE", `Could not list ${what}: ${reason}${hint}. The delivery will be retried.`, {
    status: 503,
    cause,
  });
}
