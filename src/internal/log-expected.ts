import type { Logger } from "pino";
import { reasonOf } from "./reason-of.js";

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
