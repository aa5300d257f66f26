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

/**
 * An error for the `err` field of a log line (pino's serializer writes its type, message, stack and own fields such
 * as `code`), with the webhook secrets removed from the message and the stack: a handler's error text may quote what
 * it received. A copy on the same prototype, so the type stays the error's class.
 * @example
 * logger.warn({ err: loggedError(error, secrets), deliveryId }, "delivery attempt failed; will retry");
 */
export function loggedError(error: Error, secrets: readonly string[]): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  const fields = error as unknown as Record<string, unknown>;
  for (const key of Object.keys(error)) {
    const value = fields[key];
    (copy as unknown as Record<string, unknown>)[key] = typeof value === "string" ? redactText(value, secrets) : value;
  }
  if (error.cause instanceof Error) {
    Object.defineProperty(copy, "cause", { value: loggedError(error.cause, secrets), enumerable: false, writable: true });
  }
  Object.defineProperty(copy, "message", { value: redactText(error.message, secrets), enumerable: false, writable: true });
  if (error.stack) Object.defineProperty(copy, "stack", { value: redactText(error.stack, secrets), enumerable: false, writable: true });
  if (error.name !== Object.getPrototypeOf(error)?.name) copy.name = error.name;
  return copy;
}
