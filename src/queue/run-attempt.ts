import { context, type Span } from "@opentelemetry/api";
import { HubhooksError, toError } from "../errors.js";
import type { HubhooksMetrics } from "../metrics/metrics.js";
import type { DeliveryRecord } from "../store/types.js";
import type { Telemetry } from "../telemetry/telemetry.js";
import { timerDelay } from "./timer-delay.js";
import type { QueueEndpoint } from "./types.js";

/** How one attempt ended, before any store write. */
export type AttemptResult = (
  | { ok: true; value: unknown }
  | { ok: false; error: Error; aborted: "timeout" | "stopped" | "lease-lost" | null }
) & {
  /** The attempt's span, still open: `settleAttempt` ends it once the outcome is written. */
  span?: Span;
};

/** What watches attempts: the running gauge, and the span each attempt runs in. */
export interface AttemptObservers {
  metrics?: HubhooksMetrics;
  telemetry?: Telemetry;
}

/**
 * Run one attempt of a handler: called on a later microtask (so a synchronous throw is a rejection),
 * aborted through `controller` after `endpoint.timeoutMs` with HubhooksError HANDLER_TIMEOUT, and settled
 * as soon as the signal aborts even if the handler ignores it (its late result is dropped). A timeout
 * of 0 or Infinity means none. With `observe`, the handler runs inside the attempt's span (a child of the request
 * when it was handed over from memory, else linked to it) and counts in the running gauge while it runs.
 * @example
 * const result = await runAttempt(endpoint, delivery, new AbortController()); // payload: from the store
 * if (!result.ok && result.aborted === "timeout") console.log("too slow");
 */
export async function runAttempt(
  endpoint: QueueEndpoint,
  delivery: DeliveryRecord,
  controller: AbortController,
  payload?: unknown,
  progress: string[] = [],
  observe: AttemptObservers = {},
): Promise<AttemptResult> {
  const { signal } = controller;
  const traced = observe.telemetry?.startAttempt(delivery, payload !== undefined);
  const span = traced ? { span: traced.span } : {};
  observe.metrics?.running(endpoint.name, 1);
  // 0, negative or infinite: no timeout.
  const timeout =
    endpoint.timeoutMs > 0 && Number.isFinite(endpoint.timeoutMs)
      ? setTimeout(() => {
          const message = `Handler "${endpoint.name}" timed out after ${endpoint.timeoutMs} ms.`;
          controller.abort(new HubhooksError("HANDLER_TIMEOUT", message, { status: 504 }));
        }, timerDelay(endpoint.timeoutMs))
      : undefined;
  timeout?.unref?.();
  let onAbort: (() => void) | undefined;
  try {
    const run = () => endpoint.run(delivery, {
      signal, attempt: delivery.attempts, payload, completedSteps: delivery.completedSteps, progress,
    });
    const handler = Promise.resolve().then(() => (traced ? context.with(traced.context, run) : run()));
    handler.catch(() => {}); // a rejection after we stopped listening is not unhandled
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
    const value = await Promise.race([handler, aborted]);
    return { ok: true, value, ...span };
  } catch (thrown) {
    if (signal.aborted) return { ok: false, error: toError(signal.reason), aborted: abortKind(signal.reason), ...span };
    return { ok: false, error: toError(thrown), aborted: null, ...span };
  } finally {
    observe.metrics?.running(endpoint.name, -1);
    clearTimeout(timeout);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

function abortKind(reason: unknown): "timeout" | "stopped" | "lease-lost" {
  const code = reason instanceof HubhooksError ? reason.code : undefined;
  if (code === "HANDLER_TIMEOUT") return "timeout";
  if (code === "QUEUE_STOPPED") return "stopped";
  return "lease-lost";
}
