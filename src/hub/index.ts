export { HubApiError, hubMessageFromBody } from "./hub-api-error.js";
export { HubClient, type RepoRevision, type WhoAmI } from "./hub-client.js";
export { repoFileRequest, repoRevisionRequest, type RepoId } from "./repo-file-requests.js";
export {
  HUB_CLIENT_DEFAULTS,
  hubClientOptionsFromEnv,
  resolveHubClientOptions,
  type HubClientOptions,
  type ResolvedHubClientOptions,
} from "./hub-client-options.js";
export { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryOptions } from "./retry-delay.js";
export { sendHubRequest, type HubCallOptions, type HubRequest } from "./send-hub-request.js";
export {
  WATCHED_TYPES,
  WEBHOOK_DOMAINS,
  WEBHOOK_STATES,
  SUSPENDED_AFTER_FAILURE,
  toWebhookInfo,
  toWebhookList,
  type WatchedItem,
  type WatchedType,
  type WebhookDomain,
  type WebhookInfo,
  type WebhookState,
} from "./webhook-info.js";
export { parseWatched } from "./parse-watched.js";
export type { CreateWebhookOptions, UpdateWebhookOptions } from "./webhook-requests.js";
export type { JobInfo, JobLogLine, RunJobOptions } from "./job-requests.js";
export {
  REPO_TYPES,
  discussionPath,
  discussionRef,
  repoApiPath,
  repoRef,
  type DiscussionRef,
  type PayloadWithRepo,
  type RepoRef,
  type RepoType,
} from "./discussion-ref.js";
export type { CreateDiscussionOptions } from "./discussion-requests.js";
export type {
  CommentResult,
  CommentUpdateResult,
  CreatedDiscussion,
  DiscussionEvent,
  HubJson,
  RenameResult,
  StatusChangeResult,
} from "./discussion-results.js";
