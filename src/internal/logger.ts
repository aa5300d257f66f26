import { pino, type Logger } from "pino";
import { redactText } from "../errors.js";

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

/** How log lines are written: one JSON object per line, or pino-pretty's readable lines. */
export type LogFormat = "json" | "pretty";

/**
 * The console format: `LOG_FORMAT` (`json` | `pretty`) when set, else `pretty` under `HUBHOOKS_PRETTY=1` or when
 * stderr is a terminal, else JSON (piped to a file or a log collector).
 * @example
 * logFormat({ LOG_FORMAT: "json" }, { isTTY: true }); // "json"
 * logFormat({}, { isTTY: true });                      // "pretty"
 */
export function logFormat(
  env: Record<string, string | undefined>,
  stderr: { isTTY?: boolean } = process.stderr,
): LogFormat {
  const asked = env.LOG_FORMAT?.trim().toLowerCase();
  if (asked === "json" || asked === "pretty") return asked;
  if (env.HUBHOOKS_PRETTY === "1") return "pretty";
  return stderr.isTTY ? "pretty" : "json";
}

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

/** What pino's `err` serializer writes for an error, with every secret removed from its text. */
export interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  code?: string;
}

/**
 * An error as the `err` field of a log line (type, message, stack, code: the shape of pino's `err` serializer), with
 * the webhook secrets removed from the message and the stack: a handler's error text may quote what it received.
 * @example
 * logger.warn({ err: loggedError(error, secrets), deliveryId }, "delivery attempt failed; will retry");
 */
export function loggedError(error: Error, secrets: readonly string[]): LoggedError {
  const code = (error as { code?: unknown }).code;
  return {
    type: error.constructor?.name && error.constructor.name !== "Object" ? error.constructor.name : error.name,
    message: redactText(error.message, secrets),
    ...(error.stack ? { stack: redactText(error.stack, secrets) } : {}),
    ...(typeof code === "string" ? { code } : {}),
  };
}
