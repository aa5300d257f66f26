import { NonRetryableError } from "../errors.js";
import type { AttemptOutcome, DeliveryRecord } from "../store/types.js";
import { computeBackoff, type RetryPolicy } from "./retry-policy.js";
import type { AttemptResult } from "./run-attempt.js";

/**
 * What a failed attempt leads to (pure): a `NonRetryableError` → dead at once; the last allowed attempt →
 * dead; stopped by a shutdown → due again at once (not the handler's fault); otherwise a retry after
 * `computeBackoff` of the attempt's number within its series (so a replay starts with short delays again), or later
 * when the error carries the wait a service asked for (`retryAfterMs`: a Hub 429's `Retry-After`, a Discord or
 * Slack rate limit through `hubhooks/forward`), at most a day.
 * @example
 * planFailure(delivery, DEFAULT_RETRY, { ok: false, error, aborted: null }, now, Math.random);
 * // { outcome: "failed", nextAttemptAt: now + 1000 } (±20%) after a first attempt
 */
export function planFailure(
  delivery: DeliveryRecord,
  retry: RetryPolicy,
  result: Extract<AttemptResult, { ok: false }>,
  now: number,
  random: () => number,
): { outcome: AttemptOutcome; nextAttemptAt: number | null } {
  // The code check also catches a NonRetryableError from another copy of hubhooks (nested node_modules).
  const error = result.error as Error & { code?: unknown };
  if (error instanceof NonRetryableError || error.code === "NON_RETRYABLE") return { outcome: "non-retryable", nextAttemptAt: null };
  const outcome: AttemptOutcome = result.aborted === "timeout" ? "timeout" : "failed";
  if (delivery.attempts >= delivery.maxAttempts) return { outcome, nextAttemptAt: null };
  if (result.aborted === "stopped") return { outcome, nextAttemptAt: now };
  const attemptInSeries = delivery.attempts - (delivery.maxAttempts - delivery.attemptBudget);
  const backoff = computeBackoff(attemptInSeries, retry, random);
  return { outcome, nextAttemptAt: now + Math.max(backoff, retryAfterOf(error)) };
}

const A_DAY_MS = 86_400_000;

/** The wait a service asked for, carried by the error (HubApiError, ForwardError), else 0. */
function retryAfterOf(error: Error): number {
  const ms = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? Math.min(ms, A_DAY_MS) : 0;
}
