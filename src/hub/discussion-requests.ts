import { HubhooksError } from "../errors.js";
import { discussionPath, repoApiPath, type DiscussionRef, type RepoRef, type RepoType } from "./discussion-ref.js";
import type { HubRequest } from "./send-hub-request.js";

/**
 * What to open: a discussion, or a pull request when `pullRequest` is true.
 * @example
 * const options: CreateDiscussionOptions = {
 *   repoType: "model", repoId: "me/my-model", title: "Eval results", description: "Accuracy: 0.91",
 * };
 */
export interface CreateDiscussionOptions {
  repoType: RepoType;
  repoId: string;
  title: string;
  description: string;
  /** Open a (draft) pull request instead of a discussion (default false). */
  pullRequest?: boolean;
}

/** `idempotent`: setting a state (status, title, content, hidden) twice is harmless; a new comment twice is not. */
const post = (path: string, body: Record<string, unknown> | undefined, idempotent = false): HubRequest => ({
  method: "POST",
  path,
  ...(body === undefined ? {} : { body }),
  auth: "required",
  response: "json",
  idempotent,
});

/**
 * `POST …/discussions/{num}/comment` with `{comment}`.
 * @example
 * commentRequest({ repoType: "model", repoId: "u/m", num: 1 }, "Hi").path; // "/api/models/u/m/discussions/1/comment"
 */
export function commentRequest(ref: DiscussionRef, text: string): HubRequest {
  return post(`${discussionPath(ref)}/comment`, { comment: nonEmpty(text, "comment") });
}

/**
 * `POST …/discussions/{num}/status` with `{status, comment?}`.
 * @example
 * statusRequest(ref, "closed").body; // { status: "closed" }
 */
export function statusRequest(ref: DiscussionRef, status: "open" | "closed", comment?: string): HubRequest {
  if (status !== "open" && status !== "closed") {
    throw new HubhooksError("INVALID_OPTIONS", `status must be "open" or "closed", got "${String(status)}"`);
  }
  // With a comment it posts one: not idempotent then.
  return post(`${discussionPath(ref)}/status`, comment === undefined ? { status } : { status, comment }, comment === undefined);
}

/**
 * `POST …/discussions/{num}/title` with `{title}`.
 * @example
 * renameRequest(ref, "Better title").body; // { title: "Better title" }
 */
export function renameRequest(ref: DiscussionRef, title: string): HubRequest {
  return post(`${discussionPath(ref)}/title`, { title: nonEmpty(title, "title") }, true);
}

/**
 * `POST …/discussions/{num}/merge` with `{comment?}`.
 * @example
 * mergeRequest(ref).body; // {}
 */
export function mergeRequest(ref: DiscussionRef, comment?: string): HubRequest {
  return post(`${discussionPath(ref)}/merge`, comment === undefined ? {} : { comment });
}

/**
 * `POST …/discussions/{num}/comment/{commentId}/edit` with `{content}`.
 * @example
 * editCommentRequest(ref, "6398…", "Fixed typo").body; // { content: "Fixed typo" }
 */
export function editCommentRequest(ref: DiscussionRef, commentId: string, content: string): HubRequest {
  return post(`${commentPath(ref, commentId)}/edit`, { content: nonEmpty(content, "content") }, true);
}

/**
 * `POST …/discussions/{num}/comment/{commentId}/hide` (no body).
 * @example
 * hideCommentRequest(ref, "6398…").path.endsWith("/hide"); // true
 */
export function hideCommentRequest(ref: DiscussionRef, commentId: string): HubRequest {
  return post(`${commentPath(ref, commentId)}/hide`, undefined, true);
}

/**
 * `POST /api/{repoType}s/{repoId}/discussions` with `{title, description, pullRequest}`.
 * @example
 * createDiscussionRequest({ repoType: "dataset", repoId: "u/d", title: "t", description: "d" }).body;
 * // { title: "t", description: "d", pullRequest: false }
 */
export function createDiscussionRequest(options: CreateDiscussionOptions): HubRequest {
  const path = `${repoApiPath({ repoType: options.repoType, repoId: options.repoId })}/discussions`;
  return post(path, {
    title: nonEmpty(options.title, "title"),
    description: options.description,
    pullRequest: options.pullRequest === true,
  });
}

/**
 * `GET {repo api path}/compare/{oldSha}..{newSha}?raw=true`, read as text (the raw diff).
 * The token is sent when there is one (private repos) but is not required.
 * @example
 * compareRequest({ repoType: "model", repoId: "u/m" }, "abc", "def").path;
 * // "/api/models/u/m/compare/abc..def?raw=true"
 */
export function compareRequest(ref: RepoRef, oldSha: string, newSha: string): HubRequest {
  const range = `${revision(oldSha, "oldSha")}..${revision(newSha, "newSha")}`;
  return { method: "GET", path: `${repoApiPath(ref)}/compare/${range}?raw=true`, auth: "optional", response: "text" };
}

function commentPath(ref: DiscussionRef, commentId: string): string {
  if (typeof commentId !== "string" || !/^[\w-]+$/.test(commentId)) {
    throw new HubhooksError("INVALID_OPTIONS", `Invalid comment id "${String(commentId)}"`);
  }
  return `${discussionPath(ref)}/comment/${commentId}`;
}

function revision(value: string, what: string): string {
  // `..` separates the two revisions in the path, so a revision may not contain it.
  if (typeof value !== "string" || value === "" || value.includes("..")) {
    throw new HubhooksError("INVALID_OPTIONS", `Invalid ${what} "${String(value)}"`);
  }
  return encodeURIComponent(value);
}

function nonEmpty(value: string, what: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new HubhooksError("INVALID_OPTIONS", `${what} must be a non-empty string`);
  }
  return value;
}
