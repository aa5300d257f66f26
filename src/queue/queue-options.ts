import type { Clock } from "../internal/clock.js";
import type { Logger } from "../internal/logger.js";
import type { HubhooksMetrics } from "../metrics/metrics.js";
import type { DeliveryStore } from "../store/types.js";
import type { Telemetry } from "../telemetry/telemetry.js";
import type { GroupCommit } from "./group-commit.js";
import type { FailureHooks, QueueEndpoint } from "./types.js";

/**
 * Options of `DeliveryQueue`. Only `store`, `endpoint` and `endpointNames` are required.
 * @example
 * const options: DeliveryQueueOptions = { store, endpoint: (n) => map.get(n), endpointNames: () => [...map.keys()],
 *   clock: new ManualClock(), retention: false };
 */
export interface DeliveryQueueOptions {
  store: DeliveryStore;
  /** The group commit settles go through; share the one that records deliveries. Default: one of its own. */
  writes?: GroupCommit;
  endpoint: (name: string) => QueueEndpoint | undefined;
  endpointNames: () => string[];
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  metrics?: HubhooksMetrics;
  /** Spans of each attempt (through `@opentelemetry/api`: a no-op without an SDK). */
  telemetry?: Telemetry;
  /** How long a claim holds without renewal; a crashed worker's delivery runs again after this. */
  leaseMs?: number;
  /** Safety-net polling (deliveries recorded by other processes, missed wake-ups). */
  pollIntervalMs?: number;
  /** Delete succeeded deliveries older than this, checked every `pruneIntervalMs`; false keeps all. */
  retention?: { succeededMaxAgeMs: number } | false;
  pruneIntervalMs?: number;
  /** Strings (secrets) to remove from stored and logged error messages. */
  redact?: () => readonly string[];
  /** Called once per failed attempt / once when a delivery goes dead (after the write); a hook's error is logged. */
  hooks?: FailureHooks;
}

/**
 * Defaults. Lease 30 s, renewed every 7.5 s (at half-life checks): after a crash, in-flight deliveries run
 * again within half a minute, at the cost of one tiny write per running handler every few seconds. Poll
 * every 5 s: only a safety net (notify() and a wake-up timer do the real work), cheap on SQLite. Keep
 * succeeded deliveries 7 days (failed and dead ones until replayed), pruned hourly: enough to inspect a
 * week of history; at the Hub's 1,000 deliveries a day per webhook that is a small file.
 * @example
 * new DeliveryQueue({ ...options, leaseMs: QUEUE_DEFAULTS.leaseMs * 2 });
 */
export const QUEUE_DEFAULTS = Object.freeze({
  leaseMs: 30_000,
  pollIntervalMs: 5_000,
  retention: Object.freeze({ succeededMaxAgeMs: 7 * 86_400_000 }),
  pruneIntervalMs: 3_600_000,
});
