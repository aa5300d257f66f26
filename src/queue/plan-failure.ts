import { NonRetryableError } from "../errors.js";
import type { AttemptOutcome, DeliveryRecord } from "../store/types.js";
import { computeBackoff, type RetryPolicy } from "./retry-policy.js";
import type { AttemptResult } from "./run-attempt.js";

/**
 * What a failed attempt leads to (pure): a `NonRetryableError` → dead at once; the last allowed attempt →
 * dead; stopped by a shutdown → due again at once (not the handler's fault); otherwise a retry after
 * `computeBackoff` of the attempt's number within its series (so a replay starts with short delays again).
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
  return { outcome, nextAttemptAt: now + computeBackoff(attemptInSeries, retry, random) };
}
