// `hubhooks/store`: the delivery log and its queue, for code that works on the log itself (the server opens both).
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
} from "./store/types.js";
export { DeliveryQueue } from "./queue/delivery-queue.js";
export { QUEUE_DEFAULTS, type DeliveryQueueOptions } from "./queue/queue-options.js";
export type { NextOutcome, QueueEndpoint } from "./queue/types.js";
export { DEFAULT_RETRY, computeBackoff, type RetryPolicy } from "./queue/retry-policy.js";
