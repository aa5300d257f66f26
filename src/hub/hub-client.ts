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
import { sendHubRequest, type HubCallOptions, type HubRequest } from "./send-hub-request.js";
import {
  getJobRequest,
  jobLogsRequest,
  runJobRequest,
  toJobInfo,
  type JobInfo,
  type JobLogLine,
  type RunJobOptions,
} from "./job-requests.js";

/** What `GET /api/whoami-v2` answers (the fields hubhooks reads; the rest is kept). */
export interface WhoAmI {
  type: string;
  id: string;
  name: string;
  [key: string]: unknown;
}
import { toWebhookInfo, toWebhookList, type WebhookInfo } from "./webhook-info.js";
import { HubhooksError } from "../errors.js";
import { HubApiError } from "./hub-api-error.js";
import { repoFileRequest, repoRevisionRequest, type RepoId } from "./repo-file-requests.js";
import {
  createWebhookRequest,
  deleteWebhookRequest,
  getWebhookRequest,
  listWebhooksRequest,
  replayWebhookLogRequest,
  toggleWebhookRequest,
  updateWebhookRequest,
  type CreateWebhookOptions,
  type UpdateWebhookOptions,
} from "./webhook-requests.js";

/** What `GET /api/{type}s/{repo}/revision/{rev}?expand=sha&expand=cardData` answers (the rest is kept). */
export interface RepoRevision {
  /** The commit the revision points at. */
  sha: string;
  /** The README's YAML metadata as the Hub parsed it; `{}` when the README has none. */
  cardData: Record<string, unknown>;
  [key: string]: unknown;
}

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
  #whoAmI: Promise<WhoAmI> | undefined;

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
  async listWebhooks(call?: HubCallOptions): Promise<WebhookInfo[]> {
    return toWebhookList(await this.#send(listWebhooksRequest(), call));
  }

  /** One webhook. `GET /api/settings/webhooks/{id}` */
  async getWebhook(id: string, call?: HubCallOptions): Promise<WebhookInfo> {
    return toWebhookInfo(await this.#send(getWebhookRequest(id), call));
  }

  /** Create a webhook calling `url` or triggering Job `jobId` (exactly one). `POST /api/settings/webhooks` */
  async createWebhook(options: CreateWebhookOptions, call?: HubCallOptions): Promise<WebhookInfo> {
    return toWebhookInfo(await this.#send(createWebhookRequest(options), call));
  }

  /** Change only the given fields. `POST /api/settings/webhooks/{id}` */
  async updateWebhook(id: string, options: UpdateWebhookOptions, call?: HubCallOptions): Promise<WebhookInfo> {
    return toWebhookInfo(await this.#send(updateWebhookRequest(id, options), call));
  }

  /** Re-enable a (e.g. suspended) webhook. `POST /api/settings/webhooks/{id}/enable` */
  async enableWebhook(id: string, call?: HubCallOptions): Promise<WebhookInfo> {
    return toWebhookInfo(await this.#send(toggleWebhookRequest(id, "enable"), call));
  }

  /** `POST /api/settings/webhooks/{id}/disable` */
  async disableWebhook(id: string, call?: HubCallOptions): Promise<WebhookInfo> {
    return toWebhookInfo(await this.#send(toggleWebhookRequest(id, "disable"), call));
  }

  /**
   * Have the Hub send one logged delivery again (to the webhook's current URL and secret); resolves with the status
   * code the target answered. `POST /api/settings/webhooks/{id}/replay/{logId}` (in the Hub's OpenAPI description,
   * not in hub-docs; the log ids are in the webhook's Activity tab). A 404 (unknown log id, or no replay for this
   * webhook) throws a `HUB_API` error with status 404 that says so.
   * @example
   * const { status } = await hub.replayWebhookLog("65f1…", "66a2…"); // 200: the target took it
   */
  async replayWebhookLog(id: string, logId: string, call?: HubCallOptions): Promise<{ status: number; [key: string]: unknown }> {
    try {
      const answer = (await this.#send(replayWebhookLogRequest(id, logId), call)) as { status?: unknown } | null;
      return { ...answer, status: typeof answer?.status === "number" ? answer.status : Number(answer?.status) };
    } catch (error) {
      if (!(error instanceof HubApiError && error.status === 404)) throw error;
      const said = error.hubMessage ? ` (the Hub says: ${error.hubMessage})` : "";
      throw new HubhooksError(
        "HUB_API",
        `the Hub has no log ${logId} to replay for webhook ${id}${said}: the log id is unknown (copy it from the webhook's Activity tab), or replaying is not available for this webhook`,
        { status: 404, cause: error },
      );
    }
  }

  /**
   * A file of a repository at a revision, as text; `null` when the Hub answers 404 (no such file). Sends the token
   * when there is one (private repos). `GET /{prefix}{repoId}/resolve/{revision}/{path}`
   * @example
   * const text = await hub.readRepoFile({ repoType: "space", repoId: "me/bot" }, ".hubhooks.yml", "main");
   */
  async readRepoFile(repo: RepoId, path: string, revision = "main", call?: HubCallOptions): Promise<string | null> {
    try {
      return (await this.#send(repoFileRequest(repo, path, revision), call)) as string;
    } catch (error) {
      if (error instanceof HubApiError && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * The commit a revision points at and the README metadata. `GET /api/{type}s/{repoId}/revision/{revision}`
   * @example
   * const { sha, cardData } = await hub.repoRevision({ repoType: "model", repoId: "me/m" });
   */
  async repoRevision(repo: RepoId, revision = "main", call?: HubCallOptions): Promise<RepoRevision> {
    const answer = (await this.#send(repoRevisionRequest(repo, revision), call)) as Record<string, unknown> | null;
    const cardData = answer?.cardData;
    return {
      ...answer,
      sha: typeof answer?.sha === "string" ? answer.sha : "",
      cardData: cardData !== null && typeof cardData === "object" && !Array.isArray(cardData) ? (cardData as Record<string, unknown>) : {},
    };
  }

  /** `DELETE /api/settings/webhooks/{id}` */
  async deleteWebhook(id: string, call?: HubCallOptions): Promise<void> {
    await this.#send(deleteWebhookRequest(id), call);
  }

  /** Post a comment. `POST …/discussions/{num}/comment` */
  async comment(ref: DiscussionRef, text: string, call?: HubCallOptions): Promise<CommentResult> {
    return asHubJson(await this.#send(commentRequest(ref, text), call));
  }

  /** Open or close a discussion, optionally with a comment. `POST …/discussions/{num}/status` */
  async changeDiscussionStatus(
    ref: DiscussionRef,
    status: "open" | "closed",
    comment?: string,
    call?: HubCallOptions,
  ): Promise<StatusChangeResult> {
    return asHubJson(await this.#send(statusRequest(ref, status, comment), call));
  }

  /** `POST …/discussions/{num}/title` */
  async renameDiscussion(ref: DiscussionRef, title: string, call?: HubCallOptions): Promise<RenameResult> {
    return asHubJson(await this.#send(renameRequest(ref, title), call));
  }

  /** Merge a pull request, optionally with a comment. `POST …/discussions/{num}/merge` */
  async mergePullRequest(ref: DiscussionRef, comment?: string, call?: HubCallOptions): Promise<HubJson> {
    return asHubJson(await this.#send(mergeRequest(ref, comment), call));
  }

  /** Replace a comment's text. `POST …/discussions/{num}/comment/{commentId}/edit` */
  async editComment(ref: DiscussionRef, commentId: string, content: string, call?: HubCallOptions): Promise<CommentUpdateResult> {
    return asHubJson(await this.#send(editCommentRequest(ref, commentId, content), call));
  }

  /** Hide a comment (cannot be undone on the Hub). `POST …/discussions/{num}/comment/{commentId}/hide` */
  async hideComment(ref: DiscussionRef, commentId: string, call?: HubCallOptions): Promise<CommentUpdateResult> {
    return asHubJson(await this.#send(hideCommentRequest(ref, commentId), call));
  }

  /** Open a discussion or pull request. `POST /api/{repoType}s/{repoId}/discussions` */
  async createDiscussion(options: CreateDiscussionOptions, call?: HubCallOptions): Promise<CreatedDiscussion> {
    return asHubJson(await this.#send(createDiscussionRequest(options), call));
  }

  /** The raw diff between two commits. `GET {repo}/compare/{oldSha}..{newSha}?raw=true` */
  async compareCommits(ref: RepoRef, oldSha: string, newSha: string, call?: HubCallOptions): Promise<string> {
    return (await this.#send(compareRequest(ref, oldSha, newSha), call)) as string;
  }

  /**
   * Run a Hugging Face Job (`POST /api/jobs/{namespace}`, the token's user unless `namespace` is given). A webhook
   * created with `jobId` runs a copy of it on every event, with the delivery in its environment (`hubhooks job`).
   * @example
   * const job = await hub.runJob({ image: "hf.co/spaces/me/my-job", command: ["npx", "hubhooks", "job", "app.ts"] });
   */
  async runJob(options: RunJobOptions, call?: HubCallOptions): Promise<JobInfo> {
    const namespace = options.namespace ?? (await this.whoAmI(call)).name;
    return toJobInfo(await this.#send(runJobRequest(namespace, options), call));
  }

  /** A Job's state (`status.stage`: `RUNNING`, `COMPLETED`, `ERROR`…). `GET /api/jobs/{namespace}/{jobId}` */
  async getJob(jobId: string, options: { namespace?: string } = {}, call?: HubCallOptions): Promise<JobInfo> {
    const namespace = options.namespace ?? (await this.whoAmI(call)).name;
    return toJobInfo(await this.#send(getJobRequest(namespace, jobId), call));
  }

  /**
   * A Job's log lines (`GET /api/jobs/{namespace}/{jobId}/logs`, server-sent events), read until the Hub ends the
   * stream: at once for a finished Job; for a running one, pass a `signal` to stop waiting.
   * @example
   * for (const line of await hub.jobLogs(job.id)) console.log(line.message);
   */
  async jobLogs(jobId: string, options: { namespace?: string } = {}, call?: HubCallOptions): Promise<JobLogLine[]> {
    const namespace = options.namespace ?? (await this.whoAmI(call)).name;
    const text = (await this.#send(jobLogsRequest(namespace, jobId), call)) as string;
    const lines: JobLogLine[] = [];
    // The SSE parser loads with the first logs call, not with the root import.
    const { createParser } = await import("eventsource-parser");
    const parser = createParser({
      onEvent: (event) => {
        try {
          const data = JSON.parse(event.data) as { data?: unknown; timestamp?: unknown };
          lines.push({ message: String(data.data ?? ""), timestamp: typeof data.timestamp === "string" ? data.timestamp : null });
        } catch {
          lines.push({ message: event.data, timestamp: null });
        }
      },
    });
    parser.feed(text.endsWith("\n\n") ? text : `${text}\n\n`);
    return lines;
  }

  /**
   * Who the token belongs to (`GET /api/whoami-v2`): a comment's `author.id` in a payload is this `id`. Asked once
   * per client and remembered (a failure is not remembered).
   * @example
   * const me = await hub.whoAmI(); // { type: "user", id: "6…", name: "my-bot", … }
   */
  whoAmI(call?: HubCallOptions): Promise<WhoAmI> {
    this.#whoAmI ??= this.#send({ method: "GET", path: "/api/whoami-v2", auth: "required", response: "json" }, call).then(
      (value) => value as WhoAmI,
      (error: unknown) => {
        this.#whoAmI = undefined;
        throw error;
      },
    );
    return this.#whoAmI;
  }

  #send(request: HubRequest, call?: HubCallOptions): Promise<unknown> {
    return sendHubRequest(this.#options, request, call);
  }
}
