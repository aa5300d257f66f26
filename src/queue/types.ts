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
  /** Run one attempt. A returned web `Response` is stored as `{ status, body }`, anything else as JSON. */
  run(delivery: DeliveryRecord, ctx: { signal: AbortSignal; attempt: number }): Promise<unknown>;
}

/** Outcome of the next attempt of a delivery, as seen by `DeliveryQueue.waitFor`. */
export type FirstOutcome =
  | { status: "succeeded"; value: unknown }
  | { status: "failed"; error: Error }
  | { status: "pending" };
