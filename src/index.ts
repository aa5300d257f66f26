// hubhooks: receive Hugging Face Hub webhooks. Named re-exports only: what an application needs, loaded without any
// Node-only module (the log's engines, the queue, tunnels, metrics and test helpers are behind subpaths and load
// when used: hubhooks/node, hubhooks/schema, hubhooks/store, hubhooks/metrics, hubhooks/tunnel, hubhooks/testing).
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
export type { RouteFilter, ForwardFilter } from "./server/endpoint.js";
export { DEFAULTS, optionsFromEnv, type CustomUi, type WebhooksServerOptions } from "./server/options.js";
export { HubhooksError, NonRetryableError, type HubhooksErrorCode } from "./errors.js";
export type { Clock } from "./internal/clock.js";
export type { StandardSchemaV1 } from "./internal/standard-schema.js";
export type { DeliveryChange } from "./server/observe-store.js";
export type { DeliveryRecord, DeliveryStatus } from "./store/types.js";

export * from "./payload/public.js";
export {
  HubClient,
  type WhoAmI,
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
  type JobInfo,
  type JobLogLine,
  type RunJobOptions,
} from "./hub/index.js";
export type { TriggerFilter } from "./triggers/route-trigger.js";
export type { ScheduleOptions } from "./triggers/schedule-options.js";
export type { RefChange, RefKind } from "./triggers/ref-changes.js";
export type { ChangedFile, FileChange } from "./triggers/parse-diff.js";

