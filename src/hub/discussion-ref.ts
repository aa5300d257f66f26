import { HubhooksError } from "../errors.js";

/**
 * Repo types that have discussions and an API path (`/api/{repoType}s/...`).
 * @example
 * REPO_TYPES.includes("space"); // true
 */
export const REPO_TYPES = ["model", "dataset", "space"] as const;
/** @example const t: RepoType = "dataset"; */
export type RepoType = (typeof REPO_TYPES)[number];

/**
 * A repo, either by type and id or by its API URL (a payload's `repo.url.api`). An `apiUrl` on another host
 * than the client's endpoint is rewritten to the endpoint, so `HF_ENDPOINT` applies and the token is never
 * sent to a host named by a payload.
 * @example
 * const a: RepoRef = { repoType: "model", repoId: "openai-community/gpt2" };
 * const b: RepoRef = { apiUrl: "https://huggingface.co/api/models/openai-community/gpt2" };
 */
export type RepoRef = { repoType: RepoType; repoId: string } | { apiUrl: string };

/**
 * A discussion or pull request, either by repo and number or by its API URL (a payload's
 * `discussion.url.api`). An `apiUrl` on another host than the client's endpoint is rewritten to the endpoint.
 * @example
 * const a: DiscussionRef = { repoType: "space", repoId: "some-user/some-space", num: 4 };
 * const b: DiscussionRef = { apiUrl: "https://huggingface.co/api/spaces/some-user/some-space/discussions/4" };
 */
export type DiscussionRef = { repoType: RepoType; repoId: string; num: number } | { apiUrl: string };

/** The few payload fields the helpers read (structurally compatible with the full payload type). */
export interface PayloadWithRepo {
  repo: { type: string; name: string; url?: { api?: string | null | undefined } | null | undefined };
  discussion?: { num?: number | null | undefined; url?: { api?: string | null | undefined } | null | undefined } | null | undefined;
}

/**
 * The discussion a webhook payload is about. Throws `INVALID_PAYLOAD` when it has none.
 * @example
 * app.addWebhook("bot", async (payload) => {
 *   if (payload.event.scope === "discussion.comment") await hub.comment(discussionRef(payload), "Thanks!");
 * });
 */
export function discussionRef(payload: PayloadWithRepo): DiscussionRef {
  const { repo, discussion } = payload;
  const num = discussion?.num;
  if (isRepoType(repo.type) && typeof num === "number" && Number.isInteger(num) && num > 0) {
    return { repoType: repo.type, repoId: repo.name, num };
  }
  const apiUrl = discussion?.url?.api;
  if (typeof apiUrl === "string" && apiUrl) return { apiUrl };
  throw new HubhooksError("INVALID_PAYLOAD", "this payload has no discussion (expected a discussion.* event)", {
    status: 400,
  });
}

/**
 * The repo a webhook payload is about, e.g. for `hub.compareCommits`.
 * @example
 * const diff = await hub.compareCommits(repoRef(payload), ref.oldSha, ref.newSha);
 */
export function repoRef(payload: PayloadWithRepo): RepoRef {
  const { repo } = payload;
  if (isRepoType(repo.type)) return { repoType: repo.type, repoId: repo.name };
  if (repo.url?.api) return { apiUrl: repo.url.api };
  throw new HubhooksError("INVALID_PAYLOAD", `repo type "${repo.type}" has no Hub API path`, { status: 400 });
}

/**
 * API path of a repo, each segment encoded but the `owner/name` slash kept.
 * @example
 * repoApiPath({ repoType: "model", repoId: "openai-community/gpt2" }); // "/api/models/openai-community/gpt2"
 */
export function repoApiPath(ref: RepoRef): string {
  if ("apiUrl" in ref) {
    const m = /\/api\/(model|dataset|space)s\/([^/]+(?:\/[^/]+)?)\/?$/.exec(apiPathname(ref.apiUrl));
    if (!m) throw badUrl(ref.apiUrl, "a repo API URL like https://huggingface.co/api/models/owner/name");
    return repoApiPath({ repoType: m[1] as RepoType, repoId: decodeSegments(m[2]) });
  }
  if (!isRepoType(ref.repoType)) {
    throw new HubhooksError("INVALID_OPTIONS", `repoType must be one of ${REPO_TYPES.join(", ")}, got "${ref.repoType}"`);
  }
  const segments = ref.repoId.split("/");
  if (segments.length > 2 || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new HubhooksError("INVALID_OPTIONS", `repoId must be "name" or "owner/name", got "${ref.repoId}"`);
  }
  return `/api/${ref.repoType}s/${segments.map(encodeURIComponent).join("/")}`;
}

/**
 * API path of a discussion: `/api/{repoType}s/{repoId}/discussions/{num}`.
 * @example
 * discussionPath({ apiUrl: "https://hf.example/api/spaces/u/s/discussions/4" }); // "/api/spaces/u/s/discussions/4"
 */
export function discussionPath(ref: DiscussionRef): string {
  if ("apiUrl" in ref) {
    const m = /\/api\/(model|dataset|space)s\/([^/]+(?:\/[^/]+)?)\/discussions\/(\d+)\/?$/.exec(apiPathname(ref.apiUrl));
    if (!m) throw badUrl(ref.apiUrl, "a discussion API URL like https://huggingface.co/api/models/owner/name/discussions/1");
    return discussionPath({ repoType: m[1] as RepoType, repoId: decodeSegments(m[2]), num: Number(m[3]) });
  }
  if (!Number.isSafeInteger(ref.num) || ref.num <= 0) {
    throw new HubhooksError("INVALID_OPTIONS", `discussion num must be a positive integer, got ${String(ref.num)}`);
  }
  return `${repoApiPath(ref)}/discussions/${ref.num}`;
}

function isRepoType(value: unknown): value is RepoType {
  return (REPO_TYPES as readonly unknown[]).includes(value);
}

function apiPathname(apiUrl: string): string {
  if (!URL.canParse(apiUrl)) throw badUrl(apiUrl, "an absolute URL");
  const url = new URL(apiUrl);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw badUrl(apiUrl, "an http(s) URL");
  return url.pathname;
}

function decodeSegments(path: string): string {
  try {
    return path.split("/").map(decodeURIComponent).join("/");
  } catch {
    throw badUrl(path, "a correctly percent-encoded path");
  }
}

function badUrl(apiUrl: string, expected: string): HubhooksError {
  return new HubhooksError("INVALID_OPTIONS", `Invalid apiUrl "${apiUrl}": expected ${expected}`);
}
