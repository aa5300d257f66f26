/**
 * Every error hubhooks raises carries a stable `code` and a `[hubhooks]` message prefix.
 * `httpErrorResponse` is the one place that turns an error into an HTTP response.
 */

export type HubhooksErrorCode =
  | "DUPLICATE_ENDPOINT"
  | "INVALID_ENDPOINT"
  | "INVALID_OPTIONS"
  | "SECRET_MISSING"
  | "SECRET_INVALID"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "INVALID_JSON"
  | "JSON_TOO_DEEP"
  | "INVALID_FORM"
  | "INVALID_PAYLOAD"
  | "PAYLOAD_TOO_LARGE"
  | "STORE_UNAVAILABLE"
  | "METRICS_UNAVAILABLE"
  | "HANDLER_FAILED"
  | "HANDLER_TIMEOUT"
  | "QUEUE_STOPPED"
  | "NON_RETRYABLE"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "HUB_API"
  | "CHANGED_FILES_UNAVAILABLE"
  | "TUNNEL"
  | "FORWARD_FAILED"
  | "NETWORK"
  | "INTERNAL";

/**
 * Base class of every hubhooks error.
 * @example
 * try { app.addWebhook("x", h); app.addWebhook("x", h); }
 * catch (e) { if (e instanceof HubhooksError) console.log(e.code); } // "DUPLICATE_ENDPOINT"
 */
export class HubhooksError extends Error {
  readonly code: HubhooksErrorCode;
  /** HTTP status this error maps to when it reaches a client. */
  readonly status: number;
  /** Extra JSON-safe details included in the HTTP body (never secrets). */
  readonly details?: Record<string, unknown>;

  constructor(
    code: HubhooksErrorCode,
    message: string,
    options: { status?: number; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(`[hubhooks] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HubhooksError";
    this.code = code;
    this.status = options.status ?? 500;
    this.details = options.details;
  }

  /** The message without the `[hubhooks] ` prefix, as sent to HTTP clients. */
  get publicMessage(): string {
    return this.message.replace(/^\[hubhooks\] /, "");
  }
}

/**
 * Throw this from a handler to mark the delivery as failed for good: no retry.
 * @example
 * app.addWebhook("train", (payload) => {
 *   if (payload.repo.type !== "dataset") throw new NonRetryableError("only datasets are handled");
 * });
 */
export class NonRetryableError extends Error {
  readonly code = "NON_RETRYABLE" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NonRetryableError";
  }
}

/** Coerce anything thrown into an Error (handlers may throw strings or objects). */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === "string") return new Error(value);
  try {
    return new Error(JSON.stringify(value));
  } catch {
    return new Error(String(value));
  }
}

/** The parts of a response made by {@link jsonResponse}, readable without touching the web `Response`. */
export interface PlainResponse {
  status: number;
  text: string;
  headers: Record<string, string>;
}

const PLAIN = Symbol("hubhooks.plain");
type WithParts = Response & { [PLAIN]?: PlainResponse };

/**
 * JSON response with the right content type. The Node fast path writes it from the parts it was made of
 * ({@link plainResponse}) as long as nothing has touched its web headers.
 */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  // JSON.stringify gives undefined for functions and symbols: answer `null` rather than an empty body.
  const text = JSON.stringify(body) ?? "null";
  const all = { "content-type": "application/json; charset=utf-8", ...headers };
  const response = new Response(text, { status, headers: all }) as WithParts;
  response[PLAIN] = { status, text, headers: all };
  return response;
}

/** @hono/node-server's lighter Response keeps `[status, body, headers]` under a symbol of its own, found once. */
let honoCache: symbol | undefined;

/**
 * What {@link jsonResponse} built `response` from, or undefined when that is not known to be what it still is: any
 * other response (a handler's own), and one whose web headers were read since (they may have been changed). It tells
 * by @hono/node-server's lighter `Response` (installed on Node by `launch()` and `createNodeMiddleware`): it keeps the
 * headers object it was given until someone reads `headers`, then holds a `Headers` instead. Without it (another
 * host, another version) the answer is undefined: the response is written as any other, never wrong.
 * @example
 * const plain = plainResponse(response); if (plain) res.writeHead(plain.status, plain.headers).end(plain.text);
 */
export function plainResponse(response: Response): PlainResponse | undefined {
  const parts = (response as WithParts)[PLAIN];
  if (!parts) return undefined;
  honoCache ??= Object.getOwnPropertySymbols(response).find((symbol) => symbol.description === "cache");
  const cache = honoCache && (response as unknown as Record<symbol, unknown>)[honoCache];
  return Array.isArray(cache) && cache[2] === parts.headers ? parts : undefined;
}

/** What `httpErrorResponse` needs besides the error: secrets to remove and where to log what it maps. */
export interface ErrorResponseOptions {
  /** Strings (secrets) removed from every message. */
  redact?: readonly string[];
  /** Receives an unexpected error (logged in full at `error`) and, with `logRejections`, a 4xx (at `warn`). */
  logger?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Log 4xx answers too (the dashboard's and the API's: nobody else would see them). */
  logRejections?: boolean;
  /** Fields logged with the error, e.g. the method and path. */
  context?: Record<string, unknown>;
}

/**
 * The one place an error becomes an HTTP response (`{ error }` JSON, secrets always removed):
 * - a `HubhooksError` answers its own status, its message (without the prefix) and its `details`;
 * - an error that carries an HTTP status (hono's `HTTPException`, a body parser's) answers that status when it is a
 *   4xx, with its message;
 * - anything else is a bug or a fault below us (a driver, the stack): 500 `{"error": "Internal error."}`, and the
 *   error is logged in full (its text may name files or SQL; a handler's own error reaches this mapper as a
 *   `HANDLER_FAILED` HubhooksError, so the Python server's `{"error": "<message>"}` is kept for it).
 * @example
 * app.onError((error, c) => httpErrorResponse(error, { redact: secrets, logger, logRejections: true }));
 */
export function httpErrorResponse(error: unknown, options: ErrorResponseOptions | readonly string[] = {}): Response {
  const o: ErrorResponseOptions = isStringArray(options) ? { redact: options } : options;
  const redact = o.redact ?? [];
  const err = toError(error);
  let status = 500;
  let body: Record<string, unknown> = { error: "Internal error." };
  if (err instanceof HubhooksError) {
    status = err.status;
    body = { error: redactText(err.publicMessage, redact), ...(err.details ?? {}) };
  } else {
    const carried = (err as { status?: unknown }).status;
    if (typeof carried === "number" && carried >= 400 && carried < 500) {
      status = carried;
      body = { error: redactText(err.message || "Bad request.", redact) };
    }
  }
  if (status >= 500 && !(err instanceof HubhooksError)) {
    o.logger?.error({ ...o.context, err: redactedError(err, redact) }, "unexpected error");
  } else if (o.logRejections && status < 500) {
    o.logger?.warn({ ...o.context, status, error: body.error }, "request rejected");
  } else if (status >= 500) {
    o.logger?.error({ ...o.context, status, err: redactedError(err, redact) }, "request failed");
  }
  return jsonResponse(body, status);
}

/**
 * A handler's own failure as the error the mapper answers with its message (inline mode, like the Python server).
 * @example
 * return httpErrorResponse(handlerFailed(error), secrets); // 500 {"error": "boom"}
 */
export function handlerFailed(error: unknown): HubhooksError {
  if (error instanceof HubhooksError) return error;
  const err = toError(error);
  return new HubhooksError("HANDLER_FAILED", err.message || err.name, { status: 500, cause: error });
}

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value);
}

function redactedError(err: Error, redact: readonly string[]): Error {
  if (redact.length === 0) return err;
  const copy = new Error(redactText(err.message, redact));
  copy.name = err.name;
  copy.stack = err.stack ? redactText(err.stack, redact) : undefined;
  return copy;
}

/** Replace every occurrence of each secret with `***`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("***");
  return out;
}
