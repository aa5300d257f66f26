import type { DiscussionRef, RepoRef } from "./discussion-ref.js";
import {
  asHubJson,
  type CommentResult,
  type CommentUpdateResult,
  type CreatedDiscussion,
  type HubJson,
  type RenameResult,
  type StatusChangeResult,
} from "./discussion-results.js";
import {
  commentRequest,
  compareRequest,
  createDiscussionRequest,
  editCommentRequest,
  hideCommentRequest,
  mergeRequest,
  renameRequest,
  statusRequest,
  type CreateDiscussionOptions,
} from "./discussion-requests.js";
import {
  hubClientOptionsFromEnv,
  resolveHubClientOptions,
  type HubClientOptions,
  type ResolvedHubClientOptions,
} from "./hub-client-options.js";
import { sendHubRequest, type HubRequest } from "./send-hub-request.js";
import { toWebhookInfo, toWebhookList, type WebhookInfo } from "./webhook-info.js";
import {
  createWebhookRequest,
  deleteWebhookRequest,
  getWebhookRequest,
  listWebhooksRequest,
  toggleWebhookRequest,
  updateWebhookRequest,
  type CreateWebhookOptions,
  type UpdateWebhookOptions,
} from "./webhook-requests.js";

/**
 * Typed client of the Hub REST API for webhook management and discussion bots.
 * Errors: {@link HubApiError} when the Hub says no (after retrying 429/5xx), `UNAUTHORIZED` before any
 * request when an operation needs a token and none is set, `INVALID_OPTIONS` for bad arguments.
 * A {@link DiscussionRef} or {@link RepoRef} given as `apiUrl` (from a payload) is always sent to this
 * client's `endpoint`, whatever host the URL names: `HF_ENDPOINT` applies and the token never leaves it.
 * Constructing does no I/O.
 * @example
 * const hub = HubClient.fromEnv(); // HF_TOKEN, HF_ENDPOINT
 * const hook = await hub.createWebhook({
 *   watched: [parseWatched("model:me/my-model")],
 *   url: "https://me-bot.hf.space/webhooks/ci", domains: ["repo", "discussion"], secret: "s3cret",
 * });
 * await hub.comment(discussionRef(payload), "Thanks, running the evaluation now.");
 */
export class HubClient {
  readonly #options: ResolvedHubClientOptions;

  constructor(options: HubClientOptions = {}) {
    this.#options = resolveHubClientOptions(options);
  }

  /**
   * A client configured from `HF_TOKEN` and `HF_ENDPOINT`; `overrides` win.
   * @example
   * const hub = HubClient.fromEnv(process.env, { userAgent: "my-bot" });
   */
  static fromEnv(env: Record<string, string | undefined> = process.env, overrides?: HubClientOptions): HubClient {
    return new HubClient(hubClientOptionsFromEnv(env, overrides));
  }

  /** Base URL every request goes to (no trailing `/`). */
  get endpoint(): string {
    return this.#options.endpoint;
  }

  /** Whether a token is configured (the token itself is never exposed). */
  get hasToken(): boolean {
    return this.#options.token !== undefined;
  }

  /** All webhooks of the token's user. `GET /api/settings/webhooks` */
  async listWebhooks(): Promise<WebhookInfo[]> {
    return toWebhookList(await this.#send(listWebhooksRequest()));
  }

  /** One webhook. `GET /api/settings/webhooks/{id}` */
  async getWebhook(id: string): Promise<WebhookInfo> {
    return toWebhookInfo(await this.#send(getWebhookRequest(id)));
  }

  /** Create a webhook calling `url` or triggering Job `jobId` (exactly one). `POST /api/settings/webhooks` */
  async createWebhook(options: CreateWebhookOptions): Promise<WebhookInfo> {
    return toWebhookInfo(await this.#send(createWebhookRequest(options)));
  }

  /** Change only the given fields. `POST /api/settings/webhooks/{id}` */
  async updateWebhook(id: string, options: UpdateWebhookOptions): Promise<WebhookInfo> {
    return toWebhookInfo(await this.#send(updateWebhookRequest(id, options)));
  }

  /** Re-enable a (e.g. suspended) webhook. `POST /api/settings/webhooks/{id}/enable` */
  async enableWebhook(id: string): Promise<WebhookInfo> {
    return toWebhookInfo(await this.#send(toggleWebhookRequest(id, "enable")));
  }

  /** `POST /api/settings/webhooks/{id}/disable` */
  async disableWebhook(id: string): Promise<WebhookInfo> {
    return toWebhookInfo(await this.#send(toggleWebhookRequest(id, "disable")));
  }

  /** `DELETE /api/settings/webhooks/{id}` */
  async deleteWebhook(id: string): Promise<void> {
    await this.#send(deleteWebhookRequest(id));
  }

  /** Post a comment. `POST …/discussions/{num}/comment` */
  async comment(ref: DiscussionRef, text: string): Promise<CommentResult> {
    return asHubJson(await this.#send(commentRequest(ref, text)));
  }

  /** Open or close a discussion, optionally with a comment. `POST …/discussions/{num}/status` */
  async changeDiscussionStatus(
    ref: DiscussionRef,
    status: "open" | "closed",
    comment?: string,
  ): Promise<StatusChangeResult> {
    return asHubJson(await this.#send(statusRequest(ref, status, comment)));
  }

  /** `POST …/discussions/{num}/title` */
  async renameDiscussion(ref: DiscussionRef, title: string): Promise<RenameResult> {
    return asHubJson(await this.#send(renameRequest(ref, title)));
  }

  /** Merge a pull request, optionally with a comment. `POST …/discussions/{num}/merge` */
  async mergePullRequest(ref: DiscussionRef, comment?: string): Promise<HubJson> {
    return asHubJson(await this.#send(mergeRequest(ref, comment)));
  }

  /** Replace a comment's text. `POST …/discussions/{num}/comment/{commentId}/edit` */
  async editComment(ref: DiscussionRef, commentId: string, content: string): Promise<CommentUpdateResult> {
    return asHubJson(await this.#send(editCommentRequest(ref, commentId, content)));
  }

  /** Hide a comment (cannot be undone on the Hub). `POST …/discussions/{num}/comment/{commentId}/hide` */
  async hideComment(ref: DiscussionRef, commentId: string): Promise<CommentUpdateResult> {
    return asHubJson(await this.#send(hideCommentRequest(ref, commentId)));
  }

  /** Open a discussion or pull request. `POST /api/{repoType}s/{repoId}/discussions` */
  async createDiscussion(options: CreateDiscussionOptions): Promise<CreatedDiscussion> {
    return asHubJson(await this.#send(createDiscussionRequest(options)));
  }

  /** The raw diff between two commits. `GET {repo}/compare/{oldSha}..{newSha}?raw=true` */
  async compareCommits(ref: RepoRef, oldSha: string, newSha: string): Promise<string> {
    return (await this.#send(compareRequest(ref, oldSha, newSha))) as string;
  }

  #send(request: HubRequest): Promise<unknown> {
    return sendHubRequest(this.#options, request);
  }
}
