/**
 * Every default hubhooks applies, in one place: the server options, the endpoint options, the queue and the
 * delivery log. Other modules read these values (and re-export the slices they always exported); none keeps its
 * own copy. Why each value: see its comment.
 * @example
 * new WebhooksServer({ leaseMs: DEFAULTS.leaseMs * 2 });
 */
export const DEFAULTS = Object.freeze({
  port: 7860,
  localHost: "127.0.0.1",
  /** A Space (or a container) must listen on every interface for its proxy to get in. */
  spaceHost: "0.0.0.0",
  handleSignals: true,
  /** How long `close()` waits for running handlers before aborting them. */
  shutdownGraceMs: 10_000,
  /** A Hub payload is a few KB (a 10,000-file bucket update a few MB at most): 1 MiB is roomy, not a DoS vector. */
  bodyLimit: 1024 * 1024,
  /**
   * Deepest nesting of arrays and objects accepted in received JSON. A Hub payload is 4–5 levels deep; past a few
   * thousand, JSON.stringify (the API, the dashboard, the log) overflows the stack.
   */
  jsonDepth: 64,
  /** Succeeded (and skipped) deliveries are kept a week; failed and dead ones until replayed. */
  retentionMs: 7 * 86_400_000,
  /**
   * A worker's claim holds 60 s, renewed at half-life: after a crash, in-flight deliveries run again within a
   * minute, at the cost of one tiny write per running handler every 15 s.
   */
  leaseMs: 60_000,
  /** Polling is only a safety net (notify() and a wake-up timer do the real work), cheap on SQLite. */
  pollIntervalMs: 5_000,
  pruneIntervalMs: 3_600_000,
  /** The Hub webhooks pointing here are checked every 5 min: a suspension is seen soon, the Hub's rate limits far. */
  webhookHealthIntervalMs: 5 * 60_000,
  /** Per endpoint: answer with the handler's result (the Python server's contract). */
  mode: "result" as "result" | "accepted",
  /** The Hub waits ~30 s; a result that takes longer than 10 s is answered 202 and finishes in the background. */
  deadlineMs: 10_000,
  timeoutMs: 5 * 60_000,
  /** Running deliveries per endpoint per process. */
  concurrency: 8,
  /**
   * 5 attempts, retried after about 1 s, 4 s, 16 s and 64 s (±20%): quick first retries absorb blips, the last
   * gives a minute to recover, and a broken handler shows up as dead within two minutes.
   */
  retry: Object.freeze({ maxAttempts: 5, initialDelayMs: 1_000, maxDelayMs: 10 * 60_000, factor: 4, jitter: 0.2 }),
  /**
   * SQLite: how long one statement may wait, synchronously, for another process's write lock. Kept short because
   * the wait blocks the event loop; the store retries asynchronously after it (see `sqliteLockWaitMs`).
   */
  sqliteBusyTimeoutMs: 20,
  /** SQLite: how long, in all, a write waits (asynchronously) for another process's lock before it fails (503). */
  sqliteLockWaitMs: 10_000,
});
