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
  | "INVALID_PAYLOAD"
  | "PAYLOAD_TOO_LARGE"
  | "STORE_UNAVAILABLE"
  | "HANDLER_FAILED"
  | "HANDLER_TIMEOUT"
  | "QUEUE_STOPPED"
  | "NON_RETRYABLE"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "HUB_API"
  | "CHANGED_FILES_UNAVAILABLE"
  | "TUNNEL"
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

/** JSON response with the right content type. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  // JSON.stringify gives undefined for functions and symbols: answer `null` rather than an empty body.
  return new Response(JSON.stringify(body) ?? "null", {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * Map an error to an HTTP response with a JSON `{ error }` body. Unknown errors become 500 with their
 * message (the Python server does the same), but `redact` strings (secrets) are always removed.
 */
export function httpErrorResponse(error: unknown, redact: readonly string[] = []): Response {
  const err = toError(error);
  if (err instanceof HubhooksError) {
    return jsonResponse({ error: redactText(err.publicMessage, redact), ...(err.details ?? {}) }, err.status);
  }
  return jsonResponse({ error: redactText(err.message || err.name, redact) }, 500);
}

/** Replace every occurrence of each secret with `***`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("***");
  return out;
}
