import { pino, type Logger } from "pino";
import { redactText } from "../errors.js";

export type { Logger };

const CENSORED = "***";
const censor = () => CENSORED;
const SECRET_HEADERS = ["x-webhook-secret", "authorization", "cookie"];

/** Headers with the secret, authorization and cookies censored; the same object when there are none (no copy). */
function censorHeaders(headers: unknown): unknown {
  if (headers === null || typeof headers !== "object") return headers;
  const named = headers as Record<string, unknown>;
  if (!SECRET_HEADERS.some((name) => name in named)) return headers;
  const copy = { ...named };
  for (const name of SECRET_HEADERS) if (name in copy) copy[name] = CENSORED;
  return copy;
}

const censorRequest = (req: unknown): unknown =>
  req !== null && typeof req === "object" && "headers" in req ? { ...req, headers: censorHeaders(req.headers) } : req;

/**
 * Where a secret can enter a log line: these top-level fields (of a line or of a child logger's bindings) are
 * censored by pino's serializers, which run only for a field that is present. This replaces pino's `redact`
 * (fast-redact), which walked every line for wildcard paths and was a tenth of a delivery's CPU. What hubhooks
 * logs itself never holds a secret: stored headers drop it where they are read (http/received-headers.ts) and
 * errors are cleaned by `loggedError`; these catch what a handler logs through `ctx.logger`.
 */
export const LOG_SERIALIZERS: { [field: string]: (value: any) => unknown; headers: (value: unknown) => unknown } = {
  err: pino.stdSerializers.err, // given serializers replace pino's defaults
  secret: censor,
  webhookSecret: censor,
  token: censor,
  authorization: censor,
  headers: censorHeaders,
  req: censorRequest,
  request: censorRequest,
};

export { logFormat, type LogFormat } from "./log-format.js";

/**
 * The default structured logger on stderr, level from `LOG_LEVEL` (default `info`): JSON lines, or readable
 * ones with `pretty` (see `logFormat`). `silent` in tests. JSON lines go through an asynchronous destination
 * (a line is written on the next turn, several together under load, instead of one blocking `write` each); it is
 * flushed by `flush(cb)` (`WebhooksServer.close()` calls it: `minLength: 1` is what makes sonic-boom's flush wait for
 * the writes, every line still goes out at once) and synchronously when the process exits.
 * `destination` (tests): write there instead of stderr.
 */
export function createLogger(options: { level?: string; pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? "info";
  if (options.pretty) {
    return pino({
      level,
      serializers: LOG_SERIALIZERS,
      transport: { target: "pino-pretty", options: { destination: 2, colorize: true, ignore: "pid,hostname" } },
    });
  }
  return pino({ level, serializers: LOG_SERIALIZERS }, options.destination ?? pino.destination({ dest: 2, sync: false, minLength: 1 }));
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
