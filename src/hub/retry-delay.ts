import { backoff } from "../internal/backoff.js";

/** Retry budget of the Hub client. */
export interface RetryOptions {
  /** Total attempts including the first one (default 4). */
  maxAttempts: number;
  /** Delay before the second attempt; doubles after each failure (default 500 ms). */
  initialDelayMs: number;
  /** Cap of one delay, and longest `Retry-After` the client will wait (default 8000 ms). */
  maxDelayMs: number;
}

/**
 * Whether a Hub status is worth another attempt: 429 (rate limited) and every 5xx.
 * @example
 * isRetryableStatus(503); // true
 * isRetryableStatus(404); // false
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Exponential backoff without jitter (deterministic, and one client rarely stampedes the Hub):
 * `initialDelayMs * 2^(attempt-1)`, capped at `maxDelayMs`. `attempt` is the attempt that just failed (1-based).
 * @example
 * backoffDelay(1, { maxAttempts: 4, initialDelayMs: 500, maxDelayMs: 8000 }); // 500
 * backoffDelay(3, { maxAttempts: 4, initialDelayMs: 500, maxDelayMs: 8000 }); // 2000
 */
export function backoffDelay(attempt: number, retry: RetryOptions): number {
  return backoff(attempt, { initialDelayMs: retry.initialDelayMs, maxDelayMs: retry.maxDelayMs });
}

/**
 * Parse a `Retry-After` header: delta-seconds (`"120"`) or an HTTP date. Returns milliseconds to wait
 * (never negative), or `undefined` when absent or unreadable.
 * @example
 * parseRetryAfter("2", Date.now()); // 2000
 * parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:50 GMT")); // 10000
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // HTTP dates always name a month; without this check V8's lenient Date.parse reads "-5" as a year.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
