import type { DeliveryRecord } from "../store/types.js";
import type { RetryPolicy } from "./retry-policy.js";

/** What the queue needs to know about one endpoint. */
export interface QueueEndpoint {
  name: string;
  /** Attempts of this endpoint running at once in THIS process (each process has its own slots). */
  concurrency: number;
  /** After this, the attempt's signal aborts with a HubhooksError HANDLER_TIMEOUT and it counts as failed. */
  timeoutMs: number;
  retry: RetryPolicy;
  /**
   * Run one attempt. A returned web `Response` is stored as `{ status, body }`, anything else as JSON. `payload`
   * is set when the recording process hands the delivery over from memory (already parsed and validated).
   */
  run(delivery: DeliveryRecord, ctx: AttemptContext): Promise<unknown>;
}

/**
 * The endpoints the queue runs, by name: what the server's registry hands the queue.
 * @example
 * const endpoints: QueueEndpoints = { get: (n) => map.get(n), names: () => [...map.keys()] };
 */
export interface QueueEndpoints {
  get(name: string): QueueEndpoint | undefined;
  names(): readonly string[];
}

/** What one attempt gets besides its delivery. */
export interface AttemptContext {
  signal: AbortSignal;
  attempt: number;
  /** The validated payload, when this process recorded the delivery and runs it from memory. */
  payload?: unknown;
  /** Steps (routes) that succeeded in earlier attempts: not run again. */
  completedSteps: readonly string[];
  /** Where the run records each step that succeeds in this attempt (kept if the attempt fails later). */
  progress: string[];
}

/** Outcome of the next attempt of a delivery, as seen by `DeliveryQueue.waitFor`, once it is written. */
export type NextOutcome =
  | { status: "succeeded"; value: unknown }
  /** `nextAttemptAt`: when the queue retries it, or null when it is dead; `error` as thrown (message redacted in `message`). */
  | { status: "failed"; error: Error; message: string; nextAttemptAt: number | null }
  /** A debounced or throttled route put it back in the queue until `until`. */
  | { status: "deferred"; until: number; reason: string }
  | { status: "pending" };

/** What `onError` and `onDead` get: the delivery (as claimed), the error thrown, and when it runs again. */
export interface FailedAttempt {
  delivery: DeliveryRecord;
  error: Error;
  attempt: number;
  /** Null when the delivery is dead. */
  nextAttemptAt: number | null;
}

/** Alerting hooks: `onError` once per failed attempt, `onDead` once when a delivery goes dead. */
export interface FailureHooks {
  onError?: (failure: FailedAttempt) => void | Promise<void>;
  onDead?: (failure: FailedAttempt) => void | Promise<void>;
}
