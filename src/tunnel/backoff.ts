import { backoff } from "../internal/backoff.js";
import type { ReconnectOptions } from "./types.js";

/** Defaults of {@link ReconnectOptions}. */
export const RECONNECT_DEFAULTS = {
  initialDelayMs: 250,
  maxDelayMs: 30_000,
  maxAttempts: 120,
} as const;

/** Reconnect options with every default applied. */
export type ResolvedReconnect = Required<ReconnectOptions>;

/**
 * Apply defaults to reconnect options.
 * @example
 * resolveReconnect({ maxAttempts: 3 }).initialDelayMs; // 250
 */
export function resolveReconnect(options: ReconnectOptions = {}): ResolvedReconnect {
  return {
    initialDelayMs: options.initialDelayMs ?? RECONNECT_DEFAULTS.initialDelayMs,
    maxDelayMs: options.maxDelayMs ?? RECONNECT_DEFAULTS.maxDelayMs,
    maxAttempts: options.maxAttempts ?? RECONNECT_DEFAULTS.maxAttempts,
    delay: options.delay ?? abortableDelay,
  };
}

/**
 * Delay before reconnect attempt number `attempt` (0-based): doubles from `initialDelayMs`, capped at `maxDelayMs`.
 * @example
 * backoffDelay(0, { initialDelayMs: 250, maxDelayMs: 30_000 }); // 250
 * backoffDelay(20, { initialDelayMs: 250, maxDelayMs: 30_000 }); // 30000
 */
export function backoffDelay(attempt: number, options: { initialDelayMs: number; maxDelayMs: number }): number {
  return backoff(Math.max(attempt, 0) + 1, options);
}

/**
 * Resolves after `ms`, or at once when `signal` aborts (never rejects, so callers just re-check their state).
 * @example
 * await abortableDelay(1_000, controller.signal);
 */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
