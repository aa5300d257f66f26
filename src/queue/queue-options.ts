import { DEFAULTS } from "../defaults.js";
import type { Clock } from "../internal/clock.js";
import type { Logger } from "../internal/logger.js";
import type { HubhooksMetrics } from "../metrics/metrics.js";
import type { DeliveryStore } from "../store/types.js";
import type { Telemetry } from "../telemetry/telemetry.js";
import type { GroupCommit } from "./group-commit.js";
import type { FailureHooks, QueueEndpoint, QueueEndpoints } from "./types.js";

/**
 * Options of `DeliveryQueue`. Only `store` and the endpoints (`endpoints`, or the pair `endpoint` + `endpointNames`)
 * are required.
 * @example
 * const options: DeliveryQueueOptions = { store, endpoints: { get: (n) => map.get(n), names: () => [...map.keys()] },
 *   clock: new ManualClock(), retention: false };
 */
export interface DeliveryQueueOptions {
  store: DeliveryStore;
  /** The group commit settles go through; share the one that records deliveries. Default: one of its own. */
  writes?: GroupCommit;
  /** The endpoints to run (a server passes its registry's view). */
  endpoints?: QueueEndpoints;
  /** The same as two functions (when `endpoints` is absent). */
  endpoint?: (name: string) => QueueEndpoint | undefined;
  endpointNames?: () => readonly string[];
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
 * The queue's slice of `DEFAULTS` (src/defaults.ts, where each value is explained): lease 60 s, poll every 5 s,
 * succeeded deliveries kept 7 days, pruned hourly.
 * @example
 * new DeliveryQueue({ ...options, leaseMs: QUEUE_DEFAULTS.leaseMs * 2 });
 */
export const QUEUE_DEFAULTS = Object.freeze({
  leaseMs: DEFAULTS.leaseMs,
  pollIntervalMs: DEFAULTS.pollIntervalMs,
  retention: Object.freeze({ succeededMaxAgeMs: DEFAULTS.retentionMs }),
  pruneIntervalMs: DEFAULTS.pruneIntervalMs,
});
