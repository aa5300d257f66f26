import { HubhooksError, toError } from "../errors.js";
import type { DeliveryRecord } from "../store/types.js";
import { timerDelay } from "./timer-delay.js";
import type { QueueEndpoint } from "./types.js";

/** How one attempt ended, before any store write. */
export type AttemptResult =
  | { ok: true; value: unknown }
  | { ok: false; error: Error; aborted: "timeout" | "stopped" | "lease-lost" | null };

/**
 * Run one attempt of a handler: called on a later microtask (so a synchronous throw is a rejection),
 * aborted through `controller` after `endpoint.timeoutMs` with HubhooksError HANDLER_TIMEOUT, and settled
 * as soon as the signal aborts even if the handler ignores it (its late result is dropped). A timeout
 * of 0 or Infinity means none.
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
): Promise<AttemptResult> {
  const { signal } = controller;
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
    const handler = Promise.resolve().then(() => endpoint.run(delivery, {
      signal, attempt: delivery.attempts, payload, completedSteps: delivery.completedSteps, progress,
    }));
    handler.catch(() => {}); // a rejection after we stopped listening is not unhandled
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
    const value = await Promise.race([handler, aborted]);
    return { ok: true, value };
  } catch (thrown) {
    if (signal.aborted) return { ok: false, error: toError(signal.reason), aborted: abortKind(signal.reason) };
    return { ok: false, error: toError(thrown), aborted: null };
  } finally {
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
