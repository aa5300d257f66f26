import { pino, type Logger } from "pino";
import { NEVER_STORED_HEADERS } from "./never-stored-headers.js";
import { prettyLogStream } from "./pretty-log.js";

export type { Logger };

const CENSORED = "***";
const censor = () => CENSORED;
// The one list of headers never stored or shown (proxy-authorization included).
const SECRET_HEADERS = [...NEVER_STORED_HEADERS];

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
// Kept apart so the web core (the inline dispatcher) uses it without loading pino.
export { loggedError } from "./logged-error.js";

/**
 * The default structured logger on stderr, level from `LOG_LEVEL` (default `info`): JSON lines, or one readable
 * line per event with `pretty` (see `logFormat` and `prettyLogStream`), coloured only on a terminal and not under
 * `NO_COLOR`. `silent` in tests. Secrets are censored by serializers on the fields that can carry one (not per-line
 * redaction). JSON lines go through an asynchronous destination (a line is written on the next turn, several
 * together under load, instead of one blocking `write` each); it is flushed by `flush(cb)` (`WebhooksServer.close()`
 * calls it: `minLength: 1` is what makes sonic-boom's flush wait for the writes, every line still goes out at once)
 * and synchronously when the process exits. `destination` (tests): write JSON lines there instead of stderr.
 * @example
 * const logger = createLogger({ level: "debug", pretty: true });
 */
export function createLogger(
  options: {
    level?: string;
    pretty?: boolean;
    env?: Record<string, string | undefined>;
    stderr?: { isTTY?: boolean; write(text: string): unknown };
    destination?: NodeJS.WritableStream;
  } = {},
): Logger {
  const level = options.level ?? "info";
  if (options.pretty) {
    const env = options.env ?? process.env;
    const stderr = options.stderr ?? process.stderr;
    const colors = env.FORCE_COLOR ? env.FORCE_COLOR !== "0" : stderr.isTTY === true && env.NO_COLOR === undefined && env.TERM !== "dumb";
    const debug = ["debug", "trace"].includes(level);
    return pino({ level, serializers: LOG_SERIALIZERS }, prettyLogStream({ colors, debug, write: (text) => stderr.write(text) }));
  }
  return pino({ level, serializers: LOG_SERIALIZERS }, options.destination ?? pino.destination({ dest: 2, sync: false, minLength: 1 }));
}
