import { pino, type Logger } from "pino";

export type { Logger };

/** Paths pino removes from every log line, wherever they appear. */
export const REDACT_PATHS = [
  "secret",
  "webhookSecret",
  "headers['x-webhook-secret']",
  "*.headers['x-webhook-secret']",
  "req.headers['x-webhook-secret']",
  "token",
  "authorization",
  "headers.authorization",
  "*.headers.authorization",
];

export { logFormat, type LogFormat } from "./log-format.js";
// Kept apart so the web core (the inline dispatcher) uses it without loading pino.
export { loggedError } from "./logged-error.js";

/**
 * The default structured logger on stderr, level from `LOG_LEVEL` (default `info`): JSON lines, or readable
 * ones with `pretty` (see `logFormat`). `silent` in tests.
 */
export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  const level = options.level ?? "info";
  if (options.pretty) {
    return pino({
      level,
      redact: { paths: REDACT_PATHS, censor: "***" },
      transport: { target: "pino-pretty", options: { destination: 2, colorize: true, ignore: "pid,hostname" } },
    });
  }
  return pino({ level, redact: { paths: REDACT_PATHS, censor: "***" } }, pino.destination(2));
}
