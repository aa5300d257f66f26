import type { Logger } from "pino";

/**
 * Log a condition the user can expect and act on (no network for the tunnel, a log path that cannot be opened, a
 * port in use) as ONE line with the reason; the error's stack goes to `debug` only (`LOG_LEVEL=debug`), since a
 * 20-frame stack says nothing more about "getaddrinfo ENOTFOUND smee.io" than its message does.
 * @example
 * logExpected(logger, "warn", error, { retryInMs: 1000 }, "tunnel: could not open; retrying in the background");
 */
export function logExpected(logger: Logger, level: "info" | "warn" | "error", error: unknown, fields: Record<string, unknown>, message: string): void {
  logger[level]({ ...fields, reason: reasonOf(error) }, message);
  if (logger.isLevelEnabled("debug")) logger.debug({ ...fields, err: error }, `${message} (details)`);
}

/**
 * The one-line reason of an error: its message without the `[hubhooks]` prefix, then its causes' messages that it
 * does not already say (`fetch failed` → `fetch failed: getaddrinfo ENOTFOUND smee.io`).
 * @example
 * reasonOf(new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND smee.io") })); // "fetch failed: getaddrinfo ENOTFOUND smee.io"
 */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let reason = error.message.replace(/^\[hubhooks\] /, "");
  // Bounded: causes can form a cycle. `fetch failed` says little; its cause names the host and the error.
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth++, cause = cause.cause) {
    if (!reason.includes(cause.message)) reason += `: ${cause.message}`;
  }
  return reason;
}
