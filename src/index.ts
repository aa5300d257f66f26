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
} from "./hub/index.js";

export { createSqliteStore } from "./store/sqlite/create-sqlite-store.js";
export { resolveDatabasePath } from "./store/resolve-database-path.js";
export { redactHeaders, redactUrl } from "./store/redact-headers.js";
export {
  DELIVERY_STATUSES,
  type AttemptRecord,
  type DeliveryFilter,
  type DeliveryRecord,
  type DeliveryStatus,
  type DeliveryStore,
  type NewDelivery,
  type QueueStats,
} from "./store/types.js";
export type { DeliveryChange } from "./server/observe-store.js";
export { DeliveryQueue } from "./queue/delivery-queue.js";
export { QUEUE_DEFAULTS, type DeliveryQueueOptions } from "./queue/queue-options.js";
export type { NextOutcome, QueueEndpoint } from "./queue/types.js";
export { DEFAULT_RETRY, computeBackoff, type RetryPolicy } from "./queue/retry-policy.js";
export {
  HubhooksMetrics, type AttemptMetricOutcome, type FinalStatus, type HubhooksMetricsOptions, type InvalidReason,
} from "./metrics/metrics.js";

export { openTunnel, chooseTunnelProvider, TUNNEL_PROVIDER_NAMES, type TunnelProviderName } from "./tunnel/open-tunnel.js";
export type { Tunnel, TunnelProvider, TunnelOpenOptions } from "./tunnel/types.js";
export { registerWebhook } from "./dev/register-webhook.js";
export type { RegisterOptions } from "./dev/register-options.js";
