/** The shape of every exponential backoff in hubhooks. */
export interface BackoffShape {
  /** Delay after the first failure. */
  initialDelayMs: number;
  /** Ceiling of any delay. */
  maxDelayMs: number;
  /** Growth per failure (default 2). */
  factor?: number;
  /** Random spread of each delay, 0..1: 0.2 means ±20% (default 0: deterministic). */
  jitter?: number;
}

/**
 * The one backoff function (the queue's retries, the Hub client, tunnel reconnects, SQLite lock waits): the delay
 * after failure number `failure` (1-based) is `initialDelayMs * factor^(failure-1)`, spread by ±jitter, capped at
 * `maxDelayMs`, in whole ms. Pure: `random` is injected (0..1 like Math.random; only read when jitter > 0).
 * @example
 * backoff(1, { initialDelayMs: 1000, maxDelayMs: 600_000, factor: 4 }); // 1000
 * backoff(3, { initialDelayMs: 1000, maxDelayMs: 600_000, factor: 4 }); // 16000
 * backoff(2, { initialDelayMs: 1000, maxDelayMs: 600_000, factor: 4, jitter: 0.2 }, () => 0); // 3200
 */
export function backoff(failure: number, shape: BackoffShape, random: () => number = () => 0.5): number {
  const n = Math.max(1, Math.floor(failure));
  const initial = Math.max(0, shape.initialDelayMs);
  const cap = Math.max(0, shape.maxDelayMs);
  // Capped before jitter (and the exponent bounded) so huge counts can't overflow to Infinity or NaN.
  const base = Math.min(cap, initial * Math.max(1, shape.factor ?? 2) ** Math.min(n - 1, 1000));
  const jitter = Math.min(1, Math.max(0, shape.jitter ?? 0));
  const spread = jitter === 0 ? 1 : 1 + jitter * (2 * clamp01(random()) - 1);
  return Math.round(Math.min(cap, Math.max(0, base * spread)));
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0.5;
}
