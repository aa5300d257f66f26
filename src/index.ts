// hubhooks: receive Hugging Face Hub webhooks. Named re-exports only.
export { WebhooksServer, type LaunchInfo, type LaunchOptions } from "./server/webhooks-server.js";
export { webhookEndpoint, getImplicitServer, type ImplicitEndpoint } from "./server/webhook-endpoint.js";
export {
  Endpoint,
  type EndpointOptions,
  type Handler,
  type HandlerContext,
  type RetryOptions,
} from "./server/endpoint.js";
export type { RepoFilter } from "./server/repo-filter.js";
export { DEFAULTS, optionsFromEnv, resolveOptions, type CustomUi, type WebhooksServerOptions } from "./server/options.js";
export { HubhooksError, NonRetryableError, type HubhooksErrorCode } from "./errors.js";
export { ManualClock, systemClock, type Clock } from "./internal/clock.js";
export type { StandardSchemaV1 } from "./internal/standard-schema.js";

export * from "./payload/index.js";
export {
  HubClient,
  HubApiError,
  parseWatched,
  discussionRef,
  repoRef,
  WEBHOOK_DOMAINS,
  WATCHED_TYPES,
  type HubClientOptions,
  type WebhookInfo as HubWebhook,
  type WatchedItem,
  type WatchedType,
  type WebhookDomain,
  type DiscussionRef,
  type RepoRef,
  type CreateWebhookOptions,
  type UpdateWebhookOptions,
  type CreateDiscussionOptions,
} from "./hub/index.js";
