import { DEFAULTS } from "../defaults.js";
import { backoff } from "../internal/backoff.js";

/** How a failed delivery is retried. */
export interface RetryPolicy {
  /** Attempts in one series, the first included (1 = never retry). */
  maxAttempts: number;
  /** Delay before the first retry. */
  initialDelayMs: number;
  /** Ceiling of any delay. */
  maxDelayMs: number;
  /** Growth of the delay per attempt. */
  factor: number;
  /** Random spread of each delay, 0..1: 0.2 means ±20%. */
  jitter: number;
}

/**
 * 5 attempts, retried after about 1 s, 4 s, 16 s and 64 s (±20%). The quick first retries absorb the
 * usual blips (a deploy, a 502 from a dependency); the last ones give it a minute to recover; the whole
 * series ends within two minutes, so a broken handler shows up as dead soon, and a replay (from the
 * dashboard or the Hub) starts a fresh series. The jitter keeps a burst of failures from retrying in
 * lockstep. The 10-minute ceiling only matters to policies with more attempts.
 * @example
 * app.addWebhook("sync", handler, { retry: { ...DEFAULT_RETRY, maxAttempts: 8 } });
 */
export const DEFAULT_RETRY: RetryPolicy = DEFAULTS.retry;

/**
 * Delay before the retry that follows failed attempt number `attempt` (1-based, within the series):
 * `initialDelayMs * factor^(attempt-1)`, spread by ±jitter, capped at `maxDelayMs`, in whole ms. Pure:
 * `random` is injected (it returns 0..1 like Math.random).
 * @example
 * computeBackoff(1, DEFAULT_RETRY, () => 0.5); // 1000
 * computeBackoff(3, DEFAULT_RETRY, () => 0.5); // 16000
 * computeBackoff(2, DEFAULT_RETRY, () => 0);   // 3200 (4000 - 20%)
 */
export function computeBackoff(attempt: number, policy: RetryPolicy, random: () => number): number {
  return backoff(attempt, policy, random);
}
