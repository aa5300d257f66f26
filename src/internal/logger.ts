import { pino, type Logger } from "pino";
import { redactText } from "../errors.js";
import { prettyLogStream } from "./pretty-log.js";

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
 * The default structured logger on stderr, level from `LOG_LEVEL` (default `info`): JSON lines, or one readable
 * line per event with `pretty` (see `logFormat` and `prettyLogStream`), coloured only on a terminal and not under
 * `NO_COLOR`. `silent` in tests.
 * @example
 * const logger = createLogger({ level: "debug", pretty: true });
 */
export function createLogger(
  options: { level?: string; pretty?: boolean; env?: Record<string, string | undefined>; stderr?: { isTTY?: boolean; write(text: string): unknown } } = {},
): Logger {
  const level = options.level ?? "info";
  if (options.pretty) {
    const env = options.env ?? process.env;
    const stderr = options.stderr ?? process.stderr;
    const colors = env.FORCE_COLOR ? env.FORCE_COLOR !== "0" : stderr.isTTY === true && env.NO_COLOR === undefined && env.TERM !== "dumb";
    const debug = ["debug", "trace"].includes(level);
    return pino({ level, redact: { paths: REDACT_PATHS, censor: "***" } }, prettyLogStream({ colors, debug, write: (text) => stderr.write(text) }));
  }
  return pino({ level, redact: { paths: REDACT_PATHS, censor: "***" } }, pino.destination(2));
}
